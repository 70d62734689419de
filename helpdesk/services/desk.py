"""The agents' desk: who sees which conversation, the queue, claim/assign/transfer/return,
replies, private notes, resolve/reopen, presence, canned replies and the return sweep.

Scope rule, applied by every function that takes an agent (SECURITY.md, issue 21): a
conversation is desk work only once a hand-off gave it a unit, and only while it is pending,
open or resolved. Agents see the desk work of their units (anything else is "not found");
supervisors and admins see every unit's desk work. A conversation the bot alone handled
(never handed off, or back with the bot after it was resolved) is nobody's: no role opens it
in the console. In a conversation that filed an anonymous complaint, everything up to the
filing is withheld from every role (`withheld_before`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from helpdesk.models import (
    Agent,
    AgentRole,
    AgentUnit,
    CannedReply,
    Channel,
    Complaint,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Message,
    Presence,
    Sender,
    utcnow,
)
from helpdesk.services import audit, outbox
from helpdesk.services import conversations as convs
from helpdesk.services.channel_traits import traits_of_conversation
from helpdesk.services.conversations import GENERAL_UNIT
from helpdesk.services.errors import Conflict, InvalidInput, NotFound, ServiceError

EVENT_KINDS = frozenset(
    {"claim", "assign", "transfer", "return", "timeout", "note", "resolve", "reopen"}
)
PRESENCE_SECONDS = 20
MAX_TEXT = 4000


class Forbidden(ServiceError):
    """The agent's role does not allow this."""

    status = 403
    code = "forbidden"


def sees_all_units(agent: Agent) -> bool:
    """Supervisors and admins see every unit's work."""
    return agent.role in (AgentRole.SUPERVISOR, AgentRole.ADMIN)


def visible_units(agent: Agent) -> frozenset[str] | None:
    """The units whose conversations the agent may see; None means all."""
    return None if sees_all_units(agent) else frozenset(agent.unit_codes)


def unit_of(conversation: Conversation) -> str:
    """The queue the conversation belongs to."""
    return conversation.unit_code or GENERAL_UNIT


DESK_STATUSES = (ConversationStatus.PENDING, ConversationStatus.OPEN, ConversationStatus.RESOLVED)


def is_desk_work(conversation: Conversation) -> bool:
    """Handed off to a unit and not back with the bot."""
    return conversation.unit_code is not None and conversation.status in DESK_STATUSES


def can_see(agent: Agent, conversation: Conversation) -> bool:
    """Whether the agent may see (and work) this conversation."""
    if not is_desk_work(conversation):
        return False
    units = visible_units(agent)
    return units is None or conversation.unit_code in units


def withheld_before(session: Session, conversation: Conversation) -> int | None:
    """Messages with an id below this are withheld from every console page (None: none are).

    When the conversation filed an anonymous complaint, the citizen's identity (the NIK the
    form asked for, a name, the complaint's number) sits in the messages up to the filing.
    Everything up to the citizen's first message after the latest anonymous filing is
    withheld; the complaint itself is read in the complaint desk, without identity.
    """
    filed = session.scalar(
        select(func.max(Complaint.created_at)).where(
            Complaint.conversation_id == conversation.id, Complaint.anonymous.is_(True)
        )
    )
    if filed is None:
        return None
    after = session.scalar(
        select(func.min(Message.id)).where(
            Message.conversation_id == conversation.id,
            Message.sender == Sender.CITIZEN,
            Message.created_at > filed,
        )
    )
    if after is not None:
        return int(after)
    last = session.scalar(
        select(func.max(Message.id)).where(Message.conversation_id == conversation.id)
    )
    return int(last or 0) + 1


def require_role(agent: Agent, *roles: AgentRole) -> None:
    """Forbidden unless the agent has one of `roles`."""
    if agent.role not in roles:
        raise Forbidden("your role does not allow this")


