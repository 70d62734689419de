"""Citizen journeys in the helpdesk (engine faked): the complaint form, the safe status
lookup, updates and opting out, data-subject requests, uploads, consent and help pages."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from helpdesk.conversation.base import BotReply
from helpdesk.infra.migrate import upgrade
from helpdesk.journeys.engine import parse_when
from helpdesk.models import (
    Channel,
    Complaint,
    Conversation,
    Message,
    OutboxItem,
    Subscription,
)
from helpdesk.runtime.app import create_app
from helpdesk.services import conversations as convs
from helpdesk.services import notifications
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings

NIK = "3201019876540042"
PHONE = "081298765432"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def bot_auth(app: Flask) -> dict[str, str]:
    """A bot-scoped token, as the action server has."""
    with app.app_context(), database().session() as session:
        token = create_token(session, "actions", "bot")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


class Chat:
    """A web-chat citizen; `complaint` words make the fake engine open the form, as the
    real engine's action does."""

    def __init__(
        self, client: FlaskClient, engine: FakeEngine, bot_auth: dict[str, str], language: str
    ) -> None:
        self.client = client
        response = client.post("/webchat/sessions", json={"language": language, "explicit": True})
        self.session_id: str = response.get_json()["session_id"]
        self.sender_id = ""  # what the engine (and so the action server) calls this chat

        def on_call(sender_id: str, text: str) -> None:
            self.sender_id = sender_id
            if "adu" in text or "ngadu" in text:
                opened = client.post(
                    f"/api/v1/conversations/{sender_id}/complaint-form", headers=bot_auth
                )
                assert opened.status_code == 200
                engine.replies = [
                    BotReply(m["text"], m["buttons"]) for m in opened.get_json()["messages"]
                ]
            else:
                engine.replies = [BotReply("Halo dari bot")]

        engine.on_call = on_call

    @property
    def conversation_id(self) -> int:
        """The conversation's row id (what staff see)."""
        with self.client.application.app_context(), database().session() as session:
            found = session.scalar(
                select(Conversation.id).where(Conversation.channel_user_id == self.session_id)
            )
        assert found is not None
        return int(found)

    def say(self, text: str, payload: str | None = None) -> str:
        body: dict[str, Any] = {"text": text}
        if payload:
            body["payload"] = payload
        response = self.client.post(f"/webchat/sessions/{self.session_id}/messages", json=body)
        assert response.status_code == 200, response.get_json()
        return "\n".join(m["text"] for m in response.get_json()["messages"])

    def history(self) -> list[dict[str, Any]]:
        response = self.client.get(f"/webchat/sessions/{self.session_id}/messages?after=0")
        messages: list[dict[str, Any]] = response.get_json()["messages"]
        return messages

    def upload(self, data: bytes, name: str) -> Any:
        import io

        from werkzeug.datastructures import FileStorage
        from werkzeug.test import encode_multipart

        # Encoded here (in memory): werkzeug's builder would spool a big body to a temporary
        # file the test client never closes.
        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
        return self.client.post(
            f"/webchat/sessions/{self.session_id}/attachments",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )


def count(app: Flask, model: type[Any]) -> int:
    with app.app_context(), database().session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def number_in(text: str) -> str:
    match = re.search(r"\b(ADU|ASP|INF)-\d{4}-\d{6}\b", text)
    assert match, text
    return match.group()


# --- the complaint form -------------------------------------------------------------------


