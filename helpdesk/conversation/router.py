"""The router: stores every citizen message, then lets the bot or a human agent answer.

One state machine for every channel: bot → pending → open → resolved → bot. The bot
never answers while a conversation is pending or open. Handoff happens when the citizen
asks (an action calls the API), after repeated fallbacks, and when the engine fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from helpdesk.conversation import messages
from helpdesk.conversation.base import (
    BotEngine,
    BotReply,
    EngineBusy,
    EngineUnavailable,
    InboundMessage,
)
from helpdesk.journeys.engine import JourneyReply, Journeys
from helpdesk.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    Message,
    Sender,
    utcnow,
)
from helpdesk.services import conversations as convs
from helpdesk.services import nlu_inbox, outbox, sla, surveys
from helpdesk.text.language import decide, parse_language_command

log = logging.getLogger(__name__)

FALLBACKS_BEFORE_HANDOFF = 2
STORE_RETRY_SECONDS = 60.0  # how long an answer waits for the database to come back
STORE_RETRY_PAUSE = 1.0
HISTORY_MESSAGES = 5


@dataclass(frozen=True)
class EngineTurn:
    """One message for the engine: plain values, safe to hand to another thread."""

    conversation_id: int
    text: str
    metadata: dict[str, Any]
    language: str
    notice: JourneyReply | None = None
    # What the engine knows the conversation by: random, never the row id (a reset
    # database must not hand a new citizen an old tracker; nobody can guess another's).
    sender_id: str = ""


@dataclass(frozen=True)
class RouteResult:
    """What became of one inbound message."""

    conversation: Conversation
    citizen_message: Message
    replies: list[Message]
    duplicate: bool = False


@dataclass(frozen=True)
class Accepted:
    """A stored citizen message, and the engine turn it needs (None: nothing to ask)."""

    result: RouteResult
    turn: EngineTurn | None


def typed_text(text: str) -> str:
    """What the citizen typed, as the engine must read it: as text, never as an intent.

    Rasa reads a message starting with "/" as `/intent{"entity": ...}` and runs that intent
    with those entities. Intents reach the engine only as payloads of the buttons it offered
    (and the router's own language command); typed leading slashes are dropped, the words
    stay for the understanding to read (issue 21, item 6: web chat, Telegram, WhatsApp).
    """
    if not text.lstrip().startswith("/"):
        return text
    return text.lstrip().lstrip("/ \t\r\n").strip() or "?"


class Router:
    """Decides who answers a citizen's message and records everything on the way."""

    def __init__(
        self,
        engine: BotEngine,
        handle_minutes: int = 5,
        notify: Callable[[], None] = lambda: None,
        journeys: Journeys | None = None,
        store_file: Callable[[Session, Conversation, bytes, str | None], Attachment] | None = None,
    ) -> None:
        self._store_file = store_file
        self._engine = engine
        self._handle_minutes = handle_minutes
        self._notify = notify
        self._journeys = journeys

    def handle(self, session: Session, inbound: InboundMessage) -> RouteResult:
        """Store the message, then answer it with the bot when the bot owns the conversation.

        Synchronous (the worker's path for Telegram and WhatsApp); the web chat uses
        `accept` now and `call_engine` + `store_outcome` on a turn thread.
        """
        accepted = self.accept(session, inbound)
        if accepted.turn is None:
            return accepted.result
        outcome = self.call_engine(accepted.turn)
        replies = accepted.result.replies + self.store_outcome_retrying(
            session, accepted.turn, outcome
        )
        session.refresh(accepted.result.conversation)
        result = accepted.result
        return RouteResult(result.conversation, result.citizen_message, replies)

    def accept(self, session: Session, inbound: InboundMessage) -> Accepted:
        """Store the citizen's message (committed); say whether the engine must answer it."""
        conversation = convs.get_or_create(
            session, inbound.channel, inbound.channel_user_id, inbound.language or "id"
        )
        if inbound.client_message_id:
            earlier = convs.find_message_by_client_id(
                session, conversation, inbound.client_message_id
            )
            if earlier is not None:
                return Accepted(self._repeat(session, conversation, earlier), None)
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
        notice = None
        if self._journeys is not None and conversation.status == ConversationStatus.BOT:
            notice = self._journeys.consent_notice(conversation)
        session.commit()  # stored before anything else happens; the engine may call back
        if conversation.status != ConversationStatus.BOT:
            return Accepted(RouteResult(conversation, citizen, []), None)
        answered = surveys.answer(session, conversation, citizen)  # an SKM survey running?
        if answered is None:
            answered = self._journey(session, conversation, inbound)
        if answered is not None:  # the helpdesk itself answered; no engine turn
            if notice is not None:
                answered.append(self._store(session, conversation, notice))
            self._deliver(session, conversation, answered)
            session.refresh(conversation)
            return Accepted(RouteResult(conversation, citizen, answered), None)
        notes = self._unsupported_note(session, conversation)
        self._deliver(session, conversation, notes)
        turn = EngineTurn(
            conversation_id=conversation.id,
            sender_id=conversation.engine_sender_id,
            text=engine_text,
            metadata={
                "channel": conversation.channel.value,
                "language": conversation.language,
                "detected_language": conversation.detected_language,
            },
            language=conversation.language,
            notice=notice,
        )
        return Accepted(RouteResult(conversation, citizen, notes), turn)

    def call_engine(self, turn: EngineTurn) -> list[BotReply] | EngineUnavailable:
        """Ask the engine (no database work here: this is the slow part)."""
        try:
            sender = turn.sender_id or str(turn.conversation_id)
            return self._engine.reply(sender, turn.text, turn.metadata)
        except EngineUnavailable as exc:
            return exc

    def store_outcome(
        self, session: Session, turn: EngineTurn, outcome: list[BotReply] | EngineUnavailable
    ) -> list[Message]:
        """Store the engine's answer (or the handoff it caused), queue deliveries, commit."""
        conversation = session.get(Conversation, turn.conversation_id)
        if conversation is None:  # erased meanwhile
            return []
        session.refresh(conversation)  # an action may have handed the conversation off
        replies = self._answer(session, conversation, outcome)
        if turn.notice is not None:  # the privacy notice follows the first answer
            replies.append(self._store(session, conversation, turn.notice))
        self._deliver(session, conversation, replies)
        return replies

    def store_outcome_retrying(
        self, session: Session, turn: EngineTurn, outcome: list[BotReply] | EngineUnavailable
    ) -> list[Message]:
        """`store_outcome`, tried again for up to STORE_RETRY_SECONDS while the database is
        unreachable (a restart, a failover): the engine has answered and its turn is saved,
        so dropping the answer here would lose it for good (a retried delivery only finds the
        citizen's message stored). A failed attempt commits nothing."""
        deadline = time.monotonic() + STORE_RETRY_SECONDS
        while True:
            try:
                return self.store_outcome(session, turn, outcome)
            except OperationalError:
                session.rollback()
                if time.monotonic() > deadline:
                    raise
                log.warning("database unreachable; storing the engine's answer again shortly")
                time.sleep(STORE_RETRY_PAUSE)

    def waiting_notice(self, session: Session, turn: EngineTurn) -> Message | None:
        """Store and queue the "please wait, you are in line" message for a slow turn."""
        conversation = session.get(Conversation, turn.conversation_id)
        if conversation is None:
            return None
        notice = convs.add_message(
            session, conversation, Sender.BOT, messages.text("please_wait", turn.language)
        )
        self._deliver(session, conversation, [notice])
        return notice

    def _deliver(
        self, session: Session, conversation: Conversation, replies: list[Message]
    ) -> None:
        for reply in replies:
            outbox.enqueue(session, conversation, reply)
        session.commit()
        if any(r.delivery_status == "queued" for r in replies):
            self._notify()

    def handle_file(
        self, session: Session, inbound: InboundMessage, data: bytes, filename: str | None
    ) -> RouteResult | None:
        """A photo or document fetched from a push channel: checked and stored like a widget
        upload, then taken by the journey (None when files cannot be stored here)."""
        if self._store_file is None:
            return None
        conversation = convs.get_or_create(
            session, inbound.channel, inbound.channel_user_id, inbound.language or "id"
        )
        attachment = self._store_file(session, conversation, data, filename)
        return self.attach(session, conversation, attachment)

    def attach(
        self, session: Session, conversation: Conversation, attachment: Attachment
    ) -> RouteResult:
        """A file the citizen uploaded: stored as their message, taken by the journey."""
        citizen = convs.add_message(
            session, conversation, Sender.CITIZEN, f"📎 {attachment.filename}"
        )
        citizen.attachments = [
            {
                "attachment_id": attachment.id,
                "name": attachment.filename,  # what the console lists
                "filename": attachment.filename,
                "url": f"/api/v1/attachments/{attachment.id}",
                "content_type": attachment.content_type,
                "size": attachment.size,
            }
        ]
        citizen.language = conversation.language
        attachment.message_id = citizen.id
        conversation.last_inbound_at = utcnow()
        replies: list[Message] = []
        if conversation.status == ConversationStatus.BOT and self._journeys is not None:
            answers = self._journeys.attachment_received(session, conversation, attachment)
            replies = [self._store(session, conversation, answer) for answer in answers]
            for reply in replies:
                outbox.enqueue(session, conversation, reply)
        session.commit()
        if any(r.delivery_status == "queued" for r in replies):
            self._notify()
        return RouteResult(conversation, citizen, replies)

    def _journey(
        self, session: Session, conversation: Conversation, inbound: InboundMessage
    ) -> list[Message] | None:
        """The helpdesk's own journeys (complaint form, identity check, data rights...)."""
        if self._journeys is None:
            return None
        answers = self._journeys.handle(session, conversation, inbound.text, inbound.payload)
        if answers is None:
            session.commit()  # a journey that just ended; the engine (and its actions) go next
            return None
        conversation.fallback_count = 0
        return [self._store(session, conversation, answer) for answer in answers]

    @staticmethod
    def _store(session: Session, conversation: Conversation, reply: JourneyReply) -> Message:
        message = convs.add_message(
            session, conversation, Sender.BOT, reply.text, buttons=reply.buttons or None
        )
        message.language = conversation.language
        return message

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
        return typed_text(inbound.text)

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

    def _answer(
        self,
        session: Session,
        conversation: Conversation,
        outcome: list[BotReply] | EngineUnavailable,
    ) -> list[Message]:
        if isinstance(outcome, EngineBusy):
            # Up but slow: never a handoff. Say so politely; the conversation stays the bot's.
            log.warning("engine busy for conversation %s: %s", conversation.id, outcome)
            text = messages.text("engine_slow", conversation.language)
            return [convs.add_message(session, conversation, Sender.BOT, text)]
        if isinstance(outcome, EngineUnavailable):
            log.warning("engine unavailable for conversation %s: %s", conversation.id, outcome)
            return [self._hand_off(session, conversation, "engine_error", "engine_down")]
        bot_replies = outcome
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
        if any(r.is_fallback_marker for r in bot_replies):  # teach-the-bot inbox
            nlu_inbox.record_miss(session, conversation, "fallback")
        if self._count_fallback(conversation, bot_replies):
            nlu_inbox.record_miss(session, conversation, "handoff_after_miss")
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
