"""Audit trail of every access to personal data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from helpdesk.models import AuditEvent


def record(
    session: Session,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int,
    detail: str | None = None,
) -> None:
    """Append one audit event (committed with the caller's transaction)."""
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            detail=detail,
        )
    )
