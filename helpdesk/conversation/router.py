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
from typing import TYPE_CHECKING, Any

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
from helpdesk.journeys.engine import EscapeStep, JourneyReply, Journeys
from helpdesk.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    Message,
    Sender,
    TurnState,
    utcnow,
)
from helpdesk.services import conversations as convs
from helpdesk.services import leases as turn_leases
from helpdesk.services import nlu_inbox, outbox, sla, surveys
from helpdesk.text.language import decide, parse_language_command
from helpdesk.text.language.readable import is_unreadable

if TYPE_CHECKING:
    from helpdesk.conversation.leases import Leases

log = logging.getLogger(__name__)

FALLBACKS_BEFORE_HANDOFF = 2
# What the engine gets for a message nobody can read (gibberish, emoji only): its
# fallback rule answers in the conversation's language and the router files the
# message in the teach-the-bot inbox (issue 17).
# The language rides along as an entity: no NLU runs on a command, so the engine's
# `language` slot would otherwise keep whatever it had (nothing, on a first message).
UNREADABLE = '/nlu_fallback{{"language":"{language}"}}'
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
    # After a question asked inside a form: the offer to go on with the form (issue 17).
    after: JourneyReply | None = None
    # What the engine knows the conversation by: random, never the row id (a reset
    # database must not hand a new citizen an old tracker; nobody can guess another's).
    sender_id: str = ""
    # The citizen message whose durable turn this is (services/leases.py); None: not durable.
    message_id: int | None = None


