"""`/api/v1/reports`: the IKM, the conversations CSV and the monthly PDF."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify, request

from helpdesk.api import bp
from helpdesk.api.auth import require_staff, require_token
from helpdesk.api.calendar import parse_date
from helpdesk.extensions import database, settings
from helpdesk.services import ikm
from helpdesk.services.errors import InvalidInput


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
