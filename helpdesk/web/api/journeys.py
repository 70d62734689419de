"""`/api/v1`: complaints, data-subject requests, attachments, and the bot's journey hooks."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, current_app, jsonify, request, send_file

from helpdesk.journeys.engine import Journeys
from helpdesk.models import (
    Attachment,
    Complaint,
    ComplaintStatus,
    Conversation,
    DataRequest,
    DataRequestKind,
    DataRequestStatus,
)
from helpdesk.services import audit, privacy, uploads
from helpdesk.services import complaints as complaint_service
from helpdesk.services import conversations as convs
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.text.personal import mask_nik, mask_personal_data
from helpdesk.web.api import bp
from helpdesk.web.api.auth import current_actor, is_staff, require_staff, require_token
from helpdesk.web.api.body import enum_arg, json_object, optional_str, required_str
from helpdesk.web.api.serializers import iso
from helpdesk.web.extensions import commit_and_wake, database, settings


def journeys() -> Journeys:
    """The app's journeys (shared with the router)."""
    found: Journeys = current_app.extensions["journeys"]
    return found


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    """An attachment's metadata with the staff download link."""
    return {
        "id": attachment.id,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "complaint_id": attachment.complaint_id,
        "request_id": attachment.request_id,
        "requirement": attachment.requirement,
        "url": f"/api/v1/attachments/{attachment.id}",
        "created_at": iso(attachment.created_at),
    }


def complaint_json(complaint: Complaint, *, public: bool = False) -> dict[str, Any]:
    """A complaint; the identity is hidden when it is anonymous, content masked for staff.

    `public` (bot-scoped callers) gives only what the number alone may reveal.
    """
    body: dict[str, Any] = {
        "tracking_number": complaint.tracking_number,
        "kind": "complaint",
        "service": complaint.category.value,
        "service_name": None,
        "category": complaint.category.value,
        "status": complaint.status.value,
        "unit": complaint.unit,
        "created_at": iso(complaint.created_at),
        "updated_at": iso(complaint.updated_at),
        "history": [
            {
                "status": c.status.value,
                "action": c.action,
                "note": None if public else c.note,
                "created_at": iso(c.created_at),
            }
            for c in complaint.history
            if not public or c.action == "status"
        ],
    }
    if public:
        return body
    body.update(
        anonymous=complaint.anonymous,
        confidential=complaint.confidential,
        description=mask_personal_data(complaint.description),
        location=complaint.location,
        occurred=complaint.occurred,
        language=complaint.language,
        nik_masked=None if complaint.anonymous or not complaint.nik else mask_nik(complaint.nik),
        conversation_id=None if complaint.anonymous else complaint.conversation_id,
        attachments=[
            attachment_json(a)
            for a in database()
            .request_session()
            .query(Attachment)
            .filter(Attachment.complaint_id == complaint.id)
        ],
    )
    return body


# --- complaints ---------------------------------------------------------------------------


@bp.get("/complaints")
@require_token
@require_staff
def list_complaints() -> Response:
    """Complaints, newest first; `?status=` and `?unit=` filter."""
    status = enum_arg("status", ComplaintStatus)
    session = database().request_session()
    items = complaint_service.list_complaints(
        session, status=status, unit=request.args.get("unit") or None
    )
    audit.record(session, current_actor(), "complaint.list", "complaint", "*")
    session.commit()
    return jsonify({"items": [complaint_json(c) for c in items]})


@bp.get("/complaints/<tracking_number>")
@require_token
@require_staff
def get_complaint(tracking_number: str) -> Response:
    """One complaint with its history and attachments."""
    session = database().request_session()
    complaint = complaint_service.get_complaint(session, tracking_number)
    audit.record(session, current_actor(), "complaint.read", "complaint", complaint.tracking_number)
    session.commit()
    return jsonify(complaint_json(complaint))


@bp.post("/complaints/<tracking_number>/status")
@require_token
@require_staff
def change_complaint_status(tracking_number: str) -> Response:
    """Move a complaint to its next status; the citizen is told on their channel."""
    data = json_object()
    session = database().request_session()
    complaint, told = complaint_service.update_status(
        session,
        tracking_number,
        required_str(data, "status", 32),
        optional_str(data, "note"),
        actor=current_actor(),
    )
    commit_and_wake(session, told)
    return jsonify(complaint_json(complaint))


@bp.post("/complaints/<tracking_number>/forward")
@require_token
@require_staff
def forward_complaint(tracking_number: str) -> Response:
    """Forward to another unit with a reason (`unit`, `reason`); the clock goes with it."""
    from helpdesk.web.extensions import catalog

    data = json_object()
    session = database().request_session()
    unit = required_str(data, "unit", 32)
    known = catalog().units
    complaint = complaint_service.forward(
        session,
        tracking_number,
        unit,
        required_str(data, "reason", 4000),
        known_units=frozenset(known),
        actor=current_actor(),
    )
    commit_and_wake(session, True)
    return jsonify(complaint_json(complaint))


@bp.post("/complaints/<tracking_number>/ask")
@require_token
@require_staff
def ask_about_complaint(tracking_number: str) -> Response:
    """Ask the citizen for more information (`text`); the clock pauses until they answer."""
    data = json_object()
    session = database().request_session()
    complaint = complaint_service.ask_citizen(
        session, tracking_number, required_str(data, "text", 4000), actor=current_actor()
    )
    commit_and_wake(session, True)
    return jsonify(complaint_json(complaint))


