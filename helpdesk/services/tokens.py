"""API tokens: created once, shown once, stored as a SHA-256 digest; revocable, may expire."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.models import ApiToken, utcnow

TOKEN_PREFIX = "hw_"
SCOPES = ("staff", "bot")
LAST_USED_PRECISION = timedelta(minutes=1)  # how often last_used_at is written


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, name: str, scope: str = "staff", *, expires_in: timedelta | None = None
) -> str:
    """Create a token named `name` and return its only clear-text copy."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + expires_in if expires_in is not None else None
    session.add(
        ApiToken(
            name=name,
            scope=scope,
            token_hash=_digest(token),
            prefix=token[:10],
            expires_at=expires_at,
        )
    )
    session.flush()
    return token


def find_token(session: Session, token: str) -> ApiToken | None:
    """The token record matching `token` (live or not), or None."""
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))


def is_live(record: ApiToken, now: datetime | None = None) -> bool:
    """Not revoked and not expired."""
    moment = now or utcnow()
    if record.revoked_at is not None:
        return False
    return record.expires_at is None or record.expires_at > moment


def verify_token(session: Session, token: str) -> ApiToken | None:
    """The live token record matching `token`, or None (revoked and expired ones too)."""
    record = find_token(session, token)
    if record is None or not is_live(record):
        return None
    now = utcnow()
    # to the minute: a write per request would cost every API call a transaction
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_PRECISION:
        record.last_used_at = now
    return record


def revoke_tokens(session: Session, name: str) -> int:
    """Revoke every live token named `name`; returns how many."""
    now = utcnow()
    records = session.scalars(
        select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
    ).all()
    for record in records:
        record.revoked_at = now
    session.flush()
    return len(records)
