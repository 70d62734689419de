"""The working calendar with the admin's local overrides, and office hours per unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.config import Settings
from helpdesk.models import HolidayOverride
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.workcalendar import OfficeHours, Override, WorkCalendar, WorkingTime


def load_calendar(session: Session) -> WorkCalendar:
    """The national calendar with every local override applied."""
    rows = session.scalars(select(HolidayOverride)).all()
    return WorkCalendar.from_overrides(Override(r.day, r.is_holiday, r.name) for r in rows)


def list_overrides(session: Session) -> Sequence[HolidayOverride]:
    """Local overrides in date order."""
    return session.scalars(select(HolidayOverride).order_by(HolidayOverride.day)).all()


def set_override(
    session: Session, day: date, *, is_holiday: bool, name: str, actor: str
) -> HolidayOverride:
    """Make `day` a day off (`is_holiday`) or a working day; replaces an earlier override."""
    name = name.strip()
    if not name:
        raise InvalidInput("name is required (why the day changes)")
    row = session.scalar(select(HolidayOverride).where(HolidayOverride.day == day))
    if row is None:
        row = HolidayOverride(day=day, is_holiday=is_holiday, name=name[:120], created_by=actor)
        session.add(row)
    else:
        row.is_holiday, row.name, row.created_by = is_holiday, name[:120], actor
    session.flush()
    return row


def remove_override(session: Session, day: date) -> None:
    """Drop the local override of `day` (the national calendar applies again)."""
    row = session.scalar(select(HolidayOverride).where(HolidayOverride.day == day))
    if row is None:
        raise NotFound(f"no override on {day.isoformat()}", code="override_not_found")
    session.delete(row)
    session.flush()


def _units_file(settings: Settings) -> Path:
    from helpdesk.catalog import default_catalog_dir

    return (settings.catalog_dir or default_catalog_dir()) / "units.yml"


def unit_office_hours(settings: Settings) -> Mapping[str, OfficeHours]:
    """Office hours of the units in `units.yml` that set their own (`office_hours:`)."""
    path = _units_file(settings)
    if not path.exists():
        return {}
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    units = raw.get("units", raw) if isinstance(raw, dict) else raw
    found: dict[str, OfficeHours] = {}
    entries = units.values() if isinstance(units, dict) else units
    for entry in entries or []:
        if not isinstance(entry, dict) or not entry.get("code"):
            continue
        hours = entry.get("office_hours") or entry.get("hours")
        if isinstance(hours, str | dict) and hours:
            try:
                found[str(entry["code"])] = OfficeHours.parse(hours, settings.timezone)
            except (ValueError, KeyError):
                continue  # a format we do not read: the default hours apply
    return found


def office_hours(settings: Settings, unit: str | None = None) -> OfficeHours:
    """The unit's office hours, or the default (`OFFICE_HOURS`)."""
    if unit:
        per_unit = unit_office_hours(settings)
        if unit in per_unit:
            return per_unit[unit]
    return OfficeHours.parse(settings.office_hours, settings.timezone)


def working_time(session: Session, settings: Settings, unit: str | None = None) -> WorkingTime:
    """The SLA clock of a unit: its office hours on working days."""
    return WorkingTime(load_calendar(session), office_hours(settings, unit))
