"""The accountability figures the case desk adds to the dashboard and the reports: how
often the bot fails, complaints received / verified in time / finished in time (by category
and unit), data-subject requests against their 3x24 h clock, and the quarterly report (CSV
of the quarter's complaints and a PDF: the monthly report's document over the quarter with
these sections appended).

"Verified in time": the complaint's first step (verified, forwarded, or closed as not ours /
archived) came before its verification deadline. "Finished in time": it reached `finished`
before its follow-up deadline (moved by the time it waited for the citizen). The CSV never
holds a citizen's identity (no NIK, no conversation), so anonymous complaints stay so.
"""

from __future__ import annotations

import calendar
import csv
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.models import (
    Complaint,
    ComplaintStatus,
    DataRequest,
    DataRequestStatus,
    SlaClock,
)
from helpdesk.services import ikm, nlu_inbox
from helpdesk.services.reports import neutralise

log = logging.getLogger(__name__)
COMPLAINT_COLUMNS = (
    "number",
    "category",
    "unit",
    "status",
    "anonymous",
    "confidential",
    "filed_at",
    "verify_due",
    "verified_at",
    "verified_in_time",
    "follow_up_due",
    "closed_at",
    "finished_in_time",
    "waited_hours",
)
COUNTS = ("received", "verified", "verified_in_time", "finished", "finished_in_time", "open")


def quarter_bounds(label: str) -> tuple[date, date]:
    """First and last day of YYYY-Qn (year 0001 to 9999, like the month's report)."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", label or "")
    if not match:
        raise ValueError("quarter must look like 2026-Q4")
    year, quarter = int(match.group(1)), int(match.group(2))
    if year < 1:
        raise ValueError("quarter must look like 2026-Q4 (year 0001 or later)")
    last_month = 3 * quarter
    # the last day from the calendar, not the next quarter's first minus one: 9999-Q4 has no
    # next quarter in datetime (it was a 422 "year 10000 is out of range")
    return date(year, last_month - 2, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def quarter_of(day: date) -> str:
    """2026-Q4 for a day in October-December 2026."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class ComplaintLine:
    """One complaint of the period with its clock."""

    complaint: Complaint
    clock: SlaClock | None

    @property
    def verified_in_time(self) -> bool | None:
        c = self.clock
        if c is None or c.first_response_at is None or c.first_response_due is None:
            return None
        return c.first_response_at <= c.first_response_due

    @property
    def finished_in_time(self) -> bool | None:
        c = self.clock
        if self.complaint.status != ComplaintStatus.FINISHED or c is None or c.resolved_at is None:
            return None
        return c.resolved_at <= c.resolution_due


@dataclass
class ComplaintFigures:
    """Complaints filed in [start, end] (local dates), counted by category and by unit."""

    start: date
    end: date
    lines: list[ComplaintLine] = field(default_factory=list)
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    by_unit: dict[str, Counter[str]] = field(default_factory=dict)
    total: Counter[str] = field(default_factory=Counter)


def _count(target: Counter[str], line: ComplaintLine) -> None:
    target["received"] += 1
    if line.clock is not None and line.clock.first_response_at is not None:
        target["verified"] += 1
    if line.verified_in_time:
        target["verified_in_time"] += 1
    if line.complaint.status == ComplaintStatus.FINISHED:
        target["finished"] += 1
    if line.finished_in_time:
        target["finished_in_time"] += 1
    if line.complaint.status not in (
        ComplaintStatus.FINISHED,
        ComplaintStatus.NOT_OUR_AUTHORITY,
        ComplaintStatus.ARCHIVED,
    ):
        target["open"] += 1


def complaint_figures(
    session: Session, start: date, end: date, timezone: str, unit: str | None = None
) -> ComplaintFigures:
    """The period's complaints and their counts."""
    lo, hi = ikm.local_range(start, end, timezone)
    query = select(Complaint).where(Complaint.created_at >= lo, Complaint.created_at < hi)
    if unit:
        query = query.where(Complaint.unit == unit)
    complaints = session.scalars(query.order_by(Complaint.created_at)).all()
    numbers = [c.tracking_number for c in complaints]
    clocks: dict[str, SlaClock] = {}
    for chunk in range(0, len(numbers), 500):
        for row in session.scalars(
            select(SlaClock)
            .where(SlaClock.kind == "complaint", SlaClock.ref.in_(numbers[chunk : chunk + 500]))
            .order_by(SlaClock.id)
        ):
            clocks[row.ref] = row
    figures = ComplaintFigures(start, end)
    for complaint in complaints:
        line = ComplaintLine(complaint, clocks.get(complaint.tracking_number))
        figures.lines.append(line)
        _count(figures.by_category.setdefault(complaint.category.value, Counter()), line)
        _count(figures.by_unit.setdefault(complaint.unit, Counter()), line)
        _count(figures.total, line)
    return figures


@dataclass(frozen=True)
class DataRequestFigures:
    """Data-subject requests recorded in the period, against their 3x24 h deadline."""

    by_kind: dict[str, Counter[str]]
    total: Counter[str]


def data_request_figures(
    session: Session, start: date, end: date, timezone: str, now: datetime
) -> DataRequestFigures:
    """Received, decided in time, decided late, pending, overdue, per kind."""
    lo, hi = ikm.local_range(start, end, timezone)
    items = session.scalars(
        select(DataRequest).where(DataRequest.created_at >= lo, DataRequest.created_at < hi)
    ).all()
    by_kind: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for item in items:
        counts = by_kind.setdefault(item.kind.value, Counter())
        for target in (counts, total):
            target["received"] += 1
            if item.status == DataRequestStatus.PENDING:
                target["pending"] += 1
                if item.due_at <= now:
                    target["overdue"] += 1
            else:
                decided = item.decided_at or item.created_at
                target["in_time" if decided <= item.due_at else "late"] += 1
    return DataRequestFigures(by_kind, total)


