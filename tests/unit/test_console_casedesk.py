"""The case desk in the console (test client, engine faked, Telegram faked at the HTTP
boundary): a complaint filed on Telegram in Javanese is verified, answered, questioned,
forwarded and finished from the console; the citizen reads every step in Javanese on
Telegram and is offered the survey. Scope, anonymity, CSRF, the supervisor's badge and the
breach alert that arrives on the alert channel."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.infra.migrate import upgrade
from helpdesk.models import AgentRole, Channel, Complaint, ComplaintStatus, StaffNotice
from helpdesk.runtime.app import create_app
from helpdesk.services import complaints as complaint_service
from helpdesk.services import conversations as convs
from helpdesk.services import sla
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings
from tests.console_helpers import csrf, make_agent, sign_in
from tests.fakes.telegram_api import FakeBotApi, serve, text_update
from tests.unit.test_journeys import PNG

WIB = ZoneInfo("Asia/Jakarta")
CHAT_ID = 5550001
ALERT_CHAT = "-1001234567"
NIK = "3201019876540042"


@dataclass
class Desk:
    """An app whose worker delivers to a fake Telegram, and a Javanese citizen on it."""

    app: Flask
    api: FakeBotApi
    worker: Any
    next_update: int = 100

    def citizen_says(self, text: str) -> None:
        self.next_update += 1
        self.citizen_sends(text_update(self.next_update, CHAT_ID, text))

    def citizen_sends(self, body: dict[str, Any]) -> None:
        from helpdesk.services.inbox import store_inbound_event

        with self.app.app_context(), database().session() as session:
            store_inbound_event(session, Channel.TELEGRAM, str(body["update_id"]), body)
            session.commit()
        self.flush()

    def flush(self) -> None:
        """Process the citizen's message, then deliver what it queued."""
        with self.app.app_context():
            self.worker.run_once()
            self.worker.run_once()

    def telegram_texts(self) -> list[str]:
        return [p["text"] for p in self.api.sent() if str(p["chat_id"]) == str(CHAT_ID)]


@pytest.fixture
def desk(tmp_path: Path, fake_engine: FakeEngine) -> Iterator[Desk]:
    from channels.telegram.adapter import TelegramAdapter
    from helpdesk.infra.jobs import PollingSignal
    from helpdesk.runtime.worker import Worker

    api = FakeBotApi(files={"AgADphoto": PNG})
    with serve(api) as url:
        app = create_app(
            make_settings(
                f"sqlite:///{tmp_path / 'h.db'}",
                upload_dir=tmp_path / "up",
                reports_dir=tmp_path / "reports",
                telegram_bot_token="1:token",
                telegram_api_base_url=url,
                security_alert_telegram_chat_id=ALERT_CHAT,
            ),
            bot_engine=fake_engine,
        )
        with app.app_context():
            upgrade(database().engine)
            adapter = TelegramAdapter("1:token", api_base_url=url)
            worker = Worker(
                database(), app.extensions["router"], {Channel.TELEGRAM: adapter}, PollingSignal()
            )
        try:
            yield Desk(app, api, worker)
        finally:
            adapter.close()
            with app.app_context():
                database().dispose()


def _file_on_telegram(desk: Desk) -> str:
    with desk.app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, str(CHAT_ID))
        conversation.language, conversation.language_explicit = "jv", True
        conversation.journey = {"kind": "complaint", "step": "category", "data": {}}
        session.commit()
    for answer in (
        "1",
        "Petugas loket KTP nyuwun arta tambahan supados KTP enggal dados",
        "Kantor Dukcapil Sukamaju",
        "wingi",
        "photo",
        "publik",
        "langkungi",
        "inggih",
    ):
        if answer == "photo":  # a photo at the photo step, fetched from Telegram
            from tests.fakes.telegram_api import photo_update

            desk.next_update += 1
            desk.citizen_sends(photo_update(desk.next_update, CHAT_ID, "AgADphoto"))
            continue
        desk.citizen_says(answer)
    filed = desk.telegram_texts()[-1]
    match = re.search(r"\bADU-\d{4}-\d{6}\b", filed)
    assert match, filed
    return match.group()


def _post(client: FlaskClient, path: str, **fields: str) -> Any:
    return client.post(path, data={"csrf_token": csrf(client, "/console/complaints"), **fields})


