"""Online applications in the dashboard and the monthly report: received, completed in
time, overdue and median working days per unit and service."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF

from helpdesk.models import AgentRole, Attachment, RequestStatus
from helpdesk.services import application_report, applications, reports
from helpdesk.services import requests as service_requests
from helpdesk.services.pdf import FONT_DIR, monthly_pdf
from helpdesk.web.extensions import database, settings
from tests.console_helpers import make_agent, sign_in
from tests.unit.test_applications import CATALOG, NIK

MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 09:00 WIB


def sktm(session: object, now: datetime) -> str:
    files = {}
    for key in ("pengantar_rt", "ktp", "kk", "pernyataan"):
        a = Attachment(
            storage_key=f"{key}-{secrets.token_hex(6)}",
            filename=f"{key}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
        session.add(a)  # type: ignore[attr-defined]
        files[key] = [a]
    request = applications.submit(
        session,  # type: ignore[arg-type]
        CATALOG,
        settings(),
        service_code="sktm",
        answers={
            "name": "Budi Santoso",
            "nik": NIK,
            "address": "Jl. Kenanga 7 RT 01/RW 02",
            "purpose": "Bantuan hukum",
            "institution": "LBH Contoh",
        },
        documents=files,
        channel="web",
        now=now,
    )
    return request.tracking_number


def complete(session: object, number: str, at: datetime) -> None:
    for status in ("processing", "ready", "completed"):
        service_requests.update_status(
            session,
            number,
            status,
            None,
            actor="tests",
            at=at,  # type: ignore[arg-type]
        )


def test_figures_per_unit_and_service(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        on_time = sktm(session, MONDAY)  # due Tuesday 16:00 WIB
        complete(session, on_time, MONDAY + timedelta(hours=5))
        late = sktm(session, MONDAY)
        complete(session, late, MONDAY + timedelta(days=3))  # Thursday: after its deadline
        sktm(session, MONDAY)  # still open, deadline passed
        service_requests.update_status(
            session, sktm(session, MONDAY), "rejected", "Bukan warga", actor="tests", at=MONDAY
        )
        session.commit()
        rows = application_report.collect(
            session,
            date(2026, 11, 1),
            date(2026, 11, 30),
            timezone="Asia/Jakarta",
            now=datetime(2026, 11, 20, tzinfo=UTC),
        )
        assert rows == [
            application_report.ApplicationFigures("umum", "sktm", 4, 2, 1, 2, 1.5)
        ]  # Monday->Monday 0 days, Monday->Thursday 3: median 1.5
        assert (
            application_report.collect(
                session,
                date(2026, 11, 1),
                date(2026, 11, 30),
                timezone="Asia/Jakarta",
                unit="pajak",
            )
            == []
        )
        figures = reports.collect(session, settings(), date(2026, 11, 1), date(2026, 11, 30))
        assert figures.applications and figures.applications[0].received == 4
        document = monthly_pdf(figures, "2026-11", settings())
        assert document.startswith(b"%PDF")


class Recorder(FPDF):
    """An FPDF that remembers the text of every cell it draws."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_page()

    def cell(self, *args: Any, **kwargs: Any) -> Any:
        text = kwargs.get("text", args[2] if len(args) > 2 else "")
        self.texts.append(str(text))
        return super().cell(*args, **kwargs)


def test_the_monthly_report_table() -> None:
    row = application_report.ApplicationFigures("umum", "sktm", 4, 2, 1, 2, 1.5)
    pdf = Recorder()
    application_report.pdf_section(pdf, [row])
    assert pdf.texts[0] == "Permohonan online per unit dan layanan"
    assert pdf.texts[-7:] == ["umum", "sktm", "4", "2", "1", "2", "1.5"]
    empty = Recorder()
    application_report.pdf_section(empty, [])
    assert "Belum ada permohonan online." in empty.texts
    for document in (pdf, empty):
        assert document.output().startswith(b"%PDF")  # and the font files are closed


def test_the_dashboard_shows_the_applications(app: Flask, client: FlaskClient) -> None:
    with app.app_context(), database().session() as session:
        number = sktm(session, datetime.now(UTC))
        session.commit()
    assert number
    sign_in(client, "dewi", make_agent(app, "dewi", AgentRole.SUPERVISOR, units=()))
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert "Permohonan online per unit dan layanan" in page
    assert "<td>sktm</td><td>1</td><td>0</td><td>0</td><td>0</td>" in page
    assert RequestStatus.SUBMITTED  # the open request counts as received, not overdue yet
