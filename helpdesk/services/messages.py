"""Storing a message: the one place a `Message` row is written."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.models import Conversation, Message, Sender, utcnow
from helpdesk.services.errors import Conflict


def store_message(
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
    """Append a message to the conversation (no workflow hooks: see conversations.add_message)."""
    message = Message(
        conversation_id=conversation.id,
        sender=sender,
        text=text,
        buttons=buttons or None,
        payload=payload,
        client_message_id=client_message_id,
        agent_id=agent_id,
    )
    session.add(message)
    conversation.updated_at = utcnow()
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("message already stored", code="duplicate_message") from exc
    return message
