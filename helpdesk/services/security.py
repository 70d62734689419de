"""Security events: recorded, kept for the breach report, alerted to the admins.

The recorder is one function, `record_event(session, kind, ...)`, committed with the
caller's transaction (or `record_event_now(database, ...)` in a transaction of its own,
for refusals whose request transaction is rolled back). Kinds in use:

- `signin_lockout`: a console account locked after repeated failed sign-ins
- `forged_webhook`: a channel webhook with a wrong secret or signature
- `mass_read`: a token or agent read unusually many citizens' records in a short time
- `revoked_token_used`, `expired_token_used`: a dead API token was presented
The worker sends each new event to the admins (helpdesk/security/alerts.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.infra.db import Database
from helpdesk.models import AuditEvent, SecurityEvent, utcnow

KINDS = frozenset(
    {
        "signin_lockout",
        "forged_webhook",
        "mass_read",
        "revoked_token_used",
        "expired_token_used",
    }
)
SEVERITIES = ("info", "warning", "critical")
# Audit actions that read one citizen's personal data (target = that record): every
# `<thing>.read` action (request.read, conversation.read, and the console's own).
READ_SUFFIX = ".read"
MASS_READ_WINDOW = timedelta(hours=1)
DEFAULT_MASS_READ_THRESHOLD = 50


def record_event(
    session: Session,
    kind: str,
    *,
    actor: str | None = None,
    source: str | None = None,
    detail: str | None = None,
    severity: str = "warning",
) -> SecurityEvent:
    """Record one security event (alerted by the worker); committed with the caller."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}")
    event = SecurityEvent(
        kind=kind,
        severity=severity,
        actor=actor[:120] if actor else None,
        source=source[:64] if source else None,
        detail=detail,
    )
    session.add(event)
    session.flush()
    return event


def record_event_now(
    database: Database,
    kind: str,
    *,
    actor: str | None = None,
    source: str | None = None,
    detail: str | None = None,
    severity: str = "warning",
    dedupe: timedelta | None = None,
) -> bool:
    """Record an event in its own transaction (survives the caller's rollback).

    With `dedupe`, an event of the same kind, actor and source within that time is not
    repeated (a flood of forged requests makes one alert a minute, not thousands).
    Returns whether an event was recorded.
    """
    with database.session() as session:
        if dedupe is not None:
            query = (
                select(func.count())
                .select_from(SecurityEvent)
                .where(
                    SecurityEvent.kind == kind,
                    SecurityEvent.created_at >= utcnow() - dedupe,
                )
            )
            for column, value in ((SecurityEvent.actor, actor), (SecurityEvent.source, source)):
                query = query.where(column.is_(None) if value is None else column == value[:120])
            if session.scalar(query):
                return False
        record_event(session, kind, actor=actor, source=source, detail=detail, severity=severity)
        session.commit()
    return True


def recent_events(
    session: Session, since: datetime | None = None, limit: int = 200
) -> Sequence[SecurityEvent]:
    """Events, newest first (the console's list)."""
    query = select(SecurityEvent).order_by(SecurityEvent.id.desc()).limit(limit)
    if since is not None:
        query = query.where(SecurityEvent.created_at >= since)
    return session.scalars(query).all()


def acknowledge(session: Session, event_id: int, by: str) -> SecurityEvent | None:
    """An admin has seen the event."""
    event = session.get(SecurityEvent, event_id)
    if event is not None and event.acknowledged_at is None:
        event.acknowledged_at = utcnow()
        event.acknowledged_by = by
        session.flush()
    return event


def check_mass_read(
    session: Session, actor: str, threshold: int, target: tuple[str, str] | None = None
) -> SecurityEvent | None:
    """Record `mass_read` when `actor` read more than `threshold` distinct citizens' records
    in the last hour (once per actor per hour).

    `target` is the record just read (its audit event already flushed): when the actor read
    it before within the hour, the distinct count has not changed and is not recounted.
    """
    if threshold <= 0:
        return None
    since = utcnow() - MASS_READ_WINDOW
    if target is not None and _read_before(session, actor, target, since):
        return None
    distinct = session.scalar(
        select(
            func.count(func.distinct(AuditEvent.target_type + ":" + AuditEvent.target_id))
        ).where(
            AuditEvent.actor == actor,
            AuditEvent.action.like(f"%{READ_SUFFIX}"),
            AuditEvent.created_at >= since,
        )
    )
    if int(distinct or 0) <= threshold:
        return None
    already = session.scalar(
        select(func.count())
        .select_from(SecurityEvent)
        .where(
            SecurityEvent.kind == "mass_read",
            SecurityEvent.actor == actor[:120],
            SecurityEvent.created_at >= since,
        )
    )
    if already:
        return None
    return record_event(
        session,
        "mass_read",
        actor=actor,
        detail=f"{distinct} citizens' records read within {MASS_READ_WINDOW}",
        severity="critical",
    )


def _read_before(session: Session, actor: str, target: tuple[str, str], since: datetime) -> bool:
    """Whether `actor` read `target` earlier within the window (besides the read just made)."""
    reads = session.scalars(
        select(AuditEvent.id)
        .where(
            AuditEvent.actor == actor,
            AuditEvent.target_id == target[1],
            AuditEvent.target_type == target[0],
            AuditEvent.created_at >= since,
            AuditEvent.action.like(f"%{READ_SUFFIX}"),
        )
        .limit(2)
    ).all()
    return len(reads) > 1
