"""Typed SQLAlchemy 2.0 models: service requests, conversations, agents, tokens, audit."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from helpdesk.crypto import EncryptedJSON, EncryptedString, blind_index


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


class RequestStatus(enum.StrEnum):
    """Lifecycle of a citizen's service request (DESIGN.md contract)."""

    SUBMITTED = "submitted"
    VERIFYING = "verifying"
    PROCESSING = "processing"
    NEEDS_DOCUMENTS = "needs_documents"
    READY = "ready"
    COMPLETED = "completed"
    REJECTED = "rejected"


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


class ServiceRequest(Base):
    """A citizen's application for a public service, tracked by its number."""

    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    service_code: Mapped[str] = mapped_column(String(40))
    applicant_name: Mapped[str] = mapped_column(String(120))
    # Personal data is encrypted at rest (helpdesk/crypto.py); look a NIK up by `nik_index`.
    nik: Mapped[str] = mapped_column(EncryptedString())
    nik_index: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString())
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus, "request_status"), default=RequestStatus.SUBMITTED
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
    """A helpdesk agent or supervisor who signs in to the console (password + TOTP)."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str] = mapped_column(EncryptedString())
    role: Mapped[AgentRole] = mapped_column(_enum(AgentRole, "agent_role"))
    department: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
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
    pending_since: Mapped[datetime | None] = mapped_column()
    opened_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )
    assigned_agent: Mapped[Agent | None] = relationship()


Index("ix_conversations_status_pending", Conversation.status, Conversation.pending_since)


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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


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
