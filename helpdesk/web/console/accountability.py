"""The case desk's part of the dashboard: its figures for the dashboard page, and the
quarterly report (PDF and complaints CSV) beside the monthly one. Supervisors and admins."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, request

from helpdesk.models import AgentRole, utcnow
from helpdesk.services import accountability, audit
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, require_role
from helpdesk.web.extensions import catalog, database, settings

SUPERVISORS = (AgentRole.SUPERVISOR, AgentRole.ADMIN)


def casedesk_figures(start: date, end: date, unit: str | None) -> dict[str, Any]:
    """What `_accountability.html` shows, for the dashboard's period and unit."""
    session = database().request_session()
    timezone = settings().timezone
    return {
        "casedesk": {
            "fallback": accountability.fallback_figures(session, start, end),
            "complaints": accountability.complaint_figures(session, start, end, timezone, unit),
            "requests": accountability.data_request_figures(
                session, start, end, timezone, utcnow()
            ),
        },
        "quarter": accountability.quarter_of(start),
    }


def _quarter() -> tuple[str, date, date, str | None]:
    label = request.args.get("quarter", "")
    try:
        start, end = accountability.quarter_bounds(label)
    except ValueError:
        abort(400)
    unit = request.args.get("unit") or None
    if unit is not None and unit not in catalog().units:
        abort(400)
    return label, start, end, unit


@bp.get("/dashboard/quarterly.pdf")
@require_role(*SUPERVISORS)
def dashboard_quarterly_pdf() -> Response:
    """The quarter's PDF report (`?quarter=2026-Q4[&unit=]`)."""
    quarter, _start, _end, unit = _quarter()
    session = database().request_session()
    data = accountability.quarterly_pdf(session, settings(), quarter, unit, utcnow())
    audit.record(session, f"agent:{current_agent().username}", "report.pdf", "report", quarter)
    session.commit()
    name = f"halo-warga-{quarter}{'-' + unit if unit else ''}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@bp.get("/dashboard/quarterly.csv")
@require_role(*SUPERVISORS)
def dashboard_quarterly_csv() -> Response:
    """The quarter's complaints as CSV (no identity)."""
    quarter, start, end, unit = _quarter()
    session = database().request_session()
    figures = accountability.complaint_figures(session, start, end, settings().timezone, unit)
    audit.record(session, f"agent:{current_agent().username}", "report.csv", "report", quarter)
    session.commit()
    name = f"halo-warga-{quarter}-complaints{'-' + unit if unit else ''}.csv"
    return Response(
        accountability.complaints_csv(figures, settings().timezone),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
