"""The unit's officer works an online application in the console (engine faked): the queue
nearest deadline first, answers and documents inline, ask for a document that the citizen
uploads in the same chat, ready, completed, the citizen told at every step and offered
the survey; scope, CSRF and a reason for a rejection."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.infra.migrate import upgrade
from helpdesk.models import Attachment, RequestStatus, ServiceRequest, SlaClock, Survey
from helpdesk.runtime.app import create_app
from helpdesk.services import applications
from helpdesk.web.extensions import database, settings
from tests.conftest import FakeEngine, make_settings
from tests.console_helpers import csrf, make_agent, sign_in
from tests.unit.test_applications import CATALOG, JPEG, NIK, PDF, Chat, bot_auth  # noqa: F401

__all__ = ["bot_auth"]


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


def apply_in_chat(chat: Chat) -> str:
    """The domicile letter in chat with a photo of each required document."""
    chat.say("saya mau mengajukan surat domisili")
    for answer in ("setuju", "Siti Aminah", NIK, "lewati", "Jl. Melati 5 RT 02/RW 03, Sukamaju"):
        chat.say(answer)
    chat.say("17/08/2024")
    chat.say("melamar kerja")
    chat.upload(JPEG, "pengantar.jpg")
    chat.upload(PDF, "ktp.pdf")
    chat.upload(JPEG, "kk-buram.jpg")
    chat.say("lewati")
    chat.say("ya")
    filed = chat.say("kirim")
    found = re.search(r"SKD-\d{4}-\d{6}", filed)
    assert found is not None, filed
    return found.group(0)


def chat_texts(chat: Chat) -> str:
    response = chat.client.get(f"/webchat/sessions/{chat.session_id}/messages?after=0")
    return "\n".join(m["text"] for m in response.get_json()["messages"])


def older_request(app: Flask, hours_ago: int) -> str:
    """A web application filed earlier (its deadline is nearer)."""
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with app.app_context(), database().session() as session:
        files = {}
        for key in ("pengantar_rt", "ktp", "kk"):
            a = Attachment(
                storage_key=f"old-{key}",
                filename=f"{key}.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
            )
            session.add(a)
            files[key] = [a]
        session.flush()
        request = applications.submit(
            session,
            CATALOG,
            settings(),
            service_code="surat_domisili",
            answers={
                "name": "Budi",
                "nik": "3201010101900001",
                "address": "Jl. Kenanga 7 RT 01/RW 02",
                "since": "01/01/2020",
                "purpose": "bank",
            },
            documents=files,
            channel="web",
            now=now,
        )
        session.commit()
        return request.tracking_number


def test_the_officer_works_an_application_to_the_end(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str]
) -> None:
    citizen = app.test_client()
    chat = Chat(citizen, fake_engine, bot_auth, "id")
    number = apply_in_chat(chat)
    earlier = older_request(app, 48)
    sign_in(client, "rina", make_agent(app, "rina", units=("umum",)))
    queue = client.get("/console/requests").get_data(as_text=True)
    rows = re.findall(r"(SKD-\d{4}-\d{6})</a>", queue)
    assert rows[:2] == [earlier, number]  # nearest deadline first
    assert "lewat tenggat" in queue  # the earlier one is overdue
    overdue = client.get("/console/requests?overdue=1").get_data(as_text=True)
    assert earlier in overdue and number not in overdue
    page = client.get(f"/console/requests/{number}").get_data(as_text=True)
    assert "Siti Aminah" in page and "3201********0042" in page and NIK not in page
    assert "2024-08-17" in page and "melamar kerja" in page
    images = re.findall(rf'src="(/console/requests/{number}/documents/\d+)"', page)
    assert len(images) == 2  # two photos previewed; the PDF is a link
    assert client.get(images[0]).data == JPEG  # decrypted for the officer
    pdf = re.search(rf'href="(/console/requests/{number}/documents/\d+)"[^>]*>ktp.pdf', page)
    assert pdf is not None
    opened = client.get(pdf.group(1))
    assert opened.data == PDF and "attachment" not in opened.headers["Content-Disposition"]
    token = csrf(client, f"/console/requests/{number}")
    asked = client.post(
        f"/console/requests/{number}/ask-documents",
        data={"csrf_token": token, "documents": ["kk"], "note": "Foto KK buram."},
    )
    assert asked.status_code == 303
    told = chat_texts(chat)
    assert "Kartu Keluarga (KK)" in told and "Foto KK buram." in told
    with app.app_context(), database().session() as session:
        clock = session.scalar(select(SlaClock).where(SlaClock.ref == number))
        assert clock is not None and clock.paused_since is not None  # the clock waits
    uploaded = chat.upload(JPEG, "kk-jelas.jpg")
    assert "diteruskan ke petugas" in uploaded
    with app.app_context(), database().session() as session:
        request = session.scalar(
            select(ServiceRequest).where(ServiceRequest.tracking_number == number)
        )
        assert request is not None and request.status == RequestStatus.VERIFYING
        assert request.missing_documents is None
        newest = session.scalars(
            select(Attachment).where(Attachment.request_id == request.id).order_by(Attachment.id)
        ).all()[-1]
        assert (newest.filename, newest.requirement) == ("kk-jelas.jpg", "kk")
        clock = session.scalar(select(SlaClock).where(SlaClock.ref == number))
        assert clock is not None and clock.paused_since is None
    page = client.get(f"/console/requests/{number}").get_data(as_text=True)
    assert "kk-jelas.jpg" in page  # the officer sees the new document
    for status in ("processing",):
        client.post(
            f"/console/requests/{number}/status", data={"csrf_token": token, "status": status}
        )
    client.post(
        f"/console/requests/{number}/ready",
        data={"csrf_token": token, "where": "Loket 2 kelurahan, Senin 09.00–12.00"},
    )
    assert "Loket 2 kelurahan" in chat_texts(chat)
    done = client.post(
        f"/console/requests/{number}/status", data={"csrf_token": token, "status": "completed"}
    )
    assert done.status_code == 303
    final = chat_texts(chat)
    assert "Selesai" in final or "selesai" in final
    with app.app_context(), database().session() as session:
        survey = session.scalar(select(Survey))
        assert survey is not None and survey.service_key == "surat_domisili"
        clock = session.scalar(select(SlaClock).where(SlaClock.ref == number))
        assert clock is not None and clock.resolved_at is not None
    assert "survei" in chat_texts(chat).lower()


def test_scope_csrf_and_a_reason_for_a_rejection(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine
) -> None:
    number = older_request(app, 0)
    sign_in(client, "sri", make_agent(app, "sri", units=("dukcapil",)))
    assert number not in client.get("/console/requests").get_data(as_text=True)
    assert client.get(f"/console/requests/{number}").status_code == 404
    other = app.test_client()
    sign_in(other, "rina", make_agent(app, "rina", units=("umum",)))
    token = csrf(other, f"/console/requests/{number}")
    no_token = other.post(f"/console/requests/{number}/reject", data={"reason": "x"})
    assert no_token.status_code == 400
    no_reason = other.post(f"/console/requests/{number}/reject", data={"csrf_token": token})
    assert no_reason.status_code == 422
    nothing = other.post(f"/console/requests/{number}/ask-documents", data={"csrf_token": token})
    assert nothing.status_code == 422  # nothing ticked
    rejected = other.post(
        f"/console/requests/{number}/reject",
        data={"csrf_token": token, "reason": "Alamat di luar wilayah kelurahan."},
    )
    assert rejected.status_code == 303
    page = other.get(f"/console/requests/{number}").get_data(as_text=True)
    assert "Alamat di luar wilayah kelurahan." in page and "rejected" in page


def test_a_console_status_change_tells_the_subscribed_citizen(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine, bot_auth: dict[str, str]
) -> None:
    """The test that would have caught the console's missing notification."""
    citizen = app.test_client()
    chat = Chat(citizen, fake_engine, bot_auth, "en")
    chat.say("I want to apply for sktm")
    for answer in (
        "agree",
        "Budi Santoso",
        NIK,
        "skip",
        "Jl. Kenanga 7 RT 01/RW 02, Sukamaju",
        "legal aid",
        "LBH Contoh",
    ):
        chat.say(answer)
    for name in ("rt.jpg", "ktp.jpg", "kk.jpg", "pernyataan.pdf"):
        chat.upload(PDF if name.endswith("pdf") else JPEG, name)
    chat.say("skip")
    chat.say("yes")
    number = re.search(r"SKTM-\d{4}-\d{6}", chat.say("send"))
    assert number is not None
    sign_in(client, "rina", make_agent(app, "rina", units=("umum",)))
    token = csrf(client, f"/console/requests/{number.group(0)}")
    before = chat_texts(chat)
    client.post(
        f"/console/requests/{number.group(0)}/status",
        data={"csrf_token": token, "status": "verifying"},
    )
    after = chat_texts(chat)
    assert len(after) > len(before) and number.group(0) in after[len(before) :]
