"""`/api/v1`: online applications: the bot's hook that opens the form in a chat, and the
staff listing of requests (`GET /requests?status=&unit=&service=&overdue=`)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select

from helpdesk.models import Attachment, RequestStatus, ServiceRequest
from helpdesk.services import applications, audit
from helpdesk.services.errors import InvalidInput
from helpdesk.web.api import bp
from helpdesk.web.api.auth import current_actor, require_staff, require_token
from helpdesk.web.api.body import enum_arg, json_object, optional_str
from helpdesk.web.api.journeys import _conversation, attachment_json, journeys
from helpdesk.web.api.serializers import request_json
from helpdesk.web.extensions import catalog, database


def request_attachments(service_request: ServiceRequest) -> list[dict[str, Any]]:
    """The documents of a request, each with its checklist key and staff download link."""
    session = database().request_session()
    rows = session.scalars(
        select(Attachment)
        .where(Attachment.request_id == service_request.id)
        .order_by(Attachment.id)
    )
    return [attachment_json(a) for a in rows]


@bp.post("/conversations/<conversation_id>/application-form")
@require_token
def start_application_form(conversation_id: str) -> Response:
    """Open the online application form of `service` in this conversation (the bot calls
    it for the `apply_service` intent); answers with its first prompts."""
    data = json_object()
    service = optional_str(data, "service", 40)
    conversation = _conversation(conversation_id)
    replies = journeys().start_application(conversation, service)
    database().request_session().commit()
    return jsonify({"messages": [{"text": r.text, "buttons": r.buttons} for r in replies]})


OVERDUE_VALUES = ("1", "0", "true", "false", "yes", "no")


@bp.get("/requests")
@require_token
@require_staff
def list_requests() -> Response:
    """Requests nearest deadline first: open ones, or `?status=`; `?unit=`, `?service=`,
    `?overdue=1` filter."""
    status = enum_arg("status", RequestStatus)
    overdue = request.args.get("overdue")
    if overdue is not None and overdue not in OVERDUE_VALUES:
        raise InvalidInput(f"overdue must be one of: {', '.join(OVERDUE_VALUES)}")
    unit = request.args.get("unit") or None
    session = database().request_session()
    items = applications.queue(
        session,
        units=[unit] if unit else None,
        status=status,
        service=request.args.get("service") or None,
        overdue=overdue in ("1", "true", "yes"),
    )
    audit.record(session, current_actor(), "request.list", "service_request", "*")
    session.commit()
    cat = catalog()
    body = []
    for item in items:
        service = cat.get(item.service_code)
        body.append(request_json(item, service.name if service else None))
    return jsonify({"items": body})
