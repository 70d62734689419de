"""Webhook bodies after the second review (issue 21): a deeply nested JSON body is a 400 on
every JSON endpoint (item 8); a WhatsApp or Telegram delivery replayed after an erasure, or
older than WEBHOOK_MAX_AGE_HOURS, is not stored again (item 7)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from channels.whatsapp.adapter import WhatsAppAdapter
from channels.whatsapp.signature import sign
from helpdesk.infra.jobs import PollingSignal
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, Conversation, InboundEvent, Message
from helpdesk.runtime.app import create_app
from helpdesk.runtime.worker import Worker
from helpdesk.services import privacy
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
APP_SECRET = "f2d6e0c3b1a94e57a1d3c9b8e7f6a5d4"
TG_TOKEN = "123456:test-token"
TG_SECRET = "tg-secret-token-0123456789"
TG_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}


@pytest.fixture
def hooks(database_url: str, fake_engine: FakeEngine) -> Iterator[Flask]:
    """The whole app with WhatsApp and Telegram configured."""
    settings = make_settings(
        database_url,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token="verify",
        whatsapp_access_token="EAAG-test",
        whatsapp_phone_number_id="106540352242922",
        telegram_bot_token=TG_TOKEN,
        telegram_webhook_secret=TG_SECRET,
    )
    application = create_app(settings, bot_engine=fake_engine)
    with application.app_context():
        upgrade(database().engine)
    yield application
    with application.app_context():
        database().dispose()


def _signed(client: FlaskClient, raw: bytes) -> Any:
    headers = {"X-Hub-Signature-256": sign(APP_SECRET, raw), "Content-Type": "application/json"}
    return client.post("/webhooks/whatsapp", data=raw, headers=headers)


def _nested(depth: int) -> bytes:
    return b'{"object":"whatsapp_business_account","entry":' + b"[" * depth + b"]" * depth + b"}"


# --- item 8: nesting ---------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_bodies_are_a_400(hooks: Flask, depth: int) -> None:
    client = hooks.test_client()
    assert _signed(client, _nested(depth)).status_code == 400
    telegram = b'{"update_id": 5, "x": ' + b"[" * depth + b"]" * depth + b"}"
    response = client.post(
        "/webhooks/telegram",
        data=telegram,
        headers={**TG_HEADERS, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    session_id = client.post("/webchat/sessions", json={"language": "id"}).get_json()["session_id"]
    chat = client.post(
        f"/webchat/sessions/{session_id}/messages",
        data=b'{"text": "halo", "x": ' + b"[" * depth + b"]" * depth + b"}",
        headers={"Content-Type": "application/json"},
    )
    malformed = client.post(
        f"/webchat/sessions/{session_id}/messages",
        data=b'{"text": "halo"',
        headers={"Content-Type": "application/json"},
    )
    assert chat.status_code == malformed.status_code == 422  # the web chat's malformed body
    with hooks.app_context(), database().session() as session:
        assert session.scalars(select(InboundEvent)).all() == []


def test_ordinary_nesting_still_passes(hooks: Flask) -> None:
    client = hooks.test_client()
    body = _whatsapp_body("wamid.ordinary", "halo", int(time.time()))
    assert _signed(client, json.dumps(body).encode()).status_code == 200


# --- item 7: replays after erasure, stale deliveries --------------------------------------


def _whatsapp_body(wamid: str, text: str, timestamp: int) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / "whatsapp" / "text.json").read_text())
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["id"], message["text"]["body"], message["timestamp"] = wamid, text, str(timestamp)
    return body


def _worker(app: Flask) -> Worker:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": {"message": "down"}})

    adapter = WhatsAppAdapter("EAAG-test", "106540352242922", transport=httpx.MockTransport(refuse))
    with app.app_context():
        return Worker(
            database(), app.extensions["router"], {Channel.WHATSAPP: adapter}, PollingSignal()
        )


def _texts(app: Flask) -> list[str]:
    with app.app_context(), database().session() as session:
        return list(session.scalars(select(Message.text).order_by(Message.id)))


def test_a_whatsapp_delivery_replayed_after_erasure_stays_erased(
    hooks: Flask, tmp_path: Path
) -> None:
    client = hooks.test_client()
    raw = json.dumps(
        _whatsapp_body("wamid.erased1", "NIK saya 3201010101900001", int(time.time()))
    ).encode()
    assert _signed(client, raw).get_json()["stored"] == 1
    _worker(hooks).run_once()
    assert "NIK saya 3201010101900001" in _texts(hooks)
    with hooks.app_context(), database().session() as session:
        conversation = session.scalar(select(Conversation))
        assert conversation is not None
        privacy.erase_conversation(session, conversation, tmp_path, None)
        session.commit()
    assert "NIK saya 3201010101900001" not in _texts(hooks)
    replay = _signed(client, raw)
    assert replay.status_code == 200 and replay.get_json()["stored"] == 0
    _worker(hooks).run_once()
    assert "NIK saya 3201010101900001" not in _texts(hooks)
    with hooks.app_context(), database().session() as session:
        [tombstone] = session.scalars(select(InboundEvent)).all()
        assert tombstone.external_id == "wamid.erased1"
        assert tombstone.payload == {}  # the id stays, the content does not


def test_a_stale_whatsapp_delivery_is_acknowledged_not_stored(hooks: Flask) -> None:
    client = hooks.test_client()
    old = int(time.time()) - 8 * 24 * 3600  # WEBHOOK_MAX_AGE_HOURS=168
    stale = _signed(client, json.dumps(_whatsapp_body("wamid.old", "halo", old)).encode())
    assert stale.status_code == 200 and stale.get_json()["stored"] == 0
    recent = int(time.time()) - 3600
    fresh = _signed(client, json.dumps(_whatsapp_body("wamid.new", "halo", recent)).encode())
    assert fresh.get_json()["stored"] == 1


def _telegram_update(update_id: int, date: int) -> dict[str, Any]:
    update: dict[str, Any] = json.loads((FIXTURES / "telegram" / "text.json").read_text())
    update["update_id"], update["message"]["date"] = update_id, date
    return update


def test_a_stale_or_erased_telegram_update_is_not_stored_again(
    hooks: Flask, tmp_path: Path
) -> None:
    client = hooks.test_client()
    old = _telegram_update(901, int(time.time()) - 8 * 24 * 3600)
    assert client.post("/webhooks/telegram", json=old, headers=TG_HEADERS).status_code == 200
    fresh = _telegram_update(902, int(time.time()))
    assert client.post("/webhooks/telegram", json=fresh, headers=TG_HEADERS).status_code == 200
    with hooks.app_context(), database().session() as session:
        assert [e.external_id for e in session.scalars(select(InboundEvent))] == ["902"]
        conversation = convs_for(session, str(fresh["message"]["chat"]["id"]))
        privacy.erase_conversation(session, conversation, tmp_path, None)
        session.commit()
    client.post("/webhooks/telegram", json=fresh, headers=TG_HEADERS)
    with hooks.app_context(), database().session() as session:
        [event] = session.scalars(select(InboundEvent)).all()
        assert event.payload == {}


def convs_for(session: Any, chat_id: str) -> Conversation:
    from helpdesk.services import conversations as convs

    conversation = convs.get_or_create(session, Channel.TELEGRAM, chat_id)
    session.flush()
    return conversation


def test_purge_keeps_delivery_ids_for_the_age_window(
    hooks: Flask, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`helpdesk purge --inbound-days 1` keeps the ids WEBHOOK_MAX_AGE_HOURS (7 days) needs:
    a 3-day-old delivery id still refuses its replay."""
    from datetime import timedelta

    from helpdesk.models import JobStatus, utcnow
    from helpdesk.runtime.cli import main as cli_main

    with hooks.app_context(), database().session() as session:
        session.add(
            InboundEvent(
                channel=Channel.WHATSAPP,
                external_id="wamid.three-days",
                payload={},
                status=JobStatus.DONE,
                created_at=utcnow() - timedelta(days=3),
            )
        )
        session.commit()
        url = str(database().engine.url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("WEBHOOK_MAX_AGE_HOURS", "168")
    assert cli_main(["purge", "--inbound-days", "1", "--tracker-db", "/nonexistent.db"]) == 0
    assert "older than 7 days" in capsys.readouterr().out
    with hooks.app_context(), database().session() as session:
        assert [e.external_id for e in session.scalars(select(InboundEvent))] == [
            "wamid.three-days"
        ]
