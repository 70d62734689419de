"""Durable turns and per-chat order, on SQLite and PostgreSQL (real databases, real workers).

The rules under test are in `helpdesk/services/leases.py`: one holder per turn, an answer
stored only with the turn's end by its holder, one chat's events one after the other.
PostgreSQL comes from TEST_POSTGRES_URL; without it those cases are skipped with a notice
(failed under CI=true).
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.exc import OperationalError

from channels.telegram.adapter import TelegramAdapter
from helpdesk.conversation.base import BotReply, InboundMessage
from helpdesk.conversation.leases import Leases
from helpdesk.infra.db import Database
from helpdesk.infra.jobs import PollingSignal
from helpdesk.infra.migrate import upgrade
from helpdesk.models import (
    Channel,
    Conversation,
    InboundEvent,
    JobStatus,
    Message,
    OutboxItem,
    Sender,
    TurnState,
    utcnow,
)
from helpdesk.runtime.app import create_app
from helpdesk.runtime.worker import Worker
from helpdesk.services import conversations as convs
from helpdesk.services import inbox, leases, outbox
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeBotApi, serve, text_update

TOKEN = "7012345678:AAF-test-token"
SECRET = "s3cret-Token_for-tests"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of each kind (PostgreSQL: a throw-away schema)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
        database = Database(url)
        upgrade(database.engine)
        database.dispose()
        yield url
        return
    base = _postgres_url()
    if base is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL configured (TEST_POSTGRES_URL)")
        pytest.skip("NOTICE: no PostgreSQL configured (TEST_POSTGRES_URL); tests skipped")
    schema = f"hw_durable_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is unreachable: {exc}")
        pytest.skip(f"NOTICE: PostgreSQL unreachable ({exc.orig}); tests skipped")
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema}"
    database = Database(url)
    upgrade(database.engine)
    database.dispose()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


def _citizen_message(db: Database, owner: str, chat: str = "42") -> int:
    """A stored citizen message with an open turn held by `owner`."""
    with db.session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, chat, "id")
        message = convs.add_message(session, conversation, Sender.CITIZEN, "halo")
        leases.open_turn(message, owner, notice=False)
        session.commit()
        return message.id


def _expire(db: Database, message_id: int) -> None:
    """As if the holder had been silent for longer than the lease."""
    with db.session() as session:
        session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(turn_lease_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()


# --- the claim rules -------------------------------------------------------------------


def test_one_holder_at_a_time_and_only_the_holder_ends_the_turn(database: Database) -> None:
    message_id = _citizen_message(database, "web-a")
    with database.session() as session:
        assert leases.expired_turns(session) == []
        assert not leases.take_over(session, message_id, "worker-b")  # the lease still runs
        session.commit()
    _expire(database, message_id)
    with database.session() as session:
        assert leases.expired_turns(session) == [message_id]
        assert leases.take_over(session, message_id, "worker-b")
        session.commit()
    with database.session() as session:
        assert not leases.take_over(session, message_id, "worker-c")  # b's lease is fresh
        assert not leases.finish(session, message_id, "web-a")  # a woke up too late
        assert leases.finish(session, message_id, "worker-b")
        session.commit()
    with database.session() as session:
        assert not leases.finish(session, message_id, "worker-b")  # ended exactly once
        row = session.get(Message, message_id)
        assert row is not None
        assert (row.turn_state, row.turn_owner, row.turn_attempts) == ("done", "worker-b", 1)
        assert leases.expired_turns(session, utcnow() + timedelta(hours=1)) == []


def test_a_heartbeat_keeps_the_turn_its_holder_is_still_working_on(database: Database) -> None:
    holder = Leases(database, lease_seconds=0.5, heartbeat_seconds=0.1)
    message_id = _citizen_message(database, holder.owner)
    holder.hold_turn(message_id)
    time.sleep(1.5)  # three leases long: only the heartbeat keeps it
    with database.session() as session:
        assert leases.expired_turns(session) == []
        assert not leases.take_over(session, message_id, "worker-b")
    holder.release_turn(message_id)  # the work ended without an answer (say, it crashed)
    time.sleep(1.0)
    with database.session() as session:
        assert leases.expired_turns(session) == [message_id]


def _store(db: Database, external_id: str, chat: str | None) -> int:
    with db.session() as session:
        event = inbox.store_inbound_event(
            session, Channel.TELEGRAM, external_id, {"n": external_id}, chat
        )
        assert event is not None
        return event.id


def _set_status(db: Database, event_id: int, status: JobStatus) -> None:
    with db.session() as session:
        session.execute(
            update(InboundEvent).where(InboundEvent.id == event_id).values(status=status)
        )
        session.commit()


def test_a_chat_s_events_are_taken_one_at_a_time_oldest_first(database: Database) -> None:
    x1, y1, x2, loose, x3, y2 = (
        _store(database, "1", "chat-x"),
        _store(database, "2", "chat-y"),
        _store(database, "3", "chat-x"),
        _store(database, "4", None),  # a status callback: no order to keep
        _store(database, "5", "chat-x"),
        _store(database, "6", "chat-y"),
    )
    key_x = inbox.chat_key(Channel.TELEGRAM, "chat-x")
    with database.session() as session:
        assert leases.claim_heads(session, "worker-a", batch=10) == [x1, y1, loose]
        session.commit()
    with database.session() as session:
        assert leases.claim_heads(session, "worker-b", batch=10) == []  # all heads are taken
        assert leases.claim_next_in_chat(session, key_x, "worker-b") is None  # x1 still runs
    _set_status(database, x1, JobStatus.DONE)
    with database.session() as session:
        assert leases.claim_heads(session, "worker-b", batch=10) == [x2]
        session.commit()
    with database.session() as session:
        event = session.get(InboundEvent, x2)
        assert event is not None
        inbox.mark_failed_attempt(event, "engine down")  # retried after a backoff
        session.commit()
    with database.session() as session:
        assert leases.claim_next_in_chat(session, key_x, "worker-a") is None  # x3 waits for x2
        assert leases.claim_heads(session, "worker-a", batch=10) == []
    _set_status(database, x2, JobStatus.FAILED)  # given up: the chat goes on
    _set_status(database, y1, JobStatus.DONE)
    with database.session() as session:
        assert leases.claim_next_in_chat(session, key_x, "worker-a") == x3
        assert leases.claim_heads(session, "worker-b", batch=10) == [y2]
        session.commit()
        stored = session.scalars(select(InboundEvent.chat_key).order_by(InboundEvent.id)).all()
    assert stored[0] == key_x and "chat-x" not in key_x  # a keyed hash, not the chat id


def _reply(db: Database, chat: str, text: str) -> int:
    """A bot reply to `chat` queued for delivery; its outbox item's id."""
    with db.session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, chat, "id")
        message = convs.add_message(session, conversation, Sender.BOT, text)
        item = OutboxItem(message_id=message.id, channel=Channel.TELEGRAM, recipient=chat)
        session.add(item)
        session.commit()
        return item.id


