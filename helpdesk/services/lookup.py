"""The safe status lookup: a tracking number alone gives the service and the status; the
staff note and anything personal need the last 4 digits of the NIK on record.

Three wrong tries lock that number's lookup for an hour (for everyone: the number is
what an attacker guesses against, not the chat session they can throw away).

Concurrency (issue 21): the guard row is created with an insert that ignores a duplicate
(never an IntegrityError when two first guesses race) and then read locked for the rest of
the transaction (SELECT ... FOR UPDATE on PostgreSQL; SQLite holds its one writer lock from
that insert on), so concurrent guesses are counted one after the other and none is lost.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.models import Complaint, LookupGuard, ServiceRequest, utcnow
from helpdesk.services import complaints as complaint_service
from helpdesk.services import requests as request_service
from helpdesk.services.errors import InvalidInput, NotFound

MAX_FAILURES = 3
LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Verification:
    """The outcome of one identity try."""

    ok: bool
    locked: bool
    tries_left: int


def find(session: Session, tracking_number: str) -> ServiceRequest | Complaint | None:
    """The request or complaint with this number, or None."""
    normalized = request_service.normalize_tracking_number(tracking_number)
    if normalized is None:
        return None
    if complaint_service.is_complaint_number(normalized):
        return complaint_service.find_complaint(session, normalized)
    try:
        return request_service.get_request(session, normalized)
    except (NotFound, InvalidInput):
        return None


def _guard(session: Session, tracking_number: str) -> LookupGuard:
    """The number's guard row, created if missing, locked until the caller commits."""
    values = {"tracking_number": tracking_number, "failures": 0, "updated_at": utcnow()}
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(LookupGuard)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["tracking_number"])
        )
    else:  # pragma: no cover (the project runs on these two)
        try:
            with session.begin_nested():
                session.add(LookupGuard(**values))
        except IntegrityError:
            pass
    guard = session.scalar(
        select(LookupGuard)
        .where(LookupGuard.tracking_number == tracking_number)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert guard is not None  # inserted above or by a concurrent guess
    return guard


def locked_until(
    session: Session, tracking_number: str, now: datetime | None = None
) -> datetime | None:
    """When the lock on this number ends, or None when it is not locked."""
    guard = session.scalar(
        select(LookupGuard).where(LookupGuard.tracking_number == tracking_number)
    )
    now = now or utcnow()
    if guard is None or guard.locked_until is None or guard.locked_until <= now:
        return None
    return guard.locked_until


def verify_last4(
    session: Session, tracking_number: str, digits: str, now: datetime | None = None
) -> Verification:
    """Check the last 4 NIK digits; count failures and lock after the third."""
    now = now or utcnow()
    guard = _guard(session, tracking_number)
    if guard.locked_until is not None and guard.locked_until > now:
        return Verification(ok=False, locked=True, tries_left=0)
    if guard.locked_until is not None:  # an expired lock starts a fresh count
        guard.locked_until = None
        guard.failures = 0
    record = find(session, tracking_number)
    nik = record.nik if record is not None else None
    if nik and hmac.compare_digest(nik[-4:], digits):
        guard.failures = 0
        session.flush()
        return Verification(ok=True, locked=False, tries_left=MAX_FAILURES)
    guard.failures += 1
    if guard.failures >= MAX_FAILURES:
        guard.locked_until = now + LOCK
        session.flush()
        return Verification(ok=False, locked=True, tries_left=0)
    session.flush()
    return Verification(ok=False, locked=False, tries_left=MAX_FAILURES - guard.failures)