def get_for_agent(session: Session, agent: Agent, conversation_id: int) -> Conversation:
    """The conversation if the agent may see it; NotFound otherwise (no hint it exists)."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or not can_see(agent, conversation):
        raise NotFound(f"no conversation {conversation_id}", code="conversation_not_found")
    return conversation


# --- the queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    """What the queue page asks for; empty fields filter nothing."""

    status: str = "active"  # active (pending + open), pending, open, resolved, all
    unit: str = ""
    channel: str = ""
    language: str = ""
    mine: bool = False


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    conversation: Conversation
    last_citizen_text: str | None
    waiting_since: datetime | None
    unread: bool


def queue(session: Session, agent: Agent, wanted: QueueFilter, limit: int = 200) -> list[QueueRow]:
    """Conversations the agent may see, pending ones first (oldest first), then open ones."""
    query = select(Conversation).where(Conversation.status != ConversationStatus.BOT)
    query = query.where(Conversation.unit_code.is_not(None), Conversation.status.in_(DESK_STATUSES))
    units = visible_units(agent)
    if units is not None:
        query = query.where(Conversation.unit_code.in_(sorted(units)))
    statuses = {
        "active": [ConversationStatus.PENDING, ConversationStatus.OPEN],
        "pending": [ConversationStatus.PENDING],
        "open": [ConversationStatus.OPEN],
        "resolved": [ConversationStatus.RESOLVED],
    }.get(wanted.status)
    if statuses is not None:
        query = query.where(Conversation.status.in_(statuses))
    if wanted.unit:
        query = query.where(func.coalesce(Conversation.unit_code, GENERAL_UNIT) == wanted.unit)
    if wanted.channel:
        try:
            query = query.where(Conversation.channel == Channel(wanted.channel))
        except ValueError:
            raise InvalidInput("unknown channel") from None
    if wanted.language:
        query = query.where(Conversation.language == wanted.language)
    if wanted.mine:
        query = query.where(Conversation.assigned_agent_id == agent.id)
    query = query.order_by(
        (Conversation.status != ConversationStatus.PENDING),
        Conversation.pending_since,
        Conversation.id,
    ).limit(limit)
    conversations = session.scalars(query).all()
    last_texts = _last_citizen_texts(session, [c.id for c in conversations])
    rows = []
    for c in conversations:
        text, at = last_texts.get(c.id, (None, None))
        answered = c.last_agent_activity_at
        unread = c.status == ConversationStatus.PENDING or (
            at is not None and (answered is None or at > answered)
        )
        rows.append(QueueRow(c, text, c.pending_since, unread))
    return rows


def _last_citizen_texts(
    session: Session, ids: Sequence[int]
) -> dict[int, tuple[str, datetime | None]]:
    if not ids:
        return {}
    latest = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(ids), Message.sender == Sender.CITIZEN)
        .group_by(Message.conversation_id)
    )
    rows = session.execute(
        select(Message.conversation_id, Message.id, Message.text, Message.created_at).where(
            Message.id.in_(latest)
        )
    ).all()
    anonymous = set(
        session.scalars(
            select(Complaint.conversation_id).where(
                Complaint.conversation_id.in_(ids), Complaint.anonymous.is_(True)
            )
        )
    )
    found: dict[int, tuple[str, datetime | None]] = {}
    for cid, message_id, text, at in rows:
        if cid in anonymous:
            conversation = session.get(Conversation, cid)
            withheld = withheld_before(session, conversation) if conversation else None
            if withheld is not None and message_id < withheld:
                continue
        found[cid] = (text, at)
    return found


def unread_count(session: Session, agent: Agent) -> int:
    """New work for the tab title: pending in the agent's units plus the agent's open
    conversations where the citizen wrote after the agent's last action."""
    return sum(
        1
        for row in queue(session, agent, QueueFilter())
        if row.unread
        and (
            row.conversation.status == ConversationStatus.PENDING
            or row.conversation.assigned_agent_id == agent.id
        )
    )


# --- events --------------------------------------------------------------------------------


def _event(
    session: Session,
    conversation: Conversation,
    kind: str,
    agent: Agent | None,
    text: str | None = None,
    *,
    from_unit: str | None = None,
    to_unit: str | None = None,
    actor: str | None = None,
) -> ConversationEvent:
    event = ConversationEvent(
        conversation_id=conversation.id,
        kind=kind,
        agent_id=agent.id if agent else None,
        text=text,
        from_unit=from_unit,
        to_unit=to_unit,
    )
    session.add(event)
    audit.record(
        session,
        actor or (agent.username if agent else "system"),
        f"conversation.{kind}",
        "conversation",
        conversation.id,
        None if kind == "note" else text,
    )
    return event