def _finish(db: Database, item_id: int, status: JobStatus) -> None:
    with db.session() as session:
        item = session.get(OutboxItem, item_id)
        assert item is not None
        item.status = status
        session.commit()


def test_a_conversation_s_replies_are_taken_one_at_a_time_oldest_first(
    database: Database,
) -> None:
    lease = timedelta(seconds=60)
    x1, y1, x2, x3 = (
        _reply(database, "chat-x", "x1"),
        _reply(database, "chat-y", "y1"),
        _reply(database, "chat-x", "x2"),
        _reply(database, "chat-x", "x3"),
    )
    with database.session() as session:
        assert outbox.claim_heads(session, 10, lease) == [x1, y1]  # not x2: x1 goes first
        session.commit()
    with database.session() as session:
        assert outbox.claim_heads(session, 10, lease) == []  # another worker: heads taken
        assert outbox.claim_next(session, x1, lease) is None  # x1 is still being sent
    _finish(database, x1, JobStatus.DONE)
    with database.session() as session:
        assert outbox.claim_next(session, x1, lease) == x2
        session.commit()
    with database.session() as session:
        item = session.get(OutboxItem, x2)
        assert item is not None
        outbox.mark_failed_attempt(item, "Telegram down")  # retried after a backoff
        session.commit()
    with database.session() as session:
        assert outbox.claim_heads(session, 10, lease) == []  # x3 waits for x2's retry
        assert outbox.claim_next(session, x2, lease) is None
    _finish(database, x2, JobStatus.FAILED)  # given up: the conversation goes on
    with database.session() as session:
        assert outbox.claim_heads(session, 10, lease) == [x3]
        session.commit()


