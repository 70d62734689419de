"""The router: stores every citizen message, then lets the bot or a human agent answer."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from channels.base import BotEngine, EngineUnavailable, InboundMessage
from helpdesk.models import Conversation, ConversationStatus, Message, Sender
from helpdesk.services import conversations as convs

log = logging.getLogger(__name__)

ENGINE_DOWN_TEXT = (
    "Mohon maaf, asisten otomatis kami sedang tidak dapat menjawab. "
    "Pesan Anda sudah kami terima dan diteruskan ke petugas{position}. "
    "Petugas akan membalas di sini."
)


@dataclass(frozen=True)
class RouteResult:
    """What became of one inbound message."""

    conversation: Conversation
    citizen_message: Message
    replies: list[Message]
    duplicate: bool = False


class Router:
    """One state machine for every channel: bot → pending → open → resolved → bot."""

    def __init__(self, engine: BotEngine, handle_minutes: int = 5) -> None:
        self._engine = engine
        self._handle_minutes = handle_minutes

    def handle(self, session: Session, inbound: InboundMessage) -> RouteResult:
        """Store the message, then answer it with the bot when the bot owns the conversation."""
        conversation = convs.get_or_create(
            session, inbound.channel, inbound.channel_user_id, inbound.language or "id"
        )
        if inbound.client_message_id:
            earlier = convs.find_message_by_client_id(
                session, conversation, inbound.client_message_id
            )
            if earlier is not None:
                return self._repeat(session, conversation, earlier)
        if conversation.status == ConversationStatus.RESOLVED:
            conversation.status = ConversationStatus.BOT
        citizen = convs.add_message(
            session,
            conversation,
            Sender.CITIZEN,
            inbound.text,
            payload=inbound.payload,
            client_message_id=inbound.client_message_id,
        )
        session.commit()  # stored before anything else happens; the engine may call back
        if conversation.status != ConversationStatus.BOT:
            return RouteResult(conversation, citizen, [])
        replies = self._ask_bot(session, conversation, inbound)
        session.commit()
        session.refresh(conversation)
        return RouteResult(conversation, citizen, replies)

    def _ask_bot(
        self, session: Session, conversation: Conversation, inbound: InboundMessage
    ) -> list[Message]:
        metadata = {"channel": conversation.channel.value, "language": conversation.language}
        try:
            bot_replies = self._engine.reply(
                str(conversation.id), inbound.payload or inbound.text, metadata
            )
        except EngineUnavailable as exc:
            log.warning("engine unavailable for conversation %s: %s", conversation.id, exc)
            return [self._hand_off_on_engine_error(session, conversation)]
        session.refresh(conversation)  # an action may have handed the conversation off
        return [
            convs.add_message(session, conversation, Sender.BOT, r.text, buttons=r.buttons)
            for r in bot_replies
            if r.text or r.buttons
        ]

    def _hand_off_on_engine_error(self, session: Session, conversation: Conversation) -> Message:
        session.refresh(conversation)
        convs.hand_off(session, conversation, "engine_error")
        queue = convs.queue_info(session, conversation, self._handle_minutes)
        position = f" (antrean ke-{queue.position})" if queue.position else ""
        return convs.add_message(
            session, conversation, Sender.BOT, ENGINE_DOWN_TEXT.format(position=position)
        )

    @staticmethod
    def _repeat(session: Session, conversation: Conversation, earlier: Message) -> RouteResult:
        """A repeated delivery: answer with what followed the original, store nothing."""
        replies = []
        for message in convs.messages_after(session, conversation, earlier.id):
            if message.sender == Sender.CITIZEN:
                break
            if message.sender == Sender.BOT:
                replies.append(message)
        return RouteResult(conversation, earlier, replies, duplicate=True)
