"""Time-driven work for the worker: SLA warnings, breaches and silent closes every
`SLA_TICK_SECONDS`, the monthly report files at the start of each month, and the nightly
backup (in a thread of its own, so deliveries do not wait for it)."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from flask import current_app, has_app_context

from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.models import utcnow

log = logging.getLogger(__name__)


class Periodic:
    """Runs each periodic job when it is due (safe with several workers: the jobs are
    idempotent — an SLA event is recorded once per clock, a report file once per month)."""

    def __init__(self, database: Database, settings: Settings | None = None) -> None:
        self.database = database
        self._settings = settings
        self._next_tick = 0.0
        self._backup: threading.Thread | None = None

    @property
    def settings(self) -> Settings:
        """The app's settings when there is an app context, else the given or default ones."""
        if self._settings is not None:
            return self._settings
        if has_app_context():
            found: Settings = current_app.extensions["settings"]
            return found
        return Settings()

    def run_due(self, now: datetime | None = None) -> None:
        """Run whatever is due; errors are logged, never raised into the worker loop."""
        if time.monotonic() < self._next_tick:
            return
        self._next_tick = time.monotonic() + self.settings.sla_tick_seconds
        now = now or utcnow()
        try:
            self.tick_sla(now)
        except Exception:  # noqa: BLE001 - the worker must keep delivering messages
            log.exception("SLA tick failed")
        try:
            self.monthly_reports(now)
        except Exception:  # noqa: BLE001
            log.exception("monthly report generation failed")
        self.nightly_backup(now)

    def tick_sla(self, now: datetime) -> int:
        """Warnings, breaches and silent closes; returns how many events were recorded."""
        from helpdesk.services import notices, sla

        with self.database.session() as session:
            events = sla.tick(session, now, self.settings)
            session.commit()
            notices.daily_digest(session, now, self.settings.timezone)
            session.commit()
        return len(events)

    def monthly_reports(self, now: datetime) -> None:
        """At the start of a month, write last month's CSV and PDF (once)."""
        from helpdesk.services import accountability, monthly

        monthly.write_monthly_files(self.database, self.settings, now)
        accountability.write_quarterly_files(self.database, self.settings, now)

    def nightly_backup(self, now: datetime) -> threading.Thread | None:
        """Start tonight's backup in a thread when it is due (BACKUP_HOUR, BACKUP_KEEP);
        the running thread, or None when none was started."""
        from helpdesk.services import backup
        from helpdesk.services.privacy import tracker_db_path
        from helpdesk.services.uploads import upload_dir

        settings = self.settings
        if self._backup is not None and self._backup.is_alive():
            return None
        if not backup.nightly_due(
            settings.backup_dir, now, settings.backup_hour, settings.timezone
        ):
            return None

        def run() -> None:
            try:
                result = backup.take_nightly(
                    settings.database_url,
                    upload_dir(settings),
                    settings.backup_dir,
                    key=settings.backup_key,
                    keep=settings.backup_keep,
                    hour=settings.backup_hour,
                    timezone=settings.timezone,
                    now=now,
                    tracker_db=tracker_db_path(settings),
                )
            except Exception:  # noqa: BLE001 - logged; tried again on the next tick
                log.exception("nightly backup failed")
                return
            if result is not None:
                log.info(
                    "nightly backup %s (%d rows, %.1f MB, %.1f s)",
                    result.path,
                    result.manifest["rows"],
                    result.size / 1e6,
                    result.seconds,
                )

        self._backup = threading.Thread(target=run, name="nightly-backup", daemon=True)
        self._backup.start()
        return self._backup