def test_complaint_form_with_validation_summary_and_tracking_number(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    auth: dict[str, str],
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    assert "termasuk jenis apa" in chat.say("saya mau mengadu")
    assert "pilih salah satu jenis" in chat.say("hmm")  # validation re-prompts
    assert "Ceritakan apa yang terjadi" in chat.say("Pengaduan", payload="pengaduan")
    assert "terlalu singkat" in chat.say("jalan rusak")
    described = "Jalan berlubang besar di depan SD Negeri 3, sudah dua bulan tidak diperbaiki"
    assert "Di mana" in chat.say(described)
    assert "Kapan" in chat.say("Jl. Merdeka, Kelurahan Sukamaju")
    assert "masa depan" in chat.say("31/12/2099")
    assert "foto" in chat.say("kemarin").lower()
    assert "Silakan kirim fotonya" in chat.say("nanti")
    assert "ditangani" in chat.say("lewati")
    assert "NIK Anda" in chat.say("Rahasia", payload="rahasia")
    assert "16 digit" in chat.say("1234")
    summary = chat.say(NIK)
    for part in ("Pengaduan", described, "Jl. Merdeka", "Rahasia", "disembunyikan"):
        assert part in summary, part
    assert NIK not in summary
    assert fake_engine.calls and len(fake_engine.calls) == 1  # the form never reached the engine
    filed = chat.say("ya")
    number = number_in(filed)
    assert f"cek status {number}" in filed and "umum" in filed
    staff = client.get(f"/api/v1/complaints/{number}", headers=auth).get_json()
    assert staff["status"] == "received" and staff["unit"] == "umum"
    assert staff["confidential"] and not staff["anonymous"]
    assert staff["nik_masked"] == NIK[:4] + "********" + NIK[-4:]
    assert staff["description"] == described
    assert staff["conversation_id"] == chat.conversation_id
    bot_view = client.get(f"/api/v1/requests/{number.lower()}", headers=bot_auth).get_json()
    assert bot_view["status"] == "received" and "description" not in bot_view
    assert "nik_masked" not in bot_view


def test_anonymous_complaint_hides_the_identity_from_agents(
    client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str], auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "jv")
    assert "jinis punapa" in chat.say("kula badhe ngadu")
    assert "kacariyosaken" in chat.say("2")
    chat.say("Lampu margi ing prapatan desa pejah sampun sewulan, peteng sanget")
    chat.say("Prapatan Desa Sukamaju")
    chat.say("wingi dalu")
    chat.say("langkungi")
    chat.say("Anonim", payload="anonim")
    summary = chat.say("langkungi")
    assert "Ringkesan laporan" in summary and "Aspirasi" in summary
    filed = chat.say("inggih")
    number = number_in(filed)
    assert number.startswith("ASP-") and "sampun katampi" in filed
    staff = client.get(f"/api/v1/complaints/{number}", headers=auth).get_json()
    assert staff["anonymous"] and staff["confidential"]
    assert staff["conversation_id"] is None and staff["nik_masked"] is None