class TurnInFlight(Exception):
    """A redelivered message whose answer another process is still preparing: retry later."""


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
        leases: Leases | None = None,
    ) -> None:
        self.leases = leases  # durable turns when set (every app and worker sets it)
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
            if accepted.result.duplicate:
                self._settle_redelivery(session, accepted.result.citizen_message)
            return accepted.result
        replies = accepted.result.replies + self.run_turn(session, accepted.turn)
        session.refresh(accepted.result.conversation)
        result = accepted.result
        return RouteResult(result.conversation, result.citizen_message, replies)

    def run_turn(self, session: Session, turn: EngineTurn) -> list[Message]:
        """Ask the engine and store its answer, here and now; the turn is released after."""
        try:
            return self.store_outcome_retrying(session, turn, self.call_engine(turn))
        finally:
            self.release(turn)

    def release(self, turn: EngineTurn) -> None:
        """This process stops holding the turn (answered, taken over, or failed: it expires)."""
        if self.leases is not None and turn.message_id is not None:
            self.leases.release_turn(turn.message_id)

    def _settle_redelivery(self, session: Session, earlier: Message) -> None:
        """A channel delivered a message again (its worker died, its lease ran out). If that
        message's turn is still open, answer it here, in order, before the chat moves on;
        raise TurnInFlight while a live process still holds it."""
        if earlier.turn_state not in (TurnState.OPEN, TurnState.OPEN_NOTICE):
            return
        turn = self.recover(session, earlier.id)
        if turn is None:
            session.refresh(earlier)
            if earlier.turn_state in (TurnState.OPEN, TurnState.OPEN_NOTICE):
                raise TurnInFlight(f"message {earlier.id} is being answered elsewhere")
            return
        self.run_turn(session, turn)

    def recover(self, session: Session, message_id: int) -> EngineTurn | None:
        """Take over an open turn whose holder fell silent, and rebuild it from the stored
        message. None when another process won it, or no engine call is needed (the
        conversation left the bot, a journey answered it, or it was retried too often and
        went to an agent). A returned turn is held: run it (`run_turn` or the turn pool)."""
        if self.leases is None:
            return None
        owner = self.leases.owner
        if not turn_leases.take_over(session, message_id, owner, self.leases.lease_seconds):
            session.rollback()
            return None
        session.commit()
        self.leases.hold_turn(message_id)
        try:
            turn = self._resume(session, message_id)
        except BaseException:
            self.leases.release_turn(message_id)
            raise
        if turn is None:
            self.leases.release_turn(message_id)
        return turn

    def _resume(self, session: Session, message_id: int) -> EngineTurn | None:
        citizen = session.get(Message, message_id)
        if citizen is None:
            return None
        conversation = citizen.conversation
        session.refresh(conversation)
        log.warning(
            "taking over the unanswered turn of message %s (conversation %s)",
            message_id,
            conversation.id,
        )
        notice = None
        if citizen.turn_state == TurnState.OPEN_NOTICE and self._journeys is not None:
            notice = self._journeys.consent_reply(conversation)
        if (citizen.turn_attempts or 0) > turn_leases.MAX_TAKEOVERS:
            # Re-run this often without an answer: an officer takes it from here.
            turn = self._turn_for(conversation, citizen, notice)
            self.store_outcome(session, turn, EngineUnavailable("turn taken over too often"))
            return None
        if conversation.status != ConversationStatus.BOT:
            if self._finish(session, citizen.id):
                session.commit()
            return None
        return self._answer_or_turn(session, conversation, citizen, notice, fresh=False).turn

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
        self._choose_language(session, conversation, inbound)
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
        if conversation.status != ConversationStatus.BOT:
            session.commit()
            return Accepted(RouteResult(conversation, citizen, []), None)
        if self._journeys is not None:
            notice = self._journeys.consent_notice(conversation)
        if self.leases is not None:  # rides on the UPDATE this commit makes anyway
            turn_leases.open_turn(
                citizen,
                self.leases.owner,
                notice=notice is not None,
                lease=self.leases.lease_seconds,
            )
        session.commit()  # stored before anything else happens; the engine may call back
        return self._answer_or_turn(session, conversation, citizen, notice, fresh=True)

    def _answer_or_turn(
        self,
        session: Session,
        conversation: Conversation,
        citizen: Message,
        notice: JourneyReply | None,
        *,
        fresh: bool,
    ) -> Accepted:
        """After the citizen's message is stored: a survey or journey answers it at once
        (the turn ends in that commit), or it needs the engine (the turn, held)."""
        survey = surveys.pending_survey(session, conversation)  # looked up once per turn
        running = surveys.is_active(survey)
        escape = self._escape(session, conversation, citizen, running)  # a way out of a form?
        if escape is not None and escape.kind == "question":
            answered = None  # the engine answers it; the offer to go on follows
        elif escape is not None:
            answered = self._escaped(session, conversation, escape)
        else:
            answered = None
            if survey is not None:  # an SKM survey waiting for this message?
                answered = surveys.answer(session, survey, conversation, citizen)
            if answered is None:
                answered = self._journey(session, conversation, citizen.text, citizen.payload)
        if answered is not None:  # the helpdesk itself answered; no engine turn
            if notice is not None:
                answered.append(self._store(session, conversation, notice))
            if not self._finish(session, citizen.id):
                session.rollback()  # taken over meanwhile: its new holder answers
                return Accepted(RouteResult(conversation, citizen, []), None)
            self._deliver(session, conversation, answered)
            session.refresh(conversation)
            return Accepted(RouteResult(conversation, citizen, answered), None)
        # The language note is said once, on the first try (a re-run must not repeat it).
        notes = self._unsupported_note(session, conversation) if fresh else []
        self._deliver(session, conversation, notes)
        after = escape.after if escape is not None else None
        turn = self._turn_for(conversation, citizen, notice, after)
        if self.leases is not None and turn.message_id is not None:
            self.leases.hold_turn(turn.message_id)
        return Accepted(RouteResult(conversation, citizen, notes), turn)

    def _turn_for(
        self,
        conversation: Conversation,
        citizen: Message,
        notice: JourneyReply | None,
        after: JourneyReply | None = None,
    ) -> EngineTurn:
        """The engine turn for a stored citizen message."""
        text = engine_text_for(citizen.text, citizen.payload)
        if not citizen.payload and text == citizen.text and self._unreadable(citizen.text):
            text = UNREADABLE.format(language=conversation.language)
        return EngineTurn(
            conversation_id=conversation.id,
            sender_id=conversation.engine_sender_id,
            text=text,
            metadata={
                "channel": conversation.channel.value,
                "language": conversation.language,
                "detected_language": conversation.detected_language,
            },
            language=conversation.language,
            notice=notice,
            message_id=citizen.id if citizen.turn_state is not None else None,
            after=after,
        )

    def _finish(self, session: Session, message_id: int) -> bool:
        """End the message's turn in this transaction (True when it has none to end)."""
        if self.leases is None:
            return True
        return turn_leases.finish(session, message_id, self.leases.owner)

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
        if turn.message_id is not None and not self._finish(session, turn.message_id):
            # Not ours any more: another process took the turn over (or it was erased).
            session.rollback()
            log.warning(
                "turn of message %s is no longer held here; answer dropped", turn.message_id
            )
            return []
        conversation = session.get(Conversation, turn.conversation_id)
        if conversation is None:  # erased meanwhile
            session.rollback()
            return []
        session.refresh(conversation)  # an action may have handed the conversation off
        replies = self._answer(session, conversation, outcome)
        if turn.after is not None and conversation.status == ConversationStatus.BOT:
            replies.append(self._store(session, conversation, turn.after))
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

    def _escape(
        self, session: Session, conversation: Conversation, citizen: Message, survey_active: bool
    ) -> EscapeStep | None:
        """Inside a bot-led form: the citizen's way out, checked before the form reads it."""
        if self._journeys is None:
            return None
        return self._journeys.escape(
            session, conversation, citizen.text, citizen.payload, survey_active=survey_active
        )

    def _escaped(
        self, session: Session, conversation: Conversation, escape: EscapeStep
    ) -> list[Message]:
        """An officer asked for inside a form: handed off at once; a form left or resumed:
        the form's own words."""
        conversation.fallback_count = 0
        if escape.kind == "officer":
            session.flush()  # the form's state is gone before the handoff re-reads the row
            return [self._hand_off(session, conversation, "citizen_request", "officer_handoff")]
        return [self._store(session, conversation, reply) for reply in escape.replies]

    def _journey(
        self, session: Session, conversation: Conversation, text: str, payload: str | None
    ) -> list[Message] | None:
        """The helpdesk's own journeys (complaint form, identity check, data rights...)."""
        if self._journeys is None:
            return None
        answers = self._journeys.handle(session, conversation, text, payload)
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
    ) -> None:
        """Update the conversation's language (the engine's text is `engine_text_for`)."""
        command = parse_language_command(inbound.text)
        if command == "ask":
            return
        if command is not None:
            conversation.language = command
            conversation.language_explicit = True
            return
        if inbound.payload:
            return
        if self._unreadable(inbound.text):
            # Noise has no language: keep the conversation's, answer with the fallback.
            conversation.detected_language = conversation.language
            return
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

    def _unreadable(self, text: str) -> bool:
        """Gibberish or emoji only (`readable.py`); a service name is always readable."""
        if not is_unreadable(text):
            return False
        return self._journeys is None or self._journeys.service_in(text) is None

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


def engine_text_for(text: str, payload: str | None) -> str:
    """What the engine is sent for a citizen message: a language command, the pressed
    button's payload, or the text (a pure function of the stored message, so a turn taken
    over after a crash sends the engine the same)."""
    command = parse_language_command(text)
    if command == "ask":
        return "/change_language"
    if command is not None:
        return f'/change_language{{"language":"{command}"}}'
    return payload or typed_text(text)
