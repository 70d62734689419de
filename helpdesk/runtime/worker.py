"""The worker: processes stored webhook deliveries and delivers the outbox, with retries.

Jobs are claimed with a lease (their next attempt moved into the future and committed)
so several workers can share them; on PostgreSQL the claim also skips locked rows.
Delivery is at least once: a crash after the channel accepted a message but before the
commit sends it again when the lease ends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.adapters import ChannelAdapter, DeliveryError, OutgoingMessage, StatusUpdate
from helpdesk.conversation.router import Router
from helpdesk.infra.db import Database
from helpdesk.infra.jobs import JobSignal
from helpdesk.models import InboundEvent, JobStatus, OutboxItem, utcnow
from helpdesk.runtime.periodic import Periodic
from helpdesk.services import inbox, outbox, privacy
from helpdesk.services.channel_traits import traits_of
from helpdesk.services.errors import ServiceError

log = logging.getLogger(__name__)

Job = TypeVar("Job", InboundEvent, OutboxItem)


class Worker:
    """One worker loop; run as many as you like against the same database."""

    def __init__(
        self,
        database: Database,
        router: Router,
        adapters: Mapping[str, ChannelAdapter],
        signal: JobSignal,
        *,
        lease_seconds: float = 60.0,
        batch: int = 20,
        poll_seconds: float = 0.5,
        alerts: Callable[[], int] | None = None,
        maintenance: Callable[[Session], object] | None = None,
        maintenance_seconds: float = 10.0,
    ) -> None:
        self.database = database
        self.router = router
        self.adapters = adapters
        self.signal = signal
        self.lease = timedelta(seconds=lease_seconds)
        self.batch = batch
        self.poll_seconds = poll_seconds
        self.periodic = Periodic(database)
        self.alerts = alerts  # sends new security events to the admins
        self.maintenance = maintenance
        self.maintenance_seconds = maintenance_seconds
        self._last_maintenance = 0.0

    def run_maintenance(self) -> None:
        """Periodic upkeep (the console's return sweep), at most every few seconds."""
        if self.maintenance is None:
            return
        now = time.monotonic()
        if now - self._last_maintenance < self.maintenance_seconds:
            return
        self._last_maintenance = now
        with self.database.session() as session:
            self.maintenance(session)
            session.commit()

    def run_once(self) -> int:
        """Process every due job once; return how many were handled."""
        with self.database.session() as session:
            events = self._claim(session, InboundEvent)
            items = self._claim(session, OutboxItem)
        for event_id in events:
            self._process_event(event_id)
        for item_id in items:
            self._deliver(item_id)
        self.periodic.run_due()  # SLA clocks, monthly reports
        alerted = self.alerts() if self.alerts is not None else 0
        return len(events) + len(items) + alerted

    def run_forever(self, stop: threading.Event) -> None:
        """Loop until `stop` is set."""
        log.info("worker started (channels: %s)", ", ".join(sorted(self.adapters)) or "none")
        while not stop.is_set():
            try:
                self.run_maintenance()
                handled = self.run_once()
            except Exception:  # noqa: BLE001 - keep the loop alive; the jobs stay queued
                log.exception("worker pass failed")
                handled = 0
            if not handled:
                self.signal.wait(self.poll_seconds)

    def _claim(self, session: Session, model: type[Job]) -> Sequence[int]:
        now = utcnow()
        query = (
            select(model)
            .where(model.status == JobStatus.QUEUED, model.next_attempt_at <= now)
            .order_by(model.id)
            .limit(self.batch)
        )
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        jobs = session.scalars(query).all()
        for job in jobs:
            job.next_attempt_at = now + self.lease
        session.commit()
        return [job.id for job in jobs]

    def _process_event(self, event_id: int) -> None:
        with self.database.session() as session:
            event = session.get(InboundEvent, event_id)
            if event is None or event.status != JobStatus.QUEUED:
                return
            adapter = self.adapters.get(event.channel)
            try:
                if adapter is None:
                    raise RuntimeError(f"channel {event.channel.value} is not configured")
                parsed = adapter.parse_event(event.payload)
                if isinstance(parsed, StatusUpdate):
                    outbox.update_delivery_status(
                        session, parsed.provider_message_id, parsed.status
                    )
                    if outbox.recipient_of(session, parsed.provider_message_id) == "erased":
                        privacy.scrub_event(event)  # its payload names the erased number
                else:
                    for inbound in parsed or []:
                        if not self._route_files(session, adapter, inbound):
                            self.router.handle(session, inbound)
                inbox.mark_done(event)
            except Exception as exc:  # noqa: BLE001 - recorded on the event, retried later
                log.exception("inbound event %s failed", event_id)
                session.rollback()
                event = session.get(InboundEvent, event_id)
                if event is None:
                    return
                inbox.mark_failed_attempt(event, f"{type(exc).__name__}: {exc}")
            session.commit()

    def _route_files(self, session: Session, adapter: ChannelAdapter, inbound: Any) -> bool:
        """Fetch a photo/document from the platform and route it as a file; False when the
        message carries none, or it cannot be fetched or accepted (then it is routed as
        text: its caption or placeholder, and the journey asks again)."""
        if not inbound.attachments or not traits_of(session, inbound.channel).fetches_media:
            return False
        fetch = getattr(adapter, "fetch_media", None)
        if fetch is None:
            return False
        routed = False
        for meta in inbound.attachments:
            try:
                data, name = fetch(meta)
                routed = self.router.handle_file(session, inbound, data, name) is not None
            except (DeliveryError, ServiceError) as exc:
                log.info("attachment not taken (%s): %s", type(exc).__name__, exc)
                session.rollback()
                return False
        return routed

    def _deliver(self, item_id: int) -> None:
        with self.database.session() as session:
            item = session.get(OutboxItem, item_id)
            if item is None or item.status != JobStatus.QUEUED:
                return
            adapter = self.adapters.get(item.channel)
            if adapter is None:
                outbox.mark_failed_attempt(item, "channel not configured", retryable=True)
                session.commit()
                return
            message = item.message
            outgoing = OutgoingMessage(
                text=message.text,
                buttons=[
                    {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                    for b in message.buttons or []
                ],
                last_inbound_at=message.conversation.last_inbound_at,
                template=None,
            )
            try:
                provider_id = adapter.send(item.recipient, outgoing)
            except DeliveryError as exc:
                log.warning("delivery %s failed (retryable=%s): %s", item_id, exc.retryable, exc)
                outbox.mark_failed_attempt(item, str(exc), retryable=exc.retryable)
            else:
                outbox.mark_sent(item, provider_id)
                conversation = message.conversation
                if (conversation.journey or {}).get(privacy.ERASE_AFTER_DELIVERY):
                    privacy.forget_address(session, conversation)  # the outcome is delivered
                    session.commit()
                    privacy.compact_sqlite(self.database.engine)
            session.commit()