def test_the_form_can_be_stopped_half_way(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say("saya mau mengadu")
    chat.say("1")
    chat.say("Petugas meminta uang tambahan di loket pelayanan KTP")
    assert "dibatalkan" in chat.say("batal")
    assert count(app, Complaint) == 0
    calls = len(fake_engine.calls)
    assert chat.say("Di kantor kecamatan") == "Halo dari bot"  # the engine answers again
    assert len(fake_engine.calls) == calls + 1


def test_complaint_status_changes_reach_the_citizen_in_their_language(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    auth: dict[str, str],
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "jv")
    chat.say("kula badhe ngadu")
    for answer in (
        "3",
        "Kula nyuwun informasi jadwal pelayanan KTP keliling",
        "Kecamatan Sukamaju",
        "dinten punika",
        "langkungi",
        "publik",
        "langkungi",
    ):
        chat.say(answer)
    number = number_in(chat.say("inggih"))
    moved = client.post(
        f"/api/v1/complaints/{number}/status",
        json={"status": "verified", "note": "Sampun dipunpriksa"},
        headers=auth,
    )
    assert moved.status_code == 200
    assert "Kabar enggal" in chat.history()[-1]["text"]
    assert "Sampun dipunverifikasi" in chat.history()[-1]["text"]
    wrong = client.post(
        f"/api/v1/complaints/{number}/status", json={"status": "finished"}, headers=auth
    )
    assert wrong.status_code == 409 and wrong.get_json()["error"]["code"] == "invalid_transition"


def test_numbers_are_not_sequential(client: FlaskClient, auth: dict[str, str]) -> None:
    serials = []
    for n in range(6):
        created = client.post(
            "/api/v1/requests",
            json={"service": "ktp_el", "applicant_name": f"Warga {n}", "nik": NIK},
            headers=auth,
        )
        serials.append(int(created.get_json()["tracking_number"][-6:]))
    steps = {b - a for a, b in zip(serials, serials[1:], strict=False)}
    assert steps != {1}
    assert len(set(serials)) == len(serials)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hari ini", "2026-11-20 (hari ini)"),
        ("kemarin sore", "2026-11-19 (kemarin sore)"),
        ("3 hari lalu", "2026-11-17 (3 hari lalu)"),
        ("18/11/2026", "2026-11-18 (18/11/2026)"),
        ("2026-11-01", "2026-11-01"),
        ("minggu lalu", "minggu lalu"),
        ("21/11/2026", None),
        ("31/02/2026", None),
        ("blablabla", None),
    ],
)
def test_when_is_parsed_or_refused(typed: str, expected: str | None) -> None:
    assert parse_when(typed, date(2026, 11, 20)) == expected


# --- the safe status lookup and updates -------------------------------------------------------


def _request(client: FlaskClient, auth: dict[str, str]) -> str:
    created = client.post(
        "/api/v1/requests",
        json={
            "service": "ktp_el",
            "applicant_name": "Sri Rahayu",
            "nik": NIK,
            "phone": PHONE,
            "note": "Berkas diterima di loket 2.",
        },
        headers=auth,
    )
    number: str = created.get_json()["tracking_number"]
    return number


def _arm(client: FlaskClient, chat: Chat, number: str, bot_auth: dict[str, str]) -> str:
    response = client.post(
        f"/api/v1/conversations/{chat.sender_id}/status-lookup",
        json={"tracking_number": number},
        headers=bot_auth,
    )
    state: str = response.get_json()["verification"]
    return state


def test_bot_token_never_sees_the_staff_note(
    client: FlaskClient, auth: dict[str, str], bot_auth: dict[str, str]
) -> None:
    number = _request(client, auth)
    body = client.get(f"/api/v1/requests/{number}", headers=bot_auth).get_json()
    assert [h["note"] for h in body["history"]] == [None]
    assert "applicant_name" not in body


def test_last_four_digits_reveal_the_details_then_updates_are_offered(
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    auth: dict[str, str],
) -> None:
    number = _request(client, auth)
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say("cek status " + number)
    assert _arm(client, chat, number, bot_auth) == "armed"
    details = chat.say(NIK[-4:])
    assert "Identitas cocok" in details and "Berkas diterima di loket 2." in details
    assert "Sri Rahayu" in details and NIK not in details and PHONE not in details
    assert "3201********0042" in details and "Mau dikabari" in details
    assert "akan dikabari" in chat.say("ya")
    client.post(
        f"/api/v1/requests/{number}/status",
        json={"status": "verifying", "note": "Hubungi 081211112222 bila perlu"},
        headers=auth,
    )
    update = chat.history()[-1]
    assert update["sender"] == "bot" and number in update["text"]
    assert "Sedang diverifikasi" in update["text"] and "081211112222" not in update["text"]
    assert "tidak akan menerima kabar" in chat.say("berhenti")
    before = len(chat.history())
    client.post(f"/api/v1/requests/{number}/status", json={"status": "processing"}, headers=auth)
    assert len(chat.history()) == before  # opted out: nothing more


