"""Online applications (engine faked): the chat form in four languages with re-prompts and
documents, the request it creates (unit, channel, deadline in working days across a
holiday, encrypted answers and files, SLA clock, updates), and the staff API."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from helpdesk.catalog import ApplicationField
from helpdesk.catalog.loader import load_catalog
from helpdesk.conversation.base import BotReply
from helpdesk.infra.migrate import upgrade
from helpdesk.models import (
    Attachment,
    Conversation,
    RequestStatus,
    ServiceRequest,
    SlaClock,
    Subscription,
)
from helpdesk.runtime.app import create_app
from helpdesk.services import applications
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database, settings
from tests.conftest import FakeEngine, make_settings

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog")
NIK = "3201019876540042"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
TRIGGERS = ("mengajukan", "daftar", "apply", "ngajokaken", "ngajukeun")


@pytest.fixture
def app(tmp_path: Path, fake_engine: FakeEngine) -> Iterator[Flask]:
    application = create_app(
        make_settings(f"sqlite:///{tmp_path / 'h.db'}", upload_dir=tmp_path / "uploads"),
        bot_engine=fake_engine,
    )
    with application.app_context():
        upgrade(database().engine)
    yield application
    with application.app_context():
        database().dispose()


@pytest.fixture
def bot_auth(app: Flask) -> dict[str, str]:
    with app.app_context(), database().session() as session:
        token = create_token(session, "actions", "bot")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


class Chat:
    """A web-chat citizen; an "apply" message makes the fake engine open the form for the
    service it names, as the real engine's `action_apply_service` does."""

    def __init__(
        self, client: FlaskClient, engine: FakeEngine, bot_auth: dict[str, str], language: str
    ) -> None:
        self.client = client
        response = client.post("/webchat/sessions", json={"language": language, "explicit": True})
        self.session_id: str = response.get_json()["session_id"]

        def on_call(sender_id: str, text: str) -> None:
            if any(word in text.lower() for word in TRIGGERS):
                found = CATALOG.find(text)
                opened = client.post(
                    f"/api/v1/conversations/{sender_id}/application-form",
                    json={"service": found.code if found else None},
                    headers=bot_auth,
                )
                assert opened.status_code == 200, opened.get_json()
                engine.replies = [
                    BotReply(m["text"], m["buttons"]) for m in opened.get_json()["messages"]
                ]
            else:
                engine.replies = [BotReply("Halo dari bot")]

        engine.on_call = on_call

    def say(self, text: str) -> str:
        response = self.client.post(
            f"/webchat/sessions/{self.session_id}/messages", json={"text": text}
        )
        assert response.status_code == 200, response.get_json()
        return "\n".join(m["text"] for m in response.get_json()["messages"])

    def upload(self, data: bytes, name: str) -> str:
        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
        response = self.client.post(
            f"/webchat/sessions/{self.session_id}/attachments",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        assert response.status_code in (200, 201), response.get_json()
        return "\n".join(m["text"] for m in response.get_json().get("messages") or [])


def only_request(app: Flask) -> ServiceRequest:
    with app.app_context(), database().session() as session:
        rows = session.scalars(select(ServiceRequest)).all()
        assert len(rows) == 1
        session.expunge_all()
        return rows[0]


# --- the answers' checks -------------------------------------------------------------------


TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("field", "raw", "value", "problem"),
    [
        (ApplicationField("nik", "nik", "NIK"), "3201 0198 7654 0042", NIK, None),
        (ApplicationField("nik", "nik", "NIK"), "320101987654004", None, "invalid.nik"),
        (ApplicationField("nik", "nik", "NIK"), "32010198765400AB", None, "invalid.nik"),
        (ApplicationField("p", "phone", "HP"), "0812-3456-7890", "+6281234567890", None),
        (ApplicationField("p", "phone", "HP"), "12345", None, "invalid.phone"),
        (ApplicationField("d", "date", "D", when="past"), "17/08/2024", "2024-08-17", None),
        (ApplicationField("d", "date", "D", when="past"), "2024-08-17", "2024-08-17", None),
        (ApplicationField("d", "date", "D", when="past"), "31/02/2024", None, "invalid.date"),
        (ApplicationField("d", "date", "D", when="past"), "kemarin", None, "invalid.date"),
        (
            ApplicationField("d", "date", "D", when="past"),
            "01/01/2027",
            None,
            "invalid.date_future",
        ),
        (
            ApplicationField("t", "text", "T", min_length=10),
            "Jl. Mawar",
            None,
            "invalid.text_short",
        ),
        (ApplicationField("t", "text", "T"), "12345", None, "invalid.text_letters"),
        (ApplicationField("t", "text", "T", max_length=5), "abcdefg", None, "invalid.text_long"),
        (ApplicationField("t", "text", "T"), "   ", None, "invalid.required"),
        (ApplicationField("t", "text", "T", required=False), "", None, None),
        (ApplicationField("c", "choice", "C", choices=("SD", "SMP")), "2", "SMP", None),
        (ApplicationField("c", "choice", "C", choices=("SD", "SMP")), "smp", "SMP", None),
        (ApplicationField("c", "choice", "C", choices=("SD", "SMP")), "9", None, "invalid.choice"),
    ],
)
def test_each_answer_is_checked(
    field: ApplicationField, raw: str, value: str | None, problem: str | None
) -> None:
    got, why = applications.check_answer(field, raw, TODAY)
    assert got == value
    assert (why.key if why else None) == problem


