"""The privacy desk (`/console/privacy`): data-subject requests (erasure, access) with their
UU 27/2022 3x24 h clocks; admins and the data protection officer (`dpo`) approve or refuse
erasures with a reason. Approval runs the erasure service function the REST API uses, so a
console approval leaves no more trace than an API one; the citizen is told either way."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from helpdesk.models import AgentRole, DataRequestStatus, utcnow
from helpdesk.services import audit, privacy
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, require_role
from helpdesk.web.extensions import database

PRIVACY_ROLES = (AgentRole.ADMIN, AgentRole.DPO)


@bp.get("/privacy")
@require_role(*PRIVACY_ROLES)
def privacy_page() -> ResponseReturnValue:
    """Pending requests first, nearest deadline first; then the decided ones."""
    session = database().request_session()
    items = list(privacy.list_requests(session))
    pending = [i for i in items if i.status == DataRequestStatus.PENDING]
    decided = sorted(
        (i for i in items if i.status != DataRequestStatus.PENDING),
        key=lambda i: i.decided_at or i.created_at,
        reverse=True,
    )[:100]
    audit.record(session, current_agent().username, "data_request.list", "data_request", "*")
    session.commit()
    return render_template("console/privacy.html", pending=pending, decided=decided, now=utcnow())


def _signal() -> ResponseReturnValue:
    current_app.extensions["job_signal"].notify()
    return redirect(url_for("console.privacy_page"), 303)


@bp.post("/privacy/<int:request_id>/approve")
@require_role(*PRIVACY_ROLES)
def privacy_approve(request_id: int) -> ResponseReturnValue:
    """Approve an erasure: the citizen's data is erased now and they are told."""
    session = database().request_session()
    privacy.approve_erasure(session, request_id, current_agent().username)
    session.commit()
    privacy.compact_sqlite(database().engine)
    return _signal()


@bp.post("/privacy/<int:request_id>/refuse")
@require_role(*PRIVACY_ROLES)
def privacy_refuse(request_id: int) -> ResponseReturnValue:
    """Refuse with a reason (e.g. UU 27/2022 Pasal 15); the citizen is told why."""
    session = database().request_session()
    privacy.refuse_erasure(
        session, request_id, current_agent().username, request.form.get("reason", "")
    )
    session.commit()
    return _signal()