def test_three_wrong_tries_lock_the_lookup(
    client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str], auth: dict[str, str]
) -> None:
    number = _request(client, auth)
    chat = Chat(client, fake_engine, bot_auth, "en")
    chat.say("check status " + number)
    assert _arm(client, chat, number, bot_auth) == "armed"
    assert "Tries left: 2" in chat.say("0000")
    assert "Tries left: 1" in chat.say("1111")
    assert "locked for 1 hour" in chat.say("2222")
    assert _arm(client, chat, number, bot_auth) == "locked"
    other = Chat(client, fake_engine, bot_auth, "id")
    other.say("cek status " + number)
    assert _arm(client, other, number, bot_auth) == "locked"  # the number, not the chat
    assert other.say(NIK[-4:]) == "Halo dari bot"  # not armed: the engine answers


def test_a_different_message_after_the_status_goes_to_the_engine(
    client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str], auth: dict[str, str]
) -> None:
    number = _request(client, auth)
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say("cek status " + number)
    _arm(client, chat, number, bot_auth)
    assert chat.say("syarat KTP apa saja?") == "Halo dari bot"
    assert chat.say(NIK[-4:]) == "Halo dari bot"  # only the message right after


def test_updates_go_through_the_outbox_on_push_channels(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, "777", "su")
        notifications.subscribe(session, conversation, "KTP-2026-123456")
        told = notifications.notify_status_change(session, "KTP-2026-123456", "ready", None)
        session.commit()
        assert told == 1
        item = session.scalars(select(OutboxItem)).one()
        assert item.recipient == "777" and "Parantos réngsé" in item.message.text


def test_agents_see_nik_and_phone_masked_in_transcripts(
    client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str], auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say(f"NIK saya {NIK} dan HP {PHONE}, tolong dicek")
    body = client.get(f"/api/v1/conversations/{chat.conversation_id}", headers=auth).get_json()
    text = body["messages"][0]["text"]
    assert NIK not in text and PHONE not in text
    assert "3201********0042" in text and "0812*****432" in text


# --- data-subject rights ------------------------------------------------------------------------


def test_erasure_request_approved_leaves_no_trace(tmp_path: Path, fake_engine: FakeEngine) -> None:
    tracker = tmp_path / "rasa-tracker.db"
    with sqlite3.connect(tracker) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
    app = create_app(
        make_settings(
            f"sqlite:///{tmp_path / 'helpdesk.db'}",
            rasa_tracker_db=str(tracker),
            upload_dir=tmp_path / "uploads",
        ),
        bot_engine=fake_engine,
    )
    with app.app_context():
        upgrade(database().engine)
        with database().session() as session:
            staff = {"Authorization": f"Bearer {create_token(session, 'sup')}"}
            bot = {"Authorization": f"Bearer {create_token(session, 'bot', 'bot')}"}
            session.commit()
    client = app.test_client()
    chat = Chat(client, fake_engine, bot, "id")
    chat.say(f"NIK saya {NIK}, nomor HP {PHONE}")
    with sqlite3.connect(tracker) as db:
        db.execute(
            "INSERT INTO events (sender_id, data) VALUES (?, ?)",
            (chat.sender_id, f'{{"text": "NIK saya {NIK}, nomor HP {PHONE}"}}'),
        )
    assert chat.upload(PNG, "ktp.png").status_code == 201
    reply = chat.say("tolong hapus data saya")
    assert "penghapusan data Anda sudah dicatat" in reply
    assert "sudah tercatat" in chat.say("hapus data saya")  # one pending request, not two
    pending = client.get("/api/v1/erasure-requests?status=pending", headers=staff).get_json()
    (item,) = pending["items"]
    assert item["kind"] == "erasure" and item["due_at"] > item["created_at"]
    refused = client.post(f"/api/v1/erasure-requests/{item['id']}/refuse", json={}, headers=staff)
    assert refused.status_code == 422
    approved = client.post(f"/api/v1/erasure-requests/{item['id']}/approve", headers=staff)
    assert approved.status_code == 200 and approved.get_json()["status"] == "completed"
    assert approved.get_json()["summary"]["tracker_events"] == 1
    assert "disetujui" in chat.history()[-1]["text"]
    assert list((tmp_path / "uploads").iterdir()) == []
    with app.app_context():
        database().dispose()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert NIK.encode() not in data, path
            assert PHONE.encode() not in data and PHONE[1:].encode() not in data, path
    again = client.post(f"/api/v1/erasure-requests/{item['id']}/approve", headers=staff)
    assert again.status_code == 409


