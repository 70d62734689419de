"""The worker: processes stored webhook deliveries and delivers the outbox, with retries.

Jobs are claimed with a lease (their next attempt moved into the future and committed)
so several workers can share them. Inbound events are taken one chat at a time, oldest
first, and kept leased by this process's heartbeat while they run, so one chat's
messages reach the engine in the order they came, whichever worker holds them; the
rules are in `helpdesk.services.leases`. The worker also takes over the engine turns a
dead process left open (a web process killed with turns waiting) and answers them once.
Outbox delivery is at least once: a crash after the channel accepted a message but
before the commit sends it again when the lease ends; on PostgreSQL its claim skips
locked rows.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from channels.adapters import ChannelAdapter, DeliveryError, OutgoingMessage, StatusUpdate
from helpdesk.conversation.leases import Leases
from helpdesk.conversation.router import Router, TurnInFlight
from helpdesk.conversation.turns import TurnPool
from helpdesk.infra.db import Database
from helpdesk.infra.jobs import JobSignal
from helpdesk.models import InboundEvent, JobStatus, OutboxItem
from helpdesk.runtime.periodic import Periodic
from helpdesk.services import inbox, leases, outbox, privacy
from helpdesk.services.channel_traits import traits_of
from helpdesk.services.errors import ServiceError

log = logging.getLogger(__name__)


RECOVERY_SECONDS = 5.0  # how often the worker looks for turns a dead process left open


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
        turns: TurnPool | None = None,
        recovery_seconds: float = RECOVERY_SECONDS,
    ) -> None:
        self.database = database
        # Events are held under the router's owner token (one heartbeat per process).
        self.leases = router.leases or Leases(database)
        self.turns = turns  # runs the turns taken over; None: this worker takes none over
        self.recovery_seconds = recovery_seconds
        self._last_recovery = 0.0
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
            events = leases.claim_heads(
                session, self.leases.owner, self.batch, self.leases.lease_seconds
            )
            session.commit()
            self.leases.hold_events(events)
            items = outbox.claim_heads(session, self.batch, self.lease)
            session.commit()
        handled = 0
        try:
            for event_id in events:
                handled += self._process_chat(event_id)
        finally:  # a pass that fails midway holds nothing: the rest's leases run out
            for event_id in events:
                self.leases.release_event(event_id)
        delivered = sum(self._deliver_chat(item_id) for item_id in items)
        recovered = self.recover_turns()
        self.periodic.run_due()  # SLA clocks, monthly reports
        alerted = self.alerts() if self.alerts is not None else 0
        return handled + delivered + recovered + alerted

    def recover_turns(self) -> int:
        """Take over the engine turns whose process fell silent (at most every few seconds);
        their answers are stored by this worker's turn pool. Returns how many were taken."""
        now = time.monotonic()
        if self.turns is None or now - self._last_recovery < self.recovery_seconds:
            return 0
        self._last_recovery = now
        taken = 0
        with self.database.session() as session:
            for message_id in leases.expired_turns(session):
                turn = self.router.recover(session, message_id)
                if turn is not None:
                    self.turns.submit(turn)
                    taken += 1
        return taken

    def _process_chat(self, event_id: int) -> int:
        """Process the event, then the same chat's next ones while they are due (in order,
        at most a batch); returns how many were processed."""
        done = 0
        current = event_id
        while True:
            try:
                chat_key = self._process_event(current)
            finally:
                self.leases.release_event(current)
            done += 1
            if chat_key is None or done >= self.batch:
                return done
            with self.database.session() as session:
                following = leases.claim_next_in_chat(
                    session, chat_key, self.leases.owner, self.leases.lease_seconds
                )
                session.commit()
            if following is None:
                return done
            self.leases.hold_events([following])
            current = following

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

    def _deliver_chat(self, item_id: int) -> int:
        """Deliver the item, then its conversation's next ones while they are due (in
        order, at most a batch); returns how many were attempted."""
        done = 0
        current = item_id
        while True:
            finished = self._deliver(current)
            done += 1
            if not finished or done >= self.batch:
                return done
            with self.database.session() as session:
                following = outbox.claim_next(session, current, self.lease)
                session.commit()
            if following is None:
                return done
            current = following

    def _process_event(self, event_id: int) -> str | None:
        """Process one event; its chat key when it is finished (done or given up), so the
        chat's next event may go."""
        with self.database.session() as session:
            event = session.get(InboundEvent, event_id)
            if event is None or event.status != JobStatus.QUEUED:
                return None
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
                if isinstance(exc, TurnInFlight):
                    log.info("inbound event %s waits: %s", event_id, exc)
                else:
                    log.exception("inbound event %s failed", event_id)
                session.rollback()
                event = session.get(InboundEvent, event_id)
                if event is None:
                    return None
                inbox.mark_failed_attempt(event, f"{type(exc).__name__}: {exc}")
            session.commit()
            return event.chat_key if event.status != JobStatus.QUEUED else None

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

    def _deliver(self, item_id: int) -> bool:
        """Send one item; whether it is finished (sent or given up), so the next may go."""
        with self.database.session() as session:
            item = session.get(OutboxItem, item_id)
            if item is None or item.status != JobStatus.QUEUED:
                return True
            adapter = self.adapters.get(item.channel)
            if adapter is None:
                outbox.mark_failed_attempt(item, "channel not configured", retryable=True)
                session.commit()
                return item.status != JobStatus.QUEUED
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
            finished = item.status != JobStatus.QUEUED
            session.commit()
            return finished
