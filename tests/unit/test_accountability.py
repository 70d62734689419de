"""The accountability loop: the dashboard reads the fallback rate, complaints verified and
finished in time (by category and unit) and data requests, in Indonesian and English; the
quarterly report (PDF and complaints CSV, no identity) beside the monthly one."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.models import AgentRole, Channel, DataRequestKind, Sender, utcnow
from helpdesk.services import accountability, nlu_inbox, privacy
from helpdesk.services import complaints as complaint_service
from helpdesk.services import conversations as convs
from helpdesk.web.extensions import database
from tests.console_helpers import make_agent, sign_in

NIK = "3201019876540042"


def test_quarter_bounds() -> None:
    assert accountability.quarter_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert accountability.quarter_bounds("2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert accountability.quarter_of(date(2026, 12, 7)) == "2026-Q4"
    with pytest.raises(ValueError):
        accountability.quarter_bounds("2026-Q5")


def test_quarter_bounds_at_the_ends_of_the_calendar() -> None:
    # 9999-Q4 has no following quarter in datetime: it was refused ("year 10000 is out of
    # range", a 422 for a quarter the document allows); year 0 does not exist.
    assert accountability.quarter_bounds("9999-Q4") == (date(9999, 10, 1), date(9999, 12, 31))
    assert accountability.quarter_bounds("0001-Q1") == (date(1, 1, 1), date(1, 3, 31))
    assert accountability.quarter_bounds("2024-Q1")[1] == date(2024, 3, 31)
    with pytest.raises(ValueError, match="0001 or later"):
        accountability.quarter_bounds("0000-Q1")


@pytest.mark.parametrize("quarter", ["0001-Q1", "9999-Q4"])
def test_quarterly_reports_at_the_ends_of_the_calendar(
    client: FlaskClient, auth: dict[str, str], quarter: str
) -> None:
    pdf = client.get(f"/api/v1/reports/quarterly.pdf?quarter={quarter}", headers=auth)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    csv_file = client.get(
        f"/api/v1/reports/quarterly-complaints.csv?quarter={quarter}", headers=auth
    )
    assert csv_file.status_code == 200
    assert csv_file.data.decode("utf-8-sig").startswith("number,category,unit,status")


def test_the_documented_month_and_quarter_are_the_ones_the_api_takes(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    from helpdesk.web.api.openapi import document

    paths = document()["paths"]
    quarter = paths["/api/v1/reports/quarterly.pdf"]["get"]["parameters"][0]
    month = paths["/api/v1/reports/monthly.pdf"]["get"]["parameters"][0]
    assert (quarter["name"], month["name"]) == ("quarter", "month")
    quarter_re = re.compile(quarter["schema"]["pattern"])
    month_re = re.compile(month["schema"]["pattern"])
    years = ("0001", "0010", "0100", "1000", "2000", "2020", "2026", "9999")
    assert all(quarter_re.search(f"{year}-Q4") for year in years)
    assert all(month_re.search(f"{year}-05") for year in years)  # 2020-05 was left out
    assert quarter_re.search("0000-Q1") is None and month_re.search("0000-01") is None
    for route, bad in (("quarterly.pdf?quarter", "0000-Q1"), ("monthly.pdf?month", "0000-01")):
        assert client.get(f"/api/v1/reports/{route}={bad}", headers=auth).status_code == 422
    ok = client.get("/api/v1/reports/monthly.pdf?month=2020-05", headers=auth)
    assert ok.status_code == 200


def _seed(app: Flask) -> dict[str, str]:
    """This month: three complaints (one verified and finished in time, one anonymous still
    open, one aspiration), an erasure request overdue, a bot miss."""
    now = utcnow()
    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, "777")
        convs.add_message(session, conversation, Sender.CITIZEN, "asdfgh qwerty")
        convs.add_message(session, conversation, Sender.CITIZEN, "syarat KTP apa?")
        assert nlu_inbox.record_miss(session, conversation, "fallback") is not None
        numbers = {}
        for name, category, flags in (
            ("done", "pengaduan", {}),
            ("anon", "pengaduan", {"anonymous": True}),
            ("idea", "aspirasi", {}),
        ):
            numbers[name] = complaint_service.create_complaint(
                session,
                category=category,
                description="Lampu jalan mati di depan kantor kelurahan sejak minggu lalu",
                location="Jl. Melati",
                occurred="minggu lalu",
                unit="dukcapil" if name != "idea" else "umum",
                nik=NIK,
                conversation_id=conversation.id,
                at=now - timedelta(minutes=30),
                **flags,  # type: ignore[arg-type]
            ).tracking_number
        complaint_service.change_status(session, numbers["done"], "verified", actor="sri")
        complaint_service.change_status(session, numbers["done"], "in_follow_up", actor="sri")
        complaint_service.change_status(session, numbers["done"], "finished", actor="sri")
        item, _new = privacy.file_request(session, conversation, DataRequestKind.ERASURE)
        item.due_at = now - timedelta(hours=1)  # past its 3x24 h
        session.commit()
    return numbers


def test_dashboard_shows_the_case_desk_in_both_languages(app: Flask, client: FlaskClient) -> None:
    numbers = _seed(app)
    sign_in(client, "dewi", make_agent(app, "dewi", AgentRole.SUPERVISOR, ("dukcapil",)))
    page = client.get("/console/dashboard?lang=id").get_data(as_text=True)
    assert "pengaduan diterima" in page and "Pengaduan per kategori" in page
    assert "diverifikasi tepat waktu" in page and "1 lewat tenggat" in page
    assert "50.0%" in page and "(1 / 2)" in page  # the fallback rate: 1 miss in 2 messages
    english = client.get("/console/dashboard?lang=en").get_data(as_text=True)
    for text in (
        "complaints received",
        "verified in time",
        "finished in time",
        "Complaints by category",
        "Complaints by unit",
        "messages the bot did not understand",
        "1 overdue",
        "Quarterly PDF",
    ):
        assert text in english, text
    assert "pengaduan diterima" not in english
    with app.app_context(), database().session() as session:
        today = utcnow().date()
        figures = accountability.complaint_figures(
            session, today - timedelta(days=1), today + timedelta(days=1), "Asia/Jakarta"
        )
    assert figures.total["received"] == 3 and figures.total["finished_in_time"] == 1
    assert figures.by_category["aspirasi"]["received"] == 1
    assert figures.by_unit["dukcapil"]["verified_in_time"] == 1
    assert figures.by_unit["dukcapil"]["open"] == 1
    assert numbers["done"] in "".join(line.complaint.tracking_number for line in figures.lines)


def test_quarterly_report_pdf_and_csv(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    numbers = _seed(app)
    quarter = accountability.quarter_of(utcnow().astimezone(ZoneInfo("Asia/Jakarta")).date())
    sign_in(client, "dewi", make_agent(app, "dewi", AgentRole.SUPERVISOR, ("dukcapil",)))
    pdf = client.get(f"/console/dashboard/quarterly.pdf?quarter={quarter}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get("/console/dashboard/quarterly.pdf?quarter=2026-13").status_code == 400
    csv_file = client.get(f"/console/dashboard/quarterly.csv?quarter={quarter}")
    assert csv_file.status_code == 200
    text = csv_file.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("number,category,unit,status,anonymous")
    for number in numbers.values():
        assert number in text
    # Tracking numbers are random digits and may contain "777" or "0042" themselves.
    beside_numbers = re.sub(r"[A-Z]{2,5}-\d{4}-\d{6}", "", text)
    assert NIK not in text and NIK[-4:] not in beside_numbers and "777" not in beside_numbers
    api = client.get(f"/api/v1/reports/quarterly.pdf?quarter={quarter}", headers=auth)
    assert api.status_code == 200 and api.data.startswith(b"%PDF")
    api_csv = client.get(
        f"/api/v1/reports/quarterly-complaints.csv?quarter={quarter}", headers=auth
    )
    assert api_csv.status_code == 200 and numbers["anon"] in api_csv.data.decode("utf-8-sig")
    bad = client.get("/api/v1/reports/quarterly.pdf?quarter=Q4", headers=auth)
    assert bad.status_code == 422


def test_quarterly_files_written_once_at_the_start_of_a_quarter(app: Flask, tmp_path: Path) -> None:
    settings = replace(app.extensions["settings"], reports_dir=tmp_path / "reports")
    with app.app_context():
        first = accountability.write_quarterly_files(
            database(), settings, datetime(2027, 1, 2, 3, tzinfo=UTC)
        )
        again = accountability.write_quarterly_files(
            database(), settings, datetime(2027, 1, 2, 4, tzinfo=UTC)
        )
    assert [p.name for p in first] == [
        "halo-warga-2026-Q4-complaints.csv",
        "halo-warga-2026-Q4.pdf",
    ]
    assert again == []
