"""`/api/v1/calendar`: working days and the admin's local overrides of the national calendar."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify, request

from helpdesk.models import HolidayOverride
from helpdesk.services import audit, workcal
from helpdesk.services.errors import InvalidInput
from helpdesk.web.api import bp
from helpdesk.web.api.auth import current_actor, require_staff, require_token
from helpdesk.web.api.body import json_object, required_str
from helpdesk.web.extensions import database


def parse_date(value: str | None, name: str) -> date:
    """A YYYY-MM-DD query or body value, or InvalidInput."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD)") from None


def _override_json(row: HolidayOverride) -> dict[str, object]:
    return {
        "date": row.day.isoformat(),
        "is_holiday": row.is_holiday,
        "name": row.name,
        "created_by": row.created_by,
    }


@bp.get("/calendar/workdays")
@require_token
def workdays_add() -> Response:
    """`?from=DATE&n=N`: the date N working days after DATE."""
    start = parse_date(request.args.get("from"), "from")
    try:
        n = int(request.args.get("n", ""))
    except ValueError:
        raise InvalidInput("n must be an integer") from None
    if abs(n) > 3650:
        raise InvalidInput("n must be between -3650 and 3650")
    calendar = workcal.load_calendar(database().request_session())
    return jsonify(
        {"from": start.isoformat(), "n": n, "date": calendar.add_workdays(start, n).isoformat()}
    )


@bp.get("/calendar/days-off")
@require_token
def days_off() -> Response:
    """`?year=YYYY`: national holidays, cuti bersama and local days off of the year."""
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        raise InvalidInput("year must be an integer") from None
    if not 1990 <= year <= 2100:
        raise InvalidInput("year must be between 1990 and 2100")
    calendar = workcal.load_calendar(database().request_session())
    items = [{"date": d.isoformat(), "name": n} for d, n in calendar.days_off(year)]
    return jsonify({"year": year, "items": items})


@bp.get("/calendar/overrides")
@require_token
@require_staff
def list_overrides() -> Response:
    """The local overrides, in date order."""
    rows = workcal.list_overrides(database().request_session())
    return jsonify({"items": [_override_json(r) for r in rows]})


@bp.post("/calendar/overrides")
@require_token
@require_staff
def put_override() -> tuple[Response, int]:
    """`{"date", "name", "is_holiday"}`: a local day off, or a holiday worked after all."""
    data = json_object()
    day = parse_date(data.get("date") if isinstance(data.get("date"), str) else None, "date")
    is_holiday = data.get("is_holiday", True)
    if not isinstance(is_holiday, bool):
        raise InvalidInput("is_holiday must be true or false")
    session = database().request_session()
    row = workcal.set_override(
        session,
        day,
        is_holiday=is_holiday,
        name=required_str(data, "name", 120),
        actor=current_actor(),
    )
    audit.record(session, current_actor(), "calendar.override", "date", day.isoformat(), row.name)
    session.commit()
    return jsonify(_override_json(row)), 201


@bp.delete("/calendar/overrides/<day>")
@require_token
@require_staff
def delete_override(day: str) -> tuple[str, int]:
    """Drop a local override; the national calendar applies again."""
    session = database().request_session()
    parsed = parse_date(day, "date")
    workcal.remove_override(session, parsed)
    audit.record(session, current_actor(), "calendar.override.remove", "date", parsed.isoformat())
    session.commit()
    return "", 204
