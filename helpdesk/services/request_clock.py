"""The SLA clock of an online application, kept in step with the request's status.

`submit()` (helpdesk/services/applications.py) starts it with the deadline of the
service's standard time; the status workflow calls `after_status_change()` after every
change: waiting for documents pauses it, any other open status resumes it (the deadline
moves by the working time spent waiting), completed or rejected stops it; completed also
offers the applicant the SKM survey in their chat (once per citizen, service, period).
A request made at the counter has no clock: nothing happens to it here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.infra.config import Settings
from helpdesk.models import Conversation, RequestStatus, ServiceRequest, SlaClock, utcnow
from helpdesk.services import sla, surveys

CLOCK_KIND = "request"
"""`SlaClock.kind` of an application's clock (`ref` = its tracking number)."""
CLOSED = frozenset({RequestStatus.COMPLETED, RequestStatus.REJECTED})


def clock_of(session: Session, tracking_number: str) -> SlaClock | None:
    """The SLA clock of an application (None for a request made at the counter)."""
    return session.scalar(
        select(SlaClock)
        .where(SlaClock.kind == CLOCK_KIND, SlaClock.ref == tracking_number)
        .order_by(SlaClock.id.desc())
        .limit(1)
    )


def after_status_change(
    session: Session,
    request: ServiceRequest,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> None:
    """Keep the clock and the deadline in step with the new status; offer the survey.

    Waiting for documents pauses the clock; any other open status resumes it (the deadline
    moves by the working time spent waiting); completed or rejected stops it. Completed
    offers the applicant the SKM survey in their chat (once per citizen, service, period).
    """
    now = now or utcnow()
    row = clock_of(session, request.tracking_number)
    if row is not None and row.resolved_at is None:
        if request.status == RequestStatus.NEEDS_DOCUMENTS:
            sla.pause(session, row, now)
        elif request.status in CLOSED:
            row.paused_since = None
            row.resolved_at = now
            row.first_response_at = row.first_response_at or now
            row.closed_reason = request.status.value
        else:
            sla.resume(session, row, now, settings)
            if row.first_response_at is None:
                row.first_response_at = now
        request.due_at = row.resolution_due
    if request.status != RequestStatus.NEEDS_DOCUMENTS:
        request.missing_documents = None
    if request.status == RequestStatus.COMPLETED and request.conversation_id is not None:
        _offer_survey(session, request, now)
    session.flush()


def _offer_survey(session: Session, request: ServiceRequest, now: datetime) -> None:
    conversation = session.get(Conversation, request.conversation_id)
    if conversation is None:
        return
    conversation.service_code = request.service_code
    conversation.unit_code = request.unit or conversation.unit_code
    surveys.offer(session, conversation, now=now)
