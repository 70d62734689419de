"""The worker: stored deliveries processed once, outbox retried with backoff, statuses applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from channels.adapters import DeliveryError, OutgoingMessage, StatusUpdate
from helpdesk.conversation.base import BotReply, InboundMessage
from helpdesk.infra.jobs import PollingSignal
from helpdesk.models import (
    Channel,
    Conversation,
    InboundEvent,
    JobStatus,
    Message,
    OutboxItem,
    Sender,
    utcnow,
)
from helpdesk.runtime.worker import Worker
from helpdesk.services.inbox import store_inbound_event
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine


@dataclass
class FakeAdapter:
    """A channel whose API fails `failures` times, then accepts; records what was sent."""

    channel: Channel = Channel.TELEGRAM
    failures: int = 0
    retryable: bool = True
    sent: list[tuple[str, OutgoingMessage]] = field(default_factory=list)
    attempts: int = 0

    def parse_event(self, payload: dict[str, Any]) -> list[InboundMessage] | StatusUpdate | None:
        """Payloads here are already simple: {"chat": ..., "text": ..., "id": ...} or a status."""
        if "status" in payload:
            return StatusUpdate(payload["message_id"], payload["status"], None)
        return [
            InboundMessage(
                channel=self.channel,
                channel_user_id=str(payload["chat"]),
                text=payload["text"],
                client_message_id=f"tg:{payload['id']}",
            )
        ]

    def send(self, recipient: str, message: OutgoingMessage) -> str:
        """Fail as configured, then accept."""
        self.attempts += 1
        if self.attempts <= self.failures:
            raise DeliveryError("HTTP 500 from the cloud API", retryable=self.retryable)
        self.sent.append((recipient, message))
        return f"provider-{len(self.sent)}"


@pytest.fixture
def adapter() -> FakeAdapter:
    return FakeAdapter()


@pytest.fixture
def worker(app: Flask, adapter: FakeAdapter) -> Worker:
    with app.app_context():
        return Worker(
            database(), app.extensions["router"], {Channel.TELEGRAM: adapter}, PollingSignal()
        )


def store(app: Flask, external_id: str, payload: dict[str, Any]) -> bool:
    with app.app_context(), database().session() as session:
        return store_inbound_event(session, Channel.TELEGRAM, external_id, payload) is not None


def make_due(app: Flask) -> None:
    """Skip the backoff wait."""
    with app.app_context(), database().session() as session:
        for model in (InboundEvent, OutboxItem):
            for job in session.scalars(select(model)):
                job.next_attempt_at = utcnow() - timedelta(seconds=1)
        session.commit()


def rows(app: Flask, model: type[Any]) -> list[Any]:
    with app.app_context(), database().session() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def test_a_delivery_is_processed_once_and_the_reply_delivered(
    app: Flask, worker: Worker, adapter: FakeAdapter, fake_engine: FakeEngine
) -> None:
    fake_engine.replies = [
        BotReply(
            "Halo! Ada yang bisa dibantu?",
            [{"title": "Daftar layanan", "payload": "/list_services"}],
        )
    ]
    assert store(app, "1001", {"chat": 42, "text": "halo", "id": 1001})
    assert not store(app, "1001", {"chat": 42, "text": "halo", "id": 1001})  # repeated delivery
    assert worker.run_once() == 1  # the inbound event
    assert worker.run_once() == 1  # the reply in the outbox
    assert worker.run_once() == 0
    assert [(r, m.text) for r, m in adapter.sent] == [("42", "Halo! Ada yang bisa dibantu?")]
    assert adapter.sent[0][1].buttons == [{"title": "Daftar layanan", "payload": "/list_services"}]
    assert len(fake_engine.calls) == 1
    messages = rows(app, Message)
    assert [(m.sender, m.delivery_status) for m in messages] == [
        (Sender.CITIZEN, None),
        (Sender.BOT, "sent"),
    ]
    assert [e.status for e in rows(app, InboundEvent)] == [JobStatus.DONE]


def test_channel_api_500_then_recovery_retries_with_backoff(
    app: Flask, worker: Worker, adapter: FakeAdapter
) -> None:
    adapter.failures = 2
    store(app, "2001", {"chat": 7, "text": "halo", "id": 2001})
    worker.run_once()
    worker.run_once()  # attempt 1 fails
    item = rows(app, OutboxItem)[0]
    assert (item.status, item.attempts) == (JobStatus.QUEUED, 1)
    assert item.next_attempt_at > utcnow()
    assert worker.run_once() == 0  # not due yet: backoff
    make_due(app)
    worker.run_once()  # attempt 2 fails
    make_due(app)
    worker.run_once()  # attempt 3 succeeds
    item = rows(app, OutboxItem)[0]
    assert (item.status, item.attempts, item.provider_message_id) == (
        JobStatus.DONE,
        2,
        "provider-1",
    )
    assert len(adapter.sent) == 1


def test_permanent_failure_is_marked_failed_not_retried(
    app: Flask, worker: Worker, adapter: FakeAdapter
) -> None:
    adapter.failures, adapter.retryable = 1, False
    store(app, "3001", {"chat": 9, "text": "halo", "id": 3001})
    worker.run_once()
    worker.run_once()
    make_due(app)
    assert worker.run_once() == 0
    assert rows(app, OutboxItem)[0].status == JobStatus.FAILED
    assert rows(app, Message)[-1].delivery_status == "failed"


def test_status_callbacks_move_delivery_status_forward_only(app: Flask, worker: Worker) -> None:
    store(app, "4001", {"chat": 5, "text": "halo", "id": 4001})
    worker.run_once()
    worker.run_once()
    for n, status in enumerate(["read", "delivered"]):
        store(app, f"status-{n}", {"message_id": "provider-1", "status": status})
        worker.run_once()
    assert rows(app, Message)[-1].delivery_status == "read"


def test_agent_reply_on_a_push_channel_goes_through_the_outbox(
    app: Flask, worker: Worker, adapter: FakeAdapter, client: Any, auth: dict[str, str]
) -> None:
    store(app, "5001", {"chat": 11, "text": "halo", "id": 5001})
    worker.run_once()
    worker.run_once()
    with app.app_context(), database().session() as session:
        conversation_id = session.scalar(select(Conversation.id))
    client.post(
        f"/api/v1/conversations/{conversation_id}/handoff",
        json={"reason": "citizen_request"},
        headers=auth,
    )
    reply = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "Halo, saya petugas."},
        headers=auth,
    )
    assert reply.get_json()["delivery_status"] == "queued"
    worker.run_once()
    assert adapter.sent[-1] == ("11", adapter.sent[-1][1])
    assert adapter.sent[-1][1].text == "Halo, saya petugas."


def test_unconfigured_channel_keeps_the_event_for_later(
    app: Flask, fake_engine: FakeEngine
) -> None:
    with app.app_context():
        bare = Worker(database(), app.extensions["router"], {}, PollingSignal())
    store(app, "6001", {"chat": 1, "text": "halo", "id": 6001})
    bare.run_once()
    event = rows(app, InboundEvent)[0]
    assert (event.status, event.attempts) == (JobStatus.QUEUED, 1)
    assert "not configured" in (event.last_error or "")
    assert fake_engine.calls == []


def test_worker_runs_its_maintenance_at_most_every_few_seconds(app: Flask) -> None:
    calls: list[object] = []
    with app.app_context():
        periodic = Worker(
            database(),
            app.extensions["router"],
            {},
            PollingSignal(),
            maintenance=calls.append,
            maintenance_seconds=60,
        )
        periodic.run_maintenance()
        periodic.run_maintenance()
    assert len(calls) == 1  # the second pass came too soon
