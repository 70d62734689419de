"""Outbound deliveries on Telegram and WhatsApp: queued with the message, sent by the worker."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.models import Conversation, JobStatus, Message, OutboxItem, utcnow
from helpdesk.services.channel_traits import traits_of
from helpdesk.services.inbox import backoff_seconds

MAX_ATTEMPTS = 8


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
