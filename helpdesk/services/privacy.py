"""Data-subject rights (UU 27/2022): erasure and access requests made in chat.

Requests are recorded with their legal deadline (Pasal 14: a recorded request). An erasure
is approved or refused by a supervisor; approval removes the conversation's messages,
identifiers, attachments and engine tracker events, anonymises the complaints filed from
it, and compacts the SQLite files so freed pages keep no text.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.journeys.i18n import t
from helpdesk.models import (
    Attachment,
    Channel,
    Complaint,
    Conversation,
    DataRequest,
    DataRequestKind,
    DataRequestStatus,
    InboundEvent,
    JobStatus,
    Message,
    OutboxItem,
    Sender,
    Subscription,
    utcnow,
)
from helpdesk.services import audit, outbox, surveys, uploads
from helpdesk.services import conversations as convs
from helpdesk.services.channel_traits import traits_of
from helpdesk.services.context import settings_of
from helpdesk.services.errors import Conflict, InvalidInput, NotFound
from helpdesk.text.personal import NIK_RE, PHONE_RE

log = logging.getLogger(__name__)

DEADLINE = timedelta(hours=72)  # 3 × 24 hours
LEGAL_BASIS = {
    DataRequestKind.ERASURE: (
        "UU 27/2022 Pasal 8, 43-45 (no hour limit in the Act; we apply the 3x24 h of "
        "Pasal 40-41 for stopping processing)"
    ),
    DataRequestKind.ACCESS: "UU 27/2022 Pasal 7 and 32 (access within 3x24 h)",
}
ERASED = "[dihapus atas permintaan pemilik data]"


@dataclass(frozen=True)
class Erasure:
    """What an approved erasure removed."""

    messages: int
    attachments: int
    complaints: int
    inbound_events: int
    tracker_events: int


def file_request(
    session: Session, conversation: Conversation, kind: DataRequestKind
) -> tuple[DataRequest, bool]:
    """Record a request (or return the pending one of that kind); True when new."""
    pending = session.scalar(
        select(DataRequest).where(
            DataRequest.conversation_id == conversation.id,
            DataRequest.kind == kind,
            DataRequest.status == DataRequestStatus.PENDING,
        )
    )
    if pending is not None:
        return pending, False
    now = utcnow()
    request = DataRequest(
        kind=kind,
        conversation_id=conversation.id,
        channel=conversation.channel,
        language=conversation.language,
        legal_basis=LEGAL_BASIS[kind],
        due_at=now + DEADLINE,
        created_at=now,
    )
    session.add(request)
    session.flush()
    return request, True


def list_requests(
    session: Session,
    *,
    status: DataRequestStatus | None = None,
    kind: DataRequestKind | None = None,
) -> Sequence[DataRequest]:
    """Data requests, oldest deadline first."""
    query = select(DataRequest)
    if status is not None:
        query = query.where(DataRequest.status == status)
    if kind is not None:
        query = query.where(DataRequest.kind == kind)
    return session.scalars(query.order_by(DataRequest.due_at, DataRequest.id)).all()


def get_request(session: Session, request_id: int) -> DataRequest:
    """One data request, or NotFound."""
    request = session.get(DataRequest, request_id)
    if request is None:
        raise NotFound(f"no data request {request_id}", code="data_request_not_found")
    return request


def access_summary(session: Session, conversation: Conversation) -> dict[str, Any]:
    """What the helpdesk holds about this conversation's citizen (counts and masked ids)."""
    messages = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
    ).all()
    complaints = session.scalars(
        select(Complaint.tracking_number).where(Complaint.conversation_id == conversation.id)
    ).all()
    subscriptions = session.scalars(
        select(Subscription.tracking_number).where(
            Subscription.conversation_id == conversation.id, Subscription.active.is_(True)
        )
    ).all()
    attachments = session.scalars(
        select(Attachment.filename).where(Attachment.conversation_id == conversation.id)
    ).all()
    verified = (conversation.journey or {}).get("verified") or []
    return {
        "messages": len(messages),
        "since": messages[0].created_at.date().isoformat() if messages else None,
        "channel": conversation.channel.value,
        "language": conversation.language,
        "complaints": list(complaints),
        "subscriptions": list(subscriptions),
        "verified": list(verified),
        "attachments": list(attachments),
    }


