"""Notices for supervisors: SLA warnings and breaches as they happen, and a daily digest of
what is overdue in their unit.

Every notice is a row per recipient (`StaffNotice`): the console shows the unread ones as a
badge and a list. Breaches and digests are also sent once on the alert channel the security
alerts use (a Telegram chat and/or a webhook, `helpdesk.security.alerts`), so a supervisor
hears of a missed deadline without opening the console. Creating a notice is idempotent
(unique kind + ref + recipient): several workers ticking the same clock tell once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from helpdesk.models import Agent, AgentRole, SlaClock, StaffNotice, utcnow

DIGEST_HOUR = time(7, 0)  # local time; the digest is ready when the office opens
TARGET_NAMES = {
    ("complaint", "first"): "verifikasi / verification",
    ("complaint", "resolution"): "tindak lanjut / follow-up",
    ("chat", "first"): "balasan pertama / first reply",
    ("chat", "resolution"): "penyelesaian / resolution",
}


def supervisors_of(session: Session, unit: str) -> list[str]:
    """The usernames of the unit's active supervisors (any one supervisor if it has none)."""
    supervisors = session.scalars(
        select(Agent)
        .where(Agent.role == AgentRole.SUPERVISOR, Agent.active.is_(True))
        .order_by(Agent.id)
    ).all()
    own = [a.username for a in supervisors if unit in a.unit_codes]
    return own or [a.username for a in supervisors[:1]]


def link_of(row: SlaClock) -> str:
    """The console path of the case a clock measures."""
    if row.kind == "complaint":
        return f"/console/complaints/{row.ref}"
    if row.conversation_id is not None:
        return f"/console/conversations/{row.conversation_id}"
    return "/console/"


def _moment(moment: datetime, timezone: str) -> str:
    """ "08-10-2026 15.00 WIB": short, for the digest's lines."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        timezone, local.strftime("%Z")
    )
    return f"{local:%d-%m-%Y %H.%M} {zone}"


def _add(
    session: Session,
    *,
    kind: str,
    ref: str,
    unit: str,
    recipient: str,
    text: str,
    send_alert: bool,
) -> StaffNotice | None:
    exists = session.scalar(
        select(StaffNotice.id).where(
            StaffNotice.kind == kind, StaffNotice.ref == ref, StaffNotice.recipient == recipient
        )
    )
    if exists is not None:
        return None
    notice = StaffNotice(
        kind=kind, ref=ref, unit=unit, recipient=recipient, text=text, send_alert=send_alert
    )
    session.add(notice)
    return notice


def on_sla_event(
    session: Session, row: SlaClock, what: str, target: str, due_text: str
) -> list[StaffNotice]:
    """A warning (`what`="warning": badge only) or a breach ("breach": badge and alert);
    `due_text` is the deadline as people read it ("Kamis, 8 Oktober 2026 pukul 15.00 WIB")."""
    head = {
        "warning": "[Halo Warga] Tenggat segera tiba / deadline approaching",
        "breach": "[Halo Warga] Tenggat terlewati / deadline missed",
    }[what]
    case = f"pengaduan / complaint {row.ref}" if row.kind == "complaint" else f"chat {row.ref}"
    text = "\n".join(
        [
            head,
            f"{case} · unit {row.unit}",
            f"{TARGET_NAMES.get((row.kind, target), target)}: jatuh tempo / due {due_text}",
            f"Buka / open: {link_of(row)}",
        ]
    )
    made = []
    for recipient in supervisors_of(session, row.unit):
        notice = _add(
            session,
            kind=f"sla_{what}",
            ref=f"{row.kind}:{row.ref}:{target}"[:64],
            unit=row.unit,
            recipient=recipient,
            text=text,
            send_alert=what == "breach",
        )
        if notice is not None:
            made.append(notice)
    session.flush()
    return made


def overdue_clocks(
    session: Session, now: datetime, units: Sequence[str] | None = None
) -> list[SlaClock]:
    """Running clocks past a deadline (not paused), oldest deadline first."""
    query = select(SlaClock).where(
        SlaClock.resolved_at.is_(None),
        SlaClock.paused_since.is_(None),
        or_(
            SlaClock.resolution_due <= now,
            (SlaClock.first_response_at.is_(None)) & (SlaClock.first_response_due <= now),
        ),
    )
    if units is not None:
        query = query.where(SlaClock.unit.in_(list(units)))
    return list(session.scalars(query.order_by(SlaClock.resolution_due)))


def daily_digest(
    session: Session, now: datetime | None = None, timezone: str = "Asia/Jakarta"
) -> list[StaffNotice]:
    """Once a day (from 07:00 local time): each supervisor gets the list of their unit's
    overdue cases. Nothing overdue, no digest."""
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(timezone))
    if local.time() < DIGEST_HOUR:
        return []
    by_unit: dict[str, list[SlaClock]] = defaultdict(list)
    for row in overdue_clocks(session, now):
        by_unit[row.unit].append(row)
    made = []
    for unit, rows in sorted(by_unit.items()):
        lines = [
            f"[Halo Warga] Ringkasan harian / daily digest {local:%Y-%m-%d} · unit {unit}",
            f"{len(rows)} terlambat / overdue:",
        ]
        for row in rows[:30]:
            due = row.first_response_due if row.first_response_at is None else row.resolution_due
            due = due if due is not None else row.resolution_due
            lines.append(f"• {row.kind} {row.ref} — {_moment(due, timezone)} — {link_of(row)}")
        if len(rows) > 30:
            lines.append(f"… +{len(rows) - 30}")
        for recipient in supervisors_of(session, unit):
            notice = _add(
                session,
                kind="digest",
                ref=f"{local:%Y-%m-%d}:{unit}",
                unit=unit,
                recipient=recipient,
                text="\n".join(lines),
                send_alert=True,
            )
            if notice is not None:
                made.append(notice)
    session.flush()
    return made


def unread_count(session: Session, username: str) -> int:
    """The console badge: unread notices for this user."""
    found = session.scalar(
        select(func.count(StaffNotice.id)).where(
            StaffNotice.recipient == username, StaffNotice.read_at.is_(None)
        )
    )
    return int(found or 0)


def for_user(session: Session, username: str, limit: int = 100) -> Sequence[StaffNotice]:
    """The user's notices, newest first."""
    return session.scalars(
        select(StaffNotice)
        .where(StaffNotice.recipient == username)
        .order_by(StaffNotice.id.desc())
        .limit(limit)
    ).all()


def mark_read(session: Session, username: str) -> int:
    """Mark every notice of this user read; how many were unread."""
    result = session.execute(
        update(StaffNotice)
        .where(StaffNotice.recipient == username, StaffNotice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
