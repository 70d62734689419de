"""API tokens: created once, shown once, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.models import ApiToken, utcnow

TOKEN_PREFIX = "hw_"
SCOPES = ("staff", "bot")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, scope: str = "staff") -> str:
    """Create a token named `name` and return its only clear-text copy."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, scope=scope, token_hash=_digest(token), prefix=token[:10]))
    session.flush()
    return token


def verify_token(session: Session, token: str) -> ApiToken | None:
    """The live token record matching `token`, or None."""
    record = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if record is None or record.revoked_at is not None:
        return None
    record.last_used_at = utcnow()
    return record