def test_refused_erasure_tells_the_citizen_why(
    client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str], auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "su")
    chat.say("hapus data abdi")
    (item,) = client.get("/api/v1/erasure-requests?status=pending", headers=auth).get_json()[
        "items"
    ]
    reason = "Data adminduk wajib disimpan (UU PDP Pasal 15)."
    refused = client.post(
        f"/api/v1/erasure-requests/{item['id']}/refuse", json={"reason": reason}, headers=auth
    )
    assert refused.get_json()["status"] == "refused"
    assert reason in chat.history()[-1]["text"] and "Alesanana" in chat.history()[-1]["text"]


def test_data_access_request_answers_what_is_held(
    client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str], auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say("halo")
    answer = chat.say("data saya apa saja?")
    assert "Pasal 32" in answer and "pesan sejak" in answer
    (item,) = client.get("/api/v1/data-requests", headers=auth).get_json()["items"]
    assert item["kind"] == "access" and item["status"] == "completed"
    assert item["legal_basis"].endswith("(access within 3x24 h)")


# --- uploads ------------------------------------------------------------------------------------


def test_uploads_are_checked_by_content_and_size(tmp_path: Path, fake_engine: FakeEngine) -> None:
    app = create_app(
        make_settings(
            f"sqlite:///{tmp_path / 'h.db'}", upload_dir=tmp_path / "up", upload_max_bytes=1024
        ),
        bot_engine=fake_engine,
    )
    with app.app_context():
        upgrade(database().engine)
        with database().session() as session:
            bot = {"Authorization": f"Bearer {create_token(session, 'bot', 'bot')}"}
            staff = {"Authorization": f"Bearer {create_token(session, 'staff')}"}
            session.commit()
    client = app.test_client()
    chat = Chat(client, fake_engine, bot, "id")
    big = chat.upload(JPEG + b"\x00" * 2048, "besar.jpg")
    assert big.status_code == 413 and big.get_json()["error"]["code"] == "file_too_large"
    disguised = chat.upload(b"MZ\x90\x00 not a photo", "foto.jpg")
    assert disguised.status_code == 422
    assert disguised.get_json()["error"]["code"] == "unsupported_type"
    assert "JPEG or PNG" in disguised.get_json()["error"]["message"]
    ok = chat.upload(PDF, "../../etc/surat.exe")
    assert ok.status_code == 201
    attachment = ok.get_json()["attachment"]
    assert attachment["content_type"] == "application/pdf" and attachment["filename"] == "surat.pdf"
    assert "Lampiran diterima" in ok.get_json()["messages"][0]["text"]
    stored = list((tmp_path / "up").iterdir())
    assert len(stored) == 1 and PDF not in stored[0].read_bytes()  # encrypted at rest
    assert client.get(f"/webchat/{stored[0].name}").status_code == 404  # not in the web root
    with client.get(f"/api/v1/attachments/{attachment['id']}", headers=staff) as download:
        assert download.status_code == 200 and download.data == PDF
    assert client.get(f"/api/v1/attachments/{attachment['id']}", headers=bot).status_code == 403
    chat.say("saya mau mengadu")
    for answer in ("1", "Sampah menumpuk di pasar sejak seminggu", "Pasar Baru", "kemarin"):
        chat.say(answer)
    taken = chat.upload(PNG, "sampah.png")
    assert "Lampiran diterima: sampah.png" in taken.get_json()["messages"][0]["text"]
    assert "ditangani" in taken.get_json()["messages"][1]["text"]
    for answer in ("publik", "lewati"):
        chat.say(answer)
    number = number_in(chat.say("ya"))
    complaint = client.get(f"/api/v1/complaints/{number}", headers=staff).get_json()
    assert [a["filename"] for a in complaint["attachments"]] == ["sampah.png"]