def events(session: Session, conversation: Conversation) -> Sequence[ConversationEvent]:
    """The conversation's console events (notes, claims, transfers...), oldest first."""
    return session.scalars(
        select(ConversationEvent)
        .where(ConversationEvent.conversation_id == conversation.id)
        .order_by(ConversationEvent.id)
    ).all()


# --- ownership ---------------------------------------------------------------------------


def claim(session: Session, agent: Agent, conversation: Conversation) -> Conversation:
    """Take the conversation. Atomic: of two agents claiming at once, the second gets 409."""
    if conversation.status == ConversationStatus.OPEN and (
        conversation.assigned_agent_id == agent.id
    ):
        return conversation
    now = utcnow()
    result = session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation.id,
            Conversation.status == ConversationStatus.PENDING,
            Conversation.assigned_agent_id.is_(None),
        )
        .values(
            status=ConversationStatus.OPEN,
            assigned_agent_id=agent.id,
            opened_at=now,
            last_agent_activity_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(conversation)
    if getattr(result, "rowcount", 0) != 1:
        holder = conversation.assigned_agent
        who = holder.display_name if holder else "-"
        raise Conflict(f"already taken by {who}", code="already_claimed")
    _event(session, conversation, "claim", agent)
    session.flush()
    return conversation


def _require_holder(agent: Agent, conversation: Conversation) -> None:
    """Only the agent holding it (or a supervisor/admin) may act on an open conversation."""
    if (
        conversation.status == ConversationStatus.OPEN
        and conversation.assigned_agent_id not in (None, agent.id)
        and not sees_all_units(agent)
    ):
        holder = conversation.assigned_agent
        raise Conflict(
            f"{holder.display_name if holder else 'another agent'} has this conversation",
            code="held_by_other",
        )


def assign(
    session: Session, supervisor: Agent, conversation: Conversation, target: Agent
) -> Conversation:
    """A supervisor gives the conversation to an agent of its unit."""
    require_role(supervisor, AgentRole.SUPERVISOR, AgentRole.ADMIN)
    if not target.active or not can_see(target, conversation):
        raise InvalidInput(f"{target.username} does not work for unit {unit_of(conversation)}")
    if conversation.status not in (ConversationStatus.PENDING, ConversationStatus.OPEN):
        raise Conflict("only waiting or open conversations can be assigned", code="not_active")
    convs.open_conversation(conversation, target.id)
    conversation.last_agent_activity_at = None  # not yet taken up by the target
    _event(session, conversation, "assign", supervisor, target.username)
    session.flush()
    return conversation


def transfer(
    session: Session,
    agent: Agent,
    conversation: Conversation,
    to_unit: str,
    reason: str,
    *,
    known_units: frozenset[str],
) -> Conversation:
    """Send the conversation to another unit's queue (one of `known_units`), with a reason its
    agents read."""
    if to_unit not in known_units:
        raise InvalidInput(f"unknown unit {to_unit!r}", code="unknown_unit")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("a reason is required")
    if conversation.status not in (ConversationStatus.PENDING, ConversationStatus.OPEN):
        raise Conflict("only waiting or open conversations can be transferred", code="not_active")
    _require_holder(agent, conversation)
    from_unit = unit_of(conversation)
    if to_unit == from_unit:
        raise InvalidInput("the conversation is already in that unit")
    _back_to_queue(conversation)
    conversation.unit_code = to_unit
    _event(
        session,
        conversation,
        "transfer",
        agent,
        reason[:MAX_TEXT],
        from_unit=from_unit,
        to_unit=to_unit,
    )
    session.flush()
    return conversation


def _back_to_queue(conversation: Conversation) -> None:
    conversation.status = ConversationStatus.PENDING
    conversation.assigned_agent_id = None
    conversation.opened_at = None
    conversation.last_agent_activity_at = None
    conversation.pending_since = utcnow()


def release(session: Session, agent: Agent, conversation: Conversation) -> Conversation:
    """Give the conversation back to the queue of its unit."""
    if conversation.status != ConversationStatus.OPEN:
        raise Conflict("the conversation is not open", code="not_open")
    _require_holder(agent, conversation)
    _back_to_queue(conversation)
    _event(session, conversation, "return", agent)
    session.flush()
    return conversation


# --- replies, notes, resolve ---------------------------------------------------------------


@dataclass(frozen=True)
class ReplyChannelState:
    """Whether a free-text reply can reach the citizen on their channel right now."""

    free_text: bool
    explanation: str | None = None
    channel: str = ""
    """The channel's name for agents ("WhatsApp")."""
    window_hours: int = 0
    """The channel's reply window in hours (0: none)."""


def reply_channel_state(
    conversation: Conversation, at: datetime | None = None
) -> ReplyChannelState:
    """A channel with a reply window (WhatsApp: 24 hours) takes free text only that long
    after the citizen's last message; outside it the worker sends the approved template."""
    traits = traits_of_conversation(conversation, conversation.channel)
    window = traits.reply_window
    if window is None:
        return ReplyChannelState(True, channel=traits.display_name)
    hours = int(window.total_seconds() // 3600)
    last = conversation.last_inbound_at
    if last is not None and (at or utcnow()) - last < window:
        return ReplyChannelState(True, channel=traits.display_name, window_hours=hours)
    return ReplyChannelState(False, f"{conversation.channel}_template", traits.display_name, hours)


def _reply_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("text is required")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"text is longer than {MAX_TEXT} characters")
    return text


def reply(session: Session, agent: Agent, conversation: Conversation, text: str) -> Message:
    """The agent's reply, queued for the citizen's channel (claims a waiting conversation)."""
    text = _reply_text(text)
    if conversation.status == ConversationStatus.PENDING:
        claim(session, agent, conversation)
    _require_holder(agent, conversation)
    return send_reply(session, conversation, text, actor=agent.username, agent=agent)


def send_reply(
    session: Session,
    conversation: Conversation,
    text: str,
    *,
    actor: str,
    agent: Agent | None = None,
) -> Message:
    """The reply workflow, for an agent in the console (through `reply`, which claims and
    checks the holder first) and for a staff token on the REST API: the text's checks, the
    stored reply (it takes a waiting conversation), the SLA clock, the outbox, the audit."""
    text = _reply_text(text)
    message = convs.agent_reply(session, conversation, text, agent_id=agent.id if agent else None)
    if agent is not None:
        conversation.last_agent_activity_at = utcnow()
    outbox.enqueue(session, conversation, message)
    audit.record(session, actor, "conversation.reply", "conversation", conversation.id)
    return message


def add_note(
    session: Session, agent: Agent, conversation: Conversation, text: str
) -> ConversationEvent:
    """A private note for colleagues; never sent to the citizen."""
    text = text.strip()
    if not text:
        raise InvalidInput("text is required")
    event = _event(session, conversation, "note", agent, text[:MAX_TEXT])
    if conversation.assigned_agent_id == agent.id:
        conversation.last_agent_activity_at = utcnow()
    session.flush()
    return event


def resolve(
    session: Session, agent: Agent | None, conversation: Conversation, *, actor: str | None = None
) -> Conversation:
    """Done: the bot owns the citizen's next message (the SKM survey offer is queued).

    The console passes the agent (who must hold the conversation); the REST API passes
    `agent=None` and its token's name as `actor`."""
    if agent is not None:
        _require_holder(agent, conversation)
    convs.resolve(session, conversation)
    _event(session, conversation, "resolve", agent, actor=actor)
    session.flush()
    return conversation


def reopen(session: Session, agent: Agent, conversation: Conversation) -> Conversation:
    """Take a resolved conversation back (it is open with this agent again)."""
    if conversation.status not in (ConversationStatus.RESOLVED, ConversationStatus.BOT):
        raise Conflict("only a resolved conversation can be reopened", code="not_resolved")
    if conversation.unit_code is None:
        conversation.unit_code = GENERAL_UNIT
    conversation.resolved_at = None
    conversation.pending_since = conversation.pending_since or utcnow()
    convs.open_conversation(conversation, agent.id)
    conversation.last_agent_activity_at = utcnow()
    _event(session, conversation, "reopen", agent)
    session.flush()
    return conversation


# --- presence ------------------------------------------------------------------------------


def touch_presence(
    session: Session, agent: Agent, conversation: Conversation, typing: bool = False
) -> None:
    """The agent has the conversation on screen (and is typing, if so)."""
    row = session.scalar(
        select(Presence).where(
            Presence.conversation_id == conversation.id, Presence.agent_id == agent.id
        )
    )
    if row is None:
        row = Presence(conversation_id=conversation.id, agent_id=agent.id)
        session.add(row)
    row.typing = typing
    row.seen_at = utcnow()
    agent.last_seen_at = row.seen_at
    session.flush()


def others_present(
    session: Session, agent: Agent, conversation: Conversation
) -> Sequence[Presence]:
    """Other agents who had this conversation on screen in the last seconds."""
    since = utcnow() - timedelta(seconds=PRESENCE_SECONDS)
    return session.scalars(
        select(Presence).where(
            Presence.conversation_id == conversation.id,
            Presence.agent_id != agent.id,
            Presence.seen_at >= since,
        )
    ).all()


# --- canned replies ------------------------------------------------------------------------

_TRACKING_RE = re.compile(r"\b[A-Z]{2,5}-\d{4}-\d{6}\b")


def canned_replies(
    session: Session, language: str, unit: str | None = None
) -> Sequence[CannedReply]:
    """The canned replies in the conversation's language (Indonesian when none exist): every
    unit's, with the unit's own version of a shortcut in place of the shared one."""
    units = ["", unit] if unit else [""]
    found = session.scalars(
        select(CannedReply)
        .where(CannedReply.language == language, CannedReply.unit.in_(units))
        .order_by(CannedReply.shortcut, CannedReply.unit)
    ).all()
    if not found and language != "id":
        return canned_replies(session, "id", unit)
    by_shortcut = {reply.shortcut: reply for reply in found}  # the unit's sorts last: it wins
    return [by_shortcut[key] for key in sorted(by_shortcut)]


def canned_variables(
    session: Session, conversation: Conversation, service_name: str | None
) -> dict[str, str]:
    """Values for `{nama_layanan}` and `{nomor}` (the last tracking number in the chat)."""
    values: dict[str, str] = {}
    if service_name:
        values["nama_layanan"] = service_name
    query = select(Message.text).where(Message.conversation_id == conversation.id)
    withheld = withheld_before(session, conversation)
    if withheld is not None:
        query = query.where(Message.id >= withheld)
    texts = session.scalars(query.order_by(Message.id.desc()).limit(50)).all()
    for text in texts:
        match = _TRACKING_RE.search((text or "").upper())
        if match:
            values["nomor"] = match.group(0)
            break
    return values


def fill(template: str, values: dict[str, str]) -> str:
    """Replace known `{variables}`; unknown ones stay for the agent to fill in."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


# --- the return sweep ---------------------------------------------------------------------


def sweep(
    session: Session,
    *,
    unclaimed_minutes: int,
    silent_minutes: int,
    at: datetime | None = None,
) -> list[int]:
    """Put back in the queue what nobody takes care of; returns the conversation ids.

    Assigned but never taken up for `unclaimed_minutes`, or the citizen waiting on a silent
    agent for `silent_minutes`. The worker runs this every few seconds.
    """
    now = at or utcnow()
    candidates = session.scalars(
        select(Conversation).where(
            Conversation.status == ConversationStatus.OPEN,
            or_(
                and_(
                    Conversation.last_agent_activity_at.is_(None),
                    Conversation.opened_at < now - timedelta(minutes=unclaimed_minutes),
                ),
                and_(
                    Conversation.last_agent_activity_at < now - timedelta(minutes=silent_minutes),
                    Conversation.last_inbound_at > Conversation.last_agent_activity_at,
                ),
            ),
        )
    ).all()
    returned = []
    for conversation in candidates:
        why = "unclaimed" if conversation.last_agent_activity_at is None else "silent"
        holder = conversation.assigned_agent
        _back_to_queue(conversation)
        _event(
            session, conversation, "timeout", None, f"{why}: {holder.username if holder else '-'}"
        )
        returned.append(conversation.id)
    session.flush()
    return returned


def unit_members(session: Session, unit_code: str) -> Sequence[Agent]:
    """Active agents of a unit plus supervisors (who may take any unit's work)."""
    return session.scalars(
        select(Agent)
        .where(
            Agent.active.is_(True),
            or_(
                Agent.id.in_(select(AgentUnit.agent_id).where(AgentUnit.unit_code == unit_code)),
                Agent.role.in_([AgentRole.SUPERVISOR, AgentRole.ADMIN]),
            ),
        )
        .order_by(Agent.username)
    ).all()
