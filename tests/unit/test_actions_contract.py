"""Contract tests: the actions' client and actions against the real helpdesk app.

The Flask app runs in-process behind `httpx.WSGITransport` (no server, no network), with
the `app` and `api_token` fixtures of `tests/conftest.py` and the real seed catalog.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from flask import Flask
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.catalog import ActionServiceInfo
from actions.client import HelpdeskClient, HelpdeskUnavailable, set_client_factory
from actions.formatting import ASK_INTENTS, format_service_answer
from actions.handoff import ActionFileComplaint
from actions.language import ActionChangeLanguage
from actions.status import ActionCheckStatus
from helpdesk.models import Conversation
from helpdesk.web.extensions import database
from tests.unit.actions_fixtures import make_tracker, run_action, texts

BASE_URL = "http://helpdesk.local"


@pytest.fixture
def live(app: Flask, api_token: str) -> Iterator[HelpdeskClient]:
    """The client wired to the in-process app."""
    transport = httpx.WSGITransport(app=app)
    with HelpdeskClient(BASE_URL, api_token, transport=transport) as client:
        yield client


def _conversation_id(app: Flask) -> int:
    """A web-chat conversation with one citizen message; its id is the Rasa sender id."""
    web = app.test_client()
    session_id = web.post("/webchat/sessions", json={}).get_json()["session_id"]
    web.post(f"/webchat/sessions/{session_id}/messages", json={"text": "halo"})
    with app.app_context(), database().session() as session:
        found = session.scalar(
            select(Conversation.id).where(Conversation.channel_user_id == session_id)
        )
    assert found is not None
    return found


def test_contract_catalog(live: HelpdeskClient) -> None:
    catalog = live.list_services()
    assert catalog.region
    assert "ktp_el" in [item["code"] for item in catalog.items]
    service = live.get_service("ktp_el")
    assert service is not None and service["code"] == "ktp_el"
    for intent in ASK_INTENTS:
        text = format_service_answer(intent, service)
        assert "KTP" in text and "None" not in text
    assert live.get_service("tidak_ada") is None


def test_contract_request_status(app: Flask, api_token: str, live: HelpdeskClient) -> None:
    number = _create_request(app, api_token)
    request = live.get_request(number)
    assert request is not None
    assert (request.tracking_number, request.status) == (number, "submitted")
    assert [change.status for change in request.history] == ["submitted"]
    assert live.get_request("KTP-1999-999999") is None


def test_contract_handoff(app: Flask, live: HelpdeskClient) -> None:
    conversation_id = _conversation_id(app)
    result = live.handoff(str(conversation_id), "complaint", "Antrean terlalu lama")
    assert result is not None
    assert (result.status, result.queue_position) == ("pending", 1)
    assert live.handoff("999999", "citizen_request") is None
    assert live.handoff("default", "citizen_request") is None  # e.g. `rasa shell`


def test_contract_bad_token_is_unavailable(app: Flask) -> None:
    transport = httpx.WSGITransport(app=app)
    with HelpdeskClient(BASE_URL, "wrong", transport=transport) as client:
        with pytest.raises(HelpdeskUnavailable) as caught:
            client.list_services()
    assert caught.value.status_code == 401


def _create_request(app: Flask, api_token: str) -> str:
    """A new KTP request; its tracking number."""
    new = {"service": "ktp_el", "applicant_name": "Budi", "nik": "3201010101900001"}
    created = app.test_client().post(
        "/api/v1/requests", json=new, headers={"Authorization": f"Bearer {api_token}"}
    )
    assert created.status_code == 201
    number: str = created.get_json()["tracking_number"]
    return number


@pytest.fixture
def wired(app: Flask, api_token: str) -> Iterator[Flask]:
    """Make the actions' `get_client()` talk to the in-process app."""
    transport = httpx.WSGITransport(app=app)
    set_client_factory(lambda: HelpdeskClient(BASE_URL, api_token, transport=transport))
    yield app
    set_client_factory(None)


