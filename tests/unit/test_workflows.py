"""Workflows written once in the service layer and used by every view (issue 16)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from helpdesk.models import AuditEvent, Channel, Message, OutboxItem, Sender
from helpdesk.services import conversations as convs
from helpdesk.services import notifications
from helpdesk.services import requests as service_requests
from helpdesk.web.extensions import database
from tests.console_helpers import csrf, make_agent, sign_in

NIK = "3201010101900001"


def _subscribed_request(app: Flask) -> tuple[str, int]:
    """A KTP request (dukcapil) and a Telegram conversation subscribed to its updates."""
    with app.app_context(), database().session() as session:
        request = service_requests.create_request(
            session,
            service_code="ktp_el",
            applicant_name="Siti",
            nik=NIK,
            phone=None,
            known_services=frozenset({"ktp_el"}),
        )
        conversation = convs.get_or_create(session, Channel.TELEGRAM, "4242", "jv")
        notifications.subscribe(session, conversation, request.tracking_number)
        session.commit()
        return request.tracking_number, conversation.id


def test_a_console_status_change_reaches_a_subscribed_citizen(app: Flask) -> None:
    """The console used to record and audit a status change but never told the citizen."""
    number, conversation_id = _subscribed_request(app)
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri", units=("dukcapil",)))
    token = csrf(client, "/console/")
    response = client.post(
        f"/console/requests/{number}/status",
        data={"csrf_token": token, "status": "verifying", "note": "NIK 3201020202900002 ok"},
    )
    assert response.status_code == 303
    with app.app_context(), database().session() as session:
        told = session.scalars(
            select(Message).where(
                Message.conversation_id == conversation_id, Message.sender == Sender.BOT
            )
        ).all()
        assert len(told) == 1
        assert number in told[0].text and "Saweg dipunverifikasi" in told[0].text
        assert "3201********0002" in told[0].text and "3201020202900002" not in told[0].text
        queued = session.scalars(select(OutboxItem)).one()
        assert queued.channel == Channel.TELEGRAM and queued.message_id == told[0].id
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "request.status")
        ).one()
        # the same target type as the API's, so the breach report finds the request
        assert (audit.actor, audit.target_type, audit.target_id) == (
            "sri",
            "service_request",
            number,
        )


def test_the_api_and_the_console_run_the_same_status_workflow(
    app: Flask, auth: dict[str, str]
) -> None:
    number, conversation_id = _subscribed_request(app)
    response = app.test_client().post(
        f"/api/v1/requests/{number}/status", json={"status": "verifying"}, headers=auth
    )
    assert response.status_code == 200
    with app.app_context(), database().session() as session:
        assert session.scalars(select(OutboxItem)).one().message.conversation_id == conversation_id
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "request.status")
        ).one()
        assert audit.target_type == "service_request"


def test_a_forwarded_complaint_tells_the_citizen_the_unit_in_their_language(
    app: Flask, auth: dict[str, str]
) -> None:
    """The API and the console passed the unit's Indonesian name whatever the citizen
    spoke; the service now names it from the session's catalog in their language."""
    from helpdesk.services import complaints

    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, "4343", "en")
        session.flush()
        complaint = complaints.create_complaint(
            session,
            category="pengaduan",
            description="The counter asked me for extra money",
            location="Kantor Dukcapil",
            occurred="yesterday",
            unit="dukcapil",
            language="en",
            conversation_id=conversation.id,
        )
        notifications.subscribe(session, conversation, complaint.tracking_number)
        session.commit()
        number, conversation_id = complaint.tracking_number, conversation.id
    response = app.test_client().post(
        f"/api/v1/complaints/{number}/forward",
        json={"unit": "perizinan", "reason": "A licence matter"},
        headers=auth,
    )
    assert response.status_code == 200
    with app.app_context(), database().session() as session:
        told = session.scalars(
            select(Message.text).where(
                Message.conversation_id == conversation_id, Message.sender == Sender.BOT
            )
        ).all()
    assert any("forwarded to Licensing one-stop service (DPMPTSP)" in str(t) for t in told), told