@dataclass(frozen=True)
class FallbackFigures:
    """Citizen messages in the period and the ones the bot missed."""

    messages: int
    misses: int

    @property
    def rate(self) -> float | None:
        return self.misses / self.messages if self.messages else None


def fallback_figures(session: Session, start: date, end: date) -> FallbackFigures:
    """The fallback rate over the period (the teach-the-bot inbox's misses per message)."""
    # at most a year on from start, counted in days: start + 366 days overflowed near 9999
    days = nlu_inbox.fallback_rate(
        session, start, start + timedelta(days=min((end - start).days, 366))
    )
    return FallbackFigures(sum(d.citizen_messages for d in days), sum(d.misses for d in days))


def _iso(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def complaints_csv(figures: ComplaintFigures, timezone: str) -> bytes:
    """One row per complaint (no identity); UTF-8 with BOM; formula-looking cells neutralised."""
    zone = ZoneInfo(timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COMPLAINT_COLUMNS)
    for line in figures.lines:
        c, clock = line.complaint, line.clock
        cells = (
            c.tracking_number,
            c.category.value,
            c.unit,
            c.status.value,
            "yes" if c.anonymous else "no",
            "yes" if c.confidential else "no",
            _iso(c.created_at, zone),
            _iso(clock.first_response_due if clock else None, zone),
            _iso(clock.first_response_at if clock else None, zone),
            _yes(line.verified_in_time),
            _iso(clock.resolution_due if clock else None, zone),
            _iso(clock.resolved_at if clock else None, zone),
            _yes(line.finished_in_time),
            f"{clock.paused_seconds / 3600:.1f}" if clock else "",
        )
        writer.writerow([neutralise(cell) for cell in cells])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def quarterly_pdf(
    session: Session, settings: Settings, quarter: str, unit: str | None, now: datetime
) -> bytes:
    """The quarter's report: the monthly document over the quarter, plus complaints, data
    requests and the bot's fallback rate."""
    from fpdf import FPDF

    from helpdesk.services import reports
    from helpdesk.services.pdf import monthly_pdf

    start, end = quarter_bounds(quarter)
    figures = reports.collect(session, settings, start, end, unit)
    complaints = complaint_figures(session, start, end, settings.timezone, unit)
    requests = data_request_figures(session, start, end, settings.timezone, now)
    fallback = fallback_figures(session, start, end)

    def more(pdf: FPDF) -> None:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, "Pengaduan (SP4N-LAPOR!)", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(
            0,
            4,
            "Tepat waktu: verifikasi sebelum tenggat verifikasi (bawaan 3 hari kerja); "
            "selesai sebelum tenggat tindak lanjut (bawaan 5 hari kerja sejak verifikasi, "
            "digeser selama menunggu keterangan warga).",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        heads = ("", "Diterima", "Diverifikasi", "Tepat waktu", "Selesai", "Tepat waktu", "Terbuka")
        widths = (50, 22, 24, 22, 22, 22, 22)
        for title, table in (("Kategori", complaints.by_category), ("Unit", complaints.by_unit)):
            pdf.set_font("DejaVu", "B", 8)
            for head, width in zip((title, *heads[1:]), widths, strict=True):
                pdf.cell(width, 6, head, border=1)
            pdf.ln()
            pdf.set_font("DejaVu", "", 8)
            for name, counts in sorted(table.items()):
                cells = (name, *(str(counts[k]) for k in COUNTS))
                for cell, width in zip(cells, widths, strict=True):
                    pdf.cell(width, 6, cell, border=1)
                pdf.ln()
            pdf.ln(2)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(
            0, 8, "Permintaan data pribadi (UU 27/2022, 3×24 jam)", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("DejaVu", "", 9)
        for kind, counts in sorted(requests.by_kind.items()):
            pdf.cell(
                0,
                5,
                f"• {kind}: {counts['received']} diterima, {counts['in_time']} tepat waktu, "
                f"{counts['late']} terlambat, {counts['pending']} menunggu "
                f"({counts['overdue']} lewat tenggat)",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        if not requests.by_kind:
            pdf.cell(0, 5, "Tidak ada permintaan.", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, "Pesan yang tidak dipahami bot", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        rate = f"{fallback.rate * 100:.1f}%" if fallback.rate is not None else "—"
        pdf.cell(
            0,
            5,
            f"{fallback.misses} dari {fallback.messages} pesan warga ({rate})",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    return monthly_pdf(figures, quarter, settings, kind="triwulan", more=more)


def write_quarterly_files(database: Database, settings: Settings, now: datetime) -> list[Path]:
    """At the start of a quarter, write last quarter's complaints CSV and PDF (once)."""
    local = now.astimezone(ZoneInfo(settings.timezone)).date()
    first_of_quarter = date(local.year, 3 * ((local.month - 1) // 3) + 1, 1)
    quarter = quarter_of(first_of_quarter - timedelta(days=1))
    folder = settings.reports_dir
    pdf_path = folder / f"halo-warga-{quarter}.pdf"
    csv_path = folder / f"halo-warga-{quarter}-complaints.csv"
    if pdf_path.exists() and csv_path.exists():
        return []
    folder.mkdir(parents=True, exist_ok=True)
    start, end = quarter_bounds(quarter)
    with database.session() as session:
        data = complaints_csv(
            complaint_figures(session, start, end, settings.timezone), settings.timezone
        )
        pdf = quarterly_pdf(session, settings, quarter, None, now)
    for path, content in ((csv_path, data), (pdf_path, pdf)):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    log.info("quarterly reports for %s written to %s", quarter, folder)
    return [csv_path, pdf_path]
