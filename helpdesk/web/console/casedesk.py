"""The officer's start page (the unit's conversations, requests and complaints waiting,
each with its deadline), the supervisors' notices (SLA warnings, breaches, digests) and
their editor of canned replies per unit and language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.models import Agent, AgentRole, RequestStatus, ServiceRequest
from helpdesk.services import canned, casedesk, desk, notices, sla
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, require_role
from helpdesk.web.extensions import catalog, database

CLOSED_REQUESTS = (RequestStatus.COMPLETED, RequestStatus.REJECTED)


@bp.app_context_processor
def _notice_badge() -> dict[str, object]:
    """`notices_unread()` for the header badge (evaluated only when a page asks)."""

    def notices_unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return notices.unread_count(database().request_session(), current_agent().username)

    return {"notices_unread": notices_unread}


def _requests_waiting(session: Session, agent: Agent, limit: int = 100) -> list[dict[str, Any]]:
    units = desk.visible_units(agent)
    services = [c for c, s in catalog().services.items() if units is None or s.unit in units]
    query = (
        select(ServiceRequest)
        .where(
            ServiceRequest.status.not_in(list(CLOSED_REQUESTS)),
            ServiceRequest.service_code.in_(services),
        )
        .order_by(ServiceRequest.id)
        .limit(limit)
    )
    rows: list[dict[str, Any]] = []
    for item in session.scalars(query):
        due: datetime | None = getattr(item, "due_at", None)
        rows.append({"r": item, "due": due})

    def key(row: dict[str, Any]) -> tuple[bool, float]:
        due = row["due"]
        return (due is None, due.timestamp() if isinstance(due, datetime) else 0.0)

    rows.sort(key=key)
    return rows


@bp.get("/start")
@login_required
def start() -> ResponseReturnValue:
    """One list to start a shift from: conversations, requests and complaints waiting."""
    agent = current_agent()
    session = database().request_session()
    conversations = desk.queue(session, agent, desk.QueueFilter(status="active"))
    clocks = sla.clocks_for_conversations(session, [r.conversation.id for r in conversations])
    chats = []
    for row in conversations:
        clock = clocks.get(row.conversation.id)
        due = None
        if clock is not None and clock.resolved_at is None:
            due = (
                clock.first_response_due
                if clock.first_response_at is None and clock.first_response_due
                else clock.resolution_due
            )
        chats.append({"row": row, "due": due})
    complaints = casedesk.rows(session, agent, casedesk.ComplaintFilter())
    return render_template(
        "console/start.html",
        chats=chats,
        requests=_requests_waiting(session, agent),
        complaints=complaints,
        services=catalog().services,
    )


@bp.get("/notices")
@login_required
def notices_page() -> ResponseReturnValue:
    """The signed-in user's notices, newest first; opening the page marks them read."""
    agent = current_agent()
    session = database().request_session()
    items = list(notices.for_user(session, agent.username))
    unread = {n.id for n in items if n.read_at is None}
    page = render_template("console/notices.html", items=items, unread=unread)
    notices.mark_read(session, agent.username)
    session.commit()
    return page


@bp.post("/notices/read")
@login_required
def notices_read() -> ResponseReturnValue:
    """Mark every notice read."""
    session = database().request_session()
    notices.mark_read(session, current_agent().username)
    session.commit()
    return redirect(url_for("console.notices_page"), 303)


# --- canned replies, edited by supervisors per unit and language ----------------------------


@bp.get("/canned")
@require_role(AgentRole.SUPERVISOR, AgentRole.ADMIN)
def canned_page() -> ResponseReturnValue:
    """The canned replies the signed-in supervisor may edit, and a form for a new one."""
    agent = current_agent()
    known = frozenset(catalog().units)
    session = database().request_session()
    return render_template(
        "console/canned.html",
        replies=canned.list_editable(session, agent, known),
        units=canned.editable_units(agent, known),
        languages=canned.LANGUAGES,
    )


@bp.post("/canned")
@require_role(AgentRole.SUPERVISOR, AgentRole.ADMIN)
def canned_save() -> ResponseReturnValue:
    """Create a reply, or change one (`id`)."""
    form = request.form
    raw_id = form.get("id", "")
    session = database().request_session()
    canned.save(
        session,
        current_agent(),
        frozenset(catalog().units),
        unit=form.get("unit", ""),
        language=form.get("language", ""),
        shortcut=form.get("shortcut", ""),
        title=form.get("title", ""),
        text=form.get("text", ""),
        reply_id=int(raw_id) if raw_id.isdigit() else None,
    )
    session.commit()
    return redirect(url_for("console.canned_page"), 303)


@bp.post("/canned/<int:reply_id>/delete")
@require_role(AgentRole.SUPERVISOR, AgentRole.ADMIN)
def canned_delete(reply_id: int) -> ResponseReturnValue:
    """Remove a reply."""
    session = database().request_session()
    canned.delete(session, current_agent(), frozenset(catalog().units), reply_id)
    session.commit()
    return redirect(url_for("console.canned_page"), 303)
