"""`/api/v1/requests`: citizens' service requests and their status."""

from __future__ import annotations

from flask import Response, jsonify

from helpdesk.models import ServiceRequest
from helpdesk.services import audit
from helpdesk.services import complaints as complaint_service
from helpdesk.services import requests as service_requests
from helpdesk.services.errors import InvalidInput
from helpdesk.text.language import SPOKEN_LANGUAGES
from helpdesk.web.api import bp
from helpdesk.web.api.applications import request_attachments
from helpdesk.web.api.auth import current_actor, is_staff, require_staff, require_token
from helpdesk.web.api.body import json_object, optional_str, required_str
from helpdesk.web.api.journeys import complaint_json
from helpdesk.web.api.serializers import request_json
from helpdesk.web.extensions import catalog, commit_and_wake, database


def _json(request: ServiceRequest) -> dict[str, object]:
    """The request; bot-scoped callers get it without personal data or staff notes
    (the bot shows those only after the citizen's identity check, which it does not see).
    """
    service = catalog().get(request.service_code)
    body = request_json(request, service.name if service else None)
    if is_staff():
        body["attachments"] = request_attachments(request)
        return body
    for field in ("applicant_name", "nik_masked", "phone_masked", "answers"):
        body.pop(field)
    for change in body["history"]:
        change["note"] = None
    return body


@bp.post("/requests")
@require_token
@require_staff
def create_request() -> tuple[Response, int]:
    """Register a service request; answers 201 with its tracking number."""
    data = json_object()
    if not isinstance(data.get("notify_whatsapp", False), bool):
        raise InvalidInput("notify_whatsapp must be true or false")
    if data.get("language") is not None and data.get("language") not in SPOKEN_LANGUAGES:
        raise InvalidInput(f"language must be one of: {', '.join(SPOKEN_LANGUAGES)}")
    session = database().request_session()
    request = service_requests.register_request(
        session,
        service_code=required_str(data, "service", 40),
        applicant_name=required_str(data, "applicant_name", 120),
        nik=required_str(data, "nik", 16),
        phone=optional_str(data, "phone", 20),
        known_services=frozenset(catalog().services),
        note=optional_str(data, "note"),
        actor=current_actor(),
        notify_whatsapp=data.get("notify_whatsapp") is True,
        language=data.get("language"),
    )
    session.commit()
    return jsonify(_json(request)), 201


@bp.get("/requests/<tracking_number>")
@require_token
def get_request(tracking_number: str) -> Response:
    """A request with its status history (any spelling of the number).

    Complaint numbers (ADU-, ASP-, INF-) answer too, so "cek status" works for them.
    """
    session = database().request_session()
    normalized = service_requests.normalize_tracking_number(tracking_number)
    if normalized and complaint_service.is_complaint_number(normalized):
        complaint = complaint_service.get_complaint(session, normalized)
        audit.record(
            session,
            current_actor(),
            "complaint.read",
            "complaint",
            normalized,
            personal=is_staff(),
        )
        session.commit()
        return jsonify(complaint_json(complaint, public=not is_staff()))
    request = service_requests.get_request(session, tracking_number)
    audit.record(
        session,
        current_actor(),
        "request.read",
        "service_request",
        request.tracking_number,
        personal=is_staff(),
    )
    session.commit()
    return jsonify(_json(request))


@bp.post("/requests/<tracking_number>/status")
@require_token
@require_staff
def change_status(tracking_number: str) -> Response:
    """Move a request to its next status, with an optional note for the citizen."""
    data = json_object()
    session = database().request_session()
    note = optional_str(data, "note")
    request, told = service_requests.update_status(
        session, tracking_number, required_str(data, "status", 32), note, actor=current_actor()
    )
    commit_and_wake(session, told)
    return jsonify(_json(request))
