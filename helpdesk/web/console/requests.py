"""Service requests in the console: search (tracking number, name, last NIK digits),
details with history, status change with a note. Agents see their units' services only.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from helpdesk.models import Agent, RequestStatus, ServiceRequest
from helpdesk.services import audit, desk
from helpdesk.services import requests as service_requests
from helpdesk.services.errors import NotFound
from helpdesk.services.requests import TRANSITIONS, mask_nik, mask_phone
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent
from helpdesk.web.extensions import catalog, database

SCAN_LIMIT = 5000  # NIKs are encrypted at rest: last-digit search reads recent rows


def _visible_services(agent: Agent) -> frozenset[str] | None:
    units = desk.visible_units(agent)
    if units is None:
        return None
    return frozenset(code for code, s in catalog().services.items() if s.unit in units)


def search_requests(agent: Agent, query: str, limit: int = 50) -> list[ServiceRequest]:
    """Requests matching a tracking number, part of a name, or the last NIK digits."""
    db = database().request_session()
    services = _visible_services(agent)
    base = select(ServiceRequest).options(selectinload(ServiceRequest.history))
    if services is not None:
        base = base.where(ServiceRequest.service_code.in_(sorted(services)))
    query = query.strip()
    if not query:
        return list(db.scalars(base.order_by(ServiceRequest.id.desc()).limit(limit)))
    number = service_requests.normalize_tracking_number(query)
    if number is not None:
        return list(db.scalars(base.where(ServiceRequest.tracking_number == number)))
    if query.isdigit() and 3 <= len(query) <= 16:
        recent = db.scalars(base.order_by(ServiceRequest.id.desc()).limit(SCAN_LIMIT))
        return [r for r in recent if r.nik.endswith(query)][:limit]
    pattern = f"%{query.lower()}%"
    return list(
        db.scalars(
            base.where(func.lower(ServiceRequest.applicant_name).like(pattern))
            .order_by(ServiceRequest.id.desc())
            .limit(limit)
        )
    )


def _request_for(agent: Agent, tracking_number: str) -> ServiceRequest:
    found = service_requests.get_request(database().request_session(), tracking_number)
    services = _visible_services(agent)
    if services is not None and found.service_code not in services:
        raise NotFound(f"no request with tracking number {tracking_number}")
    return found


@bp.get("/requests")
@login_required
def requests() -> ResponseReturnValue:
    """Search service requests."""
    agent = current_agent()
    query = request.args.get("q", "")
    found = search_requests(agent, query)
    db = database().request_session()
    if query:
        audit.record(db, agent.username, "request.search", "request", "-", f"{len(found)} found")
        db.commit()
    return render_template(
        "console/requests.html",
        q=query,
        found=found,
        mask_nik=mask_nik,
        mask_phone=mask_phone,
        services=catalog().services,
    )


@bp.get("/requests/<tracking_number>")
@login_required
def request_detail(tracking_number: str) -> ResponseReturnValue:
    """One request: masked personal data, history, status change."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    audit.record(db, agent.username, "request.read", "request", found.tracking_number)
    db.commit()
    return render_template(
        "console/request.html",
        r=found,
        nik=mask_nik(found.nik),
        phone=mask_phone(found.phone),
        revealed=False,
        next_statuses=sorted(s.value for s in TRANSITIONS[found.status]),
        service=catalog().get(found.service_code),
    )


@bp.post("/requests/<tracking_number>/reveal")
@login_required
def request_reveal(tracking_number: str) -> ResponseReturnValue:
    """Show NIK and phone in full (audited)."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    audit.record(db, agent.username, "personal_data.reveal", "request", found.tracking_number)
    db.commit()
    return render_template(
        "console/request.html",
        r=found,
        nik=found.nik,
        phone=found.phone,
        revealed=True,
        next_statuses=sorted(s.value for s in TRANSITIONS[found.status]),
        service=catalog().get(found.service_code),
    )


@bp.post("/requests/<tracking_number>/status")
@login_required
def request_status(tracking_number: str) -> ResponseReturnValue:
    """Move the request to a new status with a note."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    status = request.form.get("status", "")
    note = request.form.get("note", "").strip() or None
    service_requests.change_status(db, found.tracking_number, status, note)
    audit.record(db, agent.username, "request.status", "request", found.tracking_number, status)
    db.commit()
    return redirect(url_for("console.request_detail", tracking_number=found.tracking_number), 303)


STATUSES = [s.value for s in RequestStatus]
