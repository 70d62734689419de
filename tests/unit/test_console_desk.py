"""The console's conversation routes: unit scope on every route, claim 409, reply through the
outbox, private notes, transfer, return, assign, resolve/reopen, sweep, escaping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.models import (
    AgentRole,
    AuditEvent,
    Channel,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Message,
    OutboxItem,
    Sender,
    utcnow,
)
from helpdesk.services import conversations as convs
from helpdesk.services import desk
from helpdesk.web.extensions import database
from tests.console_helpers import (
    agent_id,
    conversation_state,
    csrf,
    make_agent,
    pending_conversation,
    sign_in,
)


@pytest.fixture
def dukcapil(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri", units=("dukcapil",)))
    return client


@pytest.fixture
def perizinan(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, "andi", make_agent(app, "andi", units=("perizinan",)))
    return client


@pytest.fixture
def supervisor(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, "dewi", make_agent(app, "dewi", AgentRole.SUPERVISOR, units=()))
    return client


def post(client: FlaskClient, path: str, **data: str) -> int:
    token = csrf(client, "/console/")
    return client.post(path, data={"csrf_token": token, **data}).status_code


ROUTES = ("claim", "reply", "notes", "resolve", "reopen", "release", "transfer", "assign")


def test_agents_see_only_their_units_on_every_route(
    app: Flask, dukcapil: FlaskClient, perizinan: FlaskClient, supervisor: FlaskClient
) -> None:
    cid = pending_conversation(app, "dukcapil", text="KTP saya hilang")
    assert "KTP saya hilang" in dukcapil.get("/console/").get_data(as_text=True)
    assert "KTP saya hilang" not in perizinan.get("/console/").get_data(as_text=True)
    assert "KTP saya hilang" in supervisor.get("/console/").get_data(as_text=True)
    assert dukcapil.get(f"/console/conversations/{cid}").status_code == 200
    assert perizinan.get(f"/console/conversations/{cid}").status_code == 404
    assert perizinan.get(f"/console/conversations/{cid}/panel").status_code == 404
    assert perizinan.get(f"/console/conversations/{cid}/canned").status_code == 404
    for route in ROUTES:
        status = post(
            perizinan, f"/console/conversations/{cid}/{route}", text="x", unit="umum", reason="x"
        )
        assert status == 404, route
    assert conversation_state(app, cid).status == ConversationStatus.PENDING
    assert supervisor.get(f"/console/conversations/{cid}").status_code == 200


def test_claim_is_atomic_second_agent_gets_409(app: Flask, dukcapil: FlaskClient) -> None:
    other = app.test_client()
    sign_in(other, "tari", make_agent(app, "tari", units=("dukcapil",)))
    cid = pending_conversation(app, "dukcapil")
    assert post(dukcapil, f"/console/conversations/{cid}/claim") in (200, 204, 303)
    assert post(other, f"/console/conversations/{cid}/claim") == 409
    state = conversation_state(app, cid)
    assert state.status == ConversationStatus.OPEN
    assert state.assigned_agent_id == agent_id(app, "sri")
    assert post(other, f"/console/conversations/{cid}/reply", text="saya juga") == 409


def test_claim_race_in_the_service_layer(app: Flask) -> None:
    make_agent(app, "sri")
    make_agent(app, "tari")
    cid = pending_conversation(app, "dukcapil")
    with app.app_context():
        db = database()
        with db.session() as one, db.session() as two:
            sri = desk.get_for_agent(one, _agent(one, "sri"), cid)
            tari = desk.get_for_agent(two, _agent(two, "tari"), cid)
            desk.claim(one, _agent(one, "sri"), sri)
            one.commit()
            with pytest.raises(Exception) as refused:
                desk.claim(two, _agent(two, "tari"), tari)
            assert getattr(refused.value, "status", None) == 409


def _agent(session, username):  # type: ignore[no-untyped-def]
    from helpdesk.services.agents import find_agent

    return find_agent(session, username)


def test_reply_reaches_the_citizens_channel_note_does_not(
    app: Flask, dukcapil: FlaskClient
) -> None:
    cid = pending_conversation(app, "dukcapil")
    assert post(dukcapil, f"/console/conversations/{cid}/reply", text="Halo, saya Sri") == 303
    assert post(dukcapil, f"/console/conversations/{cid}/notes", text="RAHASIA internal") == 303
    session_client = app.test_client()
    with app.app_context(), database().session() as session:
        conversation = session.get(Conversation, cid)
        assert conversation is not None
        texts = [m.text for m in conversation.messages]
        assert "Halo, saya Sri" in texts and "RAHASIA internal" not in texts
        reply = next(m for m in conversation.messages if m.sender == Sender.AGENT)
        assert reply.agent_id == agent_id(app, "sri")
        notes = session.scalars(
            select(ConversationEvent.text).where(ConversationEvent.kind == "note")
        ).all()
        assert notes == ["RAHASIA internal"]
    assert session_client  # the widget reads messages only (see the e2e browser test)
    page = dukcapil.get(f"/console/conversations/{cid}").get_data(as_text=True)
    assert "RAHASIA internal" in page and "Halo, saya Sri" in page


def test_reply_on_telegram_goes_through_the_outbox(app: Flask, dukcapil: FlaskClient) -> None:
    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, "777")
        convs.add_message(session, conversation, Sender.CITIZEN, "tolong")
        convs.hand_off(session, conversation, "citizen_request", unit_code="dukcapil")
        session.commit()
        cid = conversation.id
    assert post(dukcapil, f"/console/conversations/{cid}/reply", text="Baik") == 303
    with app.app_context(), database().session() as session:
        item = session.scalar(select(OutboxItem))
        assert item is not None and item.recipient == "777" and item.message.text == "Baik"


def test_whatsapp_after_24_hours_says_the_template_path(app: Flask, dukcapil: FlaskClient) -> None:
    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.WHATSAPP, "628123")
        convs.hand_off(session, conversation, "citizen_request", unit_code="dukcapil")
        conversation.last_inbound_at = utcnow() - timedelta(hours=25)
        session.commit()
        cid = conversation.id
    page = dukcapil.get(f"/console/conversations/{cid}").get_data(as_text=True)
    assert "WhatsApp: sudah lebih dari 24 jam" in page and "template" in page


def test_citizen_text_is_escaped_and_personal_data_masked(
    app: Flask, dukcapil: FlaskClient
) -> None:
    cid = pending_conversation(
        app, "dukcapil", text="<script>alert(1)</script> NIK 3201010101900001 hp 081234567801"
    )
    page = dukcapil.get(f"/console/conversations/{cid}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "3201010101900001" not in page and "3201********0001" in page
    assert "081234567801" not in page
    queue = dukcapil.get("/console/").get_data(as_text=True)
    assert "<script>alert(1)" not in queue and "3201010101900001" not in queue
    with app.app_context(), database().session() as session:
        message_id = session.scalar(select(Message.id).where(Message.conversation_id == cid))
    token = csrf(dukcapil, "/console/")
    shown = dukcapil.post(
        f"/console/conversations/{cid}/messages/{message_id}/reveal", data={"csrf_token": token}
    )
    assert "3201010101900001" in shown.get_data(as_text=True)
    with app.app_context(), database().session() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "sri")).all()
        assert "personal_data.reveal" in actions


def test_transfer_moves_the_conversation_to_another_units_queue(
    app: Flask, dukcapil: FlaskClient, perizinan: FlaskClient
) -> None:
    cid = pending_conversation(app, "dukcapil", text="izin usaha")
    assert post(dukcapil, f"/console/conversations/{cid}/claim") == 303
    assert post(dukcapil, f"/console/conversations/{cid}/transfer", unit="perizinan") == 422
    status = post(
        dukcapil, f"/console/conversations/{cid}/transfer", unit="perizinan", reason="soal NIB"
    )
    assert status == 303
    state = conversation_state(app, cid)
    assert state.unit_code == "perizinan" and state.status == ConversationStatus.PENDING
    assert state.assigned_agent_id is None
    assert dukcapil.get(f"/console/conversations/{cid}").status_code == 404
    page = perizinan.get(f"/console/conversations/{cid}").get_data(as_text=True)
    assert "soal NIB" in page


def test_return_to_queue_and_supervisor_assign(
    app: Flask, dukcapil: FlaskClient, supervisor: FlaskClient
) -> None:
    cid = pending_conversation(app, "dukcapil")
    assert post(dukcapil, f"/console/conversations/{cid}/claim") == 303
    assert post(dukcapil, f"/console/conversations/{cid}/release") == 303
    assert conversation_state(app, cid).status == ConversationStatus.PENDING
    sri = agent_id(app, "sri")
    assert post(dukcapil, f"/console/conversations/{cid}/assign", agent_id=str(sri)) == 403
    assert post(supervisor, f"/console/conversations/{cid}/assign", agent_id=str(sri)) == 303
    state = conversation_state(app, cid)
    assert state.status == ConversationStatus.OPEN and state.assigned_agent_id == sri
    page = dukcapil.get("/console/?view=mine").get_data(as_text=True)
    assert f"#{cid}" in page


def test_resolve_and_reopen(app: Flask, dukcapil: FlaskClient) -> None:
    cid = pending_conversation(app, "dukcapil")
    assert post(dukcapil, f"/console/conversations/{cid}/claim") == 303
    assert post(dukcapil, f"/console/conversations/{cid}/resolve") == 303
    assert conversation_state(app, cid).status == ConversationStatus.RESOLVED
    assert post(dukcapil, f"/console/conversations/{cid}/reopen") == 303
    state = conversation_state(app, cid)
    assert state.status == ConversationStatus.OPEN and state.assigned_agent_id == agent_id(
        app, "sri"
    )


def test_sweep_returns_unclaimed_and_silent_conversations(app: Flask) -> None:
    make_agent(app, "sri")
    make_agent(app, "dewi", AgentRole.SUPERVISOR, units=())
    silent = pending_conversation(app, "dukcapil", user="a")
    assigned = pending_conversation(app, "dukcapil", user="b")
    busy = pending_conversation(app, "dukcapil", user="c")
    with app.app_context(), database().session() as session:
        sri = _agent(session, "sri")
        dewi = _agent(session, "dewi")
        now = utcnow()
        desk.claim(session, sri, session.get(Conversation, silent))
        desk.assign(session, dewi, session.get(Conversation, assigned), sri)
        desk.claim(session, sri, session.get(Conversation, busy))
        session.commit()
        for cid in (silent, assigned, busy):
            c = session.get(Conversation, cid)
            assert c is not None
            c.opened_at = now - timedelta(minutes=30)
            c.last_agent_activity_at = None if cid == assigned else now - timedelta(minutes=20)
            c.last_inbound_at = now - timedelta(minutes=(25 if cid == busy else 10))
        session.commit()
        returned = desk.sweep(session, unclaimed_minutes=5, silent_minutes=15, at=now)
        session.commit()
        assert sorted(returned) == sorted([silent, assigned])
        assert session.get(Conversation, busy).status == ConversationStatus.OPEN  # type: ignore[union-attr]


def test_handoff_api_routes_by_service_unit(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    with app.app_context(), database().session() as session:
        ids = []
        for user in ("u1", "u2", "u3"):
            ids.append(convs.get_or_create(session, Channel.WEBCHAT, user).id)
        session.commit()
    bodies = [
        {"reason": "citizen_request", "service": "nib"},
        {"reason": "citizen_request", "service": "ktp_el"},
        {"reason": "citizen_request"},
    ]
    units = []
    for cid, body in zip(ids, bodies, strict=True):
        response = client.post(f"/api/v1/conversations/{cid}/handoff", json=body, headers=auth)
        assert response.status_code == 200
        units.append(response.get_json()["unit"])
    assert units == ["perizinan", "dukcapil", "umum"]


def test_canned_replies_fill_variables(app: Flask, dukcapil: FlaskClient) -> None:
    from helpdesk.demo.seed import seed_canned_replies

    with app.app_context(), database().session() as session:
        seed_canned_replies(session)
        conversation = convs.get_or_create(session, Channel.WEBCHAT, "cek")
        convs.add_message(session, conversation, Sender.CITIZEN, "status ktp-2026-000123 ya")
        convs.hand_off(
            session, conversation, "citizen_request", unit_code="dukcapil", service_code="ktp_el"
        )
        conversation.language = "jv"
        session.commit()
        cid = conversation.id
    items = dukcapil.get(f"/console/conversations/{cid}/canned").get_json()["items"]
    status = next(i for i in items if i["shortcut"] == "status")
    assert "KTP-2026-000123" in status["text"] and "panjenengan" in status["text"]
    page = dukcapil.get(f"/console/conversations/{cid}").get_data(as_text=True)
    assert 'data-shortcut="salam"' in page


def test_presence_warns_of_another_agent(app: Flask, dukcapil: FlaskClient) -> None:
    other = app.test_client()
    sign_in(other, "tari", make_agent(app, "tari", units=("dukcapil",)))
    cid = pending_conversation(app, "dukcapil")
    assert other.get(f"/console/conversations/{cid}/panel?typing=1").status_code == 200
    page = dukcapil.get(f"/console/conversations/{cid}/panel").get_data(as_text=True)
    assert "tari" in page and "mengetik" in page


def test_dashboard_style_role_checks_admin_pages(
    app: Flask, dukcapil: FlaskClient, supervisor: FlaskClient
) -> None:
    assert dukcapil.get("/console/admin/agents").status_code == 403
    assert supervisor.get("/console/admin/audit").status_code == 403
    admin = app.test_client()
    sign_in(admin, "root", make_agent(app, "root", AgentRole.ADMIN, units=()))
    assert admin.get("/console/admin/agents").status_code == 200
    csv_text = admin.get("/console/admin/audit.csv").get_data(as_text=True)
    assert csv_text.startswith("id,created_at,actor,action") and "agent.login" in csv_text


def test_transcript_shows_intent_and_confidence_from_the_engine(
    app: Flask, dukcapil: FlaskClient, fake_engine: object
) -> None:
    fake_engine.parse = lambda text: ("ask_fee", 0.37)  # type: ignore[attr-defined]
    cid = pending_conversation(app, "dukcapil", text="berapa biaya akta")
    page = dukcapil.get(f"/console/conversations/{cid}").get_data(as_text=True)
    assert "ask_fee 37%" in page and 'class="intent low"' in page
    with app.app_context(), database().session() as session:
        message = session.scalar(select(Message).where(Message.conversation_id == cid))
        assert message is not None and message.intent == "ask_fee"
        assert message.intent_confidence == pytest.approx(0.37)
