"""Online applications in the dashboard and the monthly report, per unit and service:
received, completed, completed in time, overdue, median working days to complete.

A request counts in the period it was received (created, local dates). "Completed in
time": it reached `completed` no later than its deadline (`due_at`, which moved by the time
the officer waited for documents). "Overdue": still open past its deadline now (or at the
end of the period, for a period in the past), or closed after it. "Working days": working
days from the day it was received to the day it was completed (weekends, national holidays,
cuti bersama and local overrides not counted). Requests made at the counter (no deadline)
are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from zoneinfo import ZoneInfo

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helpdesk.models import RequestStatus, ServiceRequest, utcnow
from helpdesk.services import ikm
from helpdesk.services.workcal import load_calendar

CLOSED = (RequestStatus.COMPLETED, RequestStatus.REJECTED)


@dataclass(frozen=True)
class ApplicationFigures:
    """One unit and service over a period."""

    unit: str
    service: str
    received: int
    completed: int
    completed_in_time: int
    overdue: int
    median_working_days: float | None


def collect(
    session: Session,
    start: date,
    end: date,
    *,
    timezone: str,
    unit: str | None = None,
    now: datetime | None = None,
) -> list[ApplicationFigures]:
    """The period's applications per (unit, service), sorted by unit then service."""
    zone = ZoneInfo(timezone)
    lo, hi = ikm.local_range(start, end, timezone)
    query = (
        select(ServiceRequest)
        .where(
            ServiceRequest.created_at >= lo,
            ServiceRequest.created_at < hi,
            ServiceRequest.due_at.is_not(None),
        )
        .options(selectinload(ServiceRequest.history))
        .order_by(ServiceRequest.id)
    )
    if unit:
        query = query.where(ServiceRequest.unit == unit)
    moment = min(now or utcnow(), hi)
    calendar = load_calendar(session)
    groups: dict[tuple[str, str], list[ServiceRequest]] = {}
    for request in session.scalars(query):
        groups.setdefault((request.unit or "umum", request.service_code), []).append(request)
    out = []
    for (unit_code, service), requests in sorted(groups.items()):
        completed = in_time = overdue = 0
        days: list[int] = []
        for request in requests:
            due = request.due_at
            assert due is not None
            closed_at = _closed_at(request)
            if request.status == RequestStatus.COMPLETED and closed_at is not None:
                completed += 1
                in_time += closed_at <= due
                received = request.created_at.astimezone(zone).date()
                days.append(calendar.workdays_between(received, closed_at.astimezone(zone).date()))
            if closed_at is None and due < moment or closed_at is not None and closed_at > due:
                overdue += 1
        out.append(
            ApplicationFigures(
                unit_code,
                service,
                len(requests),
                completed,
                in_time,
                overdue,
                float(median(days)) if days else None,
            )
        )
    return out


def _closed_at(request: ServiceRequest) -> datetime | None:
    """When the request reached completed or rejected (None while open)."""
    if request.status not in CLOSED:
        return None
    moments = [c.created_at for c in request.history if c.status == request.status]
    return moments[-1] if moments else request.updated_at


HEADINGS = (
    "Unit",
    "Layanan",
    "Masuk",
    "Selesai",
    "Tepat waktu",
    "Lewat tenggat",
    "Median hari kerja",
)
WIDTHS = (24, 46, 18, 18, 24, 26, 34)


def pdf_section(pdf: FPDF, rows: list[ApplicationFigures]) -> None:
    """The monthly report's table of online applications (after the SLA per unit)."""
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Permohonan online per unit dan layanan", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    if not rows:
        pdf.cell(0, 6, "Belum ada permohonan online.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        return
    pdf.set_font("DejaVu", "B", 8)
    for head, width in zip(HEADINGS, WIDTHS, strict=True):
        pdf.cell(width, 6, head, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 8)
    for row in rows:
        days = f"{row.median_working_days:g}" if row.median_working_days is not None else "—"
        cells = (row.unit, row.service, row.received, row.completed, row.completed_in_time)
        for cell, width in zip((*cells, row.overdue, days), WIDTHS, strict=True):
            pdf.cell(width, 6, str(cell), border=1)
        pdf.ln()
    pdf.ln(3)
