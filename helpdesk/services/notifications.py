"""Status updates for citizens who asked for them, on their channel, in their language.

A status change writes the update as a bot message in each subscribed conversation and
queues it in the outbox in the same transaction; the worker delivers it (on WhatsApp
outside the 24-hour window as the approved utility template). Web chat picks it up on
its next poll.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.journeys.i18n import t
from helpdesk.models import Conversation, Sender, Subscription, utcnow
from helpdesk.services import conversations as convs
from helpdesk.services import outbox
from helpdesk.text.personal import mask_personal_data


def subscribe(session: Session, conversation: Conversation, tracking_number: str) -> Subscription:
    """Tell this conversation about changes of `tracking_number` (idempotent)."""
    existing = session.scalar(
        select(Subscription).where(
            Subscription.conversation_id == conversation.id,
            Subscription.tracking_number == tracking_number,
        )
    )
    if existing is not None:
        existing.active = True
        existing.ended_at = None
        session.flush()
        return existing
    subscription = Subscription(conversation_id=conversation.id, tracking_number=tracking_number)
    session.add(subscription)
    session.flush()
    return subscription


def unsubscribe_all(session: Session, conversation: Conversation) -> int:
    """Opt out of every update on this conversation; how many were active."""
    active = session.scalars(
        select(Subscription).where(
            Subscription.conversation_id == conversation.id, Subscription.active.is_(True)
        )
    ).all()
    for subscription in active:
        subscription.active = False
        subscription.ended_at = utcnow()
    session.flush()
    return len(active)


def active_numbers(session: Session, conversation: Conversation) -> list[str]:
    """The tracking numbers this conversation is subscribed to."""
    return list(
        session.scalars(
            select(Subscription.tracking_number).where(
                Subscription.conversation_id == conversation.id, Subscription.active.is_(True)
            )
        )
    )


def notify_status_change(
    session: Session, tracking_number: str, status: str, note: str | None
) -> int:
    """Write and queue the update for every subscriber; how many were told."""
    subscriptions = session.scalars(
        select(Subscription).where(
            Subscription.tracking_number == tracking_number, Subscription.active.is_(True)
        )
    ).all()
    told = 0
    for subscription in subscriptions:
        conversation = session.get(Conversation, subscription.conversation_id)
        if conversation is None:
            continue
        language = conversation.language
        extra = ""
        if note:
            extra = t("notify.update_note", language, note=mask_personal_data(note).rstrip("."))
        text = t(
            "notify.update",
            language,
            number=tracking_number,
            label=t(f"status.{status}", language),
            note=extra,
        )
        message = convs.add_message(session, conversation, Sender.BOT, text)
        message.language = language
        outbox.enqueue(session, conversation, message)
        told += 1
    session.flush()
    return told
