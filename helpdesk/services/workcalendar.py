"""Indonesian working time: working days (weekends, holidays, cuti bersama) and office hours.

National holidays and cuti bersama come from the `holidays` package (country ID, categories
PUBLIC and GOVERNMENT; cuti bersama is GOVERNMENT only). Version 0.108 matches the 2026 SKB
3 Menteri exactly (17 libur nasional + 8 cuti bersama, checked by
tests/unit/test_workcalendar.py against ../shared/reference/backoffice-facts.md), so
`PACKAGE_CORRECTIONS` is empty; it is the place for a date the package gets wrong.
Islamic dates may move after the sidang isbat and a region adds its own days off, so an
admin edits local overrides (`HolidayOverride` rows: `helpdesk holidays add|remove`, the API
`/api/v1/calendar/overrides`): a date made a day off, or a listed holiday made a working day
(a moved holiday is both).

Office hours are a weekly schedule in the office's time zone (`HELPDESK_TIMEZONE`, WIB by
default); working time (SLA clocks) counts only minutes inside office hours on working days.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

# Dates where the package disagrees with the decree: {date: name} adds a day off,
# {date: None} makes a listed date a working day. Empty: holidays 0.108 matches 2026.
PACKAGE_CORRECTIONS: Mapping[date, str | None] = {}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_OFFICE_HOURS = "mon-thu 08:00-16:00; fri 08:00-16:30"
DEFAULT_TIMEZONE = "Asia/Jakarta"


@lru_cache(maxsize=64)
def _national(year: int) -> dict[date, str]:
    """The package's holidays and cuti bersama of one year, names in Indonesian."""
    found = holidays.country_holidays(
        "ID", years=year, categories=(PUBLIC, GOVERNMENT), language="id"
    )
    days = {d: str(name) for d, name in found.items()}
    for day, name in PACKAGE_CORRECTIONS.items():
        if day.year != year:
            continue
        if name is None:
            days.pop(day, None)
        else:
            days[day] = name
    return days


@dataclass(frozen=True)
class Override:
    """A local change to the national calendar."""

    day: date
    is_holiday: bool
    name: str


@dataclass
class WorkCalendar:
    """Working days: Monday–Friday minus national holidays, cuti bersama and local days off."""

    overrides: Mapping[date, Override] = field(default_factory=dict)

    @classmethod
    def from_overrides(cls, overrides: Iterable[Override]) -> WorkCalendar:
        """A calendar with these local overrides."""
        return cls({o.day: o for o in overrides})

    def holiday_name(self, day: date) -> str | None:
        """Why `day` is not worked (holiday name), or None for a normal day."""
        override = self.overrides.get(day)
        if override is not None:
            return override.name if override.is_holiday else None
        return _national(day.year).get(day)

    def is_workday(self, day: date) -> bool:
        """Monday–Friday and not a holiday (an override may make any day a working day)."""
        override = self.overrides.get(day)
        if override is not None:
            return not override.is_holiday
        return day.weekday() < 5 and day not in _national(day.year)

    def add_workdays(self, start: date, n: int) -> date:
        """The date `n` working days after `start` (before it when `n` is negative)."""
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when end <= start."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """Every non-weekend day off of a year plus local overrides, in date order."""
        days = dict(_national(year))
        for override in self.overrides.values():
            if override.day.year != year:
                continue
            if override.is_holiday:
                days[override.day] = override.name
            else:
                days.pop(override.day, None)
        return sorted(days.items())


_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _parse_span(text: str) -> tuple[time, time]:
    match = _SPAN.match(text.strip())
    if not match:
        raise ValueError(f"office hours span must look like 08:00-16:00, not {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise ValueError(f"office hours span ends before it starts: {text!r}")
    return start, end


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().lower().partition("-")
        a = WEEKDAYS.index(first[:3])
        b = WEEKDAYS.index(last[:3]) if last else a
        days.extend(range(a, b + 1))
    return days


@dataclass(frozen=True)
class OfficeHours:
    """A weekly schedule: per weekday (0 = Monday) the opening spans, in `timezone`."""

    spans: Mapping[int, tuple[tuple[time, time], ...]]
    timezone: str = DEFAULT_TIMEZONE

    @classmethod
    def parse(cls, spec: str | Mapping[str, str], timezone: str = DEFAULT_TIMEZONE) -> OfficeHours:
        """From "mon-thu 08:00-16:00; fri 08:00-11:30,13:00-16:30" or {"mon-thu": "08:00-16:00"}."""
        items: list[tuple[str, str]]
        if isinstance(spec, str):
            items = []
            for chunk in spec.split(";"):
                if chunk.strip():
                    days, _, hours = chunk.strip().partition(" ")
                    items.append((days, hours))
        else:
            items = [(str(k), str(v)) for k, v in spec.items()]
        spans: dict[int, list[tuple[time, time]]] = {}
        for days, hours in items:
            parsed = [_parse_span(s) for s in hours.split(",") if s.strip()]
            for day in _parse_days(days):
                spans.setdefault(day, []).extend(parsed)
        ZoneInfo(timezone)  # fail early on a wrong zone name
        return cls({d: tuple(sorted(s)) for d, s in spans.items()}, timezone)

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class WorkingTime:
    """Office hours on working days: the clock SLA targets are measured in."""

    calendar: WorkCalendar
    hours: OfficeHours

    def _spans_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.calendar.is_workday(day):
            return []
        zone = self.hours.zone
        return [
            (datetime.combine(day, a, zone), datetime.combine(day, b, zone))
            for a, b in self.hours.spans.get(day.weekday(), ())
        ]

    def is_open(self, moment: datetime) -> bool:
        """Whether the office is staffed at `moment` (timezone-aware)."""
        local = moment.astimezone(self.hours.zone)
        return any(a <= local < b for a, b in self._spans_on(local.date()))

    def next_open(self, moment: datetime, horizon_days: int = 60) -> datetime:
        """`moment` if the office is open then, else when it next opens (in UTC)."""
        local = moment.astimezone(self.hours.zone)
        for offset in range(horizon_days + 1):
            for a, b in self._spans_on(local.date() + timedelta(days=offset)):
                if local < b:
                    return max(a, local).astimezone(UTC)
        raise ValueError("no office hours within the horizon")

    def add(self, start: datetime, duration: timedelta, horizon_days: int = 400) -> datetime:
        """The moment `duration` of working time after `start` (in UTC)."""
        left = duration
        local = start.astimezone(self.hours.zone)
        for offset in range(horizon_days + 1):
            for a, b in self._spans_on(local.date() + timedelta(days=offset)):
                if local >= b:
                    continue
                begin = max(a, local)
                if begin + left <= b:
                    return (begin + left).astimezone(UTC)
                left -= b - begin
        raise ValueError("duration does not fit in the horizon")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end` (zero when end <= start)."""
        if end <= start:
            return timedelta(0)
        zone = self.hours.zone
        a_local, b_local = start.astimezone(zone), end.astimezone(zone)
        total = timedelta(0)
        day = a_local.date()
        while day <= b_local.date():
            for a, b in self._spans_on(day):
                lo, hi = max(a, a_local), min(b, b_local)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def add_workdays_at(self, start: datetime, n: int) -> datetime:
        """End of office hours on the `n`-th working day after `start`'s local date (UTC)."""
        zone = self.hours.zone
        day = self.calendar.add_workdays(start.astimezone(zone).date(), n)
        spans = self.hours.spans.get(day.weekday(), ())
        close = max((b for _, b in spans), default=time(23, 59))
        return datetime.combine(day, close, zone).astimezone(UTC)
