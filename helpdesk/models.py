"""Typed SQLAlchemy 2.0 models: service requests, conversations, agents, tokens, audit."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from helpdesk.infra.crypto import EncryptedJSON, EncryptedString, blind_index
from helpdesk.text.status import ComplaintCategory, ComplaintStatus, RequestStatus


def new_engine_sender_id() -> str:
    """A random, unguessable sender id for the Rasa engine (one per conversation)."""
    return "c_" + secrets.token_urlsafe(18)


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the models use."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite included)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use helpdesk.models.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC where the database dropped the offset."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with timezone-aware timestamps."""

    type_annotation_map = {datetime: UTCDateTime()}


def _enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Store enums by value as portable VARCHAR with a CHECK constraint."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class ConversationStatus(enum.StrEnum):
    """Who owns a conversation: the bot, the queue, an agent, or nobody (resolved)."""

    BOT = "bot"
    PENDING = "pending"
    OPEN = "open"
    RESOLVED = "resolved"


class Channel(enum.StrEnum):
    """Where the citizen talks to us."""

    WEBCHAT = "webchat"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


class Sender(enum.StrEnum):
    """Author of a message."""

    CITIZEN = "citizen"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class AgentRole(enum.StrEnum):
    """What a console user may do."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    DPO = "dpo"  # data protection officer (UU 27/2022 Pasal 53): the privacy desk only


class ServiceRequest(Base):
    """A citizen's application for a public service, tracked by its number."""

    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    service_code: Mapped[str] = mapped_column(String(40))
    applicant_name: Mapped[str] = mapped_column(String(120))
    # Personal data is encrypted at rest (helpdesk/infra/crypto.py); look a NIK up by `nik_index`.
    nik: Mapped[str] = mapped_column(EncryptedString())
    nik_index: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus, "request_status"), default=RequestStatus.SUBMITTED
    )
    # Online applications (helpdesk/services/applications.py): where it came from
    # (webchat, telegram, whatsapp, web, api), the unit that works it, the deadline in
    # working days from the catalog's standard time, the form's answers (encrypted: they
    # hold personal data), the documents the officer asked for, the applicant's chat.
    channel: Mapped[str | None] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(String(32), index=True)
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    language: Mapped[str] = mapped_column(String(8), default="id")
    answers: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON())
    missing_documents: Mapped[list[str] | None] = mapped_column(JSON)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    history: Mapped[list[StatusChange]] = relationship(
        back_populates="request", order_by="StatusChange.id", cascade="all, delete-orphan"
    )

    @validates("nik")
    def _index_nik(self, _key: str, value: str) -> str:
        """Keep the blind index in step with the NIK."""
        self.nik_index = blind_index(value)
        return value


class StatusChange(Base):
    """One step in a request's status history."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "request_status"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ServiceRequest] = relationship(back_populates="history")


class Agent(Base):
    """A console user (agent, supervisor or admin) who signs in with password + TOTP.

    `totp_secret` holds the secret as stored (see `helpdesk.services.agents.totp_secret_of`
    for the one place that reads it); `totp_confirmed_at` is set once the agent has
    enrolled (first sign-in); `totp_last_counter` is the 30-second step of the last code
    accepted, so a code is never accepted twice. `session_version` changes to sign the
    agent out everywhere. Five failed sign-ins in a row set `locked_until`.
    """

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(EncryptedString())
    totp_confirmed_at: Mapped[datetime | None] = mapped_column()
    totp_last_counter: Mapped[int | None] = mapped_column()
    role: Mapped[AgentRole] = mapped_column(_enum(AgentRole, "agent_role"))
    department: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column()
    last_seen_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[AgentUnit]] = relationship(
        back_populates="agent", cascade="all, delete-orphan", order_by="AgentUnit.unit_code"
    )

    @property
    def unit_codes(self) -> list[str]:
        """The units (catalog `units.yml` codes) this agent works for."""
        return [m.unit_code for m in self.memberships]


class ConsoleSession(Base):
    """One signed-in console browser, known to the server (issue 21).

    The cookie carries a random id; only its SHA-256 is stored. Every request checks the row
    (not ended, not idle for `CONSOLE_IDLE_MINUTES`, younger than `CONSOLE_SESSION_HOURS`);
    sign-out ends it, so a copy of the cookie stops working at once.
    """

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()


class AgentUnit(Base):
    """Membership of an agent in a unit (department); agents see their units' work only."""

    __tablename__ = "agent_units"

    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(32), primary_key=True)

    agent: Mapped[Agent] = relationship(back_populates="memberships")