def decide(
    session: Session, request_id: int, actor: str, approve: bool, reason: str | None = None
) -> DataRequest:
    """Approve or refuse a pending request (refusal needs a reason); approval erases."""
    request = get_request(session, request_id)
    if request.status != DataRequestStatus.PENDING:
        raise Conflict(f"request is already {request.status.value}", code="already_decided")
    if not approve and not (reason or "").strip():
        raise InvalidInput("a refusal needs a reason", code="reason_required")
    request.status = DataRequestStatus.APPROVED if approve else DataRequestStatus.REFUSED
    request.decided_by = actor
    request.decided_at = utcnow()
    request.reason = (reason or "").strip() or None
    session.flush()
    return request


def erase_conversation(
    session: Session, conversation: Conversation, upload_dir: Path, tracker_db: Path | None
) -> Erasure:
    """Remove the citizen's messages, identifiers, attachments and tracker events."""
    identifiers = _identifiers(session, conversation)
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete=ON"))
    message_ids = list(
        session.scalars(select(Message.id).where(Message.conversation_id == conversation.id))
    )
    attachments = session.scalars(
        select(Attachment).where(Attachment.conversation_id == conversation.id)
    ).all()
    for attachment in attachments:
        (upload_dir / attachment.storage_key).unlink(missing_ok=True)
        session.delete(attachment)
    session.flush()
    if message_ids:
        session.execute(delete(OutboxItem).where(OutboxItem.message_id.in_(message_ids)))
        session.execute(delete(Message).where(Message.id.in_(message_ids)))
    complaints = session.scalars(
        select(Complaint).where(Complaint.conversation_id == conversation.id)
    ).all()
    for complaint in complaints:
        complaint.description = ERASED
        complaint.location = ERASED
        complaint.occurred = ERASED
        complaint.nik = None
        complaint.anonymous = True
        complaint.confidential = True
        complaint.conversation_id = None
        for change in complaint.history:
            change.note = None
    session.execute(delete(Subscription).where(Subscription.conversation_id == conversation.id))
    surveys.forget(session, conversation)  # SKM comments are free text
    events = _matching_inbound_events(session, conversation.channel, identifiers)
    for event in events:
        # A tombstone: the delivery id stays (no content), so the same signed delivery
        # replayed after the erasure is a duplicate, not a new message (issue 21, item 7).
        event.payload = {}
        event.status = JobStatus.DONE
        event.last_error = None
    conversation.journey = None
    conversation.handoff_note = None
    session.flush()
    sender_id = getattr(conversation, "engine_sender_id", None) or str(conversation.id)
    tracker_events = erase_tracker_events(tracker_db, str(sender_id))
    return Erasure(
        messages=len(message_ids),
        attachments=len(attachments),
        complaints=len(complaints),
        inbound_events=len(events),
        tracker_events=tracker_events,
    )


def _identifiers(session: Session, conversation: Conversation) -> set[str]:
    """The channel id plus every NIK and phone number typed in the conversation."""
    found = {conversation.channel_user_id}
    texts = session.scalars(
        select(Message.text).where(
            Message.conversation_id == conversation.id, Message.sender == Sender.CITIZEN
        )
    ).all()
    for body in texts:
        for pattern in (NIK_RE, PHONE_RE):
            for match in pattern.finditer(body or ""):
                digits = re.sub(r"\D", "", match.group())
                found.add(digits)
                if digits.startswith("62"):
                    found.add("0" + digits[2:])
                elif digits.startswith("0"):
                    found.add("62" + digits[1:])
    return {value for value in found if len(value) >= 6}


def _matching_inbound_events(
    session: Session, channel: Channel, identifiers: set[str]
) -> list[InboundEvent]:
    """Stored webhook deliveries of this channel that mention one of the identifiers."""
    if not traits_of(session, channel).pushes:  # a polled channel stores no webhooks
        return []
    matched = []
    for event in session.scalars(select(InboundEvent).where(InboundEvent.channel == channel)):
        body = json.dumps(event.payload, ensure_ascii=False)
        if any(identifier in body for identifier in identifiers):
            matched.append(event)
    return matched


def erase_tracker_events(tracker_db: Path | None, sender_id: str) -> int:
    """Delete the engine's tracker events of one conversation (SQLite tracker store)."""
    if tracker_db is None or not tracker_db.exists():
        return 0
    engine = create_engine(f"sqlite:///{tracker_db}")
    try:
        with engine.begin() as connection:
            connection.execute(text("PRAGMA busy_timeout=10000"))
            connection.execute(text("PRAGMA secure_delete=ON"))
            result = connection.execute(
                text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id}
            )
            deleted = int(result.rowcount or 0)
        compact_sqlite(engine)
        return deleted
    finally:
        engine.dispose()


