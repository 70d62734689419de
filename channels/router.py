"""The router: stores every citizen message, then lets the bot or a human agent answer.

One state machine for every channel: bot → pending → open → resolved → bot. The bot
never answers while a conversation is pending or open. Handoff happens when the citizen
asks (an action calls the API), after repeated fallbacks, and when the engine fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels import messages
from channels.base import BotEngine, BotReply, EngineUnavailable, InboundMessage
from helpdesk.language import decide, parse_language_command
from helpdesk.models import Conversation, ConversationStatus, Message, Sender, utcnow
from helpdesk.services import conversations as convs
from helpdesk.services import outbox, sla, surveys

log = logging.getLogger(__name__)

FALLBACKS_BEFORE_HANDOFF = 2
HISTORY_MESSAGES = 5


@dataclass(frozen=True)
class RouteResult:
    """What became of one inbound message."""

    conversation: Conversation
    citizen_message: Message
    replies: list[Message]
    duplicate: bool = False


class Router:
    """Decides who answers a citizen's message and records everything on the way."""

    def __init__(
        self,
        engine: BotEngine,
        handle_minutes: int = 5,
        notify: Callable[[], None] = lambda: None,
    ) -> None:
        self._engine = engine
        self._handle_minutes = handle_minutes
        self._notify = notify

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
        engine_text = self._choose_language(session, conversation, inbound)
        citizen = convs.add_message(
            session,
            conversation,
            Sender.CITIZEN,
            inbound.text,
            payload=inbound.payload,
            client_message_id=inbound.client_message_id,
        )
        citizen.attachments = list(inbound.attachments) or None
        citizen.language = conversation.detected_language
        conversation.last_inbound_at = utcnow()
        session.commit()  # stored before anything else happens; the engine may call back
        if conversation.status != ConversationStatus.BOT:
            return RouteResult(conversation, citizen, [])
        replies = surveys.answer(session, conversation, citizen)  # an SKM survey running?
        if replies is None:
            replies = self._unsupported_note(session, conversation)
            replies += self._ask_bot(session, conversation, engine_text)
        for reply in replies:
            outbox.enqueue(session, conversation, reply)
        session.commit()
        session.refresh(conversation)
        if any(r.delivery_status == "queued" for r in replies):
            self._notify()
        return RouteResult(conversation, citizen, replies)

    def _choose_language(
        self, session: Session, conversation: Conversation, inbound: InboundMessage
    ) -> str:
        """Update the conversation's language; return the text to send to the engine."""
        command = parse_language_command(inbound.text)
        if command == "ask":
            return "/change_language"
        if command is not None:
            conversation.language = command
            conversation.language_explicit = True
            return f'/change_language{{"language":"{command}"}}'
        if inbound.payload:
            return inbound.payload
        history = session.scalars(
            select(Message.language)
            .where(
                Message.conversation_id == conversation.id,
                Message.sender == Sender.CITIZEN,
                Message.language.is_not(None),
            )
            .order_by(Message.id.desc())
            .limit(HISTORY_MESSAGES)
        ).all()
        decision = decide(
            inbound.text,
            current=conversation.language,
            explicit=conversation.language_explicit,
            history=[h for h in reversed(history) if h],
        )
        conversation.language = decision.reply_language
        conversation.detected_language = decision.unsupported or decision.detected.language
        return inbound.text

    def _unsupported_note(self, session: Session, conversation: Conversation) -> list[Message]:
        """One polite line when the citizen writes a regional language the bot cannot speak."""
        code = conversation.detected_language
        if not code or code not in messages.LANGUAGE_NAMES_ID:
            return []
        earlier = session.scalars(
            select(Message.language)
            .where(Message.conversation_id == conversation.id, Message.sender == Sender.CITIZEN)
            .order_by(Message.id.desc())
            .limit(2)
        ).all()
        if len(earlier) > 1 and earlier[1] == code:
            return []  # already said so for this stretch of the conversation
        note = messages.text("unsupported_language", "id", name=messages.LANGUAGE_NAMES_ID[code])
        return [convs.add_message(session, conversation, Sender.BOT, note)]

    def _ask_bot(self, session: Session, conversation: Conversation, text: str) -> list[Message]:
        metadata = {
            "channel": conversation.channel.value,
            "language": conversation.language,
            "detected_language": conversation.detected_language,
        }
        try:
            bot_replies = self._engine.reply(str(conversation.id), text, metadata)
        except EngineUnavailable as exc:
            log.warning("engine unavailable for conversation %s: %s", conversation.id, exc)
            return [self._hand_off(session, conversation, "engine_error", "engine_down")]
        session.refresh(conversation)  # an action may have handed the conversation off
        if not bot_replies and conversation.status == ConversationStatus.BOT:
            # Every turn of our domain says something; silence means an action failed
            # (the action server is down) and the citizen must not be left waiting.
            log.warning("engine gave no reply for conversation %s", conversation.id)
            return [self._hand_off(session, conversation, "engine_error", "engine_down")]
        stored = [
            convs.add_message(session, conversation, Sender.BOT, r.text, buttons=r.buttons)
            for r in bot_replies
            if r.text or r.buttons
        ]
        if self._count_fallback(conversation, bot_replies):
            stored.append(self._hand_off(session, conversation, "fallback", "fallback_handoff"))
        return stored

    @staticmethod
    def _count_fallback(conversation: Conversation, replies: list[BotReply]) -> bool:
        """Track consecutive fallbacks; True when it is time to hand off."""
        if any(r.is_fallback_marker for r in replies):
            conversation.fallback_count += 1
        else:
            conversation.fallback_count = 0
        return (
            conversation.fallback_count >= FALLBACKS_BEFORE_HANDOFF
            and conversation.status == ConversationStatus.BOT
        )

    def _hand_off(
        self, session: Session, conversation: Conversation, reason: str, text_key: str
    ) -> Message:
        session.refresh(conversation)
        convs.hand_off(session, conversation, reason)
        conversation.fallback_count = 0
        queue = convs.queue_info(session, conversation, self._handle_minutes)
        position = ""
        if queue.position:
            position = messages.text(
                "position",
                conversation.language,
                n=queue.position,
                minutes=queue.expected_wait_minutes,
            )
        text = messages.text(text_key, conversation.language, position=position)
        back = sla.back_note(session, conversation)  # out of office hours: when humans return
        text = f"{text}\n{back}" if back else text
        return convs.add_message(session, conversation, Sender.BOT, text)

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
