"""The teach-the-bot inbox: misses land in it masked, a curator labels them, the export is
Rasa NLU YAML of the labelled examples, and the fallback rate is reported per day."""

from __future__ import annotations

import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.conversation.base import BotReply
from helpdesk.models import Message, Sender
from helpdesk.services.nlu_inbox import annotate, mask
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine

FALLBACK = BotReply("Maaf, saya belum paham.", custom={"fallback": True})


def chat(client: FlaskClient, *texts: str) -> str:
    session_id = client.post("/webchat/sessions", json={}).get_json()["session_id"]
    for text in texts:
        client.post(f"/webchat/sessions/{session_id}/messages", json={"text": text})
    return session_id


def inbox(client: FlaskClient, auth: dict[str, str], status: str = "new") -> list[dict]:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/nlu/inbox?status={status}", headers=auth)
    assert response.status_code == 200
    items: list[dict] = response.get_json()["items"]  # type: ignore[type-arg]
    return items


def test_a_fallback_lands_in_the_inbox_with_personal_data_masked(
    client: FlaskClient, auth: dict[str, str], fake_engine: FakeEngine
) -> None:
    fake_engine.replies = [FALLBACK]
    chat(client, "nama saya Budi Santoso NIK 3201012345678901 hp 0812-3456-7890 mau tanya surat")
    items = inbox(client, auth)
    assert len(items) == 1
    item = items[0]
    assert item["reason"] == "fallback"
    assert "3201012345678901" not in item["text"] and "[NIK]" in item["text"]
    assert "0812" not in item["text"] and "[TELEPON]" in item["text"]
    assert "Budi" not in item["text"] and "[NAMA]" in item["text"]
    assert set(item) >= {"id", "text", "status", "language", "conversation_id"}


def test_understood_messages_stay_out_and_a_second_miss_marks_the_handoff(
    client: FlaskClient, auth: dict[str, str], fake_engine: FakeEngine
) -> None:
    chat(client, "halo")  # the fake engine answers normally
    assert inbox(client, auth) == []
    fake_engine.replies = [FALLBACK]
    chat(client, "blablabla satu", "blablabla dua")
    reasons = {i["text"]: i["reason"] for i in inbox(client, auth)}
    assert reasons == {"blablabla satu": "fallback", "blablabla dua": "handoff_after_miss"}


def test_label_export_round_trip(
    client: FlaskClient, auth: dict[str, str], fake_engine: FakeEngine
) -> None:
    fake_engine.replies = [FALLBACK]
    chat(client, "minta surat kelakuan baik buat ngelamar kerja, hp saya 081234567890")
    chat(client, "cuaca besok gimana")
    first, second = sorted(inbox(client, auth), key=lambda i: i["id"])
    labelled = client.post(
        f"/api/v1/nlu/inbox/{first['id']}/label",
        json={"intent": "ask_requirements", "service": "skck"},
        headers=auth,
    )
    assert labelled.status_code == 200
    assert labelled.get_json()["status"] == "labelled"
    out = client.post(
        f"/api/v1/nlu/inbox/{second['id']}/label", json={"out_of_scope": True}, headers=auth
    )
    assert out.get_json()["status"] == "out_of_scope"
    assert inbox(client, auth) == []
    export = client.get("/api/v1/nlu/export", headers=auth)
    assert export.status_code == 200
    data = yaml.safe_load(export.get_data(as_text=True))
    blocks = {b["intent"]: b["examples"] for b in data["nlu"]}
    assert blocks["out_of_scope"] == "- cuaca besok gimana\n"
    assert "(TELEPON)" in blocks["ask_requirements"]  # brackets are Rasa markup: escaped
    assert "081234567890" not in export.get_data(as_text=True)
    # "surat kelakuan baik" is an alias of skck: annotated with the catalog code.
    entity = '[surat kelakuan baik]{"entity": "service", "value": "skck"}'
    assert entity in blocks["ask_requirements"]


def test_label_checks_intent_and_service(
    client: FlaskClient, auth: dict[str, str], fake_engine: FakeEngine
) -> None:
    fake_engine.replies = [FALLBACK]
    chat(client, "apa ini")
    item_id = inbox(client, auth)[0]["id"]
    url = f"/api/v1/nlu/inbox/{item_id}/label"
    assert client.post(url, json={"intent": "nope"}, headers=auth).status_code == 422
    bad_service = {"intent": "ask_fee", "service": "nope"}
    assert client.post(url, json=bad_service, headers=auth).status_code == 422
    assert client.post("/api/v1/nlu/inbox/999/label", json={}, headers=auth).status_code == 404
    assert client.get("/api/v1/nlu/inbox").status_code == 401


def test_manual_add_and_fallback_rate(
    client: FlaskClient, auth: dict[str, str], fake_engine: FakeEngine
) -> None:
    added = client.post(
        "/api/v1/nlu/inbox",
        json={"text": "botnya tidak ngerti pertanyaan saya", "reason": "survey_complaint"},
        headers=auth,
    )
    assert added.status_code == 201
    fake_engine.replies = [FALLBACK]
    chat(client, "xyz", "halo lagi")
    rate = client.get("/api/v1/nlu/fallback-rate", headers=auth).get_json()
    today = rate["items"][-1]
    assert today["citizen_messages"] == 2 and today["misses"] == 2 and today["rate"] == 1.0
    assert len(rate["items"]) == 30


def test_low_confidence_parses_are_swept_into_the_inbox(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    chat(client, "yang kemarin itu gimana ya", "halo")
    with app.app_context(), database().session() as session:
        low, sure = session.scalars(select(Message).where(Message.sender == Sender.CITIZEN)).all()
        low.intent, low.intent_confidence = "ask_fee", 0.31
        sure.intent, sure.intent_confidence = "greet", 0.98
        session.commit()
    items = inbox(client, auth)
    assert [(i["text"], i["reason"], i["intent"]) for i in items] == [
        ("yang kemarin itu gimana ya", "low_confidence", "ask_fee")
    ]
    assert len(inbox(client, auth)) == 1  # swept once


def test_mask_and_annotate() -> None:
    assert mask("NIK 3201012345678901, wa +62 812-3456-7890, a@b.co") == (
        "NIK [NIK], wa [TELEPON], [EMAIL]"
    )
    assert mask("nama saya: Siti Aminah, mau tanya") == "nama saya: [NAMA], mau tanya"
    assert mask("my name is John Smith") == "my name is [NAMA]"
    catalog = load_catalog(default_catalog_dir())
    assert annotate("syarat E-KTP [hilang]", "ktp_el", catalog) == (
        'syarat [E-KTP]{"entity": "service", "value": "ktp_el"} (hilang)'
    )
    assert annotate("syarat apa saja", "ktp_el", catalog) == "syarat apa saja"