def test_the_worker_reads_queued_replies_through_their_partial_index(
    database: Database,
) -> None:
    """Sent replies are nearly all of the outbox; each worker pass must not scan them."""
    if database.engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite")
    statement = outbox.heads_query(10, utcnow())
    compiled = statement.compile(database.engine, compile_kwargs={"literal_binds": True})
    with database.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        )
    scans = re.findall(r"SCAN outbox(?: USING [A-Z ]*INDEX \w+)?", plan)
    assert scans == ["SCAN outbox USING INDEX ix_outbox_queued"], plan


# --- whole processes' worth of parts: router, pool, workers ------------------------------


@dataclass
class RecordingEngine:
    """Stands in for Rasa: records each call in the order it arrived, answers after a pause."""

    pause: tuple[float, float] = (0.0, 0.0)
    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, sender_id: str, message: str, metadata: dict[str, Any]) -> list[BotReply]:
        with self.lock:
            self.calls.append((sender_id, message))
        time.sleep(random.uniform(*self.pause))
        return [BotReply(f"jawaban: {message}")]

    def is_up(self) -> bool:
        return True


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """The databases of the apps and workers a test builds, disposed after it."""
    databases: list[Database] = []
    yield databases
    for db in databases:
        db.dispose()


def _app(
    url: str, engine: RecordingEngine, opened: list[Database], bot_api_url: str | None = None
) -> Flask:
    options: dict[str, Any] = {"telegram_bot_token": TOKEN, "telegram_webhook_secret": SECRET}
    if bot_api_url is not None:
        options["telegram_api_base_url"] = bot_api_url
    app = create_app(make_settings(url, **options), bot_engine=engine)
    opened.append(app.extensions["database"])
    return app


def _answers(db: Database) -> dict[int, list[str]]:
    """Each citizen message id with the bot messages that follow it."""
    result: dict[int, list[str]] = defaultdict(list)
    with db.session() as session:
        current: dict[int, int] = {}
        for message in session.scalars(select(Message).order_by(Message.id)):
            if message.sender == Sender.CITIZEN:
                current[message.conversation_id] = message.id
                result[message.id] = []
            elif message.sender == Sender.BOT:
                result[current[message.conversation_id]].append(message.text)
    return result


def test_a_turn_taken_over_is_answered_once_even_when_its_first_holder_wakes_up(
    database_url: str, database: Database, opened: list[Database]
) -> None:
    engine = RecordingEngine()
    first, second = _app(database_url, engine, opened), _app(database_url, engine, opened)
    inbound = InboundMessage(channel=Channel.TELEGRAM, channel_user_id="77", text="syarat KTP")
    with database.session() as session:
        accepted = first.extensions["router"].accept(session, inbound)
    turn = accepted.turn
    assert turn is not None and turn.message_id is not None
    # The first process stalls beyond its lease (its heartbeat with it).
    first.extensions["router"].leases.release_turn(turn.message_id)
    _expire(database, turn.message_id)
    worker = Worker(
        second.extensions["database"],
        second.extensions["router"],
        {},
        PollingSignal(),
        turns=second.extensions["turns"],
    )
    assert worker.run_once() == 1  # taken over
    second.extensions["turns"].shutdown()  # the taken-over turn is answered
    with database.session() as session:  # the first holder wakes up with its own answer
        assert first.extensions["router"].run_turn(session, turn) == []
    assert _answers(database) == {turn.message_id: ["jawaban: syarat KTP"]}
    assert [message for _sender, message in engine.calls] == ["syarat KTP", "syarat KTP"]
    with database.session() as session:
        row = session.get(Message, turn.message_id)
        assert row is not None and row.turn_state == TurnState.DONE
    assert first.extensions["router"].leases.held() == ([], [])
    assert worker.leases.held() == ([], [])
    first.extensions["turns"].shutdown()


