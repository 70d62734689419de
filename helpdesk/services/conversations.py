"""Conversations: the state machine bot → pending → open → resolved → bot, and messages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Message,
    Sender,
    utcnow,
)
from helpdesk.services import sla, surveys
from helpdesk.services.errors import Conflict, InvalidInput, NotFound
from helpdesk.services.messages import store_message

GENERAL_UNIT = "umum"  # helpdesk.catalog.GENERAL_UNIT; the domain does not import the catalog
HANDOFF_REASONS = frozenset({"citizen_request", "complaint", "fallback", "engine_error"})


@dataclass(frozen=True)
class QueueInfo:
    """Where a pending conversation stands in the queue."""

    position: int | None
    expected_wait_minutes: int | None


def get_conversation(session: Session, conversation_id: int) -> Conversation:
    """The conversation with this id, or NotFound."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound(f"no conversation {conversation_id}", code="conversation_not_found")
    return conversation


def get_by_ref(session: Session, ref: str, *, allow_row_id: bool = True) -> Conversation:
    """The conversation the engine knows as `ref` (its random sender id) or, when allowed,
    by its row id; NotFound otherwise."""
    conversation = None
    if ref.isascii() and ref.isdigit() and len(ref) < 19:
        if allow_row_id:
            conversation = session.get(Conversation, int(ref))
    else:
        conversation = session.scalar(
            select(Conversation).where(Conversation.engine_sender_id == ref)
        )
    if conversation is None:
        raise NotFound(f"no conversation {ref}", code="conversation_not_found")
    return conversation


def get_or_create(
    session: Session, channel: Channel, channel_user_id: str, language: str = "id"
) -> Conversation:
    """The citizen's conversation on this channel, created on first contact."""
    conversation = session.scalar(
        select(Conversation).where(
            Conversation.channel == channel, Conversation.channel_user_id == channel_user_id
        )
    )
    if conversation is None:
        conversation = Conversation(
            channel=channel, channel_user_id=channel_user_id, language=language
        )
        session.add(conversation)
        session.flush()
    return conversation


def find_message_by_client_id(
    session: Session, conversation: Conversation, client_message_id: str
) -> Message | None:
    """A citizen message already stored under this client id (a repeated delivery)."""
    return session.scalar(
        select(Message).where(
            Message.conversation_id == conversation.id,
            Message.client_message_id == client_message_id,
        )
    )


def add_message(
    session: Session,
    conversation: Conversation,
    sender: Sender,
    text: str,
    *,
    buttons: list[dict[str, Any]] | None = None,
    payload: str | None = None,
    client_message_id: str | None = None,
    agent_id: int | None = None,
) -> Message:
    """Append a message to the conversation; a citizen's message restarts a paused SLA clock."""
    message = store_message(
        session,
        conversation,
        sender,
        text,
        buttons=buttons,
        payload=payload,
        client_message_id=client_message_id,
        agent_id=agent_id,
    )
    if sender == Sender.CITIZEN and conversation.status in (
        ConversationStatus.PENDING,
        ConversationStatus.OPEN,
    ):
        sla.on_citizen_message(session, conversation)  # a paused SLA clock restarts
    return message


def messages_after(
    session: Session, conversation: Conversation, after_id: int = 0, limit: int = 200
) -> Sequence[Message]:
    """Messages newer than `after_id`, oldest first."""
    return session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation.id, Message.id > after_id)
        .order_by(Message.id)
        .limit(limit)
    ).all()


def queue_info(session: Session, conversation: Conversation, handle_minutes: int) -> QueueInfo:
    """Position among pending conversations (1 = next) and a wait estimate."""
    if conversation.status != ConversationStatus.PENDING or conversation.pending_since is None:
        return QueueInfo(position=None, expected_wait_minutes=None)
    ahead = session.scalar(
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.status == ConversationStatus.PENDING,
            Conversation.pending_since < conversation.pending_since,
        )
    )
    position = int(ahead or 0) + 1
    return QueueInfo(position=position, expected_wait_minutes=math.ceil(position * handle_minutes))


