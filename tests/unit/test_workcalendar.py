"""The working calendar against the 2026 SKB 3 Menteri (backoffice-facts.md §3), office hours
and working-time arithmetic, local overrides, the CLI and the calendar API."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from helpdesk.services.workcalendar import OfficeHours, Override, WorkCalendar, WorkingTime

# backoffice-facts.md §3: 17 libur nasional 2026
LIBUR_NASIONAL_2026 = {
    date(2026, 1, 1): "Tahun Baru 2026 Masehi",
    date(2026, 1, 16): "Isra Mikraj",
    date(2026, 2, 17): "Tahun Baru Imlek",
    date(2026, 3, 19): "Nyepi",
    date(2026, 3, 21): "Idulfitri hari 1",
    date(2026, 3, 22): "Idulfitri hari 2",
    date(2026, 4, 3): "Wafat Yesus Kristus",
    date(2026, 4, 5): "Paskah",
    date(2026, 5, 1): "Hari Buruh",
    date(2026, 5, 14): "Kenaikan Yesus Kristus",
    date(2026, 5, 27): "Iduladha",
    date(2026, 5, 31): "Waisak",
    date(2026, 6, 1): "Hari Lahir Pancasila",
    date(2026, 6, 16): "Tahun Baru Islam",
    date(2026, 8, 17): "Proklamasi",
    date(2026, 8, 25): "Maulid Nabi",
    date(2026, 12, 25): "Natal",
}
# ... and the 8 cuti bersama
CUTI_BERSAMA_2026 = {
    date(2026, 2, 16): "Imlek",
    date(2026, 3, 18): "Nyepi",
    date(2026, 3, 20): "Idulfitri",
    date(2026, 3, 23): "Idulfitri",
    date(2026, 3, 24): "Idulfitri",
    date(2026, 5, 15): "Kenaikan Yesus Kristus",
    date(2026, 5, 28): "Iduladha",
    date(2026, 12, 24): "Natal",
}

CAL = WorkCalendar()


def test_2026_has_exactly_the_decree_days_off() -> None:
    days = dict(CAL.days_off(2026))
    assert set(days) == set(LIBUR_NASIONAL_2026) | set(CUTI_BERSAMA_2026)
    assert len(days) == 17 + 8


@pytest.mark.parametrize("day", sorted(LIBUR_NASIONAL_2026))
def test_every_2026_national_holiday_is_not_a_working_day(day: date) -> None:
    assert not CAL.is_workday(day)
    assert CAL.holiday_name(day)


@pytest.mark.parametrize("day", sorted(CUTI_BERSAMA_2026))
def test_every_2026_cuti_bersama_is_not_a_working_day(day: date) -> None:
    assert not CAL.is_workday(day)
    assert "Cuti Bersama" in (CAL.holiday_name(day) or "")


def test_idulfitri_is_21_and_22_march_not_the_old_estimate() -> None:
    # holidays <= 0.97 put Idulfitri on 20-21 March; the decree says 21-22 (+ cuti 20, 23, 24)
    assert "Idul Fitri" in (CAL.holiday_name(date(2026, 3, 21)) or "")
    assert "Idul Fitri" in (CAL.holiday_name(date(2026, 3, 22)) or "")
    assert "Cuti Bersama" in (CAL.holiday_name(date(2026, 3, 20)) or "")


def test_ordinary_days_are_working_days() -> None:
    assert CAL.is_workday(date(2026, 3, 17))  # Tuesday before Nyepi
    assert CAL.is_workday(date(2026, 3, 25))  # Wednesday after the break
    assert not CAL.is_workday(date(2026, 3, 14))  # Saturday
    assert not CAL.is_workday(date(2026, 3, 15))  # Sunday


def test_deadline_across_the_idulfitri_break() -> None:
    # Tue 17 Mar + 1: Wed 18 (cuti Nyepi), Thu 19 (Nyepi), Fri 20 (cuti), Sat 21, Sun 22
    # (Idulfitri), Mon 23, Tue 24 (cuti) are all off: the next working day is Wed 25 Mar.
    assert CAL.add_workdays(date(2026, 3, 17), 1) == date(2026, 3, 25)
    # Mon 16 Mar + 3 working days: 17, 25, 26 -> Thu 26 Mar
    assert CAL.add_workdays(date(2026, 3, 16), 3) == date(2026, 3, 26)
    # SP4N-LAPOR! verification (3 working days) filed on Fri 13 Mar: 16, 17, 25
    assert CAL.add_workdays(date(2026, 3, 13), 3) == date(2026, 3, 25)


def test_deadline_across_a_weekend() -> None:
    # Thu 8 Oct 2026 + 2: Fri 9, (Sat 10, Sun 11 skipped), Mon 12
    assert CAL.add_workdays(date(2026, 10, 8), 2) == date(2026, 10, 12)
    # from a Saturday, the first working day is Monday
    assert CAL.add_workdays(date(2026, 10, 10), 1) == date(2026, 10, 12)
    # 5 working days from Fri 9 Oct -> Fri 16 Oct
    assert CAL.add_workdays(date(2026, 10, 9), 5) == date(2026, 10, 16)


def test_deadline_across_christmas_and_new_year() -> None:
    # Wed 23 Dec + 1: Thu 24 (cuti), Fri 25 (Natal), weekend -> Mon 28 Dec
    assert CAL.add_workdays(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert CAL.workdays_between(date(2026, 12, 23), date(2026, 12, 28)) == 1


def test_zero_and_negative_offsets() -> None:
    assert CAL.add_workdays(date(2026, 3, 17), 0) == date(2026, 3, 17)
    assert CAL.add_workdays(date(2026, 3, 25), -1) == date(2026, 3, 17)


def test_local_overrides_add_a_day_off_and_move_a_holiday() -> None:
    calendar = WorkCalendar.from_overrides(
        [
            Override(date(2026, 3, 25), True, "HUT Kabupaten"),
            Override(date(2026, 12, 24), False, "Cuti bersama dibatalkan"),
        ]
    )
    assert not calendar.is_workday(date(2026, 3, 25))
    assert calendar.add_workdays(date(2026, 3, 17), 1) == date(2026, 3, 26)
    assert calendar.is_workday(date(2026, 12, 24))
    assert calendar.add_workdays(date(2026, 12, 23), 1) == date(2026, 12, 24)
    days = dict(calendar.days_off(2026))
    assert days[date(2026, 3, 25)] == "HUT Kabupaten"
    assert date(2026, 12, 24) not in days


HOURS = OfficeHours.parse("mon-thu 08:00-16:00; fri 08:00-11:30,13:00-16:30")
WT = WorkingTime(CAL, HOURS)


def wib(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=HOURS.zone)


def test_office_hours_parse_days_and_spans() -> None:
    assert len(HOURS.spans[0]) == 1 and len(HOURS.spans[4]) == 2
    assert 5 not in HOURS.spans and 6 not in HOURS.spans
    with pytest.raises(ValueError):
        OfficeHours.parse("mon 16:00-08:00")


def test_is_open_and_next_open() -> None:
    assert WT.is_open(wib(2026, 10, 8, 9))
    assert not WT.is_open(wib(2026, 10, 8, 17))
    assert not WT.is_open(wib(2026, 10, 9, 12))  # Friday prayer break
    # Thursday evening -> Friday 08:00 WIB = 01:00 UTC
    assert WT.next_open(wib(2026, 10, 8, 17)) == datetime(2026, 10, 9, 1, 0, tzinfo=UTC)
    # Friday 16:45 -> Monday 08:00
    assert WT.next_open(wib(2026, 10, 9, 16, 45)) == wib(2026, 10, 12, 8).astimezone(UTC)
    # Tuesday 17 Mar evening -> Wednesday 25 Mar morning (the Idulfitri break)
    assert WT.next_open(wib(2026, 3, 17, 18)) == wib(2026, 3, 25, 8).astimezone(UTC)


def test_adding_working_hours_skips_nights_weekends_and_breaks() -> None:
    # Thu 15:00 + 4 working hours: 1 h Thursday, then Fri 08:00-11:00
    assert WT.add(wib(2026, 10, 8, 15), timedelta(hours=4)) == wib(2026, 10, 9, 11).astimezone(UTC)
    # Fri 11:00 + 2 h: 30 min to the break, 90 min after 13:00 -> 14:30
    assert WT.add(wib(2026, 10, 9, 11), timedelta(hours=2)) == wib(2026, 10, 9, 14, 30).astimezone(
        UTC
    )
    # a Saturday start counts from Monday 08:00
    assert WT.add(wib(2026, 10, 10, 10), timedelta(hours=1)) == wib(2026, 10, 12, 9).astimezone(UTC)


def test_working_time_between_is_the_inverse_of_add() -> None:
    start = wib(2026, 3, 17, 14)
    end = WT.add(start, timedelta(hours=5))
    assert end == wib(2026, 3, 25, 11).astimezone(UTC)  # 2 h on the 17th, 3 h on the 25th
    assert WT.between(start, end) == timedelta(hours=5)
    assert WT.between(end, start) == timedelta(0)


def test_end_of_the_nth_working_day() -> None:
    assert WT.add_workdays_at(wib(2026, 3, 17, 10), 1) == wib(2026, 3, 25, 16).astimezone(UTC)


def test_cli_workdays_add_prints_the_date_on_its_last_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    exe = Path(sys.executable).with_name("helpdesk")

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(exe), *args], env=env, capture_output=True, text=True, check=True, timeout=120
        )
        return done.stdout.strip().splitlines()[-1]

    assert run("workdays", "add", "2026-03-17", "1") == "2026-03-25"
    assert run("workdays", "add", "2026-10-08", "2") == "2026-10-12"
    run("holidays", "add", "2026-03-25", "HUT Kabupaten")
    assert run("workdays", "add", "2026-03-17", "1") == "2026-03-26"
    run("holidays", "remove", "2026-03-25")
    assert run("workdays", "add", "2026-03-17", "1") == "2026-03-25"


def test_calendar_api_overrides(client: FlaskClient, auth: dict[str, str]) -> None:
    r = client.get("/api/v1/calendar/workdays?from=2026-03-17&n=1", headers=auth)
    assert r.status_code == 200 and r.get_json()["date"] == "2026-03-25"
    r = client.post(
        "/api/v1/calendar/overrides",
        json={"date": "2026-03-25", "name": "HUT Kabupaten"},
        headers=auth,
    )
    assert r.status_code == 201
    r = client.get("/api/v1/calendar/workdays?from=2026-03-17&n=1", headers=auth)
    assert r.get_json()["date"] == "2026-03-26"
    days = client.get("/api/v1/calendar/days-off?year=2026", headers=auth).get_json()["items"]
    assert {"date": "2026-03-25", "name": "HUT Kabupaten"} in days and len(days) == 26
    assert client.delete("/api/v1/calendar/overrides/2026-03-25", headers=auth).status_code == 204
    assert client.get("/api/v1/calendar/overrides", headers=auth).get_json() == {"items": []}
    bad = client.get("/api/v1/calendar/workdays?from=17-03-2026&n=1", headers=auth)
    assert bad.status_code == 422
