"""SLA clocks in working time: stored deadlines, pauses, warnings, breaches and escalation.

A clock starts when a chat is handed to the agents (or a complaint is filed: `start()`),
with a first-response and a resolution target from `data/sla/policies.yml` for the unit
and kind (complaints: per category). Targets are working time of the unit: "4h" is four
office hours, "2d" the end of office hours of the 2nd working day. The deadlines are stored,
so queues and reports sort by them. While the agent waits for the citizen the clock is
paused; when the citizen writes it resumes and the deadlines move by the working time
that passed. The worker calls `tick()`: a warning when a quarter of the target is left, a
breach at the deadline, escalated to the unit's supervisor, and a case waiting for the
citizen for `close_after_silence` working days closes with a notice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.models import (
    Agent,
    AgentRole,
    Conversation,
    ConversationStatus,
    Sender,
    SlaClock,
    SlaEvent,
    utcnow,
)
from helpdesk.services import outbox
from helpdesk.services.context import settings_of
from helpdesk.services.messages import store_message
from helpdesk.services.surveys import conversation_service
from helpdesk.services.workcal import working_time
from helpdesk.services.workcalendar import WorkingTime

log = logging.getLogger(__name__)

DEFAULT_POLICIES = REPO_ROOT / "data" / "sla" / "policies.yml"
_TARGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([hd])\s*$")


@dataclass(frozen=True)
class Target:
    """A target in working hours (`h`) or working days (`d`)."""

    amount: float
    unit: str

    @classmethod
    def parse(cls, text: str) -> Target:
        """From "4h" or "2d"."""
        match = _TARGET.match(str(text))
        if not match:
            raise ValueError(f"an SLA target looks like 4h or 2d, not {text!r}")
        return cls(float(match.group(1)), match.group(2))

    def due(self, clock: WorkingTime, start: datetime) -> datetime:
        """The deadline of this target for a clock started at `start`."""
        if self.unit == "h":
            return clock.add(start, timedelta(hours=self.amount))
        return clock.add_workdays_at(start, int(self.amount))

    def __str__(self) -> str:
        return f"{self.amount:g}{self.unit}"


@dataclass(frozen=True)
class Policy:
    """The targets of one unit and kind (and complaint category)."""

    first_response: Target | None
    resolution: Target


@dataclass(frozen=True)
class Policies:
    """Every SLA policy, from the policies file."""

    raw: Mapping[str, Any]

    def policy(self, kind: str, unit: str, category: str | None = None) -> Policy:
        """The policy for a chat or complaint of a unit (category: complaints)."""
        merged: dict[str, Any] = dict(self.raw.get("defaults", {}).get(kind, {}))
        merged.update((self.raw.get("units", {}).get(unit) or {}).get(kind) or {})
        if kind == "complaint" and category:
            merged.update(self.raw.get("complaint_categories", {}).get(category) or {})
        if "resolution" not in merged:
            raise ValueError(f"no resolution target for {kind} in {unit}")
        first = merged.get("first_response")
        return Policy(Target.parse(first) if first else None, Target.parse(merged["resolution"]))

    @property
    def warn_fraction(self) -> float:
        """Warn when this share of the target is left."""
        return float(self.raw.get("warn_at_fraction_left", 0.25))

    @property
    def close_after_silence(self) -> Target | None:
        """Close a case waiting this long for the citizen."""
        value = self.raw.get("close_after_silence")
        return Target.parse(value) if value else None

    def all_targets(self) -> list[dict[str, str]]:
        """Flat list for the docs and the dashboard."""
        rows = []
        units = ["(default)", *sorted(self.raw.get("units", {}))]
        for unit in units:
            for kind in ("chat", "complaint"):
                p = self.policy(kind, "" if unit == "(default)" else unit)
                rows.append(
                    {
                        "unit": unit,
                        "kind": kind,
                        "first_response": str(p.first_response or "-"),
                        "resolution": str(p.resolution),
                    }
                )
        return rows


@lru_cache(maxsize=4)
def load_policies(path: Path = DEFAULT_POLICIES) -> Policies:
    """Read and check the policies file (every target must parse)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    policies = Policies(raw)
    for unit in ["", *raw.get("units", {})]:
        for kind in ("chat", "complaint"):
            policies.policy(kind, unit)
    for category in raw.get("complaint_categories", {}):
        policies.policy("complaint", "", category)
    return policies


