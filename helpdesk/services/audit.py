"""Audit trail of every access to personal data (reads, lists, changes)."""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from helpdesk.models import AuditEvent
from helpdesk.services import security

LOCKOUT_ACTIONS = frozenset({"agent.locked"})


def mass_read_threshold() -> int:
    """Distinct citizens' records one actor may read per hour before an alert."""
    raw = os.environ.get("SECURITY_MASS_READ_THRESHOLD", "").strip()
    return int(raw) if raw else security.DEFAULT_MASS_READ_THRESHOLD


def record(
    session: Session,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: str | None = None,
    *,
    personal: bool = True,
) -> None:
    """Append one audit event (committed with the caller's transaction).

    Reads of one citizen's personal data also count towards the mass-read alert;
    `personal=False` records a read that returned none (the bot's status lookups, which
    would otherwise raise a false alarm once more than the threshold of citizens ask per
    hour).
    """
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            detail=detail,
        )
    )
    if action in LOCKOUT_ACTIONS:  # the console's lockout becomes an alerted security event
        security.record_event(session, "signin_lockout", actor=actor, detail=detail)
    if personal and action.endswith(security.READ_SUFFIX):
        session.flush()
        security.check_mass_read(
            session, actor, mass_read_threshold(), (target_type, str(target_id))
        )
