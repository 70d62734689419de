"""Outbound deliveries on Telegram and WhatsApp: queued with the message, sent by the worker.

Order per conversation: a worker takes only the oldest queued item of a conversation
(`claim_heads`), and that conversation's next one only once it is finished
(`claim_next`), so two workers never send one citizen's replies out of order, and a reply
waiting for a retry holds the ones after it back instead of being overtaken.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, func, select, text, update
from sqlalchemy.orm import Session

from helpdesk.models import Conversation, JobStatus, Message, OutboxItem, utcnow
from helpdesk.services.channel_traits import traits_of
from helpdesk.services.inbox import backoff_seconds

MAX_ATTEMPTS = 8
# A literal, not a bound parameter, so the planner sees the partial index ix_outbox_queued.
QUEUED_ITEM = text("outbox.status = 'queued'")


def enqueue(session: Session, conversation: Conversation, message: Message) -> OutboxItem | None:
    """Queue `message` for delivery when its channel pushes (a polled channel, such as web
    chat, picks it up itself)."""
    if not traits_of(session, conversation.channel).pushes:
        message.delivery_status = "delivered"
        return None
    message.delivery_status = "queued"
    item = OutboxItem(
        message_id=message.id, channel=conversation.channel, recipient=conversation.channel_user_id
    )
    session.add(item)
    session.flush()
    return item


def mark_sent(item: OutboxItem, provider_message_id: str | None) -> None:
    """The channel API accepted the message."""
    item.status = JobStatus.DONE
    item.provider_message_id = provider_message_id
    item.last_error = None
    item.message.delivery_status = "sent"


def mark_failed_attempt(
    item: OutboxItem, error: str, *, retryable: bool = True, now: datetime | None = None
) -> None:
    """Retry later with backoff, or give up (not retryable, or out of attempts)."""
    item.attempts += 1
    item.last_error = error[:2000]
    if not retryable or item.attempts >= MAX_ATTEMPTS:
        item.status = JobStatus.FAILED
        item.message.delivery_status = "failed"
    else:
        item.next_attempt_at = (now or utcnow()) + timedelta(seconds=backoff_seconds(item.attempts))


def update_delivery_status(session: Session, provider_message_id: str, status: str) -> bool:
    """A channel's status callback (sent, delivered, read, failed); False if unknown id."""
    item = session.scalar(
        select(OutboxItem).where(OutboxItem.provider_message_id == provider_message_id)
    )
    if item is None:
        return False
    order = ["queued", "sent", "delivered", "read"]
    current = item.message.delivery_status or "queued"
    if status == "failed" or (
        status in order and current in order and order.index(status) > order.index(current)
    ):
        item.message.delivery_status = status
    return True


def recipient_of(session: Session, provider_message_id: str) -> str | None:
    """Who a delivered message went to (by the channel's message id), or None."""
    return session.scalar(
        select(OutboxItem.recipient).where(OutboxItem.provider_message_id == provider_message_id)
    )


def claim_heads(
    session: Session, batch: int, lease: timedelta, now: datetime | None = None
) -> list[int]:
    """Lease up to `batch` due items, each the oldest queued one of its conversation.

    Each lease is a conditional UPDATE (still queued, still due), so two workers never take
    the same item, nor two items of one conversation. Commit to keep them."""
    now = now or utcnow()
    candidates = session.scalars(heads_query(batch, now)).all()
    return [item_id for item_id in candidates if _lease(session, item_id, lease, now)]


def heads_query(batch: int, now: datetime) -> Select[int]:
    """The due items that are their conversation's oldest queued one, oldest first (read
    through the partial index of queued items: sent ones are nearly all rows)."""
    heads = (
        select(func.min(OutboxItem.id))
        .join(Message, Message.id == OutboxItem.message_id)
        .where(QUEUED_ITEM)
        .group_by(Message.conversation_id)
    )
    return (
        select(OutboxItem.id)
        .where(QUEUED_ITEM, OutboxItem.next_attempt_at <= now, OutboxItem.id.in_(heads))
        .order_by(OutboxItem.id)
        .limit(batch)
    )


def claim_next(
    session: Session, finished_id: int, lease: timedelta, now: datetime | None = None
) -> int | None:
    """Once `finished_id` is sent or given up: its conversation's next queued item, leased
    (None when there is none, or it is not due yet)."""
    now = now or utcnow()
    conversation_id = (
        select(Message.conversation_id)
        .join(OutboxItem, OutboxItem.message_id == Message.id)
        .where(OutboxItem.id == finished_id)
        .scalar_subquery()
    )
    head = session.scalar(
        select(func.min(OutboxItem.id))
        .join(Message, Message.id == OutboxItem.message_id)
        .where(QUEUED_ITEM, Message.conversation_id == conversation_id)
    )
    if head is None or not _lease(session, head, lease, now):
        return None
    return int(head)


def _lease(session: Session, item_id: int, lease: timedelta, now: datetime) -> bool:
    taken = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item_id, QUEUED_ITEM, OutboxItem.next_attempt_at <= now)
        .values(next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    return bool(taken.rowcount)  # type: ignore[attr-defined]
