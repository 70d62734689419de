"""The console's actions on an online application: a document opened inline (image
preview, PDF in the browser, audited), ask for documents (ticked items and a note: the
applicant gets the list in their chat and uploads there; the clock pauses), ready for
pick-up (where and when), reject with a reason. Every status change goes through the one
status workflow (`services.requests.update_status`: record, audit, notify, clock)."""

from __future__ import annotations

import io

from flask import Response, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from helpdesk.journeys.application_texts import at
from helpdesk.models import Attachment, ServiceRequest
from helpdesk.services import applications, audit, uploads
from helpdesk.services import requests as service_requests
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent
from helpdesk.web.console.requests import _request_for
from helpdesk.web.extensions import catalog, commit_and_wake, database, settings


def _back(found: ServiceRequest) -> ResponseReturnValue:
    return redirect(url_for("console.request_detail", tracking_number=found.tracking_number), 303)


@bp.get("/requests/<tracking_number>/documents/<int:attachment_id>")
@login_required
def request_document(tracking_number: str, attachment_id: int) -> Response:
    """A document of the request, shown inline (images previewed, PDFs in the browser)."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    attachment = db.get(Attachment, attachment_id)
    if attachment is None or attachment.request_id != found.id:
        raise NotFound("no such document")
    data = uploads.read(settings(), attachment)
    if data is None:
        raise NotFound("the file is gone (erased)")
    audit.record(db, agent.username, "attachment.read", "attachment", attachment.id)
    db.commit()
    response = send_file(
        io.BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=False,
        download_name=attachment.filename,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/requests/<tracking_number>/ask-documents")
@login_required
def request_ask_documents(tracking_number: str) -> ResponseReturnValue:
    """Needs documents: the ticked items and a note go to the applicant in their language."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    keys = request.form.getlist("documents")
    labels = applications.ask_for_documents(db, found, catalog(), keys)
    officer_note = request.form.get("note", "").strip()
    note = at(
        "missing",
        found.language,
        number=found.tracking_number,
        items="\n".join(f"- {label}" for label in labels),
        note=at("missing.note", found.language, note=officer_note) if officer_note else "",
    ).rstrip()
    _, told = service_requests.update_status(
        db, found.tracking_number, "needs_documents", note, actor=agent.username
    )
    commit_and_wake(db, told)
    return _back(found)


@bp.post("/requests/<tracking_number>/ready")
@login_required
def request_ready(tracking_number: str) -> ResponseReturnValue:
    """Ready for pick-up: where and when, told to the applicant."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    where = request.form.get("where", "").strip()
    if not where:
        raise InvalidInput("Tulis di mana dan kapan hasilnya bisa diambil.")
    db = database().request_session()
    note = at("ready", found.language, where=where)
    _, told = service_requests.update_status(
        db, found.tracking_number, "ready", note, actor=agent.username
    )
    commit_and_wake(db, told)
    return _back(found)


@bp.post("/requests/<tracking_number>/reject")
@login_required
def request_reject(tracking_number: str) -> ResponseReturnValue:
    """Reject with a reason (required: the applicant is told why)."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    reason = request.form.get("reason", "").strip()
    if not reason:
        raise InvalidInput("Tulis alasan penolakan; pemohon akan menerimanya.")
    db = database().request_session()
    _, told = service_requests.update_status(
        db, found.tracking_number, "rejected", reason, actor=agent.username
    )
    commit_and_wake(db, told)
    return _back(found)
