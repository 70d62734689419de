"""`/api/v1/reports`: the IKM, the conversations CSV and the monthly PDF."""

from __future__ import annotations

import re
from datetime import date

from flask import Response, jsonify, request

from helpdesk.services import ikm, pdf, reports
from helpdesk.services.errors import InvalidInput
from helpdesk.web.api import bp
from helpdesk.web.api.auth import require_staff, require_token
from helpdesk.web.api.calendar import parse_date
from helpdesk.web.extensions import database, settings


def date_range() -> tuple[date, date]:
    """`from` and `to` (YYYY-MM-DD, inclusive) from the query string."""
    start = parse_date(request.args.get("from"), "from")
    end = parse_date(request.args.get("to"), "to")
    if end < start:
        raise InvalidInput("to must not be before from")
    if (end - start).days > 3660:
        raise InvalidInput("the range is limited to ten years")
    return start, end


@bp.get("/reports/ikm")
@require_token
@require_staff
def ikm_report() -> Response:
    """The IKM of the surveys completed in [from, to], optionally for one unit or service."""
    start, end = date_range()
    unit = request.args.get("unit") or None
    service = request.args.get("service") or None
    result = ikm.report(
        database().request_session(),
        start,
        end,
        unit=unit,
        service=service,
        timezone=settings().timezone,
    )
    body = result.as_json()
    body.update({"from": start.isoformat(), "to": end.isoformat(), "unit": unit})
    return jsonify(body)


UNIT_CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _unit_arg() -> str | None:
    """`unit` (a unit code) or None; anything else is refused before it reaches a file name
    (the Content-Disposition header takes Latin-1 only: an odd unit was a 500)."""
    unit = request.args.get("unit") or ""
    if unit and not UNIT_CODE.fullmatch(unit):
        raise InvalidInput("unit must be a unit code (lower-case letters, digits, _)")
    return unit or None


@bp.get("/reports/conversations.csv")
@require_token
@require_staff
def conversations_csv() -> Response:
    """One row per conversation created in [from, to]: UTF-8 with BOM, formulas neutralised."""
    start, end = date_range()
    unit = _unit_arg()
    figures = reports.collect(database().request_session(), settings(), start, end, unit)
    name = f"halo-warga-conversations-{start}-{end}{'-' + unit if unit else ''}.csv"
    return Response(
        reports.csv_bytes(figures, settings().timezone),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


@bp.get("/reports/monthly.pdf")
@require_token
@require_staff
def monthly_pdf() -> Response:
    """The month's report (`?month=YYYY-MM[&unit=CODE]`) with charts, built on demand."""
    try:
        start, end = reports.month_bounds(request.args.get("month", ""))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    unit = _unit_arg()
    month = f"{start.year}-{start.month:02d}"
    figures = reports.collect(database().request_session(), settings(), start, end, unit)
    return Response(
        pdf.monthly_pdf(figures, month, settings()),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{reports.report_name(month, unit, "pdf")}"'
        },
    )


def _quarter() -> tuple[str, date, date]:
    from helpdesk.services import accountability

    label = request.args.get("quarter", "")
    try:
        start, end = accountability.quarter_bounds(label)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return label, start, end


@bp.get("/reports/quarterly.pdf")
@require_token
@require_staff
def quarterly_pdf() -> Response:
    """The quarter's report (`?quarter=2026-Q4[&unit=CODE]`), built on demand."""
    from helpdesk.models import utcnow
    from helpdesk.services import accountability

    quarter, _start, _end = _quarter()
    unit = _unit_arg()
    data = accountability.quarterly_pdf(
        database().request_session(), settings(), quarter, unit, utcnow()
    )
    name = f"halo-warga-{quarter}{'-' + unit if unit else ''}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@bp.get("/reports/quarterly-complaints.csv")
@require_token
@require_staff
def quarterly_complaints_csv() -> Response:
    """The quarter's complaints, one row each (no identity)."""
    from helpdesk.services import accountability

    quarter, start, end = _quarter()
    unit = _unit_arg()
    figures = accountability.complaint_figures(
        database().request_session(), start, end, settings().timezone, unit
    )
    name = f"halo-warga-{quarter}-complaints{'-' + unit if unit else ''}.csv"
    return Response(
        accountability.complaints_csv(figures, settings().timezone),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )


@bp.get("/reports/figures")
@require_token
@require_staff
def figures() -> Response:
    """The dashboard's figures for [from, to] as JSON (optionally one unit)."""
    start, end = date_range()
    found = reports.collect(database().request_session(), settings(), start, end, _unit_arg())
    return jsonify(reports.figures_json(found))
