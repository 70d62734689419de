"""Complaints filed in chat: create with a tracking number, look up, and work them.

Every handling step is ONE function here, used by the REST API and the console alike:
`change_status`, `forward`, `ask_citizen` (and `record_answer` when they reply), `reply`.
Each records the step in the complaint's history, audits it, moves its SLA clock
(`helpdesk.services.sla`), and tells the citizen on their channel in their language
(`helpdesk.services.notifications`, the path request updates take); `finished` offers the
SKM survey. A view parses its input, calls one of them, commits, and signals the worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helpdesk.models import (
    Attachment,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    ComplaintStatusChange,
    Conversation,
    Sender,
    utcnow,
)
from helpdesk.services.context import catalog_of
from helpdesk.services.errors import Conflict, InvalidInput, NotFound
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
    _S.WAITING: frozenset(),  # see allowed_next(): the moves of the status it waits in
}
CLOSED = frozenset({_S.FINISHED, _S.NOT_OUR_AUTHORITY, _S.ARCHIVED})
OPEN = frozenset(ComplaintStatus) - CLOSED
MAX_TEXT = 4000


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
    from helpdesk.services import sla

    sla.start(
        session,
        kind="complaint",
        ref=complaint.tracking_number,
        unit=complaint.unit,
        category=kind.value,
        now=when,
    )
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


def allowed_next(complaint: Complaint) -> frozenset[ComplaintStatus]:
    """The statuses a complaint may move to (waiting: those of the status it waits in)."""
    if complaint.status == ComplaintStatus.WAITING:
        return TRANSITIONS[ComplaintStatus(complaint.resume_status or "received")]
    return TRANSITIONS[complaint.status]


def _step(
    complaint: Complaint,
    action: str,
    actor: str,
    when: datetime,
    note: str | None = None,
    from_unit: str | None = None,
    to_unit: str | None = None,
) -> None:
    complaint.updated_at = when
    complaint.history.append(
        ComplaintStatusChange(
            status=complaint.status,
            note=note,
            action=action,
            actor=actor,
            from_unit=from_unit,
            to_unit=to_unit,
            created_at=when,
        )
    )


def _clean(text: str | None, field: str, *, required: bool) -> str | None:
    value = (text or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"{field} is required")
        return None
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{field} is longer than {MAX_TEXT} characters")
    return value


def _conversation(session: Session, complaint: Complaint) -> Conversation | None:
    if complaint.conversation_id is None:
        return None
    return session.get(Conversation, complaint.conversation_id)


def _tell(session: Session, complaint: Complaint, key: str, **values: object) -> bool:
    """A message to the citizen who filed it, on their channel, in their language."""
    from helpdesk.journeys.i18n import t
    from helpdesk.services import conversations as convs
    from helpdesk.services import outbox

    conversation = _conversation(session, complaint)
    if conversation is None:
        return False
    language = conversation.language or complaint.language
    message = convs.add_message(session, conversation, Sender.BOT, t(key, language, **values))
    message.language = language
    outbox.enqueue(session, conversation, message)
    return True


def _notify(session: Session, complaint: Complaint, note: str | None) -> int:
    """The status update every subscriber gets (the filer is subscribed at filing)."""
    from helpdesk.services import notifications

    return notifications.notify_status_change(
        session, complaint.tracking_number, complaint.status.value, note
    )


def _offer_survey(session: Session, complaint: Complaint, when: datetime) -> None:
    from helpdesk.services import surveys

    conversation = _conversation(session, complaint)
    if conversation is not None:
        surveys.offer(
            session, conversation, now=when, service=complaint.service_code, unit=complaint.unit
        )


def change_status(
    session: Session,
    tracking_number: str,
    new_status: str,
    note: str | None = None,
    *,
    actor: str = "system",
    now: datetime | None = None,
) -> Complaint:
    """Move a complaint along an allowed transition: recorded, audited, its clock moved,
    the citizen told (in their language, on their channel); `finished` offers the survey."""
    return update_status(session, tracking_number, new_status, note, actor=actor, now=now)[0]


def update_status(
    session: Session,
    tracking_number: str,
    new_status: str,
    note: str | None,
    *,
    actor: str,
    now: datetime | None = None,
) -> tuple[Complaint, int]:
    """The complaint status-change workflow (`change_status`), with how many conversations
    were told (the twin of `requests.update_status`; the caller commits, then wakes the
    worker)."""
    from helpdesk.services import audit, sla

    complaint = get_complaint(session, tracking_number)
    try:
        target = ComplaintStatus(new_status)
    except ValueError:
        allowed = ", ".join(s.value for s in ComplaintStatus if s != ComplaintStatus.WAITING)
        raise InvalidInput(f"status must be one of: {allowed}") from None
    if target == ComplaintStatus.WAITING:
        raise InvalidInput("ask the citizen a question to wait for them", code="invalid_transition")
    if target not in allowed_next(complaint):
        raise Conflict(  # the status is valid; the case's current state does not allow it
            f"cannot move from {complaint.status.value} to {target.value}",
            code="invalid_transition",
        )
    note = _clean(note, "note", required=False)
    when = now or utcnow()
    clock = sla.complaint_clock(session, complaint.tracking_number)
    if clock is not None:
        if complaint.status == ComplaintStatus.WAITING:
            sla.resume(session, clock, when)
        if target in CLOSED:
            sla.on_complaint_closed(clock, when)
        elif target != ComplaintStatus.RECEIVED:
            sla.on_complaint_verified(session, clock, when)
    complaint.status = target
    complaint.resume_status = None
    _step(complaint, "status", actor, when, note)
    told = _notify(session, complaint, note)
    if target == ComplaintStatus.FINISHED:
        _offer_survey(session, complaint, when)
    audit.record(
        session, actor, "complaint.status", "complaint", complaint.tracking_number, target.value
    )
    session.flush()
    return complaint, told


def forward(
    session: Session,
    tracking_number: str,
    unit: str,
    reason: str,
    *,
    known_units: frozenset[str],
    unit_name: str | None = None,
    actor: str = "system",
    now: datetime | None = None,
) -> Complaint:
    """Hand the complaint to another unit (disposisi) with a reason. The SLA clock goes with
    it (same deadlines); the receiving unit sees it at once; the citizen is told where, by
    the unit's name in their language (from the session's catalog; else `unit_name`, else
    the code)."""
    from helpdesk.journeys.i18n import t
    from helpdesk.services import audit, sla

    complaint = get_complaint(session, tracking_number)
    reason_text = _clean(reason, "reason", required=True)
    if unit not in known_units:
        raise InvalidInput(f"unknown unit {unit!r}", code="unknown_unit")
    if unit == complaint.unit:
        # a state the request cannot know from its own fields: 409 like the closed case below
        raise Conflict("the complaint is already with this unit", code="same_unit")
    if complaint.status in CLOSED:
        raise Conflict(f"a {complaint.status.value} complaint cannot be forwarded")
    when = now or utcnow()
    clock = sla.complaint_clock(session, complaint.tracking_number)
    if clock is not None:
        if complaint.status == ComplaintStatus.WAITING:
            sla.resume(session, clock, when)
        sla.on_complaint_verified(session, clock, when)  # forwarding implies it was verified
        clock.unit = unit
    previous = complaint.unit
    complaint.unit = unit
    complaint.status = ComplaintStatus.FORWARDED
    complaint.resume_status = None
    _step(complaint, "forward", actor, when, reason_text, from_unit=previous, to_unit=unit)
    language = complaint.language
    conversation = _conversation(session, complaint)
    if conversation is not None:
        language = conversation.language
    catalog = catalog_of(session)
    if catalog is not None and unit in catalog.units:
        unit_name = catalog.units[unit].name_in(language)  # in the citizen's language
    _notify(session, complaint, t("casedesk.forwarded_to", language, unit=unit_name or unit))
    audit.record(
        session,
        actor,
        "complaint.forward",
        "complaint",
        complaint.tracking_number,
        f"{previous} -> {unit}",
    )
    session.flush()
    return complaint


def ask_citizen(
    session: Session,
    tracking_number: str,
    question: str,
    *,
    actor: str = "system",
    now: datetime | None = None,
) -> Complaint:
    """Ask the citizen for more information on their channel; the clock pauses until they
    answer (their next message in that conversation is the answer: `record_answer`)."""
    from helpdesk.services import audit, sla

    complaint = get_complaint(session, tracking_number)
    text = _clean(question, "question", required=True)
    if complaint.status in CLOSED:
        raise Conflict(f"a {complaint.status.value} complaint cannot wait for the citizen")
    conversation = _conversation(session, complaint)
    if conversation is None:
        raise Conflict("the citizen cannot be reached (their conversation is gone)")
    when = now or utcnow()
    clock = sla.complaint_clock(session, complaint.tracking_number)
    if clock is not None:
        sla.pause(session, clock, when)
    if complaint.status != ComplaintStatus.WAITING:
        complaint.resume_status = complaint.status.value
        complaint.status = ComplaintStatus.WAITING
    _step(complaint, "ask", actor, when, text)
    _tell(session, complaint, "casedesk.ask", number=complaint.tracking_number, question=text)
    state = dict(conversation.journey or {})
    if state.get("kind") in (None, "offer", "verify", "complaint_info"):  # never cut a form
        state.update(kind="complaint_info", number=complaint.tracking_number)
        conversation.journey = state
    audit.record(session, actor, "complaint.ask", "complaint", complaint.tracking_number)
    session.flush()
    return complaint


def record_answer(
    session: Session,
    conversation: Conversation,
    tracking_number: str,
    text: str,
    attachments: Sequence[Attachment] = (),
    *,
    now: datetime | None = None,
) -> Complaint | None:
    """The citizen answered a question about their complaint: the answer joins its history,
    files are attached, the clock runs again and the status returns to where it was."""
    from helpdesk.services import audit, sla

    complaint = find_complaint(session, tracking_number)
    if complaint is None or complaint.conversation_id != conversation.id:
        return None
    when = now or utcnow()
    names = [a.filename for a in attachments]
    for attachment in attachments:
        attachment.complaint_id = complaint.id
    note = (text or "").strip()[:MAX_TEXT]
    if names:
        note = (note + "\n" if note else "") + "[" + ", ".join(names) + "]"
    if complaint.status == ComplaintStatus.WAITING:
        complaint.status = ComplaintStatus(complaint.resume_status or "received")
        complaint.resume_status = None
        clock = sla.complaint_clock(session, complaint.tracking_number)
        if clock is not None:
            sla.resume(session, clock, when)
    _step(complaint, "answer", "citizen", when, note or None)
    audit.record(
        session,
        "citizen",
        "complaint.answer",
        "complaint",
        complaint.tracking_number,
        personal=False,
    )
    session.flush()
    return complaint


def reply(
    session: Session,
    tracking_number: str,
    text: str,
    *,
    actor: str = "system",
    now: datetime | None = None,
) -> Complaint:
    """Send the citizen the follow-up (a free text) on their channel; recorded and audited."""
    from helpdesk.services import audit

    complaint = get_complaint(session, tracking_number)
    body = _clean(text, "text", required=True)
    if not _tell(session, complaint, "casedesk.reply", number=complaint.tracking_number, text=body):
        raise Conflict("the citizen cannot be reached (their conversation is gone)")
    _step(complaint, "reply", actor, now or utcnow(), body)
    audit.record(session, actor, "complaint.reply", "complaint", complaint.tracking_number)
    session.flush()
    return complaint