def test_a_choice_typed_in_another_language_is_understood(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "jv")
    chat.say("kula badhe ngajokaken sktm")
    for answer in ("inggih", "Budi Santoso", NIK, "liwati", "Jl. Kenanga 7 RT 01/RW 02"):
        chat.say(answer)
    assert "6/6" in chat.say("legal aid")  # English label in a Javanese form


def test_a_translated_choice_is_stored_as_the_catalogs_value() -> None:
    source = CATALOG.services["sktm"].application
    shown = CATALOG.translations["en"]["sktm"].application
    assert source is not None and shown is not None
    purpose, labels = source.fields[4], shown.fields[4].choices
    assert applications.check_answer(purpose, "legal aid", TODAY, labels) == (
        "Bantuan hukum",
        None,
    )


# --- the deadline ---------------------------------------------------------------------------


def test_the_deadline_skips_nyepi_idulfitri_and_cuti_bersama(app: Flask) -> None:
    # Tuesday 17 March 2026, 10:00 WIB: 18-24 March are holidays, cuti bersama and a weekend.
    start = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
    with app.app_context(), database().session() as session:
        due = applications.deadline(session, settings(), "umum", start, 1)
        assert due == datetime(2026, 3, 25, 9, 0, tzinfo=UTC)  # Wed 25 March 16:00 WIB
        plain = applications.deadline(session, settings(), "umum", start, 3)
        assert plain.date() == date(2026, 3, 27)  # Friday: office closes 11:30 WIB
        assert plain == datetime(2026, 3, 27, 4, 30, tzinfo=UTC)


def test_submit_sets_unit_deadline_clock_and_refuses_bad_forms(app: Flask) -> None:
    start = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
    answers = {
        "name": "Siti Aminah",
        "nik": NIK,
        "address": "Jl. Melati 5 RT 02/RW 03, Sukamaju",
        "purpose": "Bantuan hukum",
        "institution": "LBH Contoh",
    }
    with app.app_context(), database().session() as session:
        with pytest.raises(applications.InvalidInput) as refused:
            applications.submit(
                session,
                CATALOG,
                settings(),
                service_code="sktm",
                answers={**answers, "nik": "123"},
                documents={},
                channel="web",
                now=start,
            )
        message = str(refused.value)
        assert "nik: invalid.nik" in message and "pengantar_rt: invalid.document" in message
        with pytest.raises(applications.InvalidInput):
            applications.submit(
                session,
                CATALOG,
                settings(),
                service_code="ktp_el",  # no online form
                answers=answers,
                documents={},
                channel="web",
            )
        files = {}
        for key in ("pengantar_rt", "ktp", "kk", "pernyataan"):
            files[key] = [
                Attachment(
                    storage_key=f"k-{key}",
                    filename=f"{key}.jpg",
                    content_type="image/jpeg",
                    size=10,
                    sha256="0" * 64,
                )
            ]
            session.add(files[key][0])
        session.flush()
        request = applications.submit(
            session,
            CATALOG,
            settings(),
            service_code="sktm",
            answers=answers,
            documents=files,
            channel="web",
            now=start,
        )
        session.commit()
        assert request.status == RequestStatus.SUBMITTED
        assert request.tracking_number.startswith("SKTM-2026-")
        assert (request.unit, request.channel) == ("umum", "web")
        assert request.due_at == datetime(2026, 3, 25, 9, 0, tzinfo=UTC)
        assert request.answers is not None and request.answers["purpose"] == "Bantuan hukum"
        clock = applications.clock_of(session, request.tracking_number)
        assert clock is not None and clock.resolution_due == request.due_at
        assert {a.requirement for a in files["ktp"]} == {"ktp"}
        assert all(a.request_id == request.id for fs in files.values() for a in fs)
        # The answers are encrypted at rest: the NIK is nowhere in the stored row.
        raw = (
            session.connection().exec_driver_sql("SELECT answers, nik FROM service_requests").one()
        )
        assert NIK not in str(raw) and "Siti" not in str(raw[0])