def test_bursts_from_many_chats_keep_each_chat_s_order_with_two_workers(
    database_url: str, database: Database, opened: list[Database]
) -> None:
    chats, per_chat = 12, 6
    engine = RecordingEngine(pause=(0.0, 0.05))
    api = FakeBotApi()
    with serve(api) as api_url:
        web = _app(database_url, engine, opened, api_url)
        apps = [_app(database_url, engine, opened, api_url) for _ in range(2)]
        stop = threading.Event()
        adapters = [TelegramAdapter(TOKEN, api_base_url=api_url) for _ in apps]
        workers = [
            Worker(
                app.extensions["database"],  # declares the channels' traits (push or poll)
                app.extensions["router"],
                {Channel.TELEGRAM: adapter},
                PollingSignal(),
                poll_seconds=0.02,
                batch=4,
            )
            for app, adapter in zip(apps, adapters, strict=True)
        ]
        threads = [threading.Thread(target=w.run_forever, args=(stop,)) for w in workers]
        for thread in threads:
            thread.start()
        client = web.test_client()
        sent: dict[str, list[str]] = defaultdict(list)
        update_id = 900_000
        try:
            for burst in range(per_chat // 3):  # each chat writes three times quickly, twice
                order = list(range(chats))
                random.shuffle(order)
                for chat in order:
                    for n in range(3 * burst + 1, 3 * burst + 4):
                        update_id += 1
                        words = f"chat {chat} pesan {n}"
                        update = text_update(update_id, 6_100_000 + chat, words)
                        response = client.post(
                            "/webhooks/telegram",
                            json=update,
                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                        )
                        assert response.status_code == 200
                        sent[str(6_100_000 + chat)].append(words)
                time.sleep(0.05)
            deadline = time.monotonic() + 120
            total = chats * per_chat
            while len(engine.calls) < total or _queued(database) or len(api.sent()) < total:
                assert time.monotonic() < deadline, (len(engine.calls), _events(database))
                time.sleep(0.1)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            for adapter in adapters:
                adapter.close()
    with database.session() as session:
        senders = {
            c.engine_sender_id: c.channel_user_id for c in session.scalars(select(Conversation))
        }
    received: dict[str, list[str]] = defaultdict(list)
    for sender, message in engine.calls:
        received[senders[sender]].append(message)
    assert received == sent  # every message once, each chat in the order it was written
    answers = _answers(database)
    assert len(answers) == chats * per_chat
    assert all(len(replies) == 1 for replies in answers.values()), answers
    delivered: dict[str, list[str]] = defaultdict(list)
    for params in api.sent():
        delivered[str(params["chat_id"])].append(params["text"])
    # every answer once, each chat's answers in the order its messages were written
    assert delivered == {chat: [f"jawaban: {m}" for m in ms] for chat, ms in sent.items()}
    assert all(w.leases.held() == ([], []) for w in workers)


def _queued(db: Database) -> int:
    with db.session() as session:
        return len(
            session.scalars(
                select(InboundEvent.id).where(InboundEvent.status == JobStatus.QUEUED)
            ).all()
        )


def _events(db: Database) -> list[tuple[Any, ...]]:
    with db.session() as session:
        return [
            (e.id, e.status.value, e.attempts, e.last_error, e.next_attempt_at, e.claimed_by)
            for e in session.scalars(select(InboundEvent).where(InboundEvent.status != "done"))
        ]