def compact_sqlite(engine: Engine, attempts: int = 10) -> bool:
    """Checkpoint the WAL and VACUUM so no freed page keeps erased text; True when done."""
    if engine.dialect.name != "sqlite":
        return False
    for attempt in range(attempts):
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(text("PRAGMA busy_timeout=2000"))
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
                connection.execute(text("VACUUM"))
                busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            if busy is None or not busy[0]:
                return True
        except Exception as exc:  # noqa: BLE001 - another process held the file; try again
            log.info("compaction attempt %s failed: %s", attempt + 1, type(exc).__name__)
        time.sleep(0.25)
    log.warning("could not fully compact %s", engine.url.database)
    return False


ERASE_AFTER_DELIVERY = "erase_after_delivery"


def forget_address_after_delivery(conversation: Conversation) -> None:
    """The chat's own address is personal data (WhatsApp's is the phone number): keep it
    only until the outcome notice is delivered, then `forget_address` (by the worker)."""
    conversation.journey = {ERASE_AFTER_DELIVERY: True}


def forget_address(session: Session, conversation: Conversation) -> None:
    """Replace the chat's address with a tombstone everywhere it is stored."""
    address = conversation.channel_user_id
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete=ON"))
    for item in session.scalars(
        select(OutboxItem).where(
            OutboxItem.recipient == address, OutboxItem.channel == conversation.channel
        )
    ):
        item.recipient = "erased"
    for event in _matching_inbound_events(session, conversation.channel, {address}):
        session.delete(event)
    conversation.channel_user_id = f"erased:{conversation.id}"
    conversation.journey = None
    session.flush()


def scrub_event(event: InboundEvent) -> None:
    """A delivery receipt for an erased chat: keep the job, drop the payload (its number)."""
    event.payload = {"erased": True}


def _tell(session: Session, conversation: Conversation | None, text: str) -> None:
    """Send the citizen the outcome on their channel (through the outbox)."""
    if conversation is None:
        return
    message = convs.add_message(session, conversation, Sender.BOT, text)
    message.language = conversation.language
    outbox.enqueue(session, conversation, message)


def tracker_db_path(settings: Settings) -> Path | None:
    """The engine's SQLite tracker store (RASA_TRACKER_DB, relative to the repository), whose
    events of the citizen are erased too; None when none is configured."""
    if not settings.rasa_tracker_db:
        return None
    path = Path(settings.rasa_tracker_db)
    return path if path.is_absolute() else REPO_ROOT / path


def approve_erasure(session: Session, request_id: int, actor: str) -> DataRequest:
    """The erasure workflow: approve the request, erase the conversation's data (messages,
    attachments in the upload folder, complaints, stored webhooks, the engine's tracker, both
    places from the session's settings), keep the counts as the request's summary, tell the
    citizen, forget a WhatsApp address once that is delivered, complete the request and audit
    it. The caller commits, then compacts SQLite (`compact_sqlite`) and wakes the worker."""
    settings = settings_of(session)
    folder = uploads.upload_dir(settings)
    tracker_db = tracker_db_path(settings)
    item = decide(session, request_id, actor, approve=True)
    conversation = session.get(Conversation, item.conversation_id) if item.conversation_id else None
    if conversation is not None:
        erased = erase_conversation(session, conversation, folder, tracker_db)
        item.summary = {
            "messages": erased.messages,
            "attachments": erased.attachments,
            "complaints": erased.complaints,
            "inbound_events": erased.inbound_events,
            "tracker_events": erased.tracker_events,
        }
        _tell(session, conversation, t("erasure.approved", conversation.language))
        if traits_of(session, conversation.channel).address_is_phone:
            forget_address_after_delivery(conversation)
    item.status = DataRequestStatus.COMPLETED
    audit.record(session, actor, "erasure.approve", "data_request", item.id)
    return item


def refuse_erasure(session: Session, request_id: int, actor: str, reason: str) -> DataRequest:
    """Refuse with a reason (e.g. UU 27/2022 Pasal 15), tell the citizen why, audit it."""
    item = decide(session, request_id, actor, approve=False, reason=reason)
    conversation = session.get(Conversation, item.conversation_id) if item.conversation_id else None
    if conversation is not None:
        _tell(session, conversation, t("erasure.refused", conversation.language, reason=reason))
    audit.record(session, actor, "erasure.refuse", "data_request", item.id)
    return item