@bp.post("/complaints/<tracking_number>/reply")
@require_token
@require_staff
def reply_to_complaint(tracking_number: str) -> Response:
    """Send the citizen the follow-up (`text`) on their channel."""
    data = json_object()
    session = database().request_session()
    complaint = complaint_service.reply(
        session, tracking_number, required_str(data, "text", 4000), actor=current_actor()
    )
    commit_and_wake(session, True)
    return jsonify(complaint_json(complaint))


# --- the bot's journey hooks (bot scope) ----------------------------------------------------


def _conversation(ref: str) -> Conversation:
    """The conversation the engine knows as `ref` (its random sender id); staff tokens may
    also use the row id. A bot token cannot walk row ids (issue 21, item 3)."""
    return convs.get_by_ref(database().request_session(), ref, allow_row_id=is_staff())


@bp.post("/conversations/<conversation_id>/complaint-form")
@require_token
def start_complaint_form(conversation_id: str) -> Response:
    """Open the complaint form in this conversation; answers with its first prompt. With
    `{"confirm": true}` it first asks whether the citizen wants to complain (issue 17)."""
    conversation = _conversation(conversation_id)
    # the body is optional; one that is there must be the documented object (a list or a
    # string was taken as "no confirm", a 200 for input the document refuses)
    data = json_object() if request.get_data() else {}
    confirm = data.get("confirm", False)
    if not isinstance(confirm, bool):
        raise InvalidInput("confirm must be true or false")
    if confirm:
        replies = journeys().ask_complaint(conversation)
    else:
        replies = journeys().start_complaint(conversation)
    database().request_session().commit()
    return jsonify({"messages": [{"text": r.text, "buttons": r.buttons} for r in replies]})


@bp.post("/conversations/<conversation_id>/status-lookup")
@require_token
def arm_status_lookup(conversation_id: str) -> Response:
    """After a status reply: the citizen's next message may be the last 4 NIK digits."""
    data = json_object()
    number = required_str(data, "tracking_number", 40)
    session = database().request_session()
    conversation = _conversation(conversation_id)
    state = journeys().arm_verification(session, conversation, number)
    session.commit()
    return jsonify({"verification": state})


# --- data-subject requests ------------------------------------------------------------------


def data_request_json(item: DataRequest) -> dict[str, Any]:
    """A data-subject request with its deadline."""
    return {
        "id": item.id,
        "kind": item.kind.value,
        "status": item.status.value,
        "conversation_id": item.conversation_id,
        "channel": item.channel.value,
        "language": item.language,
        "legal_basis": item.legal_basis,
        "due_at": iso(item.due_at),
        "reason": item.reason,
        "decided_by": item.decided_by,
        "decided_at": iso(item.decided_at),
        "summary": item.summary,
        "created_at": iso(item.created_at),
    }


def _list_data_requests(kind: DataRequestKind | None) -> Response:
    status = enum_arg("status", DataRequestStatus)
    session = database().request_session()
    items = privacy.list_requests(session, status=status, kind=kind)
    return jsonify({"items": [data_request_json(i) for i in items]})


@bp.get("/erasure-requests")
@require_token
@require_staff
def list_erasure_requests() -> Response:
    """Erasure requests (`?status=pending`: the to-do list), oldest deadline first."""
    return _list_data_requests(DataRequestKind.ERASURE)


@bp.get("/data-requests")
@require_token
@require_staff
def list_data_requests() -> Response:
    """Every data-subject request (erasure and access) with its deadline."""
    return _list_data_requests(None)


@bp.post("/erasure-requests/<int:request_id>/approve")
@require_token
@require_staff
def approve_erasure(request_id: int) -> Response:
    """Approve: erase the citizen's data now and tell them."""
    session = database().request_session()
    item = privacy.approve_erasure(session, request_id, current_actor())
    session.commit()
    privacy.compact_sqlite(database().engine)
    current_app.extensions["job_signal"].notify()
    return jsonify(data_request_json(item))


@bp.post("/erasure-requests/<int:request_id>/refuse")
@require_token
@require_staff
def refuse_erasure(request_id: int) -> Response:
    """Refuse with a reason (e.g. UU 27/2022 Pasal 15); the citizen is told why."""
    reason = required_str(json_object(), "reason", 1000)
    session = database().request_session()
    item = privacy.refuse_erasure(session, request_id, current_actor(), reason)
    commit_and_wake(session, True)
    return jsonify(data_request_json(item))


# --- attachments ----------------------------------------------------------------------------


@bp.get("/attachments/<int:attachment_id>")
@require_token
@require_staff
def download_attachment(attachment_id: int) -> Response:
    """The stored file, for agents (never served from the web root)."""
    session = database().request_session()
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"no attachment {attachment_id}", code="attachment_not_found")
    data = uploads.read(settings(), attachment)
    if data is None:
        raise NotFound("the file is gone (erased)", code="attachment_not_found")
    audit.record(session, current_actor(), "attachment.read", "attachment", attachment.id)
    session.commit()
    return send_file(
        io.BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
    )
