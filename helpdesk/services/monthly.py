"""The monthly files: last month's CSV and PDF report written into REPORTS_DIR (the worker
runs this at the start of each month; `helpdesk reports 2026-11` on demand)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.services.pdf import monthly_pdf
from helpdesk.services.reports import collect, csv_bytes, month_bounds, report_name

log = logging.getLogger(__name__)


def write_monthly_files(
    database: Database, settings: Settings, now: datetime, *, force_month: str | None = None
) -> list[Path]:
    """Write last month's CSV and PDF into REPORTS_DIR unless they exist (or `force_month`)."""
    local = now.astimezone(ZoneInfo(settings.timezone))
    if force_month:
        month = force_month
    else:
        last = local.date().replace(day=1) - timedelta(days=1)
        month = f"{last.year}-{last.month:02d}"
    folder = settings.reports_dir
    pdf_path = folder / report_name(month, None, "pdf")
    csv_path = folder / report_name(month, None, "csv")
    if not force_month and pdf_path.exists() and csv_path.exists():
        return []
    folder.mkdir(parents=True, exist_ok=True)
    start, end = month_bounds(month)
    with database.session() as session:
        figures = collect(session, settings, start, end)
        data = csv_bytes(figures, settings.timezone)
        pdf = monthly_pdf(figures, month, settings)
    for path, content in ((csv_path, data), (pdf_path, pdf)):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    log.info("monthly reports for %s written to %s", month, folder)
    return [csv_path, pdf_path]