# --- consent notice, help answer and pages -----------------------------------------------------


def test_consent_notice_once_at_first_contact(tmp_path: Path, fake_engine: FakeEngine) -> None:
    app = create_app(
        make_settings(
            f"sqlite:///{tmp_path / 'h.db'}",
            consent_notice=True,
            public_url="https://halo.example.go.id",
        ),
        bot_engine=fake_engine,
    )
    with app.app_context():
        upgrade(database().engine)
    client = app.test_client()
    sid = client.post("/webchat/sessions", json={"language": "id"}).get_json()["session_id"]
    first = client.post(f"/webchat/sessions/{sid}/messages", json={"text": "halo"}).get_json()
    texts = [m["text"] for m in first["messages"]]
    assert texts[0] == "Halo dari bot"
    assert "https://halo.example.go.id/privacy?lang=id" in texts[1]
    assert "https://halo.example.go.id/help?lang=id" in texts[1]
    second = client.post(f"/webchat/sessions/{sid}/messages", json={"text": "halo"}).get_json()
    assert [m["text"] for m in second["messages"]] == ["Halo dari bot"]
    with app.app_context(), database().session() as session:
        conversation = session.scalars(select(Conversation)).one()
        assert conversation.consent_notice_at is not None


@pytest.mark.parametrize(
    ("language", "word", "needle"),
    [
        ("id", "bantuan", "Panduan lengkap"),
        ("jv", "pitulung", "Pitedah jangkep"),
        ("su", "bantosan", "Pituduh lengkep"),
        ("en", "help", "Full guide"),
    ],
)
def test_help_answer_links_the_guide(
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    language: str,
    word: str,
    needle: str,
) -> None:
    chat = Chat(client, fake_engine, bot_auth, language)
    answer = chat.say(word)
    assert needle in answer and f"/help?lang={language}" in answer


@pytest.mark.parametrize("language", ["id", "jv", "su", "en"])
def test_help_and_privacy_pages_are_light(client: FlaskClient, language: str) -> None:
    page = client.get(f"/help?lang={language}")
    assert page.status_code == 200 and f'lang="{language}"' in page.text
    assert "<script" not in page.text and len(page.data) < 12_000
    privacy = client.get(f"/privacy?lang={language}")
    assert privacy.status_code == 200 and "UU" in privacy.text
    assert len(privacy.data) < 12_000


def test_subscriptions_are_per_conversation(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.WEBCHAT, "w-1")
        notifications.subscribe(session, conversation, "KK-2026-111111")
        notifications.subscribe(session, conversation, "KK-2026-111111")
        session.commit()
        assert session.scalar(select(func.count()).select_from(Subscription)) == 1
        assert notifications.unsubscribe_all(session, conversation) == 1
        assert notifications.active_numbers(session, conversation) == []
        assert session.scalar(select(func.count()).select_from(Message)) == 0


