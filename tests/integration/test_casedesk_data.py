"""The case desk's services on SQLite and PostgreSQL: the complaint workflow with its SLA
clock (across the Lebaran break, paused while waiting for the citizen, escalated at the
breach), forwarding and the scope rules, supervisor notices and the daily digest, and
migration 0015 down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from helpdesk.infra.db import make_engine
from helpdesk.infra.migrate import alembic_config, upgrade
from helpdesk.models import (
    Agent,
    AgentRole,
    AuditEvent,
    Channel,
    ComplaintStatus,
    Message,
    SlaEvent,
    StaffNotice,
    Survey,
)
from helpdesk.services import agents as agent_service
from helpdesk.services import casedesk, notices, sla
from helpdesk.services import complaints as complaint_service
from helpdesk.services import conversations as convs
from helpdesk.services.errors import Conflict, InvalidInput, NotFound
from tests.integration.test_data_layer import postgres_schema_engine  # noqa: F401 (fixture)

UNITS = frozenset({"umum", "dukcapil", "perizinan"})
WIB = ZoneInfo("Asia/Jakarta")
NIK = "3201019876540042"


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of each kind (a throw-away schema on PostgreSQL)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/casedesk.db")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("postgres_schema_engine")
    _migrate(eng, "downgrade", "base")
    upgrade(eng)
    yield eng


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)


def _people(session: Session) -> dict[str, Agent]:
    people = {}
    for name, role, units in (
        ("sri", AgentRole.AGENT, ("dukcapil",)),
        ("andi", AgentRole.AGENT, ("perizinan",)),
        ("dewi", AgentRole.SUPERVISOR, ("dukcapil",)),
        ("joko", AgentRole.SUPERVISOR, ("perizinan",)),
        ("admin", AgentRole.ADMIN, ()),
        ("dpo", AgentRole.DPO, ()),
    ):
        people[name] = agent_service.create_agent(
            session, name, role, units, UNITS, password="pw-long-enough"
        ).agent
    return people


def _file(session: Session, at: datetime, **kwargs: object) -> str:
    conversation = convs.get_or_create(session, Channel.TELEGRAM, f"tg-{at.timestamp()}")
    conversation.language = "jv"
    complaint = complaint_service.create_complaint(
        session,
        category=str(kwargs.pop("category", "pengaduan")),
        description="Petugas loket KTP njaluk dhuwit tambahan kangge nyepetaken",
        location="Kantor Dukcapil",
        occurred="wingi",
        unit=str(kwargs.pop("unit", "dukcapil")),
        nik=NIK,
        language="jv",
        conversation_id=conversation.id,
        at=at,
        **kwargs,  # type: ignore[arg-type]
    )
    from helpdesk.services import notifications

    notifications.subscribe(session, conversation, complaint.tracking_number)
    return complaint.tracking_number


def _bot_texts(session: Session) -> list[str]:
    return [m.text for m in session.scalars(select(Message).order_by(Message.id))]


def test_whole_workflow_with_its_clock(engine: Engine) -> None:
    with Session(engine) as session:
        _people(session)
        # Tuesday 17 March 2026 09:00, the day before the Nyepi + Idulfitri break (18-24 March)
        number = _file(session, wib(3, 17, 9))
        clock = sla.complaint_clock(session, number)
        assert clock is not None and clock.unit == "dukcapil" and clock.category == "pengaduan"
        # verification: 3 working days -> 25, 26, 27 March; dukcapil closes 11:00 on Fridays
        assert clock.first_response_due == wib(3, 27, 11).astimezone(UTC)

        complaint_service.change_status(
            session, number, "verified", "Sampun dipunpriksa", actor="sri", now=wib(3, 25, 10)
        )
        assert clock.first_response_at == wib(3, 25, 10).astimezone(UTC)
        # follow-up: 5 working days after verification -> 26, 27, 30, 31 March, 1 April
        assert clock.resolution_due == wib(4, 1, 15).astimezone(UTC)
        assert "Sampun dipunverifikasi" in _bot_texts(session)[-1]  # Javanese, as filed

        # waiting for the citizen pauses the clock; the answer moves the deadline on
        complaint_service.ask_citizen(
            session, number, "Jam pinten kedadosanipun?", actor="sri", now=wib(3, 26, 9)
        )
        complaint = complaint_service.get_complaint(session, number)
        assert complaint.status == ComplaintStatus.WAITING and clock.paused_since is not None
        assert "mbetahaken katrangan" in _bot_texts(session)[-1]
        assert sla.tick(session, wib(4, 2, 9)) == []  # paused: no breach although past due
        conversation = convs.get_conversation(session, complaint.conversation_id or 0)
        assert (conversation.journey or {}).get("kind") == "complaint_info"
        answered = complaint_service.record_answer(
            session, conversation, number, "Jam 10 enjing", now=wib(3, 27, 9)
        )
        assert answered is not None and answered.status == ComplaintStatus.VERIFIED
        # waited Thu 26 09:00 -> Fri 27 09:00 = 6 h (Thu 09-15) + 1 h (Fri 08-09) = 7 working h
        assert clock.paused_seconds == 7 * 3600 and clock.paused_since is None
        # 1 April 15:00 (closing) + 7 working h -> Thursday 2 April 08:00 + 7 h = 15:00
        assert clock.resolution_due == wib(4, 2, 15).astimezone(UTC)

        complaint_service.reply(session, number, "Petugas sampun dipuntegur.", actor="sri")
        assert "Wangsulan petugas" in _bot_texts(session)[-1]
        complaint_service.change_status(session, number, "in_follow_up", actor="sri")
        complaint_service.change_status(
            session, number, "finished", "Sampun rampung", actor="sri", now=wib(3, 30, 10)
        )
        assert clock.resolved_at == wib(3, 30, 10).astimezone(UTC) and sla.met(clock)
        texts = _bot_texts(session)
        assert "Sampun rampung" in texts[-2] and "Survei Kepuasan Masyarakat" in texts[-1]
        survey = session.scalars(select(Survey)).one()
        assert survey.unit == "dukcapil" and survey.language == "jv"
        actions = [h.action for h in complaint.history]
        assert actions == ["status", "status", "ask", "answer", "reply", "status", "status"]
        audited = session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == number))
        assert set(audited) >= {
            "complaint.status",
            "complaint.ask",
            "complaint.answer",
            "complaint.reply",
        }
        with pytest.raises(Conflict):  # a finished complaint cannot go back (409, not 422)
            complaint_service.change_status(session, number, "verified", actor="sri")
        session.commit()


def test_forward_moves_the_clock_and_the_scope(engine: Engine) -> None:
    with Session(engine) as session:
        people = _people(session)
        number = _file(session, wib(10, 5, 9))
        before = sla.complaint_clock(session, number)
        assert before is not None
        due = before.first_response_due
        with pytest.raises(InvalidInput):
            complaint_service.forward(
                session, number, "perizinan", "  ", known_units=UNITS, actor="sri"
            )
        with pytest.raises(InvalidInput):
            complaint_service.forward(
                session, number, "pajak", "bukan kami", known_units=UNITS, actor="sri"
            )
        complaint_service.forward(
            session,
            number,
            "perizinan",
            "Soal izin usaha, bukan KTP",
            known_units=UNITS,
            unit_name="DPMPTSP",
            actor="sri",
            now=wib(10, 5, 10),
        )
        session.commit()
        clock = sla.complaint_clock(session, number)
        assert clock is not None and clock.unit == "perizinan"
        assert clock.first_response_due == due and clock.first_response_at is not None
        with pytest.raises(NotFound):
            casedesk.get_for_agent(session, people["sri"], number)
        assert casedesk.get_for_agent(session, people["andi"], number).unit == "perizinan"
        listed = casedesk.rows(session, people["andi"], casedesk.ComplaintFilter())
        assert [r.complaint.tracking_number for r in listed] == [number]
        step = complaint_service.get_complaint(session, number).history[-1]
        assert (step.action, step.from_unit, step.to_unit) == ("forward", "dukcapil", "perizinan")
        assert "dipunterusaken dhateng DPMPTSP" in _bot_texts(session)[-1]


def test_confidential_and_anonymous_stay_in_the_unit(engine: Engine) -> None:
    with Session(engine) as session:
        people = _people(session)
        plain = _file(session, wib(10, 5, 9))
        secret = _file(session, wib(10, 5, 10), confidential=True)
        anonymous = _file(session, wib(10, 5, 11), anonymous=True)
        session.commit()

        def seen(name: str) -> set[str]:
            rows = casedesk.rows(session, people[name], casedesk.ComplaintFilter())
            return {r.complaint.tracking_number for r in rows}

        assert seen("sri") == {plain, secret, anonymous}
        assert seen("dewi") == {plain, secret, anonymous}  # supervisor of the unit
        assert seen("joko") == {plain}  # supervisor of another unit: not the confidential
        assert seen("admin") == {plain}
        assert seen("andi") == set() and seen("dpo") == set()
        for name, number in (("joko", secret), ("admin", anonymous), ("andi", plain)):
            with pytest.raises(NotFound):
                casedesk.get_for_agent(session, people[name], number)
        hidden = complaint_service.get_complaint(session, anonymous)
        assert casedesk.identity_of(session, hidden) is None
        shown = casedesk.identity_of(session, complaint_service.get_complaint(session, plain))
        assert shown is not None and shown.nik_masked is not None and NIK not in shown.nik_masked


def test_breach_tells_the_supervisor_and_the_digest_lists_it(engine: Engine) -> None:
    with Session(engine) as session:
        _people(session)
        number = _file(session, wib(10, 5, 9))  # Monday; verify by Thu 8 Oct 15:00
        session.commit()
        assert sla.tick(session, wib(10, 6, 9)) == []
        warned = sla.tick(session, wib(10, 8, 10))  # 5 of 21 working hours left
        assert [e.event for e in warned] == ["warning_first"]
        breached = sla.tick(session, wib(10, 8, 15, 1))
        assert [(e.event, e.notified) for e in breached] == [("breach_first", "dewi")]
        session.commit()
        (breach,) = session.scalars(select(StaffNotice).where(StaffNotice.kind == "sla_breach"))
        assert breach.recipient == "dewi" and breach.send_alert
        assert number in breach.text and f"/console/complaints/{number}" in breach.text
        assert "Kamis, 8 Oktober 2026 pukul 15.00 WIB" in breach.text
        assert notices.unread_count(session, "dewi") == 2  # the warning and the breach
        assert notices.unread_count(session, "joko") == 0
        assert sla.tick(session, wib(10, 8, 16)) == []  # told once
        assert notices.daily_digest(session, wib(10, 9, 6, 59)) == []  # before 07:00
        (digest,) = notices.daily_digest(session, wib(10, 9, 7, 30))
        assert digest.recipient == "dewi" and number in digest.text
        assert notices.daily_digest(session, wib(10, 9, 9)) == []  # once a day
        assert notices.mark_read(session, "dewi") == 3
        session.commit()
        events = session.scalars(select(SlaEvent.event)).all()
        assert events == ["warning_first", "breach_first"]


def test_migration_0015_down_and_up(engine: Engine) -> None:
    with Session(engine) as session:
        _people(session)
        number = _file(session, wib(10, 5, 9))
        complaint_service.ask_citizen(session, number, "Wonten foto?", actor="sri")
        session.commit()
    _migrate(engine, "downgrade", "0014_security_console_sessions")
    _migrate(engine, "upgrade", "head")
    with Session(engine) as session:
        complaint = complaint_service.get_complaint(session, number)
        assert complaint.status == ComplaintStatus.RECEIVED  # waiting folded back
        assert session.scalar(select(Agent.role).where(Agent.username == "dpo")) == AgentRole.AGENT
