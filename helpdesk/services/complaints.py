"""Complaints filed in chat: create with a tracking number, look up, move through statuses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helpdesk.models import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintStatusChange,
    utcnow,
)
from helpdesk.services import audit, notifications
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.services.tracking import new_tracking_number, normalize_tracking_number
from helpdesk.text.personal import is_nik

# One prefix per category, in the request number format (SVC-YYYY-NNNNNN).
PREFIXES: dict[ComplaintCategory, str] = {
    ComplaintCategory.PENGADUAN: "ADU",
    ComplaintCategory.ASPIRASI: "ASP",
    ComplaintCategory.INFORMASI: "INF",
}
DEFAULT_UNIT = "umum"
MIN_DESCRIPTION_CHARS = 15
MAX_DESCRIPTION_CHARS = 2000

_S = ComplaintStatus
# Allowed moves. Verified reports are forwarded (disposisi) to the unit, which follows up;
# a report outside our authority is re-routed (not_our_authority), an unclear one archived.
TRANSITIONS: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    _S.RECEIVED: frozenset({_S.VERIFIED, _S.NOT_OUR_AUTHORITY, _S.ARCHIVED}),
    _S.VERIFIED: frozenset({_S.FORWARDED, _S.IN_FOLLOW_UP, _S.NOT_OUR_AUTHORITY, _S.ARCHIVED}),
    _S.FORWARDED: frozenset({_S.IN_FOLLOW_UP, _S.NOT_OUR_AUTHORITY, _S.ARCHIVED}),
    _S.IN_FOLLOW_UP: frozenset({_S.FINISHED, _S.ARCHIVED}),
    _S.FINISHED: frozenset({_S.ARCHIVED}),
    _S.NOT_OUR_AUTHORITY: frozenset({_S.ARCHIVED}),
    _S.ARCHIVED: frozenset(),
}


def is_complaint_number(tracking_number: str) -> bool:
    """Whether a (normalised) number carries one of the complaint prefixes."""
    return tracking_number.split("-", 1)[0] in PREFIXES.values()


def create_complaint(
    session: Session,
    *,
    category: str,
    description: str,
    location: str,
    occurred: str,
    anonymous: bool = False,
    confidential: bool = False,
    unit: str = DEFAULT_UNIT,
    service_code: str | None = None,
    nik: str | None = None,
    language: str = "id",
    conversation_id: int | None = None,
    at: datetime | None = None,
) -> Complaint:
    """Record a complaint in status `received` with a fresh (random) tracking number."""
    problems = []
    try:
        kind = ComplaintCategory(category)
    except ValueError:
        kind = ComplaintCategory.PENGADUAN
        problems.append("category must be one of: " + ", ".join(c.value for c in ComplaintCategory))
    description = description.strip()
    if len(description) < MIN_DESCRIPTION_CHARS:
        problems.append(f"description needs at least {MIN_DESCRIPTION_CHARS} characters")
    if len(description) > MAX_DESCRIPTION_CHARS:
        problems.append(f"description is longer than {MAX_DESCRIPTION_CHARS} characters")
    if not location.strip():
        problems.append("location is required")
    if not occurred.strip():
        problems.append("occurred is required")
    if nik is not None and not is_nik(nik):
        problems.append("nik must be 16 digits")
    if problems:
        raise InvalidInput("; ".join(problems))
    when = at or utcnow()

    def taken(number: str) -> bool:
        found = session.scalar(select(Complaint.id).where(Complaint.tracking_number == number))
        return found is not None

    complaint = Complaint(
        tracking_number=new_tracking_number(PREFIXES[kind], when.year, taken),
        category=kind,
        description=description,
        location=location.strip()[:300],
        occurred=occurred.strip()[:120],
        anonymous=anonymous,
        confidential=confidential or anonymous,
        unit=unit or DEFAULT_UNIT,
        service_code=service_code,
        nik=nik,
        language=language,
        conversation_id=conversation_id,
        status=ComplaintStatus.RECEIVED,
        created_at=when,
        updated_at=when,
    )
    complaint.history.append(
        ComplaintStatusChange(status=ComplaintStatus.RECEIVED, created_at=when)
    )
    session.add(complaint)
    session.flush()
    return complaint


def get_complaint(session: Session, tracking_number: str) -> Complaint:
    """The complaint with this number (any spelling), or NotFound."""
    normalized = normalize_tracking_number(tracking_number)
    if normalized is None:
        raise InvalidInput(
            "tracking number must look like ADU-2026-123456", code="invalid_tracking_number"
        )
    complaint = session.scalar(
        select(Complaint)
        .where(Complaint.tracking_number == normalized)
        .options(selectinload(Complaint.history))
    )
    if complaint is None:
        raise NotFound(f"no complaint with number {normalized}", code="complaint_not_found")
    return complaint


def find_complaint(session: Session, tracking_number: str) -> Complaint | None:
    """The complaint with this number, or None (no errors)."""
    try:
        return get_complaint(session, tracking_number)
    except (NotFound, InvalidInput):
        return None


def list_complaints(
    session: Session,
    *,
    status: ComplaintStatus | None = None,
    unit: str | None = None,
    limit: int = 100,
) -> Sequence[Complaint]:
    """Complaints, newest first, optionally of one status and/or unit."""
    query = select(Complaint).options(selectinload(Complaint.history))
    if status is not None:
        query = query.where(Complaint.status == status)
    if unit:
        query = query.where(Complaint.unit == unit)
    return session.scalars(query.order_by(Complaint.id.desc()).limit(limit)).all()


def change_status(
    session: Session, tracking_number: str, new_status: str, note: str | None = None
) -> Complaint:
    """Move a complaint along an allowed transition and record it."""
    complaint = get_complaint(session, tracking_number)
    try:
        target = ComplaintStatus(new_status)
    except ValueError:
        allowed = ", ".join(s.value for s in ComplaintStatus)
        raise InvalidInput(f"status must be one of: {allowed}") from None
    if target not in TRANSITIONS[complaint.status]:
        raise InvalidInput(
            f"cannot move from {complaint.status.value} to {target.value}",
            code="invalid_transition",
        )
    when = utcnow()
    complaint.status = target
    complaint.updated_at = when
    complaint.history.append(ComplaintStatusChange(status=target, note=note, created_at=when))
    session.flush()
    return complaint


def update_status(
    session: Session, tracking_number: str, new_status: str, note: str | None, *, actor: str
) -> tuple[Complaint, int]:
    """The complaint status-change workflow: move along an allowed transition, record it,
    tell every subscribed conversation, audit it. Returns the complaint and how many
    conversations were told (the caller commits, then wakes the worker)."""
    complaint = change_status(session, tracking_number, new_status, note)
    told = notifications.notify_status_change(
        session, complaint.tracking_number, complaint.status.value, note
    )
    audit.record(
        session,
        actor,
        "complaint.status",
        "complaint",
        complaint.tracking_number,
        complaint.status.value,
    )
    return complaint, told
