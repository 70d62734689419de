"""The working calendar with the admin's local overrides, and office hours per unit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.infra.config import Settings
from helpdesk.models import HolidayOverride
from helpdesk.services.context import catalog_of
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.services.workcalendar import OfficeHours, Override, WorkCalendar, WorkingTime

if TYPE_CHECKING:
    from helpdesk.catalog import Catalog


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


def _catalog(settings: Settings, catalog: Catalog | None) -> Catalog:
    """The catalog passed in; else the one in `settings.catalog_dir` (read once)."""
    if catalog is not None:
        return catalog
    return _load_catalog(settings.catalog_dir or default_catalog_dir())


@lru_cache(maxsize=4)
def _load_catalog(directory: Path) -> Catalog:
    return load_catalog(directory)


def unit_office_hours(
    settings: Settings, catalog: Catalog | None = None
) -> Mapping[str, OfficeHours]:
    """Office hours of the units in the catalog's `units.yml` (in its time zone)."""
    catalog = _catalog(settings, catalog)
    found: dict[str, OfficeHours] = {}
    for code, unit in catalog.units.items():
        if unit.hours:
            found[code] = OfficeHours.parse(unit.hours_spec(), catalog.timezone)
    return found


def office_hours(
    settings: Settings, unit: str | None = None, catalog: Catalog | None = None
) -> OfficeHours:
    """The unit's office hours from `units.yml`, or the default (`OFFICE_HOURS`)."""
    if unit:
        per_unit = unit_office_hours(settings, catalog)
        if unit in per_unit:
            return per_unit[unit]
    return OfficeHours.parse(settings.office_hours, settings.timezone)


def working_time(session: Session, settings: Settings, unit: str | None = None) -> WorkingTime:
    """The SLA clock of a unit: its office hours on working days."""
    return WorkingTime(load_calendar(session), office_hours(settings, unit, catalog_of(session)))
