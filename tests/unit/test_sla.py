"""SLA clocks in working time: deadlines, pauses while waiting for the citizen, warnings,
breaches escalated to the supervisor, the silent close, and the out-of-office note."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.demo.seed import seed_agents
from helpdesk.models import Channel, Conversation, ConversationStatus, Message, SlaEvent
from helpdesk.services import sla
from helpdesk.web.extensions import database

WIB = ZoneInfo("Asia/Jakarta")


def wib(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def session(app: Flask) -> Session:
    with app.app_context():
        s = database().sessionmaker()
        yield s  # type: ignore[misc]
        s.close()


def _conversation(session: Session, language: str = "id") -> Conversation:
    conversation = Conversation(
        channel=Channel.TELEGRAM,
        channel_user_id="4242",
        language=language,
        status=ConversationStatus.OPEN,
    )
    session.add(conversation)
    session.flush()
    return conversation


def test_policies_parse_and_apply_per_unit_and_category() -> None:
    policies = sla.load_policies()
    assert str(policies.policy("chat", "umum").first_response) == "2h"
    assert str(policies.policy("chat", "dukcapil").resolution) == "1d"
    assert str(policies.policy("complaint", "umum", "berkadar_pengawasan").resolution) == "60d"
    assert str(policies.policy("complaint", "umum").first_response) == "3d"
    with pytest.raises(ValueError):
        sla.Target.parse("2 weeks")


def test_deadlines_are_stored_in_working_time(app: Flask, session: Session) -> None:
    with app.app_context():
        conversation = _conversation(session)
        # Thursday 8 Oct 2026, 10:00 WIB; general unit: first response 2h, resolution 2d
        clock = sla.start(
            session,
            kind="chat",
            ref="c",
            unit="umum",
            conversation_id=conversation.id,
            now=wib(10, 8, 10),
        )
    assert clock.first_response_due == wib(10, 8, 12).astimezone(UTC)
    # 2 working days after Thursday: Friday, Monday -> end of office hours Monday 16:00
    assert clock.resolution_due == wib(10, 12, 16).astimezone(UTC)


def test_complaint_deadline_across_the_idulfitri_break(app: Flask, session: Session) -> None:
    with app.app_context():
        clock = sla.start(
            session,
            kind="complaint",
            ref="ADU-2026-000001",
            unit="umum",
            category="normatif",
            now=wib(3, 17, 9),
        )
    # first response 3d: 25, 26, 27 March (18-24 March are Nyepi, Idulfitri and cuti bersama)
    # the general desk closes at 11:30 on Fridays (data/catalog/units.yml)
    assert clock.first_response_due == wib(3, 27, 11, 30).astimezone(UTC)
    # resolution 5d: 25, 26, 27, 30, 31 March
    assert clock.resolution_due == wib(3, 31, 16).astimezone(UTC)


def test_a_pause_while_waiting_for_the_citizen_moves_the_deadlines(
    app: Flask, session: Session
) -> None:
    with app.app_context():
        conversation = _conversation(session)
        clock = sla.start(
            session,
            kind="chat",
            ref="c",
            unit="umum",
            conversation_id=conversation.id,
            now=wib(10, 8, 10),
        )
        sla.pause(session, clock, wib(10, 8, 11))
        # paused clocks neither warn nor breach, even past the first-response deadline
        assert sla.tick(session, wib(10, 8, 15)) == []
        sla.resume(session, clock, wib(10, 9, 9))
    # waited Thu 11:00-16:00 (5 h) + Fri 08:00-09:00 (1 h) = 6 working hours:
    # first response Thu 12:00 + 6 h -> Thu 12-16 (4 h) + Fri 08-10 -> Fri 10:00
    assert clock.first_response_due == wib(10, 9, 10).astimezone(UTC)
    # resolution Mon 16:00 + 6 h -> Tue 08:00 + 6 h -> Tue 14:00
    assert clock.resolution_due == wib(10, 13, 14).astimezone(UTC)
    assert clock.paused_seconds == 6 * 3600 and clock.paused_since is None


def test_warning_then_breach_escalated_to_the_supervisor(app: Flask, session: Session) -> None:
    with app.app_context():
        seed_agents(session)
        conversation = _conversation(session)
        clock = sla.start(
            session,
            kind="chat",
            ref="c",
            unit="umum",
            conversation_id=conversation.id,
            now=wib(10, 8, 10),
        )
        assert sla.tick(session, wib(10, 8, 11)) == []  # 1 h of 2 h left: no warning yet
        warned = sla.tick(session, wib(10, 8, 11, 40))  # 20 min left <= 25% of 2 h
        assert [e.event for e in warned] == ["warning_first"]
        assert sla.tick(session, wib(10, 8, 11, 50)) == []  # warned once
        breached = sla.tick(session, wib(10, 8, 12, 1))
        assert [e.event for e in breached] == ["breach_first"]
        assert breached[0].notified == "supervisor" and clock.escalated_to == "supervisor"
        assert clock.breached_first
        sla.on_agent_reply(session, conversation, wib(10, 8, 13))
        sla.on_resolve(session, conversation, wib(10, 8, 14))
    assert sla.met(clock) is False  # first response was late


def test_a_clock_met_in_time(app: Flask, session: Session) -> None:
    with app.app_context():
        conversation = _conversation(session)
        clock = sla.start(
            session,
            kind="chat",
            ref="c",
            unit="umum",
            conversation_id=conversation.id,
            now=wib(10, 8, 10),
        )
        sla.on_agent_reply(session, conversation, wib(10, 8, 10, 30))
        sla.on_resolve(session, conversation, wib(10, 9, 15))
    assert sla.met(clock) is True


def test_silent_case_closes_with_notice(app: Flask, session: Session) -> None:
    with app.app_context():
        conversation = _conversation(session, "su")
        clock = sla.start(
            session,
            kind="chat",
            ref="c",
            unit="umum",
            conversation_id=conversation.id,
            now=wib(10, 1, 10),
        )
        sla.pause(session, clock, wib(10, 1, 11))
        assert sla.tick(session, wib(10, 14, 10)) == []  # 9 working days: still waiting
        events = sla.tick(session, wib(10, 15, 17))  # end of the 10th working day passed
        assert [e.event for e in events] == ["closed_no_reply"]
        assert conversation.status == ConversationStatus.RESOLVED
        notice = session.scalars(select(Message).order_by(Message.id.desc())).first()
        assert notice is not None and "ditutup" in notice.text  # Sundanese notice
        assert session.scalar(select(SlaEvent.event)) == "closed_no_reply"


def test_out_of_office_note_says_when_officers_are_back(app: Flask, session: Session) -> None:
    with app.app_context():
        conversation = _conversation(session)
        assert sla.back_note(session, conversation, wib(10, 8, 10)) is None  # open
        note = sla.back_note(session, conversation, wib(10, 9, 17))  # Friday evening
        assert note is not None and "Senin, 12 Oktober 2026 pukul 08.00 WIB" in note
        conversation.language = "jv"
        jv = sla.back_note(session, conversation, wib(3, 17, 18))  # before the Lebaran break
        assert jv is not None and "Rebo, 25 Maret 2026 jam 08.00 WIB" in jv


def test_handoff_starts_a_clock_and_waiting_pauses_it(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    from tests.unit.test_api_conversations import start_chat

    sid, cid = start_chat(client)
    body = client.post(
        f"/api/v1/conversations/{cid}/handoff", json={"reason": "complaint"}, headers=auth
    ).get_json()
    assert "back_note" in body
    client.post(
        f"/api/v1/conversations/{cid}/messages", json={"text": "Mohon foto KTP"}, headers=auth
    )
    assert client.post(f"/api/v1/conversations/{cid}/waiting", headers=auth).status_code == 200
    with client.application.app_context(), database().session() as s:
        conversation = s.get(Conversation, cid)
        assert conversation is not None
        clock = sla.open_clock(s, conversation)
        assert clock is not None and clock.paused_since is not None
        assert clock.first_response_at is not None
    client.post(f"/webchat/sessions/{sid}/messages", json={"text": "ini fotonya"})
    with client.application.app_context(), database().session() as s:
        conversation = s.get(Conversation, cid)
        assert conversation is not None
        clock = sla.open_clock(s, conversation)
        assert clock is not None and clock.paused_since is None