def test_telegram_javanese_complaint_worked_in_the_console(desk: Desk) -> None:
    number = _file_on_telegram(desk)
    with desk.app.app_context(), database().session() as session:
        complaint = complaint_service.get_complaint(session, number)
        assert complaint.unit == "dukcapil" and complaint.language == "jv"
        assert sla.complaint_clock(session, number) is not None  # started at filing
    dukcapil = desk.app.test_client()
    sign_in(dukcapil, "sri", make_agent(desk.app, "sri", units=("dukcapil",)))
    listing = dukcapil.get("/console/complaints").get_data(as_text=True)
    assert number in listing and "verifikasi" in listing
    page = dukcapil.get(f"/console/complaints/{number}").get_data(as_text=True)
    assert "nyuwun arta tambahan" in page and "Kantor Dukcapil Sukamaju" in page
    photo = re.search(r'<img src="(/console/complaints/[^"]+/files/\d+)"', page)
    assert photo, "the photo is shown inline"
    with dukcapil.get(photo.group(1)) as served:  # stored encrypted, served decrypted
        assert served.status_code == 200 and served.data == PNG
        assert served.headers["Content-Disposition"].startswith("inline")
    outsider = desk.app.test_client()
    sign_in(outsider, "andi", make_agent(desk.app, "andi", units=("perizinan",)))
    assert outsider.get(photo.group(1)).status_code == 404

    def step(path: str, **fields: str) -> None:
        response = _post(dukcapil, f"/console/complaints/{number}/{path}", **fields)
        assert response.status_code == 303, response.get_data(as_text=True)[:400]
        desk.flush()

    step("status", status="verified", note="Sampun kula priksa")
    assert "Sampun dipunverifikasi" in desk.telegram_texts()[-1]
    step("reply", text="Petugas ingkang nyuwun arta sampun dipuntimbali.")
    assert "Wangsulan petugas" in desk.telegram_texts()[-1]
    step("ask", text="Jam pinten kedadosanipun?")
    assert "mbetahaken katrangan tambahan" in desk.telegram_texts()[-1]
    with desk.app.app_context(), database().session() as session:
        clock = sla.complaint_clock(session, number)
        assert clock is not None and clock.paused_since is not None
    desk.citizen_says("Kinten-kinten jam sedasa enjing")
    assert "katrangan panjenengan sampun katambahaken" in desk.telegram_texts()[-1]
    with desk.app.app_context(), database().session() as session:
        clock = sla.complaint_clock(session, number)
        assert clock is not None and clock.paused_since is None
        assert complaint_service.get_complaint(session, number).status == ComplaintStatus.VERIFIED
    assert "jawaban warga" in dukcapil.get(f"/console/complaints/{number}").get_data(as_text=True)

    moved = _post(
        dukcapil, f"/console/complaints/{number}/forward", unit="perizinan", reason="Izin usaha"
    )
    assert moved.status_code == 303 and "forwarded=" in moved.headers["Location"]
    desk.flush()
    assert "dipunterusaken dhateng DPMPTSP" in desk.telegram_texts()[-1]
    assert dukcapil.get(f"/console/complaints/{number}").status_code == 404
    perizinan = outsider
    assert number in perizinan.get("/console/complaints").get_data(as_text=True)
    for status, note in (("in_follow_up", ""), ("finished", "Sampun dipunrampungaken")):
        response = _post(
            perizinan, f"/console/complaints/{number}/status", status=status, note=note
        )
        assert response.status_code == 303
        desk.flush()
    texts = desk.telegram_texts()
    assert "Sampun rampung" in texts[-2] and "Sampun dipunrampungaken" in texts[-2]
    assert "Survei Kepuasan Masyarakat" in texts[-1]
    history = perizinan.get(f"/console/complaints/{number}").get_data(as_text=True)
    for word in ("bertanya ke warga", "balasan ke warga", "diteruskan ke unit lain", "Selesai"):
        assert word in history


