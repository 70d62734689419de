"""The supervisor dashboard (`/console/dashboard`): the period's figures per unit, charts
rendered on the server (PNG, inline as data: URIs under the console's CSP), each chart with
the list behind it (`/console/dashboard/list`), and the CSV and PDF downloads.

Supervisors and admins only (agents get 403). The figures come from
`helpdesk.services.reports.collect`, the same source as the API's CSV and PDF.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from helpdesk.models import AgentRole
from helpdesk.services import audit, charts, ikm, pdf, reports
from helpdesk.services.reports import ConversationRow, Figures
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, require_role
from helpdesk.web.extensions import catalog, database, settings

SUPERVISORS = (AgentRole.SUPERVISOR, AgentRole.ADMIN)
REASONS = {
    "citizen_request": "permintaan warga",
    "complaint": "pengaduan",
    "fallback": "bot tidak paham",
    "engine_error": "gangguan mesin",
}
SLA_NAMES = {"met": "terpenuhi", "breached": "terlewati", "running": "berjalan"}
KINDS = ("day", "channel", "language", "contained", "reason", "sla", "survey", "topic", "handed")


def _period() -> tuple[date, date, str | None]:
    """`from`/`to` (default: this month so far) and `unit` from the query string."""
    today = datetime.now(ZoneInfo(settings().timezone)).date()
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        abort(400)
    if end < start or (end - start).days > 400:
        abort(400)
    unit = request.args.get("unit") or None
    if unit is not None and unit not in catalog().units:
        abort(400)
    return start, end, unit


def _png(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _hours(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} j {rest} m" if hours else f"{rest} m"


def _charts(figures: Figures) -> dict[str, str]:
    days = list(figures.by_day)
    units = sorted(figures.sla_by_unit)
    ikm_units = sorted(figures.ikm_by_unit)
    topics = figures.failing_topics
    handed = figures.total - figures.contained
    return {
        "day": _png(
            charts.line(
                days, [figures.by_day[d] for d in days], _("Percakapan per hari"), "png", width=11
            )
        ),
        "channel": _png(
            charts.bar(
                list(figures.by_channel), list(figures.by_channel.values()), _("Per kanal"), "png"
            )
        ),
        "language": _png(
            charts.bar(
                list(figures.by_language),
                list(figures.by_language.values()),
                _("Per bahasa"),
                "png",
            )
        ),
        "contained": _png(
            charts.bar(
                [_("dijawab bot saja"), _("diteruskan ke petugas")],
                [figures.contained, handed],
                _("Containment"),
                "png",
            )
        ),
        "reason": _png(
            charts.bar(
                [REASONS.get(r, r) for r in figures.handoff_reasons],
                list(figures.handoff_reasons.values()),
                _("Alasan diteruskan"),
                "png",
                horizontal=True,
            )
        ),
        "sla": _png(
            charts.stacked(
                units,
                {
                    s: [figures.sla_by_unit[u][s] for u in units]
                    for s in ("met", "breached", "running")
                },
                _("SLA terpenuhi / terlewati per unit"),
                "png",
                colors={"met": "#2e8b57", "breached": "#c0392b", "running": "#99a8b2"},
                names=SLA_NAMES,
            )
        ),
        "survey": _png(
            charts.bar(
                ikm_units,
                [figures.ikm_by_unit[u].ikm for u in ikm_units],
                _("IKM per unit (25–100)"),
                "png",
                width=11,
            )
        ),
        "topic": _png(
            charts.bar(
                [w for w, _n in topics],
                [n for _w, n in topics],
                _("Topik yang gagal dijawab bot"),
                "png",
                horizontal=True,
                color="#c0392b",
            )
        ),
    }


@bp.get("/dashboard")
@require_role(*SUPERVISORS)
def dashboard() -> ResponseReturnValue:
    """The period's figures with charts; every chart links to its list."""
    from helpdesk.web.console.accountability import casedesk_figures

    start, end, unit = _period()
    figures = reports.collect(database().request_session(), settings(), start, end, unit)
    query = {"from": start.isoformat(), "to": end.isoformat(), **({"unit": unit} if unit else {})}
    return render_template(
        "console/dashboard.html",
        **casedesk_figures(start, end, unit),
        agent=current_agent(),
        figures=figures,
        charts=_charts(figures),
        query=query,
        units=sorted(catalog().units),
        unit=unit,
        start=start,
        end=end,
        hours=_hours,
        reasons=REASONS,
        grade_names=ikm.GRADE_NAMES,
        elements=ikm.ELEMENTS,
        month=f"{start.year}-{start.month:02d}",
    )


