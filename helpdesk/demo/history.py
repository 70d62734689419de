"""Demo history for the dashboard and reports: a month of conversations (deterministic).

Conversations across channels, languages and units: most answered by the bot alone, some
handed off (on request, complaints, bot fallbacks), answered and resolved in working time
(some late, so SLA breaches show), with SKM surveys. Only for demos and the browser test;
the timestamps are set directly, the SLA clocks through `helpdesk.services.sla`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Message,
    Sender,
    Survey,
    SurveyStatus,
)
from helpdesk.services import sla
from helpdesk.services.surveys import period_of
from helpdesk.services.workcal import load_calendar

QUESTIONS = {
    "id": [
        "syarat membuat KTP-el",
        "cara cek status KK",
        "biaya akta kelahiran",
        "jam buka kantor",
    ],
    "jv": ["kados pundi syarat ndamel KTP", "badhe ngurus akta kelahiran"],
    "su": ["naon sarat ngadamel KTP", "kumaha cara ngurus KK"],
    "en": ["how do I get a business licence", "passport requirements"],
}
FAILING = [
    "retribusi sampah bulan ini berapa",
    "izin keramaian untuk hajatan",
    "retribusi pasar naik kenapa",
    "bansos belum cair",
    "lampu jalan mati di RT 03",
    "izin keramaian acara 17an",
]
UNITS = (
    ("dukcapil", "ktp_el"),
    ("dukcapil", "kartu_keluarga"),
    ("perizinan", "nib"),
    ("umum", None),
)


def seed_history(session: Session, first_day: date, days: int = 30, seed: int = 7) -> int:
    """Add the demo month starting `first_day` (nothing when conversations exist then)."""
    zone = ZoneInfo("Asia/Jakarta")
    start = datetime.combine(first_day, time(0), zone)
    exists = session.scalar(
        select(func.count(Conversation.id)).where(
            Conversation.created_at >= start, Conversation.created_at < start + timedelta(days=days)
        )
    )
    if exists:
        return 0
    rng = random.Random(seed)
    calendar = load_calendar(session)
    made = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        busy = 7 if calendar.is_workday(day) else 2
        for _ in range(rng.randint(busy - 2, busy + 2)):
            made += 1
            language = rng.choices(("id", "jv", "su", "en"), (70, 14, 12, 4))[0]
            channel = rng.choices(list(Channel), (45, 30, 25))[0]
            created = datetime.combine(day, time(rng.randint(7, 20), rng.randint(0, 59)), zone)
            unit, service = rng.choice(UNITS)
            conversation = Conversation(
                channel=channel,
                channel_user_id=f"demo-{first_day:%Y%m}-{made}",
                language=language,
                created_at=created,
                updated_at=created,
            )
            session.add(conversation)
            session.flush()
            roll = rng.random()
            failing = roll < 0.12
            text = rng.choice(FAILING) if failing else rng.choice(QUESTIONS[language])
            session.add(
                Message(
                    conversation_id=conversation.id,
                    sender=Sender.CITIZEN,
                    text=text,
                    language=language,
                    created_at=created,
                )
            )
            if not failing and roll > 0.35:
                continue  # answered by the bot alone
            reason = "fallback" if failing else rng.choice(("citizen_request", "complaint"))
            conversation.fallback_count = 2 if failing else 0
            conversation.status = ConversationStatus.PENDING
            conversation.handoff_reason = reason
            conversation.unit_code = unit
            conversation.service_code = service
            conversation.pending_since = created
            clock = sla.start(
                session,
                kind="chat",
                ref=f"conversation:{conversation.id}",
                unit=unit,
                conversation_id=conversation.id,
                now=created,
            )
            if offset >= days - 2 and rng.random() < 0.5:
                continue  # still in the queue
            first_due = clock.first_response_due or clock.resolution_due
            late = rng.random() < 0.2
            answer = (
                first_due + timedelta(minutes=rng.randint(5, 240))
                if late
                else created + (first_due - created) * rng.uniform(0.05, 0.7)
            )
            clock.first_response_at = answer
            conversation.status = ConversationStatus.OPEN
            conversation.opened_at = answer
            done = answer + timedelta(minutes=rng.randint(10, 600))
            clock.resolved_at = done
            if late:
                clock.breached_first = True
            conversation.status = ConversationStatus.RESOLVED
            conversation.resolved_at = done
            if rng.random() < 0.55:
                scores = [min(4, max(1, round(rng.gauss(3.2, 0.6)))) for _ in range(9)]
                session.add(
                    Survey(
                        conversation_id=conversation.id,
                        citizen_key=f"{channel.value}:{conversation.channel_user_id}",
                        service_key=service or f"unit:{unit}",
                        service_code=service,
                        unit=unit,
                        period=period_of(done),
                        language=language,
                        status=SurveyStatus.COMPLETED,
                        step=10,
                        u1=scores[0],
                        u2=scores[1],
                        u3=scores[2],
                        u4=scores[3],
                        u5=scores[4],
                        u6=scores[5],
                        u7=scores[6],
                        u8=scores[7],
                        u9=scores[8],
                        offered_at=done,
                        updated_at=done,
                        completed_at=done + timedelta(minutes=3),
                    )
                )
    session.flush()
    return made
