"""Inbound webhook deliveries: stored verbatim and at most once, processed later by the worker."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.infra.crypto import blind_index
from helpdesk.models import Channel, InboundEvent, JobStatus, utcnow

MAX_ATTEMPTS = 8


def store_inbound_event(
    session: Session,
    channel: Channel,
    external_id: str,
    payload: dict[str, Any],
    chat: str | None = None,
) -> InboundEvent | None:
    """Store one delivery and commit; None when this channel id was stored before (a retry).

    `chat` (the platform's chat id) keeps one chat's messages in order (services/leases.py);
    it is stored as a keyed hash only. None: no order to keep (a status callback).
    """
    event = InboundEvent(
        channel=channel,
        external_id=external_id,
        payload=payload,
        chat_key=chat_key(channel, chat) if chat else None,
    )
    session.add(event)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return event


def chat_key(channel: Channel, chat: str) -> str:
    """The keyed hash a chat's events share (a phone number is never stored in the clear)."""
    return blind_index(f"{channel.value}:{chat}")


def is_stale(sent: object, max_age_hours: int, now: datetime | None = None) -> bool:
    """Whether a delivery's own send time (Unix seconds, as WhatsApp's `timestamp` and
    Telegram's `date` give it) is older than `max_age_hours` (0: no limit).

    With the delivery ids kept after an erasure (`privacy.erase_conversation`), this keeps
    a captured delivery from being replayed once its stored id has been purged: retention
    (RETENTION_INBOUND_DAYS) is longer than this window.
    """
    if max_age_hours <= 0 or sent is None:
        return False
    try:
        seconds = float(str(sent))
    except ValueError:
        return True
    age = (now or utcnow()).timestamp() - seconds
    return age > max_age_hours * 3600


def mark_done(event: InboundEvent) -> None:
    """Processed."""
    event.status = JobStatus.DONE
    event.last_error = None


def mark_failed_attempt(event: InboundEvent, error: str, now: datetime | None = None) -> None:
    """Retry later with exponential backoff; give up after MAX_ATTEMPTS."""
    event.attempts += 1
    event.last_error = error[:2000]
    if event.attempts >= MAX_ATTEMPTS:
        event.status = JobStatus.FAILED
    else:
        event.next_attempt_at = (now or utcnow()) + timedelta(
            seconds=backoff_seconds(event.attempts)
        )


def backoff_seconds(attempts: int) -> float:
    """1, 2, 4, 8 ... seconds, capped at 5 minutes."""
    return float(min(2 ** (attempts - 1), 300))