def test_console_scope_anonymity_and_csrf(desk: Desk) -> None:
    with desk.app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, str(CHAT_ID))
        numbers = {}
        for name, flags in (
            ("plain", {}),
            ("secret", {"confidential": True}),
            ("anon", {"anonymous": True}),
        ):
            numbers[name] = complaint_service.create_complaint(
                session,
                category="pengaduan",
                description="Jalan berlubang di depan kantor kecamatan sudah sebulan",
                location="Jl. Merdeka 1",
                occurred="kemarin",
                unit="dukcapil",
                nik=NIK,
                conversation_id=conversation.id,
                **flags,  # type: ignore[arg-type]
            ).tracking_number
        session.commit()
    sri = desk.app.test_client()
    sign_in(sri, "sri", make_agent(desk.app, "sri", units=("dukcapil",)))
    anon = sri.get(f"/console/complaints/{numbers['anon']}")
    assert anon.status_code == 200
    body = anon.get_data(as_text=True)
    assert "Anonim" in body and "/console/conversations/" not in body
    assert NIK[-4:] not in body and str(CHAT_ID) not in body
    plain = sri.get(f"/console/complaints/{numbers['plain']}").get_data(as_text=True)
    assert "/console/conversations/" in plain and NIK not in plain  # masked, linked
    listed = sri.get("/console/complaints?anonymous=yes").get_data(as_text=True)
    assert numbers["anon"] in listed and numbers["plain"] not in listed
    refused = sri.post(
        f"/console/complaints/{numbers['plain']}/status", data={"status": "verified"}
    )
    assert refused.status_code == 400  # no CSRF token

    joko = desk.app.test_client()
    sign_in(joko, "joko", make_agent(desk.app, "joko", AgentRole.SUPERVISOR, units=("perizinan",)))
    assert joko.get(f"/console/complaints/{numbers['plain']}").status_code == 200
    for hidden in ("secret", "anon"):
        assert joko.get(f"/console/complaints/{numbers[hidden]}").status_code == 404
        assert numbers[hidden] not in joko.get("/console/complaints").get_data(as_text=True)
    andi = desk.app.test_client()
    sign_in(andi, "andi", make_agent(desk.app, "andi", units=("perizinan",)))
    assert andi.get(f"/console/complaints/{numbers['plain']}").status_code == 404
    wrong = _post(andi, f"/console/complaints/{numbers['plain']}/status", status="verified")
    assert wrong.status_code == 404
    with desk.app.app_context(), database().session() as session:
        untouched = session.scalar(
            select(Complaint.status).where(Complaint.tracking_number == numbers["plain"])
        )
        assert untouched == ComplaintStatus.RECEIVED


def test_breach_reaches_the_supervisor_badge_and_alert_channel(desk: Desk) -> None:
    from helpdesk.runtime.periodic import Periodic
    from helpdesk.security.alerts import AlertSender

    filed = datetime(2026, 10, 5, 9, tzinfo=WIB)  # Monday; verify by Thursday 15:00
    with desk.app.app_context(), database().session() as session:
        number = complaint_service.create_complaint(
            session,
            category="pengaduan",
            description="Antrean KTP tidak dilayani sejak pagi",
            location="Kantor Dukcapil",
            occurred="hari ini",
            unit="dukcapil",
            at=filed,
        ).tracking_number
        session.commit()
    secret = make_agent(desk.app, "dewi", AgentRole.SUPERVISOR, units=("dukcapil",))
    settings = desk.app.extensions["settings"]
    with desk.app.app_context():
        periodic = Periodic(database(), settings)
        assert periodic.tick_sla(datetime(2026, 10, 8, 15, 5, tzinfo=WIB)) == 1
        sent = AlertSender(settings).deliver_pending(database())
    assert sent == 2  # the breach, and the day's digest (it is overdue and after 07:00)
    alert, digest = [p for p in desk.api.sent() if str(p["chat_id"]) == ALERT_CHAT]
    assert "Ringkasan harian / daily digest 2026-10-08 · unit dukcapil" in digest["text"]
    assert number in digest["text"]
    assert "Tenggat terlewati / deadline missed" in alert["text"]
    assert number in alert["text"] and "untuk / for: dewi" in alert["text"]
    assert "Kamis, 8 Oktober 2026 pukul 15.00 WIB" in alert["text"]
    with desk.app.app_context():
        assert AlertSender(settings).deliver_pending(database()) == 0  # sent once
    dewi = desk.app.test_client()
    sign_in(dewi, "dewi", secret)
    start = dewi.get("/console/start").get_data(as_text=True)
    assert "2 pemberitahuan" in start and number in start and "terlambat" in start
    notices = dewi.get("/console/notices").get_data(as_text=True)
    assert number in notices and "dikirim ke kanal peringatan" in notices
    assert "pemberitahuan</a>" not in dewi.get("/console/start").get_data(as_text=True)
    with desk.app.app_context(), database().session() as session:
        sent_notices = session.scalars(select(StaffNotice)).all()
        assert [n.kind for n in sent_notices] == ["sla_breach", "digest"]
        assert all(n.read_at is not None and n.alerted_at is not None for n in sent_notices)