def current_policies(session: Session) -> Policies:
    """The deployment's policies (SLA_POLICIES_FILE in the session's settings), else the default."""
    path = settings_of(session).sla_policies_file
    return load_policies(Path(path)) if path else load_policies()


def _clock(session: Session, unit: str, settings: Settings | None = None) -> WorkingTime:
    return working_time(session, settings or settings_of(session), unit)


def _unit(conversation: Conversation) -> str:
    return conversation_service(conversation)[1]


def start(
    session: Session,
    *,
    kind: str,
    ref: str,
    unit: str,
    category: str | None = None,
    conversation_id: int | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> SlaClock:
    """Start a clock (complaints call this with kind="complaint" and their category)."""
    now = now or utcnow()
    policy = current_policies(session).policy(kind, unit, category)
    clock = _clock(session, unit, settings)
    row = SlaClock(
        kind=kind,
        ref=ref,
        unit=unit,
        category=category,
        conversation_id=conversation_id,
        started_at=now,
        first_response_due=policy.first_response.due(clock, now) if policy.first_response else None,
        resolution_due=policy.resolution.due(clock, now),
    )
    session.add(row)
    session.flush()
    return row


def open_clock(session: Session, conversation: Conversation) -> SlaClock | None:
    """The running (unresolved) chat clock of a conversation."""
    return session.scalar(
        select(SlaClock)
        .where(SlaClock.conversation_id == conversation.id, SlaClock.resolved_at.is_(None))
        .order_by(SlaClock.id.desc())
        .limit(1)
    )


def on_handoff(session: Session, conversation: Conversation, now: datetime | None = None) -> None:
    """A chat reached the queue: start its clock (once per handoff)."""
    if open_clock(session, conversation) is None:
        start(
            session,
            kind="chat",
            ref=f"conversation:{conversation.id}",
            unit=_unit(conversation),
            conversation_id=conversation.id,
            now=now,
        )


def on_agent_reply(
    session: Session, conversation: Conversation, now: datetime | None = None
) -> None:
    """The first agent reply meets the first-response target."""
    row = open_clock(session, conversation)
    if row is not None and row.first_response_at is None:
        row.first_response_at = now or utcnow()


def pause(session: Session, row: SlaClock, now: datetime | None = None) -> None:
    """The agent waits for the citizen: stop the clock."""
    if row.paused_since is None and row.resolved_at is None:
        row.paused_since = now or utcnow()


def resume(
    session: Session, row: SlaClock, now: datetime | None = None, settings: Settings | None = None
) -> None:
    """The citizen answered: the deadlines move by the working time spent waiting."""
    if row.paused_since is None:
        return
    now = now or utcnow()
    clock = _clock(session, row.unit, settings)
    waited = clock.between(row.paused_since, now)
    row.paused_seconds += int(waited.total_seconds())
    if row.first_response_at is None and row.first_response_due is not None:
        row.first_response_due = clock.add(row.first_response_due, waited)
    row.resolution_due = clock.add(row.resolution_due, waited)
    row.paused_since = None


def on_citizen_message(
    session: Session, conversation: Conversation, now: datetime | None = None
) -> None:
    """A citizen message restarts a paused clock."""
    row = open_clock(session, conversation)
    if row is not None and row.paused_since is not None:
        resume(session, row, now)


def on_resolve(session: Session, conversation: Conversation, now: datetime | None = None) -> None:
    """The conversation is resolved: stop its clock for good."""
    row = open_clock(session, conversation)
    if row is None:
        return
    now = now or utcnow()
    if row.paused_since is not None:
        resume(session, row, now)
    row.resolved_at = now
    if row.first_response_at is None:
        row.first_response_at = now


def complaint_clock(session: Session, tracking_number: str) -> SlaClock | None:
    """The newest clock of a complaint (kind `complaint`, ref = its number)."""
    return session.scalar(
        select(SlaClock)
        .where(SlaClock.kind == "complaint", SlaClock.ref == tracking_number)
        .order_by(SlaClock.id.desc())
        .limit(1)
    )


def on_complaint_verified(
    session: Session, row: SlaClock, now: datetime | None = None, settings: Settings | None = None
) -> None:
    """Verification meets the first target; the follow-up target (LAPOR!: 5 working days
    after verification and forwarding) counts from now."""
    now = now or utcnow()
    if row.first_response_at is not None:
        return
    row.first_response_at = now
    policy = current_policies(session).policy("complaint", row.unit, row.category)
    row.resolution_due = policy.resolution.due(_clock(session, row.unit, settings), now)
    row.warned_resolution = row.breached_resolution = False


def on_complaint_closed(row: SlaClock, now: datetime | None = None) -> None:
    """Finished, not ours or archived: the clock stops (a first target still open is met
    by the closing step)."""
    now = now or utcnow()
    if row.paused_since is not None:
        row.paused_since = None
    if row.first_response_at is None:
        row.first_response_at = now
    row.resolved_at = now


def met(row: SlaClock) -> bool | None:
    """Whether a finished clock met both targets (None while running)."""
    if row.resolved_at is None:
        return None
    first_ok = row.first_response_due is None or (
        row.first_response_at is not None and row.first_response_at <= row.first_response_due
    )
    return first_ok and row.resolved_at <= row.resolution_due


def supervisor_of(session: Session, unit: str) -> str | None:
    """The username of the unit's supervisor (any supervisor when the unit has none)."""
    supervisors = session.scalars(
        select(Agent).where(Agent.role == AgentRole.SUPERVISOR, Agent.active.is_(True))
    ).all()
    for agent in supervisors:
        if unit in agent.unit_codes:
            return agent.username
    return supervisors[0].username if supervisors else None


def _event(session: Session, row: SlaClock, event: str, notified: str | None) -> SlaEvent:
    item = SlaEvent(clock_id=row.id, event=event, unit=row.unit, notified=notified)
    session.add(item)
    log.warning("SLA %s: %s %s (unit %s) -> %s", event, row.kind, row.ref, row.unit, notified)
    return item


CLOSE_NOTICE = {
    "id": "Percakapan ini kami tutup karena belum ada balasan dari Anda. Silakan kirim pesan "
    "lagi kapan saja bila masih memerlukan bantuan.",
    "jv": "Obrolan punika kawula tutup amargi dereng wonten wangsulan saking panjenengan. "
    "Mangga ngintun pesen malih sawanci-wanci menawi taksih mbetahaken pitulungan.",
    "su": "Obrolan ieu ku kami ditutup kumargi teu acan aya waleran ti anjeun. Mangga kintun "
    "deui pesen iraha waé upami masih peryogi bantosan.",
    "en": "We have closed this conversation as we have not heard back from you. Write again "
    "any time if you still need help.",
}


def tick(
    session: Session, now: datetime | None = None, settings: Settings | None = None
) -> list[SlaEvent]:
    """Warnings, breaches (escalated) and silent closes due at `now`; the caller commits."""
    from helpdesk.services import notices

    now = now or utcnow()
    policies = current_policies(session)
    events: list[SlaEvent] = []
    rows: Sequence[SlaClock] = session.scalars(
        select(SlaClock).where(
            SlaClock.resolved_at.is_(None),
            or_(
                SlaClock.breached_resolution.is_(False),
                SlaClock.paused_since.is_not(None),
            ),
        )
    ).all()
    silence = policies.close_after_silence
    for row in rows:
        clock = _clock(session, row.unit, settings)
        if row.paused_since is not None:
            if (
                silence is not None
                and row.conversation_id is not None
                and now >= silence.due(clock, row.paused_since)
            ):
                row.resolved_at, row.closed_reason = now, "no_citizen_reply"
                events.append(_event(session, row, "closed_no_reply", None))
                conversation = (
                    session.get(Conversation, row.conversation_id) if row.conversation_id else None
                )
                if conversation is not None and conversation.status != ConversationStatus.RESOLVED:
                    conversation.status = ConversationStatus.RESOLVED
                    conversation.resolved_at = now
                    language = (
                        conversation.language if conversation.language in CLOSE_NOTICE else "id"
                    )
                    notice = store_message(
                        session, conversation, Sender.BOT, CLOSE_NOTICE[language]
                    )
                    outbox.enqueue(session, conversation, notice)
            continue  # a paused clock neither warns nor breaches
        targets = []
        if row.first_response_at is None and row.first_response_due is not None:
            targets.append(("first", row.first_response_due))
        targets.append(("resolution", row.resolution_due))
        for name, due in targets:
            total = clock.between(row.started_at, due) + timedelta(seconds=row.paused_seconds)
            left = clock.between(now, due)
            warned, breached = f"warned_{name}", f"breached_{name}"
            if now >= due and not getattr(row, breached):
                setattr(row, breached, True)
                setattr(row, warned, True)
                row.escalated_to = supervisor_of(session, row.unit)
                events.append(_event(session, row, f"breach_{name}", row.escalated_to))
                notices.on_sla_event(
                    session, row, "breach", name, format_moment(due, clock.hours.timezone, "id")
                )
            elif now < due and not getattr(row, warned) and left <= total * policies.warn_fraction:
                setattr(row, warned, True)
                events.append(
                    _event(session, row, f"warning_{name}", supervisor_of(session, row.unit))
                )
                notices.on_sla_event(
                    session, row, "warning", name, format_moment(due, clock.hours.timezone, "id")
                )
    session.flush()
    return events


DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "jv": ("Senin", "Selasa", "Rebo", "Kemis", "Jumuwah", "Setu", "Ahad"),
    "su": ("Senén", "Salasa", "Rebo", "Kemis", "Jumaah", "Saptu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS_ID = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()
ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA"}
ZONES["Asia/Jayapura"] = "WIT"
BACK_NOTE = {
    "id": "Saat ini di luar jam layanan kantor. Pesan Anda sudah tercatat; petugas akan "
    "membalas mulai {when}.",
    "jv": "Samenika sampun njawi wekdal pelayanan kantor. Pesen panjenengan sampun kacathet; "
    "petugas badhe mangsuli wiwit {when}.",
    "su": "Ayeuna di luar waktos palayanan kantor. Pesen anjeun parantos kacatet; petugas "
    "badé ngawaler ti mimiti {when}.",
    "en": "We are outside office hours. Your message is recorded; an officer will reply from "
    "{when}.",
}


def format_moment(moment: datetime, timezone: str, language: str) -> str:
    """ "Senin, 12 Oktober 2026 pukul 08.00 WIB" in the citizen's language."""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(timezone))
    zone = ZONES.get(timezone, local.strftime("%Z"))
    day = DAYS.get(language, DAYS["id"])[local.weekday()]
    if language == "en":
        return f"{day} {local.day} {MONTHS_EN[local.month - 1]} {local.year}, {local:%H:%M} {zone}"
    word = {"jv": "jam", "su": "tabuh"}.get(language, "pukul")
    month = MONTHS_ID[local.month - 1]
    return f"{day}, {local.day} {month} {local.year} {word} {local:%H.%M} {zone}"


def back_note(
    session: Session,
    conversation: Conversation,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> str | None:
    """Out of office hours: when a human will be back, in the citizen's language."""
    now = now or utcnow()
    clock = _clock(session, _unit(conversation), settings)
    if clock.is_open(now):
        return None
    language = conversation.language if conversation.language in BACK_NOTE else "id"
    when = format_moment(clock.next_open(now), clock.hours.timezone, language)
    return BACK_NOTE[language].format(when=when)


def clocks_for_conversations(
    session: Session, conversation_ids: Sequence[int]
) -> dict[int, SlaClock]:
    """The newest clock of each conversation."""
    if not conversation_ids:
        return {}
    rows = session.scalars(
        select(SlaClock).where(SlaClock.conversation_id.in_(conversation_ids)).order_by(SlaClock.id)
    ).all()
    return {row.conversation_id: row for row in rows if row.conversation_id is not None}
