"""Canned replies edited in the console: per unit (or shared, unit "") and per language.

Supervisors edit their own units' replies; admins edit every unit's and the shared ones.
Agents read them in the conversation (`desk.canned_replies`: the unit's version of a
shortcut replaces the shared one). Every change is audited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.models import Agent, AgentRole, CannedReply
from helpdesk.services import audit
from helpdesk.services.desk import Forbidden
from helpdesk.services.errors import Conflict, InvalidInput, NotFound

LANGUAGES = ("id", "jv", "su", "en")
SHORTCUT = re.compile(r"^[a-z0-9_-]{2,32}$")
MAX_TEXT = 2000


def editable_units(agent: Agent, known_units: frozenset[str]) -> list[str]:
    """The units whose replies the agent may edit ("" = shared, admins only)."""
    if agent.role == AgentRole.ADMIN:
        return ["", *sorted(known_units)]
    if agent.role == AgentRole.SUPERVISOR:
        return sorted(set(agent.unit_codes) & known_units)
    return []


def _check_unit(agent: Agent, unit: str, known_units: frozenset[str]) -> None:
    if unit not in editable_units(agent, known_units):
        raise Forbidden("you cannot edit this unit's canned replies")


def list_editable(
    session: Session, agent: Agent, known_units: frozenset[str]
) -> Sequence[CannedReply]:
    """The replies the agent may edit, by unit, language and shortcut."""
    units = editable_units(agent, known_units)
    if not units:
        return []
    return session.scalars(
        select(CannedReply)
        .where(CannedReply.unit.in_(units))
        .order_by(CannedReply.unit, CannedReply.language, CannedReply.shortcut)
    ).all()


def save(
    session: Session,
    agent: Agent,
    known_units: frozenset[str],
    *,
    unit: str,
    language: str,
    shortcut: str,
    title: str,
    text: str,
    reply_id: int | None = None,
) -> CannedReply:
    """Create or change a reply (checked, audited)."""
    _check_unit(agent, unit, known_units)
    shortcut = shortcut.strip().lstrip("/").lower()
    problems = []
    if language not in LANGUAGES:
        problems.append("language must be one of: " + ", ".join(LANGUAGES))
    if not SHORTCUT.match(shortcut):
        problems.append("shortcut: 2-32 of a-z, 0-9, - and _")
    if not title.strip() or len(title) > 120:
        problems.append("title: 1-120 characters")
    if not text.strip() or len(text) > MAX_TEXT:
        problems.append(f"text: 1-{MAX_TEXT} characters")
    if problems:
        raise InvalidInput("; ".join(problems))
    if reply_id is not None:
        reply = session.get(CannedReply, reply_id)
        if reply is None:
            raise NotFound(f"no canned reply {reply_id}")
        _check_unit(agent, reply.unit, known_units)
    else:
        reply = CannedReply()
        session.add(reply)
    reply.unit, reply.language, reply.shortcut = unit, language, shortcut
    reply.title, reply.text = title.strip(), text.strip()
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(f"/{shortcut} already exists for this unit and language") from None
    audit.record(
        session,
        agent.username,
        "canned.save",
        "canned_reply",
        reply.id,
        f"{unit or '*'}/{language}/{shortcut}",
        personal=False,
    )
    return reply


def delete(session: Session, agent: Agent, known_units: frozenset[str], reply_id: int) -> None:
    """Remove a reply (audited)."""
    reply = session.get(CannedReply, reply_id)
    if reply is None:
        raise NotFound(f"no canned reply {reply_id}")
    _check_unit(agent, reply.unit, known_units)
    audit.record(
        session,
        agent.username,
        "canned.delete",
        "canned_reply",
        reply.id,
        f"{reply.unit or '*'}/{reply.language}/{reply.shortcut}",
        personal=False,
    )
    session.delete(reply)
    session.flush()
