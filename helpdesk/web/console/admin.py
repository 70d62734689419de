"""Admin pages: manage agents (create, disable, reset 2FA, change unit and role) and read
or export the audit trail.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from helpdesk.models import AgentRole, AuditEvent
from helpdesk.services import agents as agent_service
from helpdesk.services import csvsafe
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, require_role
from helpdesk.web.console.pages import unit_names
from helpdesk.web.extensions import catalog, database

AUDIT_PAGE = 200


def _known_units() -> frozenset[str]:
    return frozenset(catalog().units)


@bp.get("/admin/agents")
@require_role(AgentRole.ADMIN)
def agents() -> ResponseReturnValue:
    """Every console user with their role, units and state."""
    db = database().request_session()
    return render_template(
        "console/agents.html",
        agents=agent_service.list_agents(db),
        units=unit_names(),
        roles=[r.value for r in AgentRole],
        created=None,
    )


@bp.post("/admin/agents")
@require_role(AgentRole.ADMIN)
def agent_create() -> ResponseReturnValue:
    """Create an agent; the password and TOTP secret are shown once."""
    db = database().request_session()
    created = agent_service.create_agent(
        db,
        request.form.get("username", ""),
        request.form.get("role", "agent"),
        request.form.getlist("units"),
        _known_units(),
        display_name=request.form.get("display_name") or None,
        actor=current_agent().username,
    )
    db.commit()
    return render_template(
        "console/agents.html",
        agents=agent_service.list_agents(db),
        units=unit_names(),
        roles=[r.value for r in AgentRole],
        created=created,
    )


@bp.post("/admin/agents/<int:agent_id>")
@require_role(AgentRole.ADMIN)
def agent_update(agent_id: int) -> ResponseReturnValue:
    """Change role and units, disable/enable, or reset two-factor sign-in."""
    db = database().request_session()
    admin = current_agent()
    target = agent_service.get_agent(db, agent_id)
    action = request.form.get("action", "update")
    if action == "disable":
        agent_service.set_active(db, target, False, actor=admin.username)
    elif action == "enable":
        agent_service.set_active(db, target, True, actor=admin.username)
    elif action == "reset_2fa":
        agent_service.reset_two_factor(db, target, actor=admin.username)
    else:
        agent_service.update_agent(
            db,
            target,
            role=request.form.get("role", target.role.value),
            units=request.form.getlist("units"),
            known_units=_known_units(),
            actor=admin.username,
        )
    db.commit()
    return redirect(url_for("console.agents"), 303)


def _audit_query() -> tuple[object, dict[str, str]]:
    args = {k: request.args.get(k, "").strip() for k in ("actor", "action", "from", "to")}
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if args["actor"]:
        query = query.where(AuditEvent.actor == args["actor"])
    if args["action"]:
        query = query.where(AuditEvent.action.startswith(args["action"]))
    for key, op in (("from", "ge"), ("to", "lt")):
        if args[key]:
            try:
                day = datetime.strptime(args[key], "%Y-%m-%d").replace(tzinfo=UTC)
            except ValueError:
                continue
            column = AuditEvent.created_at
            query = query.where(column >= day if op == "ge" else column < day)
    return query, args


@bp.get("/admin/audit")
@require_role(AgentRole.ADMIN)
def audit_log() -> ResponseReturnValue:
    """The latest audit events, filtered by actor, action prefix and dates."""
    query, args = _audit_query()
    db = database().request_session()
    events = db.scalars(query.limit(AUDIT_PAGE)).all()  # type: ignore[attr-defined]
    return render_template("console/audit.html", events=events, args=args)


@bp.get("/admin/audit.csv")
@require_role(AgentRole.ADMIN)
def audit_csv() -> ResponseReturnValue:
    """The filtered audit trail as CSV."""
    query, _args = _audit_query()
    db = database().request_session()
    body = csvsafe.rows_to_csv(
        ["id", "created_at", "actor", "action", "target_type", "target_id", "detail"],
        (
            [
                e.id,
                e.created_at.isoformat(),
                e.actor,
                e.action,
                e.target_type,
                e.target_id,
                e.detail or "",
            ]
            for e in db.scalars(query)  # type: ignore[call-overload]
        ),
    )
    from helpdesk.services import audit

    audit.record(db, current_agent().username, "audit.export", "audit", "-")
    db.commit()
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit.csv"},
    )