def _matches(row: ConversationRow, kind: str, value: str, timezone: str) -> bool:
    c = row.conversation
    if kind == "day":
        return c.created_at.astimezone(ZoneInfo(timezone)).date().isoformat() == value
    if kind == "channel":
        return c.channel.value == value
    if kind == "language":
        return c.language == value
    if kind == "contained":
        return row.contained == (value == "yes")
    if kind == "reason":
        return c.handoff_reason == value
    if kind == "sla":
        unit, _sep, state = value.partition(":")
        return row.unit == unit and (not state or row.sla_state == state)
    if kind == "survey":
        return row.unit == value and row.survey is not None and row.survey.completed_at is not None
    if kind == "handed":
        return row.clock is not None
    return False


@bp.get("/dashboard/list")
@require_role(*SUPERVISORS)
def dashboard_list() -> ResponseReturnValue:
    """The conversations (or messages) behind one bar of a chart."""
    start, end, unit = _period()
    kind, value = request.args.get("kind", ""), request.args.get("value", "")
    if kind not in KINDS:
        abort(400)
    figures = reports.collect(database().request_session(), settings(), start, end, unit)
    timezone = settings().timezone
    messages = figures.failing_messages.get(value, []) if kind == "topic" else []
    rows = (
        [] if kind == "topic" else [r for r in figures.rows if _matches(r, kind, value, timezone)]
    )
    if kind == "handed":
        rows.sort(key=lambda r: -(r.first_minutes or 0))
    query = {"from": start.isoformat(), "to": end.isoformat(), **({"unit": unit} if unit else {})}
    return render_template(
        "console/dashboard_list.html",
        agent=current_agent(),
        kind=kind,
        value=value,
        rows=rows,
        messages=messages,
        query=query,
        start=start,
        end=end,
        unit=unit,
        hours=_hours,
        zone=ZoneInfo(timezone),
        reasons=REASONS,
    )


@bp.get("/dashboard/conversations.csv")
@require_role(*SUPERVISORS)
def dashboard_csv() -> Response:
    """The period's conversations as CSV (same file as the API's)."""
    start, end, unit = _period()
    session = database().request_session()
    figures = reports.collect(session, settings(), start, end, unit)
    audit.record(
        session, f"agent:{current_agent().username}", "report.csv", "report", f"{start}..{end}"
    )
    session.commit()
    name = f"halo-warga-conversations-{start}-{end}{'-' + unit if unit else ''}.csv"
    return Response(
        reports.csv_bytes(figures, settings().timezone),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/dashboard/monthly.pdf")
@require_role(*SUPERVISORS)
def dashboard_pdf() -> Response:
    """The month's PDF report (`?month=YYYY-MM[&unit=]`)."""
    try:
        start, end = reports.month_bounds(request.args.get("month", ""))
    except ValueError:
        abort(400)
    unit = request.args.get("unit") or None
    if unit is not None and unit not in catalog().units:
        abort(400)
    month = f"{start.year}-{start.month:02d}"
    session = database().request_session()
    figures = reports.collect(session, settings(), start, end, unit)
    audit.record(session, f"agent:{current_agent().username}", "report.pdf", "report", month)
    session.commit()
    return Response(
        pdf.monthly_pdf(figures, month, settings()),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{reports.report_name(month, unit, "pdf")}"'
        },
    )
