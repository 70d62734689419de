"""The scaled-out path: helpdesk on PostgreSQL, workers woken through Redis, two workers.

Telegram updates arrive through the webhook; two worker processes share the jobs
(leases + SKIP LOCKED) and each reply must reach the fake Telegram API exactly once.
PostgreSQL and Redis come from TEST_POSTGRES_URL / TEST_REDIS_URL (CI sets the first;
Redis defaults to localhost); without them the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from helpdesk.runtime.stack import Stack
from tests.fakes.telegram_api import FakeBotApi, serve, text_update
from tests.stackutil import running_stack, unavailable

pytestmark = pytest.mark.e2e

TOKEN = "7012345678:AAF-scaled-token"
SECRET = "scaled-webhook-secret"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A throw-away schema in the test PostgreSQL, as a URL with its search_path."""
    base = os.environ.get("TEST_POSTGRES_URL", "")
    if not base.startswith("postgresql"):
        unavailable("no PostgreSQL configured (TEST_POSTGRES_URL)")
    schema = f"hw_e2e_{uuid.uuid4().hex[:8]}"
    admin: Engine = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        unavailable(f"PostgreSQL unreachable ({exc.orig})")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def fake_api() -> Iterator[tuple[FakeBotApi, str]]:
    """The fake Telegram Bot API and its base URL."""
    api = FakeBotApi()
    with serve(api) as url:
        yield api, url


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str,
    fake_api: tuple[FakeBotApi, str],
) -> Iterator[Stack]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis unreachable at {REDIS_URL} ({exc})")
    env = {
        "REDIS_URL": REDIS_URL,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake_api[1],
    }
    with running_stack(
        tmp_path_factory.mktemp("scaled"), env=env, database_url=postgres_url, workers=2
    ) as running:
        yield running


def test_two_workers_on_postgres_and_redis_answer_each_message_once(
    stack: Stack, fake_api: tuple[FakeBotApi, str], postgres_url: str
) -> None:
    questions = ["cek status KTP-2026-000001", "berapa biaya SKCK", "halo"]
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    with httpx.Client(base_url=stack.config.helpdesk_url, timeout=30) as web:
        for n in range(12):
            body = text_update(800_000 + n, 6_100_000 + n, questions[n % len(questions)])
            assert web.post("/webhooks/telegram", json=body, headers=headers).status_code == 200
    engine = create_engine(postgres_url)
    try:
        deadline = time.monotonic() + 180
        while True:
            with engine.connect() as connection:
                queued = connection.execute(
                    text(
                        "SELECT (SELECT COUNT(*) FROM outbox WHERE status = 'queued') + "
                        "(SELECT COUNT(*) FROM inbound_events WHERE status = 'queued')"
                    )
                ).scalar_one()
                events = connection.execute(
                    text("SELECT COUNT(*) FROM inbound_events")
                ).scalar_one()
            if events == 12 and queued == 0:
                break
            assert time.monotonic() < deadline, "the workers did not finish in time"
            time.sleep(0.5)
        with engine.connect() as connection:
            bot_messages = connection.execute(
                text("SELECT COUNT(*) FROM messages WHERE sender = 'bot'")
            ).scalar_one()
            done = connection.execute(
                text("SELECT COUNT(*) FROM outbox WHERE status = 'done'")
            ).scalar_one()
    finally:
        engine.dispose()
    sent = fake_api[0].sent()
    assert bot_messages >= 12
    assert done == bot_messages == len(sent)  # every reply sent once, none twice
    assert len({(p["chat_id"], p["text"]) for p in sent}) == len(sent)
    assert any("KTP-2026-000001" in p["text"] for p in sent)
    logs = [stack.log_tail(name, 400) for name in stack.worker_names()]
    assert all("Traceback" not in log for log in logs), logs