def test_supervisors_edit_canned_replies_per_unit_and_language(desk: Desk) -> None:
    from helpdesk.models import CannedReply
    from helpdesk.services import desk as desk_service

    dewi = desk.app.test_client()
    sign_in(dewi, "dewi", make_agent(desk.app, "dewi", AgentRole.SUPERVISOR, units=("dukcapil",)))
    token = csrf(dewi, "/console/canned")
    for unit, text in (("dukcapil", "Loket Dukcapil buka 08.00-15.00."), ("perizinan", "x")):
        dewi.post(
            "/console/canned",
            data={
                "csrf_token": token,
                "unit": unit,
                "language": "jv",
                "shortcut": "/jam_buka",
                "title": "Jam buka",
                "text": text,
            },
        )
    with desk.app.app_context(), database().session() as session:
        session.add(CannedReply(shortcut="jam_buka", language="jv", title="Umum", text="Umum"))
        session.commit()
        (own,) = session.scalars(select(CannedReply).where(CannedReply.unit == "dukcapil"))
        assert own.shortcut == "jam_buka" and own.language == "jv"
        assert (
            session.scalars(select(CannedReply).where(CannedReply.unit == "perizinan")).all() == []
        )
        shown = desk_service.canned_replies(session, "jv", "dukcapil")
        assert [r.text for r in shown] == ["Loket Dukcapil buka 08.00-15.00."]  # the unit's wins
        assert [r.text for r in desk_service.canned_replies(session, "jv", "umum")] == ["Umum"]
        own_id = own.id
    page = dewi.get("/console/canned?lang=en").get_data(as_text=True)
    assert "Canned replies" in page and "Loket Dukcapil" in page and ">Umum<" not in page
    changed = dewi.post(
        "/console/canned",
        data={
            "csrf_token": token,
            "id": str(own_id),
            "unit": "dukcapil",
            "language": "jv",
            "shortcut": "jam_buka",
            "title": "Jam buka",
            "text": "Loket Dukcapil buka 07.30-15.00.",
        },
    )
    assert changed.status_code == 303
    agent = desk.app.test_client()
    sign_in(agent, "sri", make_agent(desk.app, "sri", units=("dukcapil",)))
    assert agent.get("/console/canned").status_code == 403
    assert (
        dewi.post(f"/console/canned/{own_id}/delete", data={"csrf_token": token}).status_code == 303
    )
    with desk.app.app_context(), database().session() as session:
        assert session.get(CannedReply, own_id) is None


def test_erasure_approved_in_the_console_leaves_no_trace(
    tmp_path: Path, fake_engine: FakeEngine
) -> None:
    import sqlite3

    from helpdesk.services.tokens import create_token
    from tests.unit.test_journeys import PHONE, PNG, Chat

    tracker = tmp_path / "rasa-tracker.db"
    with sqlite3.connect(tracker) as db:
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
    app = create_app(
        make_settings(
            f"sqlite:///{tmp_path / 'helpdesk.db'}",
            rasa_tracker_db=str(tracker),
            upload_dir=tmp_path / "uploads",
            reports_dir=tmp_path / "reports",
        ),
        bot_engine=fake_engine,
    )
    with app.app_context():
        upgrade(database().engine)
        with database().session() as session:
            bot = {"Authorization": f"Bearer {create_token(session, 'bot', 'bot')}"}
            session.commit()
    client = app.test_client()
    chat = Chat(client, fake_engine, bot, "jv")
    chat.say(f"NIK kula {NIK}, nomer HP {PHONE}")
    with sqlite3.connect(tracker) as db:
        db.execute(
            "INSERT INTO events (sender_id, data) VALUES (?, ?)",
            (chat.sender_id, f'{{"text": "NIK kula {NIK}, nomer HP {PHONE}"}}'),
        )
    assert chat.upload(PNG, "ktp.png").status_code == 201
    assert "kacathet" in chat.say("busak data kula")

    agent = app.test_client()
    sign_in(agent, "sri", make_agent(app, "sri", units=("dukcapil",)))
    assert agent.get("/console/privacy").status_code == 403
    dpo = app.test_client()
    sign_in(dpo, "putri", make_agent(app, "putri", AgentRole.DPO, ()))
    page = dpo.get("/console/privacy").get_data(as_text=True)
    assert "Tenggat 3×24 jam" in page and "Penghapusan" in page and "sisa 71 jam" in page
    assert NIK not in page and PHONE not in page
    assert dpo.get("/console/complaints").status_code == 200  # sees no unit's complaints
    match = re.search(r'action="/console/privacy/(\d+)/approve"', page)
    assert match
    token = csrf(dpo, "/console/privacy")
    refused = dpo.post(f"/console/privacy/{match.group(1)}/refuse", data={"csrf_token": token})
    assert refused.status_code == 422  # a refusal needs a reason; nothing decided
    approved = dpo.post(f"/console/privacy/{match.group(1)}/approve", data={"csrf_token": token})
    assert approved.status_code == 303
    assert "dipunsarujuki" in chat.history()[-1]["text"]  # told, in Javanese
    decided = dpo.get("/console/privacy").get_data(as_text=True)
    assert "Selesai" in decided and "putri" in decided
    assert list((tmp_path / "uploads").iterdir()) == []
    with app.app_context():
        database().dispose()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert NIK.encode() not in data, path
            assert PHONE.encode() not in data and PHONE[1:].encode() not in data, path