def test_consented_whatsapp_number_gets_updates_without_a_chat(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    created = client.post(
        "/api/v1/requests",
        json={
            "service": "skck",
            "applicant_name": "Rina",
            "nik": NIK,
            "phone": PHONE,
            "notify_whatsapp": True,
            "language": "jv",
        },
        headers=auth,
    )
    number = created.get_json()["tracking_number"]
    client.post(f"/api/v1/requests/{number}/status", json={"status": "processing"}, headers=auth)
    with app.app_context(), database().session() as session:
        item = session.scalars(select(OutboxItem)).one()
        assert item.channel == Channel.WHATSAPP and item.recipient == "6281298765432"
        assert "Saweg dipunproses" in item.message.text
        assert item.message.conversation.last_inbound_at is None  # so: the template
    refused = client.post(
        "/api/v1/requests",
        json={"service": "skck", "applicant_name": "R", "nik": NIK, "notify_whatsapp": True},
        headers=auth,
    )
    assert refused.status_code == 422


def test_document_checklist_for_a_verified_request(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    auth: dict[str, str],
) -> None:
    from helpdesk.catalog.loader import default_catalog_dir, load_catalog
    from helpdesk.models import Attachment

    items = load_catalog(default_catalog_dir()).get("ktp_el").requirements[0].items  # type: ignore[union-attr]
    number = _request(client, auth)
    chat = Chat(client, fake_engine, bot_auth, "id")
    assert "cek status permohonan Anda dulu" in chat.say("kirim dokumen")
    chat.say("cek status " + number)
    _arm(client, chat, number, bot_auth)
    chat.say(NIK[-4:])
    chat.say("tidak")
    started = chat.say("kirim dokumen")
    assert f"Dokumen untuk {number} ({len(items)} butir)" in started
    assert f"1/{len(items)}: {items[0]}" in started
    assert "Kirim foto atau PDF untuk butir ini" in chat.say("sebentar ya")
    taken = chat.upload(JPEG, "kk.jpg").get_json()["messages"]
    assert f'Diterima untuk "{items[0]}": kk.jpg' in taken[0]["text"]
    for _ in items[1:-1]:
        chat.say("lewati")
    done = chat.say("lewati")
    assert f"1 dokumen terlampir pada {number}" in done
    with app.app_context(), database().session() as session:
        attachment = session.scalars(select(Attachment)).one()
        assert attachment.request_id is not None and attachment.requirement == items[0]


def test_telegram_photo_is_fetched_from_the_platform_into_the_form(
    tmp_path: Path, fake_engine: FakeEngine
) -> None:
    from channels.telegram.adapter import TelegramAdapter
    from helpdesk.infra.jobs import PollingSignal
    from helpdesk.models import Attachment
    from helpdesk.runtime.worker import Worker
    from helpdesk.services.inbox import store_inbound_event
    from tests.fakes.telegram_api import FakeBotApi, photo_update, serve, text_update

    app = create_app(
        make_settings(f"sqlite:///{tmp_path / 'h.db'}", upload_dir=tmp_path / "up"),
        bot_engine=fake_engine,
    )
    with app.app_context():
        upgrade(database().engine)
    api = FakeBotApi(files={"AgADphoto": PNG, "AgADfake": b"GIF89a not ours"})
    chat_id = 5551234

    with serve(api) as url, app.app_context():
        adapter = TelegramAdapter("1:token", api_base_url=url)
        worker = Worker(
            database(), app.extensions["router"], {Channel.TELEGRAM: adapter}, PollingSignal()
        )

        def deliver(n: int, body: dict[str, Any]) -> None:
            with database().session() as session:
                store_inbound_event(session, Channel.TELEGRAM, str(n), body)
                session.commit()
            worker.run_once()

        with database().session() as session:
            conversation = convs.get_or_create(session, Channel.TELEGRAM, str(chat_id))
            conversation.journey = {
                "kind": "complaint",
                "step": "photo",
                "data": {"category": "pengaduan"},
            }
            session.commit()
        deliver(1, photo_update(1, chat_id, "AgADfake"))  # not JPEG/PNG/PDF: asked again
        deliver(2, photo_update(2, chat_id, "AgADphoto"))
        deliver(3, text_update(3, chat_id, "x"))  # flush the outbox
        adapter.close()
    texts = [p["text"] for p in api.sent()]
    assert any("Silakan kirim fotonya" in t for t in texts), texts
    assert any("Lampiran diterima" in t for t in texts), texts
    assert any(c[1] == "getFile" for c in api.calls)
    with app.app_context(), database().session() as session:
        (attachment,) = session.scalars(select(Attachment)).all()
        assert attachment.content_type == "image/png" and attachment.size == len(PNG)
        journey = session.scalars(select(Conversation)).one().journey
        assert journey is not None and journey["data"]["attachments"] == [attachment.id]


def test_whatsapp_erasure_forgets_the_number_once_the_outcome_is_delivered(
    tmp_path: Path, fake_engine: FakeEngine
) -> None:
    from channels.adapters import OutgoingMessage, StatusUpdate
    from helpdesk.conversation.base import InboundMessage
    from helpdesk.infra.jobs import PollingSignal
    from helpdesk.runtime.worker import Worker
    from helpdesk.services.inbox import store_inbound_event

    wa_id = "6285711112222"

    class WhatsAppStub:
        channel = Channel.WHATSAPP
        sent: list[tuple[str, str]] = []

        def parse_event(self, payload: dict[str, Any]) -> StatusUpdate | None:
            status = payload["status"]
            return StatusUpdate(status["id"], status["status"])

        def send(self, recipient: str, message: OutgoingMessage) -> str:
            self.sent.append((recipient, message.text))
            return f"wamid.{len(self.sent)}"

    app = create_app(make_settings(f"sqlite:///{tmp_path / 'h.db'}"), bot_engine=fake_engine)
    with app.app_context():
        upgrade(database().engine)
        with database().session() as session:
            staff = {"Authorization": f"Bearer {create_token(session, 'sup')}"}
            session.commit()
        stub = WhatsAppStub()
        worker = Worker(
            database(), app.extensions["router"], {Channel.WHATSAPP: stub}, PollingSignal()
        )
        router = app.extensions["router"]
        with database().session() as session:
            for n, text in enumerate(("nomor saya 085711112222", "hapus data saya")):
                inbound = InboundMessage(Channel.WHATSAPP, wa_id, text, client_message_id=f"m{n}")
                router.handle(session, inbound)
        worker.run_once()
    client = app.test_client()
    (item,) = client.get("/api/v1/erasure-requests?status=pending", headers=staff).get_json()[
        "items"
    ]
    approved = client.post(f"/api/v1/erasure-requests/{item['id']}/approve", headers=staff)
    assert approved.status_code == 200
    with app.app_context():
        worker.run_once()  # delivers the outcome, then forgets the number
        receipt = {
            "status": {
                "id": f"wamid.{len(stub.sent)}",
                "status": "delivered",
                "recipient_id": wa_id,
            }
        }
        with database().session() as session:
            store_inbound_event(session, Channel.WHATSAPP, "receipt-1", receipt)
            session.commit()
        worker.run_once()
        database().dispose()
    assert stub.sent[-1][0] == wa_id and "disetujui" in stub.sent[-1][1]
    for path in tmp_path.glob("h.db*"):
        data = path.read_bytes()
        assert wa_id.encode() not in data and b"085711112222" not in data, path


def test_uploads_up_to_ten_megabytes_are_accepted(tmp_path: Path, fake_engine: FakeEngine) -> None:
    """The contract's 10 MB: a body limit elsewhere must leave this route its own."""
    app = create_app(
        make_settings(f"sqlite:///{tmp_path / 'h.db'}", upload_dir=tmp_path / "up"),
        bot_engine=fake_engine,
    )
    with app.app_context():
        upgrade(database().engine)
        with database().session() as session:
            bot = {"Authorization": f"Bearer {create_token(session, 'bot', 'bot')}"}
            session.commit()
    chat = Chat(app.test_client(), fake_engine, bot, "id")
    chat.say("halo")
    big_pdf = PDF + b"0" * (9 * 1024 * 1024)
    response = chat.upload(big_pdf, "scan.pdf")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["attachment"]["size"] == len(big_pdf)
    with app.app_context():
        database().dispose()
