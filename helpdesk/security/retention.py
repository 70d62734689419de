"""Retention: nothing personal is kept forever (`helpdesk purge`, run it daily from cron).

- inbound events (raw webhook payloads: names, phone numbers, messages) once processed,
  after RETENTION_INBOUND_DAYS (default 30);
- engine trackers (the Rasa SQL tracker store: every message and slot of a conversation)
  inactive for RETENTION_TRACKER_DAYS (default 90);
- transcripts (messages and handoff notes) of conversations inactive for
  RETENTION_TRANSCRIPT_DAYS (default 365); the conversation row stays for statistics.
0 days disables a rule. The audit trail and security events are kept (breach reports).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from helpdesk.models import (
    Conversation,
    ConversationStatus,
    InboundEvent,
    JobStatus,
    Message,
    OutboxItem,
    utcnow,
)


@dataclass(frozen=True)
class PurgeResult:
    """How much each rule removed."""

    inbound_events: int = 0
    transcripts: int = 0
    messages: int = 0
    tracker_senders: int = 0
    tracker_events: int = 0


def purge_inbound(session: Session, days: int) -> int:
    """Delete processed (done or failed) inbound events older than `days`."""
    if days <= 0:
        return 0
    cutoff = utcnow() - timedelta(days=days)
    result = session.execute(
        delete(InboundEvent).where(
            InboundEvent.created_at < cutoff,
            InboundEvent.status.in_([JobStatus.DONE, JobStatus.FAILED]),
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_transcripts(session: Session, days: int) -> tuple[int, int]:
    """Delete the messages of conversations idle for `days` (not waiting for an agent);
    return (conversations, messages)."""
    if days <= 0:
        return 0, 0
    cutoff = utcnow() - timedelta(days=days)
    ids = list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.updated_at < cutoff,
                Conversation.status.in_([ConversationStatus.BOT, ConversationStatus.RESOLVED]),
            )
        )
    )
    if not ids:
        return 0, 0
    message_ids = select(Message.id).where(Message.conversation_id.in_(ids))
    session.execute(delete(OutboxItem).where(OutboxItem.message_id.in_(message_ids)))
    removed = session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
    session.execute(update(Conversation).where(Conversation.id.in_(ids)).values(handoff_note=None))
    return len(ids), int(removed.rowcount or 0)  # type: ignore[attr-defined]


def purge_trackers(tracker_db: Path, days: int) -> tuple[int, int]:
    """Delete whole trackers whose newest event is older than `days` from Rasa's SQLite
    tracker store; return (senders, events)."""
    if days <= 0 or not tracker_db.exists():
        return 0, 0
    cutoff = time.time() - days * 86400
    connection = sqlite3.connect(tracker_db, timeout=10)
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "events" not in tables:
            return 0, 0
        senders = [
            row[0]
            for row in connection.execute(
                "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < ?",
                (cutoff,),
            )
        ]
        removed = 0
        for sender in senders:
            removed += connection.execute(
                "DELETE FROM events WHERE sender_id = ?", (sender,)
            ).rowcount
        connection.commit()
        if removed:
            connection.execute("VACUUM")  # deleted rows must not linger in free pages
        return len(senders), removed
    finally:
        connection.close()