class RecoveryCode(Base):
    """A single-use second factor for a lost phone (hash only; `used_at` once spent)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conversation(Base):
    """A citizen's thread on one channel; its status says who answers next."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    channel_user_id: Mapped[str] = mapped_column(String(128))
    # What the engine knows the citizen by: random, never the row id (finding 9).
    engine_sender_id: Mapped[str] = mapped_column(
        String(40), unique=True, default=lambda: new_engine_sender_id()
    )
    status: Mapped[ConversationStatus] = mapped_column(
        _enum(ConversationStatus, "conversation_status"), default=ConversationStatus.BOT
    )
    language: Mapped[str] = mapped_column(String(8), default="id")
    language_explicit: Mapped[bool] = mapped_column(default=False)
    detected_language: Mapped[str | None] = mapped_column(String(8))
    fallback_count: Mapped[int] = mapped_column(default=0)
    last_inbound_at: Mapped[datetime | None] = mapped_column()
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    handoff_note: Mapped[str | None] = mapped_column(Text)
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    unit_code: Mapped[str | None] = mapped_column(String(32), index=True)
    service_code: Mapped[str | None] = mapped_column(String(40))
    last_agent_activity_at: Mapped[datetime | None] = mapped_column()
    pending_since: Mapped[datetime | None] = mapped_column()
    opened_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    # The router-side journey in progress (complaint form step, identity check, offer):
    # see helpdesk/journeys/. None when the engine handles the next message.
    journey: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    consent_notice_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )
    assigned_agent: Mapped[Agent | None] = relationship()


Index("ix_conversations_status_pending", Conversation.status, Conversation.pending_since)


class TurnState(enum.StrEnum):
    """Where a citizen message stands with the bot's answer (see `services/leases.py`)."""

    OPEN = "open"  # waiting for the bot's answer, held by `turn_owner` until `turn_lease_until`
    OPEN_NOTICE = "notice"  # the same; the first-contact privacy notice follows the answer
    DONE = "done"  # answered (or handed off); stored in the transaction that set this


OPEN_TURN_STATES = (TurnState.OPEN.value, TurnState.OPEN_NOTICE.value)


