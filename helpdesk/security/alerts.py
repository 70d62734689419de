"""Alert the admins about new security events: a Telegram chat and/or a webhook URL.

The same channel carries the supervisors' SLA breaches and daily digests (`StaffNotice`
rows with `send_alert`, see `helpdesk.services.notices`), sent once each the same way.

Run by the worker on every pass. Each event is sent once (at least once: a crash between
sending and the commit sends it again); failures are retried up to `MAX_ATTEMPTS` times.
Without a configured destination the events are only stored (the console lists them).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import httpx
from sqlalchemy import select

from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.models import SecurityEvent, StaffNotice, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BATCH = 20


def alert_text(event: SecurityEvent) -> str:
    """One plain-text line block per event (Indonesian first: the admins read it)."""
    parts = [
        f"[Halo Warga] Peristiwa keamanan / security event #{event.id}: {event.kind}",
        f"tingkat/severity: {event.severity}",
        f"waktu/time (UTC): {event.created_at:%Y-%m-%d %H:%M:%S}",
    ]
    if event.actor:
        parts.append(f"pelaku/actor: {event.actor}")
    if event.source:
        parts.append(f"sumber/source: {event.source}")
    if event.detail:
        parts.append(f"rincian/detail: {event.detail}")
    parts.append("Lihat docs/breach-runbook.md.")
    return "\n".join(parts)


class AlertSender:
    """Sends pending events to the configured destinations."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._http = httpx.Client(timeout=10.0, transport=transport)

    @property
    def configured(self) -> bool:
        """Whether any destination is set."""
        s = self.settings
        return bool(
            (s.telegram_bot_token and s.security_alert_telegram_chat_id)
            or s.security_alert_webhook_url
        )

    def send(self, event: SecurityEvent) -> None:
        """Send one event everywhere configured; raise httpx.HTTPError on failure."""
        self._post(
            alert_text(event),
            {
                "id": event.id,
                "kind": event.kind,
                "severity": event.severity,
                "actor": event.actor,
                "source": event.source,
                "detail": event.detail,
                "created_at": event.created_at.isoformat(),
            },
        )

    def send_notice(self, notice: StaffNotice) -> None:
        """Send one supervisor notice (SLA breach, daily digest) everywhere configured."""
        self._post(
            f"{notice.text}\nuntuk / for: {notice.recipient}",
            {
                "id": notice.id,
                "kind": notice.kind,
                "unit": notice.unit,
                "recipient": notice.recipient,
                "ref": notice.ref,
                "created_at": notice.created_at.isoformat(),
            },
        )

    def _post(self, text: str, body: dict[str, object]) -> None:
        s = self.settings
        if s.telegram_bot_token and s.security_alert_telegram_chat_id:
            url = f"{s.telegram_api_base_url.rstrip('/')}/bot{s.telegram_bot_token}/sendMessage"
            self._http.post(
                url, json={"chat_id": s.security_alert_telegram_chat_id, "text": text}
            ).raise_for_status()
        if s.security_alert_webhook_url:
            self._http.post(
                s.security_alert_webhook_url, json={**body, "text": text}
            ).raise_for_status()

    def deliver_pending(self, database: Database) -> int:
        """Send every event not alerted yet; return how many were sent."""
        if not self.configured:
            return 0
        sent = 0
        with database.session() as session:
            events: Sequence[SecurityEvent] = session.scalars(
                select(SecurityEvent)
                .where(
                    SecurityEvent.alerted_at.is_(None),
                    SecurityEvent.alert_attempts < MAX_ATTEMPTS,
                )
                .order_by(SecurityEvent.id)
                .limit(BATCH)
            ).all()
            for event in events:
                event.alert_attempts += 1
                try:
                    self.send(event)
                except httpx.HTTPError as exc:
                    log.warning("security alert %s not delivered: %s", event.id, type(exc).__name__)
                else:
                    event.alerted_at = utcnow()
                    sent += 1
                session.commit()
        return sent + self.deliver_notices(database)

    def deliver_notices(self, database: Database) -> int:
        """Send every breach and digest notice not sent yet; return how many were sent."""
        if not self.configured:
            return 0
        sent = 0
        with database.session() as session:
            notices: Sequence[StaffNotice] = session.scalars(
                select(StaffNotice)
                .where(
                    StaffNotice.send_alert.is_(True),
                    StaffNotice.alerted_at.is_(None),
                    StaffNotice.alert_attempts < MAX_ATTEMPTS,
                )
                .order_by(StaffNotice.id)
                .limit(BATCH)
            ).all()
            for notice in notices:
                notice.alert_attempts += 1
                try:
                    self.send_notice(notice)
                except httpx.HTTPError as exc:
                    log.warning("notice %s not delivered: %s", notice.id, type(exc).__name__)
                else:
                    notice.alerted_at = utcnow()
                    sent += 1
                session.commit()
        return sent
