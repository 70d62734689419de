"""The case desk's reading side: which complaints an officer may see, in which order, and
what the complaint page shows of them.

Scope (the invariant every console view relies on): a complaint is visible to the agents
of its unit; supervisors and admins see every unit's complaints EXCEPT confidential ones,
which only members of the complaint's unit see. Anything else is "not found" (no hint it
exists). Anonymous complaints never expose who filed them: `identity_of()` is the only
place the filer's identity is read for display, and it answers None for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helpdesk.models import (
    Agent,
    Attachment,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    Conversation,
    SlaClock,
    utcnow,
)
from helpdesk.services import desk
from helpdesk.services.complaints import CLOSED, get_complaint
from helpdesk.services.errors import NotFound

LIST_LIMIT = 500


def can_see(agent: Agent, complaint: Complaint) -> bool:
    """Whether the agent may see (and work) this complaint."""
    if complaint.unit in agent.unit_codes:
        return True
    if complaint.confidential:
        return False
    return desk.visible_units(agent) is None


def get_for_agent(session: Session, agent: Agent, tracking_number: str) -> Complaint:
    """The complaint if the agent may see it; NotFound otherwise."""
    try:
        complaint = get_complaint(session, tracking_number)
    except NotFound:
        complaint = None
    if complaint is None or not can_see(agent, complaint):
        raise NotFound(f"no complaint with number {tracking_number}", code="complaint_not_found")
    return complaint


def clocks_of(session: Session, numbers: Sequence[str]) -> dict[str, SlaClock]:
    """The newest complaint clock of each number."""
    if not numbers:
        return {}
    rows = session.scalars(
        select(SlaClock)
        .where(SlaClock.kind == "complaint", SlaClock.ref.in_(list(numbers)))
        .order_by(SlaClock.id)
    ).all()
    return {row.ref: row for row in rows}


def next_due(clock: SlaClock | None) -> tuple[str | None, datetime | None]:
    """The deadline that matters now: ("verify", due), ("follow_up", due) or (None, None)."""
    if clock is None or clock.resolved_at is not None:
        return None, None
    if clock.first_response_at is None and clock.first_response_due is not None:
        return "verify", clock.first_response_due
    return "follow_up", clock.resolution_due


@dataclass(frozen=True)
class ComplaintFilter:
    """What the list asks for; empty fields filter nothing."""

    status: str = "open"  # open (not closed), all, or one status
    category: str = ""
    overdue: bool = False
    anonymous: str = ""  # "", "yes", "no"
    unit: str = ""


@dataclass(frozen=True)
class ComplaintRow:
    """One line of the list."""

    complaint: Complaint
    clock: SlaClock | None
    target: str | None
    due: datetime | None
    overdue: bool
    paused: bool


def rows(
    session: Session,
    agent: Agent,
    wanted: ComplaintFilter,
    now: datetime | None = None,
    limit: int = LIST_LIMIT,
) -> list[ComplaintRow]:
    """The complaints the agent may see, nearest deadline first (closed ones last)."""
    now = now or utcnow()
    query = select(Complaint).options(selectinload(Complaint.history))
    units = desk.visible_units(agent)
    if units is not None:
        query = query.where(Complaint.unit.in_(sorted(units)))
    if wanted.unit:
        query = query.where(Complaint.unit == wanted.unit)
    if wanted.status == "open":
        query = query.where(Complaint.status.not_in(list(CLOSED)))
    elif wanted.status and wanted.status != "all":
        query = query.where(Complaint.status == ComplaintStatus(wanted.status))
    if wanted.category:
        query = query.where(Complaint.category == ComplaintCategory(wanted.category))
    if wanted.anonymous in ("yes", "no"):
        query = query.where(Complaint.anonymous.is_(wanted.anonymous == "yes"))
    found = [
        c
        for c in session.scalars(query.order_by(Complaint.id.desc()).limit(limit))
        if can_see(agent, c)
    ]
    clocks = clocks_of(session, [c.tracking_number for c in found])
    result = []
    for complaint in found:
        clock = clocks.get(complaint.tracking_number)
        target, due = next_due(clock)
        paused = clock is not None and clock.paused_since is not None
        overdue = due is not None and due <= now and not paused
        if wanted.overdue and not overdue:
            continue
        result.append(ComplaintRow(complaint, clock, target, due, overdue, paused))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    result.sort(key=lambda r: (r.due is None, r.due or far, -r.complaint.id))
    return result


@dataclass(frozen=True)
class Identity:
    """Who filed a complaint, as the console may show it (masked)."""

    channel: str
    conversation_id: int
    nik_masked: str | None


def identity_of(session: Session, complaint: Complaint) -> Identity | None:
    """The filer's identity for display; None for anonymous complaints (always)."""
    from helpdesk.text.personal import mask_nik

    if complaint.anonymous or complaint.conversation_id is None:
        return None
    conversation = session.get(Conversation, complaint.conversation_id)
    if conversation is None:
        return None
    return Identity(
        channel=conversation.channel.value,
        conversation_id=conversation.id,
        nik_masked=mask_nik(complaint.nik) if complaint.nik else None,
    )


def attachments_of(session: Session, complaint: Complaint) -> Sequence[Attachment]:
    """The files filed with (or added to) the complaint."""
    return session.scalars(
        select(Attachment).where(Attachment.complaint_id == complaint.id).order_by(Attachment.id)
    ).all()


def waiting_counts(session: Session, agent: Agent, now: datetime | None = None) -> dict[str, int]:
    """For the start page: open complaints, overdue ones, and ones due today or earlier."""
    found = rows(session, agent, ComplaintFilter(), now)
    return {
        "open": len(found),
        "overdue": sum(1 for r in found if r.overdue),
    }