def test_waiting_for_documents_pauses_the_clock_and_moves_the_deadline(app: Flask) -> None:
    start = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 09:00 WIB
    with app.app_context(), database().session() as session:
        request = _sktm_request(session, start)
        due = request.due_at
        assert due is not None
        request.status = RequestStatus.NEEDS_DOCUMENTS
        applications.after_status_change(session, request, settings(), start)
        clock = applications.clock_of(session, request.tracking_number)
        assert clock is not None and clock.paused_since == start
        later = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # one working day later
        request.status = RequestStatus.VERIFYING
        applications.after_status_change(session, request, settings(), later)
        assert clock.paused_since is None and request.due_at is not None
        assert request.due_at > due  # moved by the working day spent waiting
        request.status = RequestStatus.REJECTED
        applications.after_status_change(session, request, settings(), later)
        assert clock.resolved_at == later and clock.closed_reason == "rejected"


def _sktm_request(session: Any, now: datetime) -> ServiceRequest:
    files = {}
    for key in ("pengantar_rt", "ktp", "kk", "pernyataan"):
        attachment = Attachment(
            storage_key=f"s-{key}-{now.timestamp()}",
            filename=f"{key}.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
        session.add(attachment)
        files[key] = [attachment]
    session.flush()
    return applications.submit(
        session,
        CATALOG,
        settings(),
        service_code="sktm",
        answers={
            "name": "Budi Santoso",
            "nik": NIK,
            "address": "Jl. Kenanga 7 RT 01/RW 02, Sukamaju",
            "purpose": "Beasiswa atau biaya sekolah",
            "institution": "SMA Negeri 1",
        },
        documents=files,
        channel="web",
        now=now,
    )


# --- the chat form ---------------------------------------------------------------------------


def test_domicile_letter_in_chat_with_reprompts_photo_and_a_number(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    tmp_path: Path,
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    opened = chat.say("saya mau mengajukan surat domisili")
    assert "Surat Keterangan Domisili" in opened and "UU 27/2022" in opened
    assert "1/6. Nama lengkap" in chat.say("setuju")
    assert "minimal 3 huruf" in chat.say("Al")  # too short: said why, asked again
    assert "2/6. NIK" in chat.say("Siti Aminah")
    reprompt = chat.say("3201-0198-7654")
    assert "NIK harus 16 angka" in reprompt and "2/6. NIK" in reprompt
    assert "3/6" in chat.say(NIK)
    assert "seluler Indonesia" in chat.say("12")
    assert "4/6. Alamat" in chat.say("lewati")  # optional: skipped
    assert "5/6. Tanggal mulai tinggal" in chat.say("Jl. Melati 5 RT 02/RW 03, Sukamaju")
    assert "hari/bulan/tahun" in chat.say("bulan lalu")
    assert "belum lewat" in chat.say("01/01/2099")
    assert "6/6. Keperluan" in chat.say("17/08/2024")
    assert "Dokumen 1/4: Surat pengantar RT/RW" in chat.say("melamar kerja")
    assert 'Kirim foto atau PDF untuk "Surat pengantar RT/RW"' in chat.say("sudah")
    assert "Dokumen 2/4: KTP-el" in chat.upload(JPEG, "pengantar.jpg")
    assert "Dokumen 3/4" in chat.upload(PDF, "ktp.pdf")
    assert "Dokumen 4/4" in chat.upload(JPEG, "kk.jpg")
    assert "kabar status" in chat.say("lewati")
    summary = chat.say("ya")
    assert "3201********0042" in summary and NIK not in summary
    assert "Siti Aminah" in summary and "pengantar.jpg" not in summary
    filed = chat.say("kirim")
    request = only_request(app)
    assert request.tracking_number in filed and "1 hari kerja" in filed
    assert "Layanan Umum" in filed and "cek status" in filed
    assert (request.channel, request.unit, request.language) == ("webchat", "umum", "id")
    assert request.answers is not None and request.answers["since"] == "2024-08-17"
    assert request.answers.get("phone") is None and request.phone is None
    with app.app_context(), database().session() as session:
        files = session.scalars(
            select(Attachment).where(Attachment.request_id == request.id).order_by(Attachment.id)
        ).all()
        assert [f.requirement for f in files] == ["pengantar_rt", "ktp", "kk"]
        for f in files:  # encrypted at rest: no JPEG or PDF signature on disk
            stored = (tmp_path / "uploads" / f.storage_key).read_bytes()
            assert not stored.startswith((b"\xff\xd8", b"%PDF"))
        subscribed = session.scalar(
            select(Subscription).where(Subscription.tracking_number == request.tracking_number)
        )
        assert subscribed is not None and subscribed.active
        clock = session.scalar(select(SlaClock).where(SlaClock.ref == request.tracking_number))
        assert clock is not None and clock.kind == "request"
        conversation = session.get(Conversation, request.conversation_id)
        assert conversation is not None and conversation.journey is None


@pytest.mark.parametrize(
    ("language", "opening", "consent", "first", "wrong_nik", "done"),
    [
        (
            "en",
            "I want to apply for kartu kuning",
            "UU 27/2022",
            "1/6. Full name",
            "16 digits",
            "received",
        ),
        (
            "jv",
            "kula badhe ngajokaken kartu kuning",
            "UU 27/2022",
            "1/6. Nama jangkep",
            "16 angka",
            "katampi",
        ),
        (
            "su",
            "abdi hoyong ngajukeun kartu kuning",
            "UU 27/2022",
            "1/6. Nami lengkep",
            "16 angka",
            "katampi",
        ),
    ],
)
def test_yellow_card_in_each_language(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    language: str,
    opening: str,
    consent: str,
    first: str,
    wrong_nik: str,
    done: str,
) -> None:
    chat = Chat(client, fake_engine, bot_auth, language)
    assert consent in chat.say(opening)
    assert first in chat.say("ya")
    chat.say("Rina Wulandari")
    assert wrong_nik in chat.say("1234")
    chat.say(NIK)
    chat.say("081298765432")
    chat.say("21/04/2001")
    assert "3" in chat.say("9")  # not a choice: the list again
    chat.say("3")
    chat.say("lewati")
    for name in ("ktp.jpg", "kk.jpg", "ijazah.pdf", "akta.pdf"):
        chat.upload(PDF if name.endswith("pdf") else JPEG, name)
    refused = chat.upload(PDF, "foto.pdf")  # the photo must be JPG or PNG
    assert "JPG, PNG" in refused
    chat.upload(JPEG, "foto.jpg")
    chat.say("lewati")
    chat.say("tidak")  # no updates in the chat
    filed = chat.say("kirim")
    request = only_request(app)
    assert done in filed and request.tracking_number in filed
    assert request.tracking_number.startswith("AK-")
    assert request.language == language and request.phone == "+6281298765432"
    assert request.answers is not None and request.answers["education"] == "SMA/SMK"
    with app.app_context(), database().session() as session:
        assert session.scalar(select(Subscription)) is None  # declined


def test_cancel_keeps_nothing_and_an_unknown_service_is_asked_for(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str]
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    asked = chat.say("saya mau daftar online")
    assert "Yang bisa diajukan online" in asked and "SKTM" in asked
    assert "UU 27/2022" in chat.say("sktm")
    chat.say("setuju")
    chat.say("Budi Santoso")
    assert "dibatalkan" in chat.say("batal")
    with app.app_context(), database().session() as session:
        assert session.scalar(select(ServiceRequest)) is None
    not_online = chat.say("saya mau mengajukan paspor")
    assert "belum bisa diajukan online" in not_online
    chat.say("saya mau mengajukan sktm")
    chat.say("setuju")
    assert chat.say("petugas") == "Halo dari bot"  # the engine answers (and hands off)
    with app.app_context(), database().session() as session:
        conversation = session.scalar(select(Conversation))
        assert conversation is not None and conversation.journey is None


def test_the_staff_api_shows_channel_unit_deadline_and_documents(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    auth: dict[str, str],
) -> None:
    with app.app_context(), database().session() as session:
        request = _sktm_request(session, datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
        session.commit()
        number = request.tracking_number
    body = client.get(f"/api/v1/requests/{number}", headers=auth).get_json()
    assert (body["channel"], body["unit"]) == ("web", "umum")
    assert body["due_at"].startswith("2026-12-02")
    assert [a["requirement"] for a in body["attachments"]] == [
        "pengantar_rt",
        "ktp",
        "kk",
        "pernyataan",
    ]
    assert body["answers"]["nik"] == "3201********0042"
    public = client.get(f"/api/v1/requests/{number}", headers=bot_auth).get_json()
    assert "attachments" not in public and "answers" not in public
    listing = client.get("/api/v1/requests?status=submitted&unit=umum", headers=auth).get_json()
    assert [i["tracking_number"] for i in listing["items"]] == [number]
    assert client.get("/api/v1/requests?unit=dukcapil", headers=auth).get_json()["items"] == []
    assert client.get("/api/v1/requests?status=nope", headers=auth).status_code == 422
    assert client.get("/api/v1/requests", headers=bot_auth).status_code == 403
    overdue = client.get("/api/v1/requests?overdue=1", headers=auth).get_json()["items"]
    assert [i["tracking_number"] for i in overdue] == [number]  # its deadline has passed


VALID = {
    "name": "Siti Aminah",
    "nik": NIK,
    "phone": "081298765432",
    "address": "Jl. Melati 5 RT 02/RW 03, Sukamaju",
    "since": "17/08/2024",
    "birth_date": "21/04/2001",
    "institution": "RSUD Contoh",
}
OPENINGS = {
    "id": "saya mau mengajukan {name}",
    "jv": "kula badhe ngajokaken {name}",
    "su": "abdi hoyong ngajukeun {name}",
    "en": "I want to apply for {name}",
}
YES = {"id": "ya", "jv": "inggih", "su": "sumuhun", "en": "yes"}


@pytest.mark.parametrize("language", ["id", "jv", "su", "en"])
@pytest.mark.parametrize("code", ["surat_domisili", "sktm", "kartu_kuning"])
def test_every_form_in_every_language(
    app: Flask,
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],
    code: str,
    language: str,
) -> None:
    """Each question is asked with its label in the citizen's language; a wrong answer to
    each checked field is re-prompted; the request is filed with the answers."""
    shown = CATALOG.translations.get(language, {}).get(code) or CATALOG.services[code]
    form = shown.application
    assert form is not None
    chat = Chat(client, fake_engine, bot_auth, language)
    opened = chat.say(OPENINGS[language].format(name=CATALOG.services[code].aliases[0]))
    assert form.consent in opened
    prompt = chat.say(YES[language])
    for index, field in enumerate(form.fields):
        assert field.label in prompt, (field.key, prompt)
        if field.type in ("nik", "phone", "date"):
            wrong = chat.say("12/13/2020" if field.type == "date" else "12345")
            assert field.label in wrong and wrong != prompt  # said why, asked again
        if field.type == "choice":
            answer = "1"
        elif not field.required:
            answer = "lewati"
        else:
            answer = VALID.get(field.key, "melamar kerja")
        prompt = chat.say(answer)
        if index + 1 < len(form.fields):
            assert f"{index + 2}/{len(form.fields)}" in prompt
    for document in form.documents:
        assert document.label in prompt, (document.key, prompt)
        if document.required:
            prompt = chat.upload(JPEG, f"{document.key}.jpg")
        else:
            prompt = chat.say("lewati")
    summary = chat.say(YES[language])
    assert "3201********0042" in summary and NIK not in summary
    filed = chat.say("kirim")
    request = only_request(app)
    assert request.tracking_number in filed
    assert (request.service_code, request.language, request.channel) == (code, language, "webchat")
    assert request.answers is not None and request.answers["nik"] == NIK
