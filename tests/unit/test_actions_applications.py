"""action_apply_service against the real helpdesk app (in-process) and when it is down."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from flask import Flask
from sqlalchemy import select

from actions.applications import ActionApplyService
from actions.client import HelpdeskClient, set_client_factory
from helpdesk.models import Conversation
from helpdesk.web.extensions import database
from tests.unit.actions_fixtures import make_tracker, run_action, texts

BASE_URL = "http://helpdesk.local"


@pytest.fixture
def wired(app: Flask, api_token: str) -> Iterator[Flask]:
    transport = httpx.WSGITransport(app=app)
    set_client_factory(lambda: HelpdeskClient(BASE_URL, api_token, transport=transport))
    yield app
    set_client_factory(None)


def _conversation_id(app: Flask) -> int:
    web = app.test_client()
    session_id = web.post("/webchat/sessions", json={}).get_json()["session_id"]
    web.post(f"/webchat/sessions/{session_id}/messages", json={"text": "halo"})
    with app.app_context(), database().session() as session:
        found = session.scalar(
            select(Conversation.id).where(Conversation.channel_user_id == session_id)
        )
    assert found is not None
    return found


def test_the_action_opens_the_form_of_the_named_service(wired: Flask) -> None:
    conversation_id = _conversation_id(wired)
    tracker = make_tracker(
        "saya mau mengajukan SKTM",
        "apply_service",
        {"service": "sktm"},
        sender_id=str(conversation_id),
    )
    _, messages = run_action(ActionApplyService(), tracker)
    assert "Surat Keterangan Tidak Mampu" in texts(messages)
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["setuju", "batal"]
    with wired.app_context(), database().session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.journey is not None
        assert conversation.journey["kind"] == "application"
        assert conversation.journey["service"] == "sktm"


def test_without_a_service_it_asks_which_one_from_the_slot_or_the_list(wired: Flask) -> None:
    conversation_id = _conversation_id(wired)
    tracker = make_tracker(
        "mau daftar online",
        "apply_service",
        slots={"service": None},
        sender_id=str(conversation_id),
    )
    _, messages = run_action(ActionApplyService(), tracker)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert {"sktm", "surat_domisili", "kartu_kuning"} <= set(payloads)
    earlier = make_tracker(
        "saya mau mengajukan",
        "apply_service",
        slots={"service": "kartu_kuning"},
        sender_id=str(conversation_id),
    )
    _, messages = run_action(ActionApplyService(), earlier)
    assert "Kartu Kuning" in texts(messages)


def test_when_the_helpdesk_is_down_the_citizen_is_told(app: Flask) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    set_client_factory(lambda: HelpdeskClient(BASE_URL, "t", transport=httpx.MockTransport(refuse)))
    try:
        tracker = make_tracker(
            "I want to apply for kartu kuning", "apply_service", slots={"language": "en"}
        )
        _, messages = run_action(ActionApplyService(), tracker)
    finally:
        set_client_factory(None)
    assert "cannot be opened right now" in texts(messages)
