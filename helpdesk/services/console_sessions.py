"""Console sessions the server knows (issue 21): started at sign-in, checked on every request,
ended at sign-out.

Invariant: a console request is signed in only while its cookie's random id matches a row
that has not ended, was seen within the idle lifetime and is younger than the absolute
lifetime. The cookie's signature alone proves nothing any more, so a copied cookie dies
with the sign-out, the idle timeout or the absolute lifetime of the session it belonged to.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from helpdesk.models import Agent, ConsoleSession, utcnow


@dataclass(frozen=True)
class Lifetimes:
    """How long a session may sit idle, and live at most."""

    idle: timedelta
    absolute: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(session: Session, agent: Agent, now: datetime | None = None) -> str:
    """A new session for `agent`; returns the random id for the cookie (stored hashed)."""
    token = secrets.token_urlsafe(32)
    at = now or utcnow()
    session.add(
        ConsoleSession(token_hash=_hash(token), agent_id=agent.id, created_at=at, last_seen_at=at)
    )
    session.flush()
    return token


def check(
    session: Session,
    token: str | None,
    agent_id: int,
    lifetimes: Lifetimes,
    now: datetime | None = None,
) -> ConsoleSession | None:
    """The live session behind `token` for this agent; None (and ended) when it has expired."""
    if not token:
        return None
    row = session.scalar(select(ConsoleSession).where(ConsoleSession.token_hash == _hash(token)))
    if row is None or row.agent_id != agent_id or row.ended_at is not None:
        return None
    at = now or utcnow()
    if at - row.last_seen_at > lifetimes.idle or at - row.created_at > lifetimes.absolute:
        row.ended_at = at
        session.flush()
        return None
    return row


def touch(session: Session, row: ConsoleSession, now: datetime | None = None) -> None:
    """A real action (not polling): the idle clock starts again."""
    row.last_seen_at = now or utcnow()
    session.flush()


def end(session: Session, token: str | None, now: datetime | None = None) -> None:
    """Sign-out: the session behind `token` stops working everywhere at once."""
    if token:
        session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.token_hash == _hash(token), ConsoleSession.ended_at.is_(None))
            .values(ended_at=now or utcnow())
        )


def end_all(session: Session, agent: Agent, now: datetime | None = None) -> None:
    """Sign-out everywhere (and an agent deactivated): every session of the agent ends."""
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.agent_id == agent.id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=now or utcnow())
    )


def purge(session: Session, lifetimes: Lifetimes, now: datetime | None = None) -> int:
    """Delete the rows of sessions that can no longer be used (ended, idle or too old)."""
    at = now or utcnow()
    result = session.execute(
        delete(ConsoleSession).where(
            or_(
                ConsoleSession.ended_at.is_not(None),
                ConsoleSession.last_seen_at < at - lifetimes.idle,
                ConsoleSession.created_at < at - lifetimes.absolute,
            )
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
