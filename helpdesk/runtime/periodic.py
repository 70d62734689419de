"""Time-driven work for the worker: SLA warnings, breaches and silent closes every
`SLA_TICK_SECONDS`, and the monthly report files at the start of each month."""

from __future__ import annotations

import logging
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

    def tick_sla(self, now: datetime) -> int:
        """Warnings, breaches and silent closes; returns how many events were recorded."""
        from helpdesk.services import sla

        with self.database.session() as session:
            events = sla.tick(session, now, self.settings)
            session.commit()
        return len(events)

    def monthly_reports(self, now: datetime) -> None:
        """At the start of a month, write last month's CSV and PDF (once)."""
        from helpdesk.services import reports

        reports.write_monthly_files(self.database, self.settings, now)