class Message(Base):
    """One message in a conversation, stored before anything else happens to it."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "client_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender: Mapped[Sender] = mapped_column(_enum(Sender, "sender"))
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    payload: Mapped[str | None] = mapped_column(Text)
    client_message_id: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    attachments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    language: Mapped[str | None] = mapped_column(String(8))
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    intent: Mapped[str | None] = mapped_column(String(64))
    intent_confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A durable engine turn (citizen messages the bot must answer; services/leases.py).
    turn_state: Mapped[str | None] = mapped_column(String(8))
    turn_owner: Mapped[str | None] = mapped_column(String(64))
    turn_lease_until: Mapped[datetime | None] = mapped_column()
    turn_attempts: Mapped[int | None] = mapped_column()

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    agent: Mapped[Agent | None] = relationship()


# Only open turns are indexed: the recovery scan reads this, and answered turns leave it.
Index(
    "ix_messages_open_turns",
    Message.turn_lease_until,
    sqlite_where=Message.turn_state.in_(OPEN_TURN_STATES),
    postgresql_where=Message.turn_state.in_(OPEN_TURN_STATES),
)


class ConversationEvent(Base):
    """What happened to a conversation in the console: claims, transfers, private notes...

    Never sent to the citizen (the web chat and channels read `messages` only). `kind` is
    one of `EVENT_KINDS` in `helpdesk.services.console_queue`; notes carry their text.
    """

    __tablename__ = "conversation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str | None] = mapped_column(Text)
    from_unit: Mapped[str | None] = mapped_column(String(32))
    to_unit: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agent: Mapped[Agent | None] = relationship()


class Presence(Base):
    """An agent viewing (or typing in) a conversation, refreshed by the console's polling."""

    __tablename__ = "console_presence"
    __table_args__ = (UniqueConstraint("conversation_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    typing: Mapped[bool] = mapped_column(default=False)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    agent: Mapped[Agent] = relationship()


class CannedReply(Base):
    """A ready answer an agent inserts with "/shortcut"; `{nama_layanan}`, `{nomor}` filled in.

    `unit` "" is every unit's; a unit's own reply with the same shortcut and language wins
    for that unit's agents (supervisors edit them in the console).
    """

    __tablename__ = "canned_replies"
    __table_args__ = (UniqueConstraint("shortcut", "language", "unit", name="uq_canned_replies"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shortcut: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="id")
    unit: Mapped[str] = mapped_column(String(32), default="", server_default="")
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobStatus(enum.StrEnum):
    """State of a stored inbound event or outbound delivery."""

    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"


class InboundEvent(Base):
    """A channel webhook delivery, stored verbatim before it is processed (idempotent)."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    external_id: Mapped[str] = mapped_column(String(128))
    # Raw deliveries carry names and phone numbers: encrypted at rest, purged (retention).
    payload: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Per-chat order (services/leases.py): the keyed hash of the chat it came from (None: a
    # status callback, no order), and the worker process holding it while it runs.
    chat_key: Mapped[str | None] = mapped_column(String(64))
    claimed_by: Mapped[str | None] = mapped_column(String(64))


# Only queued events are indexed: the head of each chat's queue is read from this.
Index(
    "ix_inbound_events_queued_chat",
    InboundEvent.chat_key,
    InboundEvent.id,
    sqlite_where=InboundEvent.status == JobStatus.QUEUED,
    postgresql_where=InboundEvent.status == JobStatus.QUEUED,
)


class OutboxItem(Base):
    """One message to deliver on a citizen's channel, retried with backoff by the worker."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    recipient: Mapped[str] = mapped_column(EncryptedString())  # a WhatsApp number
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    message: Mapped[Message] = relationship()


# Only queued items are indexed: each conversation's oldest queued reply is read from this.
Index(
    "ix_outbox_queued",
    OutboxItem.id,
    sqlite_where=OutboxItem.status == JobStatus.QUEUED,
    postgresql_where=OutboxItem.status == JobStatus.QUEUED,
)


class ApiToken(Base):
    """A bearer token for the REST API; only its SHA-256 digest is stored.

    `scope` is `staff` (everything) or `bot` (what the action server needs: the catalog,
    a request's status without personal data, handoff, the conversation's language).
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16), default="staff")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    expires_at: Mapped[datetime | None] = mapped_column()


class AuditEvent(Base):
    """Who touched which personal data, when, and how (append-only)."""

    __tablename__ = "audit_events"
    # the mass-read check: one actor's reads of the last hour; has it read this record?
    __table_args__ = (
        Index("ix_audit_events_actor_created_at", "actor", "created_at"),
        Index("ix_audit_events_actor_target_id", "actor", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SecurityEvent(Base):
    """A security-relevant event (lockout, forged webhook, mass reads, revoked token use).

    Every event is kept for the breach report; the worker alerts the admins (configured
    Telegram chat or webhook URL) and sets `alerted_at`.
    """

    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(48), index=True)
    severity: Mapped[str] = mapped_column(String(16), default="warning")
    actor: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    alert_attempts: Mapped[int] = mapped_column(default=0)
    alerted_at: Mapped[datetime | None] = mapped_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))


# --- citizen journeys: complaints, safe lookups, notifications, data rights, files ------


class Complaint(Base):
    """A complaint, aspiration or information request filed in chat, with its number.

    `anonymous` hides the complainant's identity from agents and reports; `confidential`
    keeps the content out of any public listing (SP4N-LAPOR! anonim / rahasia).
    """

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    category: Mapped[ComplaintCategory] = mapped_column(
        _enum(ComplaintCategory, "complaint_category")
    )
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(300))
    occurred: Mapped[str] = mapped_column(String(120))
    anonymous: Mapped[bool] = mapped_column(default=False)
    confidential: Mapped[bool] = mapped_column(default=False)
    unit: Mapped[str] = mapped_column(String(32), default="umum", index=True)
    service_code: Mapped[str | None] = mapped_column(String(40))
    nik: Mapped[str | None] = mapped_column(EncryptedString())  # encrypted at rest
    language: Mapped[str] = mapped_column(String(8), default="id")
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ComplaintStatus] = mapped_column(
        _enum(ComplaintStatus, "complaint_status"), default=ComplaintStatus.RECEIVED
    )
    # while waiting for the citizen: the status to return to when they answer
    resume_status: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    history: Mapped[list[ComplaintStatusChange]] = relationship(
        back_populates="complaint",
        order_by="ComplaintStatusChange.id",
        cascade="all, delete-orphan",
    )


class ComplaintStatusChange(Base):
    """One step in a complaint's handling: a status change, a forward, a question to the
    citizen and their answer, a reply (`action`); `status` is the status after the step."""

    __tablename__ = "complaint_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    status: Mapped[ComplaintStatus] = mapped_column(_enum(ComplaintStatus, "complaint_status"))
    note: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16), default="status", server_default="status")
    actor: Mapped[str | None] = mapped_column(String(120))
    from_unit: Mapped[str | None] = mapped_column(String(32))
    to_unit: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="history")


class LookupGuard(Base):
    """Wrong identity tries on one tracking number; 3 lock the lookup for an hour."""

    __tablename__ = "lookup_guards"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(24), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Subscription(Base):
    """A conversation that asked to be told when a request or complaint changes status."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("conversation_id", "tracking_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    tracking_number: Mapped[str] = mapped_column(String(24), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()


class DataRequestKind(enum.StrEnum):
    """Data-subject rights exercised in chat (UU 27/2022)."""

    ERASURE = "erasure"
    ACCESS = "access"


class DataRequestStatus(enum.StrEnum):
    """Where a data-subject request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    COMPLETED = "completed"


class DataRequest(Base):
    """A recorded data-subject request (UU PDP Pasal 14) with its legal deadline."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DataRequestKind] = mapped_column(_enum(DataRequestKind, "data_request_kind"))
    status: Mapped[DataRequestStatus] = mapped_column(
        _enum(DataRequestStatus, "data_request_status"), default=DataRequestStatus.PENDING
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    language: Mapped[str] = mapped_column(String(8), default="id")
    legal_basis: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column()
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Attachment(Base):
    """A file a citizen sent (photo or PDF), stored outside the web root."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_requests.id", ondelete="SET NULL"), index=True
    )
    requirement: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HolidayOverride(Base):
    """A local change to the national working calendar, edited by an admin.

    `is_holiday` true: a day off (a regional holiday, a moved holiday's new date);
    false: a listed holiday or cuti bersama worked after all (a moved holiday's old date).
    """

    __tablename__ = "holiday_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_holiday: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InboxStatus(enum.StrEnum):
    """Where a message the bot did not understand stands in the teach-the-bot inbox."""

    NEW = "new"
    LABELLED = "labelled"
    OUT_OF_SCOPE = "out_of_scope"


class NluInboxItem(Base):
    """A citizen message the bot did not understand, waiting for (or given) a label.

    `text` is stored with personal data masked (NIK, phone numbers, e-mail addresses,
    names after "nama saya ..."): the inbox, its export and the training data never hold
    them. `reason`: fallback, low_confidence, handoff_after_miss, survey_complaint, manual.
    """

    __tablename__ = "nlu_inbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(32))
    predicted_intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column()
    status: Mapped[InboxStatus] = mapped_column(
        _enum(InboxStatus, "inbox_status"), default=InboxStatus.NEW, index=True
    )
    label_intent: Mapped[str | None] = mapped_column(String(64))
    label_service: Mapped[str | None] = mapped_column(String(40))
    labelled_by: Mapped[str | None] = mapped_column(String(120))
    labelled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ServiceVersion(Base):
    """One version of a service's catalog document (all four languages), edited in the
    console or the API. The YAML in data/catalog/ is version 0 (the seed); the newest
    published version of a service is what the bot answers from.
    """

    __tablename__ = "service_versions"
    __table_args__ = (UniqueConstraint("service_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column()
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    based_on: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(120))
    published_at: Mapped[datetime | None] = mapped_column(index=True)


class SurveyStatus(enum.StrEnum):
    """Where an SKM survey stands in the chat."""

    OFFERED = "offered"
    ACTIVE = "active"
    COMPLETED = "completed"
    DECLINED = "declined"
    ABANDONED = "abandoned"


class Survey(Base):
    """One SKM survey (Permenpan-RB 14/2017) offered to a citizen after a served conversation.

    At most one per citizen (`citizen_key` = channel:user) per service (`service_key`: the
    service code, else `unit:<code>`) per period (`period`, e.g. 2026-Q4): the unique
    constraint makes a second offer in the same period impossible. `u1`..`u9` hold the
    answers 1-4; `step` is the question being asked (1-9), 10 the comment.
    """

    __tablename__ = "skm_surveys"
    __table_args__ = (UniqueConstraint("citizen_key", "service_key", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    citizen_key: Mapped[str] = mapped_column(String(160))
    service_key: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str | None] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(32), default="umum", index=True)
    period: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(8), default="id")
    status: Mapped[SurveyStatus] = mapped_column(
        _enum(SurveyStatus, "survey_status"), default=SurveyStatus.OFFERED
    )
    step: Mapped[int] = mapped_column(default=0)
    invalid_count: Mapped[int] = mapped_column(default=0)
    u1: Mapped[int | None] = mapped_column()
    u2: Mapped[int | None] = mapped_column()
    u3: Mapped[int | None] = mapped_column()
    u4: Mapped[int | None] = mapped_column()
    u5: Mapped[int | None] = mapped_column()
    u6: Mapped[int | None] = mapped_column()
    u7: Mapped[int | None] = mapped_column()
    u8: Mapped[int | None] = mapped_column()
    u9: Mapped[int | None] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(index=True)

    def answers(self) -> list[int | None]:
        """The nine answers, U1 first."""
        return [self.u1, self.u2, self.u3, self.u4, self.u5, self.u6, self.u7, self.u8, self.u9]

    def set_answer(self, element: int, value: int) -> None:
        """Store the answer (1-4) to element `element` (1-9)."""
        if not 1 <= element <= 9 or not 1 <= value <= 4:
            raise ValueError("element 1-9, value 1-4")
        setattr(self, f"u{element}", value)


class SlaClock(Base):
    """The SLA clock of one handed-off chat or complaint: targets stored as deadlines.

    Deadlines are in UTC, computed in the unit's working time; `paused_since` is set while the
    agent waits for the citizen (the deadlines move by the working time paused on resume).
    """

    __tablename__ = "sla_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    unit: Mapped[str] = mapped_column(String(32), default="umum", index=True)
    category: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_due: Mapped[datetime | None] = mapped_column(index=True)
    first_response_at: Mapped[datetime | None] = mapped_column()
    resolution_due: Mapped[datetime] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None] = mapped_column()
    paused_since: Mapped[datetime | None] = mapped_column()
    paused_seconds: Mapped[int] = mapped_column(default=0)
    warned_first: Mapped[bool] = mapped_column(default=False)
    breached_first: Mapped[bool] = mapped_column(default=False)
    warned_resolution: Mapped[bool] = mapped_column(default=False)
    breached_resolution: Mapped[bool] = mapped_column(default=False)
    escalated_to: Mapped[str | None] = mapped_column(String(64))
    closed_reason: Mapped[str | None] = mapped_column(String(32))


class SlaEvent(Base):
    """A warning before a breach, a breach (escalated to the unit's supervisor) or a close."""

    __tablename__ = "sla_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    clock_id: Mapped[int] = mapped_column(
        ForeignKey("sla_clocks.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(32))
    notified: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StaffNotice(Base):
    """Something a supervisor must hear about: an SLA warning or breach, the daily digest of
    overdue work. Shown as the console badge until read; breaches and digests also go out on
    the alert channel (the security alerts' Telegram chat and/or webhook) once."""

    __tablename__ = "staff_notices"
    __table_args__ = (UniqueConstraint("kind", "ref", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # sla_warning, sla_breach, digest
    ref: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(32), index=True)
    recipient: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column()
    send_alert: Mapped[bool] = mapped_column(default=False)
    alert_attempts: Mapped[int] = mapped_column(default=0)
    alerted_at: Mapped[datetime | None] = mapped_column()
