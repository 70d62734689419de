"""Engine turns off the request thread: a bounded pool toward the engine, a queue before it.

The web chat POST stores the citizen's message, hands the engine turn to this pool and
waits a few seconds for it. When the answer is not there in time (or the queue ahead is
already longer than that), the POST answers with a stored "please wait, you are in line"
message and the real answer is stored later by the pool thread; the widget picks it up
with `GET /webchat/sessions/{id}/messages?after=ID`.

Why this cannot starve: a request thread never waits on anything that needs another
request thread. The pool's threads call the engine; the engine's actions call the
helpdesk's internal listener (its own threads, see `helpdesk.runtime.serving`), and the catalog
mostly not at all (the actions keep a revalidated copy).

Why a queued turn survives its process: the queue is only in memory, but every turn in it
is also an open turn in the database, leased to this process and kept alive by its
heartbeat (`helpdesk.conversation.leases`; the rules are in `helpdesk.services.leases`).
If the process dies, a worker takes the turn over within a minute and answers it once;
the widget's polling picks that answer up like any other.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.orm import Session

from helpdesk.conversation.base import BotReply, EngineUnavailable
from helpdesk.conversation.router import EngineTurn, Router
from helpdesk.infra.db import Database
from helpdesk.models import Message

log = logging.getLogger(__name__)


class Turn:
    """One engine turn in flight; `lock` orders the stored answer against the notice."""

    def __init__(self, turn: EngineTurn) -> None:
        self.turn = turn
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.messages: list[dict[str, Any]] = []
        self.noticed = False

    def wait(self, timeout: float) -> bool:
        """Whether the answer is stored within `timeout` seconds."""
        return self.done.wait(max(timeout, 0.0))


class TurnPool:
    """Runs engine turns on `size` threads, at most one at a time per conversation."""

    def __init__(
        self,
        router: Router,
        database: Database,
        size: int = 4,
        *,
        serialize: Callable[[Message], dict[str, Any]],
    ) -> None:
        """`serialize` turns a stored message into what the widget receives (the web layer's
        `message_json`, passed in by the app factory so this core does not import the web)."""
        self._serialize = serialize
        self._router = router
        self._database = database
        self.size = max(size, 1)
        self._pool = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="engine-turn")
        self._lock = threading.Lock()
        self._queued = 0
        self._turn_seconds = 0.1  # moving average of one engine turn
        self._conversation_locks: dict[int, tuple[threading.Lock, int]] = {}

    def submit(self, engine_turn: EngineTurn) -> Turn:
        """Queue the turn; its answer is stored by a pool thread."""
        turn = Turn(engine_turn)
        with self._lock:
            self._queued += 1
        self._pool.submit(self._run, turn)
        return turn

    def expected_wait(self) -> float:
        """Seconds a turn queued now would wait for its answer (queue ahead / pool size)."""
        with self._lock:
            return self._queued * self._turn_seconds / self.size

    def _run(self, turn: Turn) -> None:
        started = time.monotonic()
        try:
            with self._conversation(turn.turn.conversation_id):
                outcome = self._router.call_engine(turn.turn)
                self._store(turn, outcome)
        except Exception:  # the citizen's message is stored; never let the pool thread die
            log.exception("engine turn failed for conversation %s", turn.turn.conversation_id)
        finally:
            self._router.release(turn.turn)
            turn.done.set()
            elapsed = time.monotonic() - started
            with self._lock:
                self._queued -= 1
                self._turn_seconds = 0.8 * self._turn_seconds + 0.2 * min(elapsed, 30.0)

    def _store(self, turn: Turn, outcome: list[BotReply] | EngineUnavailable) -> None:
        """Store the engine's answer (waiting out a database restart, see the router)."""
        with turn.lock, self._database.session() as session:
            replies = self._router.store_outcome_retrying(session, turn.turn, outcome)
            turn.messages = [self._serialize(m) for m in replies]

    def _conversation(self, conversation_id: int) -> _Held:
        """A lock per conversation, so one citizen's turns reach the engine in order."""
        with self._lock:
            lock, users = self._conversation_locks.get(conversation_id, (threading.Lock(), 0))
            self._conversation_locks[conversation_id] = (lock, users + 1)
        return _Held(lock, lambda: self._release(conversation_id))

    def _release(self, conversation_id: int) -> None:
        with self._lock:
            lock, users = self._conversation_locks[conversation_id]
            if users <= 1:
                del self._conversation_locks[conversation_id]
            else:
                self._conversation_locks[conversation_id] = (lock, users - 1)

    def answer_or_notice(
        self, session: Session, turn: Turn, timeout: float
    ) -> tuple[list[dict[str, Any]], bool]:
        """The stored answer if it comes within `timeout`, else the stored waiting notice.

        Returns the messages for the POST answer and whether the real answer is still pending.
        """
        if turn.wait(timeout):
            return turn.messages, False
        with turn.lock:
            if turn.done.is_set():
                return turn.messages, False
            notice = self._router.waiting_notice(session, turn.turn)
            turn.noticed = True
        return ([self._serialize(notice)] if notice is not None else []), True

    def shutdown(self) -> None:
        """Finish the queued turns and stop the threads."""
        self._pool.shutdown(wait=True)


class _Held:
    def __init__(self, lock: threading.Lock, release: Callable[[], None]) -> None:
        self._lock = lock
        self._release = release

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self._lock.release()
        self._release()
