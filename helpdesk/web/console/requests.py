"""Service requests in the console: search (tracking number, name, last NIK digits),
details with history, status change with a note. Agents see their units' services only.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from helpdesk.models import Agent, RequestStatus, ServiceRequest, utcnow
from helpdesk.services import applications, audit, desk
from helpdesk.services import requests as service_requests
from helpdesk.services.errors import NotFound
from helpdesk.services.requests import TRANSITIONS
from helpdesk.text.personal import mask_nik, mask_phone
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent
from helpdesk.web.console.request_views import (
    answer_rows,
    queue_filters,
    request_documents,
)
from helpdesk.web.extensions import catalog, commit_and_wake, database

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
    """The unit's queue, nearest deadline first (filters: status, service, overdue), or a
    search (tracking number, name, last NIK digits)."""
    agent = current_agent()
    query = request.args.get("q", "")
    db = database().request_session()
    filters = queue_filters(request.args)
    if query:
        found = search_requests(agent, query)
        audit.record(db, agent.username, "request.search", "request", "-", f"{len(found)} found")
        db.commit()
    else:
        units = desk.visible_units(agent)
        found = applications.queue(
            db,
            units=sorted(units) if units is not None else None,
            status=filters.status,
            service=filters.service,
            overdue=filters.overdue,
        )
    return render_template(
        "console/requests.html",
        q=query,
        found=found,
        filters=filters,
        statuses=STATUSES,
        now=utcnow(),
        mask_nik=mask_nik,
        mask_phone=mask_phone,
        services=catalog().services,
        online=catalog().applicable_codes(),
    )


@bp.get("/requests/<tracking_number>")
@login_required
def request_detail(tracking_number: str) -> ResponseReturnValue:
    """One request: masked personal data, the form's answers, documents, history, actions."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    audit.record(db, agent.username, "request.read", "request", found.tracking_number)
    db.commit()
    return _detail_page(found, revealed=False)


@bp.post("/requests/<tracking_number>/reveal")
@login_required
def request_reveal(tracking_number: str) -> ResponseReturnValue:
    """Show NIK and phone in full (audited)."""
    agent = current_agent()
    found = _request_for(agent, tracking_number)
    db = database().request_session()
    audit.record(db, agent.username, "personal_data.reveal", "request", found.tracking_number)
    db.commit()
    return _detail_page(found, revealed=True)


def _detail_page(found: ServiceRequest, *, revealed: bool) -> str:
    db = database().request_session()
    service = catalog().get(found.service_code)
    form = service.application if service else None
    return render_template(
        "console/request.html",
        r=found,
        nik=found.nik if revealed else mask_nik(found.nik),
        phone=found.phone if revealed else mask_phone(found.phone),
        revealed=revealed,
        next_statuses=sorted(s.value for s in TRANSITIONS[found.status]),
        service=service,
        form=form,
        answers=answer_rows(form, found.answers or {}, revealed),
        documents=request_documents(db, found, form),
        now=utcnow(),
        unit=catalog().units.get(found.unit or ""),
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
    _, told = service_requests.update_status(
        db, found.tracking_number, status, note, actor=agent.username
    )
    commit_and_wake(db, told)
    return redirect(url_for("console.request_detail", tracking_number=found.tracking_number), 303)


STATUSES = [s.value for s in RequestStatus]
