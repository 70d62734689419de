"""`helpdesk breach-report`: from the audit trail, whose personal data was read or changed
in a time window, by whom, plus the security events of that window (UU PDP Pasal 46
notices need "which personal data, when and how": docs/breach-runbook.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.models import AuditEvent, Conversation, SecurityEvent, ServiceRequest
from helpdesk.text.personal import mask_nik, mask_phone


@dataclass
class Subject:
    """One citizen record touched in the window."""

    target_type: str
    target_id: str
    who: str
    data: str
    accesses: dict[tuple[str, str], list[datetime]] = field(default_factory=dict)


def _subject(session: Session, target_type: str, target_id: str) -> Subject:
    if target_type == "service_request":
        request = session.scalar(
            select(ServiceRequest).where(ServiceRequest.tracking_number == target_id)
        )
        if request is not None:
            return Subject(
                target_type,
                target_id,
                f"{request.applicant_name} (NIK {mask_nik(request.nik)}, "
                f"phone {mask_phone(request.phone) or '-'})",
                "name, NIK, phone number, service request and its status history",
            )
        return Subject(target_type, target_id, "(record since deleted)", "service request")
    if target_type == "conversation" and target_id.isdigit():
        conversation = session.get(Conversation, int(target_id))
        if conversation is not None:
            return Subject(
                target_type,
                target_id,
                f"{conversation.channel.value} citizen, conversation {conversation.id}",
                "chat messages (may contain any personal data the citizen wrote)",
            )
    return Subject(target_type, target_id, "-", target_type)


def build_report(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """The report as data: subjects with who did what, and the security events."""
    audits = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.created_at >= start, AuditEvent.created_at < end)
        .order_by(AuditEvent.id)
    ).all()
    subjects: dict[tuple[str, str], Subject] = {}
    listings = []
    by_actor: dict[str, int] = defaultdict(int)
    for event in audits:
        by_actor[event.actor] += 1
        if event.action.endswith(".list"):
            ids = (event.detail or "").split(",") if event.detail else []
            listings.append({"actor": event.actor, "at": event.created_at.isoformat(), "ids": ids})
            for target in ids:
                key = ("conversation", target)
                subject = subjects.get(key) or _subject(session, *key)
                subjects[key] = subject
                subject.accesses.setdefault((event.actor, event.action), []).append(
                    event.created_at
                )
            continue
        key = (event.target_type, event.target_id)
        subject = subjects.get(key) or _subject(session, *key)
        subjects[key] = subject
        subject.accesses.setdefault((event.actor, event.action), []).append(event.created_at)
    security = session.scalars(
        select(SecurityEvent)
        .where(SecurityEvent.created_at >= start, SecurityEvent.created_at < end)
        .order_by(SecurityEvent.id)
    ).all()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "subjects": [
            {
                "type": s.target_type,
                "id": s.target_id,
                "who": s.who,
                "data": s.data,
                "accesses": [
                    {
                        "actor": actor,
                        "action": action,
                        "count": len(times),
                        "first": min(times).isoformat(),
                        "last": max(times).isoformat(),
                    }
                    for (actor, action), times in sorted(s.accesses.items())
                ],
            }
            for s in subjects.values()
        ],
        "actors": dict(sorted(by_actor.items())),
        "security_events": [
            {
                "id": e.id,
                "kind": e.kind,
                "severity": e.severity,
                "actor": e.actor,
                "source": e.source,
                "detail": e.detail,
                "at": e.created_at.isoformat(),
            }
            for e in security
        ],
    }


def render_text(report: dict[str, Any]) -> str:
    """A human-readable report (the base of the Pasal 46 notices)."""
    lines = [
        f"Breach report {report['from']} .. {report['to']}",
        f"Citizens' records touched: {len(report['subjects'])}",
        "",
    ]
    for subject in report["subjects"]:
        lines.append(f"- {subject['type']} {subject['id']}: {subject['who']}")
        lines.append(f"  data: {subject['data']}")
        for access in subject["accesses"]:
            lines.append(
                f"  {access['action']} by {access['actor']}: {access['count']}x "
                f"({access['first']} .. {access['last']})"
            )
    lines += ["", "Audit events per actor:"]
    lines += [f"  {actor}: {n}" for actor, n in report["actors"].items()] or ["  (none)"]
    lines += ["", "Security events:"]
    lines += [
        f"  #{e['id']} {e['at']} {e['kind']} ({e['severity']}) actor={e['actor'] or '-'} "
        f"source={e['source'] or '-'} {e['detail'] or ''}".rstrip()
        for e in report["security_events"]
    ] or ["  (none)"]
    return "\n".join(lines)
