"""This process's claims on turns and inbound events, kept alive by one heartbeat thread.

The rules that make turns durable are in `helpdesk.services.leases`; this object is the
process side: a random owner token, the ids it holds, and a daemon thread that pushes
their leases forward every `HEARTBEAT_SECONDS` with one UPDATE per table (none while the
process holds nothing). When the process dies the heartbeat stops with it, the leases run
out, and another process takes the work over. An id must be released on every way out of
the work (finally): a held id whose work has ended would be kept alive for ever.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterable

from helpdesk.infra.db import Database
from helpdesk.services import leases as service

log = logging.getLogger(__name__)


class Leases:
    """The turns and events this process holds, and the heartbeat that keeps them."""

    def __init__(
        self,
        database: Database,
        *,
        lease_seconds: float = service.LEASE_SECONDS,
        heartbeat_seconds: float = service.HEARTBEAT_SECONDS,
    ) -> None:
        self.database = database
        self.lease_seconds = lease_seconds
        self.heartbeat_seconds = heartbeat_seconds
        host = socket.gethostname()[:32]
        self.owner = f"{host}:{os.getpid()}:{secrets.token_hex(6)}"[:64]
        self._lock = threading.Lock()
        self._turns: set[int] = set()
        self._events: set[int] = set()
        self._thread: threading.Thread | None = None

    def hold_turn(self, message_id: int) -> None:
        """Keep this turn's lease alive until `release_turn`."""
        with self._lock:
            self._turns.add(message_id)
            self._start()

    def release_turn(self, message_id: int) -> None:
        """The turn's work here has ended (answered, taken over, or failed: then it expires)."""
        with self._lock:
            self._turns.discard(message_id)

    def hold_events(self, event_ids: Iterable[int]) -> None:
        """Keep these inbound events' leases alive until `release_event`."""
        with self._lock:
            self._events.update(event_ids)
            self._start()

    def release_event(self, event_id: int) -> None:
        """The event is finished here (done, failed, or put back for a retry)."""
        with self._lock:
            self._events.discard(event_id)

    def held(self) -> tuple[list[int], list[int]]:
        """The turn and event ids held now."""
        with self._lock:
            return sorted(self._turns), sorted(self._events)

    def beat(self) -> None:
        """Push every held lease forward (one UPDATE per table with something held)."""
        turns, events = self.held()
        if not turns and not events:
            return
        with self.database.session() as session:
            service.extend_turns(session, self.owner, turns, self.lease_seconds)
            service.extend_events(session, self.owner, events, self.lease_seconds)
            session.commit()

    def _start(self) -> None:
        """Start the heartbeat thread if none runs (caller holds the lock)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        """Beat while something is held; end when idle (the next hold starts a new thread)."""
        stop = threading.Event()
        while True:
            stop.wait(self.heartbeat_seconds)
            with self._lock:
                if not self._turns and not self._events:
                    self._thread = None
                    return
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease has slack
                log.exception("could not extend this process's leases")