def hand_off(
    session: Session,
    conversation: Conversation,
    reason: str,
    note: str | None = None,
    *,
    unit_code: str | None = None,
    service_code: str | None = None,
) -> Conversation:
    """Put the conversation in the agents' queue (idempotent while pending or open).

    It waits in the queue of `unit_code` (the unit of the service it was about, which the
    caller resolves through the catalog), or in the general queue.
    """
    if reason not in HANDOFF_REASONS:
        raise InvalidInput(f"reason must be one of: {', '.join(sorted(HANDOFF_REASONS))}")
    if conversation.status in (ConversationStatus.PENDING, ConversationStatus.OPEN):
        return conversation
    conversation.unit_code = unit_code or GENERAL_UNIT
    conversation.service_code = service_code
    conversation.last_agent_activity_at = None
    conversation.status = ConversationStatus.PENDING
    conversation.handoff_reason = reason
    conversation.handoff_note = note
    conversation.pending_since = utcnow()
    conversation.assigned_agent_id = None
    conversation.opened_at = None
    conversation.resolved_at = None
    session.flush()
    sla.on_handoff(session, conversation)
    return conversation


def agent_reply(
    session: Session, conversation: Conversation, text: str, agent_id: int | None = None
) -> Message:
    """Store an agent's reply; an agent replying takes the conversation (pending → open)."""
    if not text.strip():
        raise InvalidInput("text is required")
    if conversation.status == ConversationStatus.RESOLVED:
        raise Conflict(
            "conversation is resolved; the bot owns it now", code="conversation_resolved"
        )
    if conversation.status in (ConversationStatus.BOT, ConversationStatus.PENDING):
        open_conversation(conversation, agent_id)
    sla.on_agent_reply(session, conversation)
    return add_message(session, conversation, Sender.AGENT, text.strip(), agent_id=agent_id)


def open_conversation(
    conversation: Conversation, agent_id: int | None, at: datetime | None = None
) -> None:
    """An agent takes the conversation."""
    conversation.status = ConversationStatus.OPEN
    conversation.assigned_agent_id = agent_id
    conversation.opened_at = at or utcnow()


def resolve(session: Session, conversation: Conversation) -> Conversation:
    """Close the human part of the conversation; the bot owns the next message.

    The one way to resolve (REST API and console): it also offers the citizen the SKM
    survey (queued for delivery; web chat picks it up by polling).
    """
    if conversation.status == ConversationStatus.BOT:
        raise Conflict("conversation is not with an agent", code="not_handed_off")
    conversation.status = ConversationStatus.RESOLVED
    conversation.resolved_at = utcnow()
    session.flush()
    sla.on_resolve(session, conversation, conversation.resolved_at)
    surveys.offer(session, conversation)
    return conversation


def wait_for_citizen(session: Session, conversation: Conversation) -> Conversation:
    """The agent needs the citizen's answer: the SLA clock pauses until the citizen writes."""
    if conversation.status not in (ConversationStatus.PENDING, ConversationStatus.OPEN):
        raise Conflict("conversation is not with an agent", code="not_handed_off")
    clock = sla.open_clock(session, conversation)
    if clock is not None:
        sla.pause(session, clock)
    session.flush()
    return conversation


def list_conversations(
    session: Session, status: ConversationStatus | None, limit: int = 100
) -> Sequence[Conversation]:
    """Conversations, pending ones oldest first (queue order), others newest first."""
    query = select(Conversation)
    if status is not None:
        query = query.where(Conversation.status == status)
    if status == ConversationStatus.PENDING:
        query = query.order_by(Conversation.pending_since, Conversation.id)
    else:
        query = query.order_by(Conversation.updated_at.desc(), Conversation.id.desc())
    return session.scalars(query.limit(limit)).all()