def test_action_check_status_end_to_end(wired: Flask, api_token: str) -> None:
    number = _create_request(wired, api_token)
    typed = number.lower().replace("-", " ")
    events, messages = run_action(ActionCheckStatus(), make_tracker(typed, "check_status"))
    assert events == [SlotSet("tracking_number", number)]
    assert "Status: Diterima" in texts(messages)
    assert "Budi" not in texts(messages) and "3201010101900001" not in texts(messages)


def test_action_file_complaint_end_to_end(wired: Flask) -> None:
    conversation_id = _conversation_id(wired)
    text = "Petugas loket meminta uang tambahan di kantor kecamatan kemarin pagi"
    tracker = make_tracker(text, "file_complaint", sender_id=str(conversation_id))
    _, messages = run_action(ActionFileComplaint(), tracker)
    assert texts(messages).startswith("Baik, saya bantu mencatat laporan Anda")
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "pengaduan",
        "aspirasi",
        "permintaan_informasi",
    ]
    with wired.app_context(), database().session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        assert conversation.status.value == "bot"  # no handoff: the form runs in the helpdesk
        assert conversation.journey is not None and conversation.journey["step"] == "category"


@pytest.mark.parametrize("language", ["id", "jv", "su", "en"])
def test_contract_catalog_in_every_language(live: HelpdeskClient, language: str) -> None:
    catalog = live.list_services(language)
    assert catalog.language == language
    assert [item["code"] for item in catalog.items][:2] == ["ktp_el", "kartu_keluarga"]
    service = live.get_service("skck", language)
    assert service is not None and service["language"] == language
    for intent in ASK_INTENTS:
        text = format_service_answer(intent, service, language)
        assert "SKCK" in text and "None" not in text
    assert "Rp30.000" in format_service_answer("ask_fee", service, language)
    assert live.get_service("tidak_ada", language) is None


def test_contract_unsupported_catalog_language_is_unavailable(live: HelpdeskClient) -> None:
    with pytest.raises(HelpdeskUnavailable) as caught:
        live.get_service("skck", "fr")
    assert (caught.value.status_code, caught.value.error_code) == (422, "unsupported_language")


def test_contract_set_language(app: Flask, live: HelpdeskClient) -> None:
    conversation_id = _conversation_id(app)
    assert live.set_language(str(conversation_id), "su") is True
    with app.app_context(), database().session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        assert (conversation.language, conversation.language_explicit) == ("su", True)
    assert live.set_language("999999", "jv") is False
    assert live.set_language("default", "jv") is False  # e.g. `rasa shell`
    with pytest.raises(HelpdeskUnavailable) as caught:
        live.set_language(str(conversation_id), "fr")
    assert caught.value.status_code == 422


def test_action_change_language_end_to_end(wired: Flask) -> None:
    conversation_id = _conversation_id(wired)
    tracker = make_tracker(
        "pakai bahasa Jawa", "change_language", {"language": "jv"}, sender_id=str(conversation_id)
    )
    events, messages = run_action(ActionChangeLanguage(), tracker)
    assert events == [SlotSet("language", "jv")]
    assert "Basa Jawa" in texts(messages)
    with wired.app_context(), database().session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None and conversation.language == "jv"


def test_action_service_info_in_english_end_to_end(wired: Flask) -> None:
    slots = {"language": "en"}
    tracker = make_tracker("passport fee", "ask_fee", {"service": "paspor"}, slots)
    events, (answer,) = run_action(ActionServiceInfo(), tracker)
    assert events == [SlotSet("service", "paspor"), SlotSet("question", "ask_fee")]
    assert answer["text"].startswith("Fee for the Passport (Standard and Electronic):")
    assert "Rp350.000" in answer["text"] and "PP 45/2024" in answer["text"]
    assert "\n\nIs there anything else" in answer["text"]
