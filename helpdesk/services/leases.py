"""Durable engine turns and per-chat order: leases in the database, each answer stored once.

A citizen message the bot must answer is an *open turn* from the transaction that stores
it (`Message.turn_state`, `turn_owner`, `turn_lease_until`: set on the row itself, so
opening costs no extra statement). The process that stored it holds it; its heartbeat
(`helpdesk.conversation.leases.Leases`) pushes the lease forward while the turn waits in
its queue or on the engine. Three rules make the answer arrive exactly once:

1. **Nothing open is forgotten.** The open state is committed with the message, before
   any engine call. A process that dies stops its heartbeat; once the lease has run out
   (`LEASE_SECONDS`) any worker's scan (`expired_turns`) finds the turn and takes it
   over (`take_over`), and the answer is produced again from the stored message.
2. **One owner at a time.** `take_over` is a single conditional UPDATE (open, lease run
   out): on SQLite and PostgreSQL alike only one process can win it, and the winner is
   recorded as `turn_owner`.
3. **An answer is stored only by the current owner, together with the turn's end.**
   `finish` is a conditional UPDATE (still open, still this owner) in the same
   transaction as the answer; if it matches no row (another process took the turn over
   after this one stalled beyond its lease, or the conversation was erased) the caller
   rolls back and stores nothing. A turn is done in exactly one committed transaction,
   and that transaction holds its answer.

So a message is answered at least once (rule 1) and its answer stored at most once
(rules 2-3). What can repeat is the engine *call*: a process that died after the engine
answered but before committing leaves the engine having seen the message once more when
the turn is re-run. The citizen sees one answer.

Per-chat order for Telegram and WhatsApp: each stored delivery carries a keyed hash of its
chat (`InboundEvent.chat_key`). A worker may take an event only when it is the oldest
queued event of its chat (`claim_heads`, `claim_next_in_chat`) and due; a taken event is
leased (`next_attempt_at` in the future) until it is done, so the next message of that
chat cannot start before the previous one has finished, whichever worker holds it. An
event waiting for a retry (its backoff) holds its chat's later messages back until it
succeeds or is given up (`inbox.MAX_ATTEMPTS`). Order is the order the webhook stored the
deliveries (Telegram sends one chat's updates one after the other).

Every function takes a session and leaves the commit to its caller. Queries that must use
the partial indexes (`ix_messages_open_turns`, `ix_inbound_events_queued_chat`) spell
their state as a literal: a bound parameter would hide the index from the planner.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from helpdesk.models import (
    OPEN_TURN_STATES,
    InboundEvent,
    JobStatus,
    Message,
    TurnState,
    utcnow,
)

LEASE_SECONDS = 20.0  # a turn or event whose holder is silent this long is taken over
HEARTBEAT_SECONDS = 5.0  # how often a live holder pushes its leases forward
MAX_TAKEOVERS = 3  # a turn re-run this often is handed to an agent instead

OPEN_TURN = text("messages.turn_state IN ('open', 'notice')")
QUEUED_EVENT = text("inbound_events.status = 'queued'")


def _until(now: datetime | None, lease: float) -> datetime:
    return (now or utcnow()) + timedelta(seconds=lease)


# --- turns ----------------------------------------------------------------------------


def open_turn(message: Message, owner: str, *, notice: bool, lease: float = LEASE_SECONDS) -> None:
    """Mark a citizen message (not yet committed) as waiting for the bot, held by `owner`."""
    message.turn_state = TurnState.OPEN_NOTICE if notice else TurnState.OPEN
    message.turn_owner = owner
    message.turn_lease_until = _until(None, lease)
    message.turn_attempts = 0


def finish(session: Session, message_id: int, owner: str) -> bool:
    """End the turn in the caller's transaction, which holds its answer.

    The one statement a turn adds to the hot path (by primary key). False: the turn is not
    this owner's any more (taken over, or erased); roll back and store nothing.
    """
    result = session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.turn_owner == owner,
            Message.turn_state.in_(OPEN_TURN_STATES),
        )
        .values(turn_state=TurnState.DONE.value, turn_lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def extend_turns(
    session: Session,
    owner: str,
    message_ids: Sequence[int],
    lease: float = LEASE_SECONDS,
    now: datetime | None = None,
) -> int:
    """Heartbeat: push the leases of the open turns `owner` holds; how many were still open."""
    if not message_ids:
        return 0
    result = session.execute(
        update(Message)
        .where(
            Message.id.in_(list(message_ids)),
            Message.turn_owner == owner,
            Message.turn_state.in_(OPEN_TURN_STATES),
        )
        .values(turn_lease_until=_until(now, lease))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def expired_turns(session: Session, now: datetime | None = None, limit: int = 50) -> list[int]:
    """Open turns whose holder has been silent beyond its lease, oldest message first."""
    return list(
        session.scalars(
            select(Message.id)
            .where(OPEN_TURN, Message.turn_lease_until < (now or utcnow()))
            .order_by(Message.id)
            .limit(limit)
        )
    )


def take_over(
    session: Session,
    message_id: int,
    owner: str,
    lease: float = LEASE_SECONDS,
    now: datetime | None = None,
) -> bool:
    """Become the turn's holder if its lease has run out (one winner; commit to keep it)."""
    now = now or utcnow()
    result = session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.turn_state.in_(OPEN_TURN_STATES),
            Message.turn_lease_until < now,
        )
        .values(
            turn_owner=owner,
            turn_lease_until=_until(now, lease),
            turn_attempts=func.coalesce(Message.turn_attempts, 0) + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


# --- inbound events: one chat's messages one after the other ----------------------------


def claim_heads(
    session: Session,
    owner: str,
    batch: int,
    lease: float = LEASE_SECONDS,
    now: datetime | None = None,
) -> list[int]:
    """Take up to `batch` due events, each the oldest queued one of its chat (or of no chat).

    Each is leased to `owner` by a conditional UPDATE (still queued, still due), so two
    workers never take the same event, nor two events of one chat. Commit to keep them.
    """
    now = now or utcnow()
    heads = (
        select(func.min(InboundEvent.id))
        .where(QUEUED_EVENT, InboundEvent.chat_key.is_not(None))
        .group_by(InboundEvent.chat_key)
    )
    candidates = session.scalars(
        select(InboundEvent.id)
        .where(
            InboundEvent.status == JobStatus.QUEUED,
            InboundEvent.next_attempt_at <= now,
            InboundEvent.id.in_(heads) | InboundEvent.chat_key.is_(None),
        )
        .order_by(InboundEvent.id)
        .limit(batch)
    ).all()
    return [
        event_id for event_id in candidates if _lease_event(session, event_id, owner, lease, now)
    ]


def claim_next_in_chat(
    session: Session,
    chat_key: str,
    owner: str,
    lease: float = LEASE_SECONDS,
    now: datetime | None = None,
) -> int | None:
    """Take the chat's next event once the previous one is finished (None: none due)."""
    now = now or utcnow()
    head = session.scalar(
        select(func.min(InboundEvent.id)).where(QUEUED_EVENT, InboundEvent.chat_key == chat_key)
    )
    if head is None or not _lease_event(session, head, owner, lease, now):
        return None
    return int(head)


def extend_events(
    session: Session,
    owner: str,
    event_ids: Sequence[int],
    lease: float = LEASE_SECONDS,
    now: datetime | None = None,
) -> int:
    """Heartbeat: push the leases of the queued events `owner` holds."""
    if not event_ids:
        return 0
    result = session.execute(
        update(InboundEvent)
        .where(
            InboundEvent.id.in_(list(event_ids)),
            InboundEvent.claimed_by == owner,
            InboundEvent.status == JobStatus.QUEUED,
        )
        .values(next_attempt_at=_until(now, lease))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _lease_event(session: Session, event_id: int, owner: str, lease: float, now: datetime) -> bool:
    result = session.execute(
        update(InboundEvent)
        .where(
            InboundEvent.id == event_id,
            InboundEvent.status == JobStatus.QUEUED,
            InboundEvent.next_attempt_at <= now,
        )
        .values(next_attempt_at=_until(now, lease), claimed_by=owner)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
