"""Report figures (one source for the dashboard, the CSV and the PDF) and the report files.

Times are working time of the conversation's unit (office hours on working days); medians
and 90th percentiles are over the conversations that reached that point. "Contained" means
the bot answered alone (the conversation was never handed to a human).
"""

from __future__ import annotations

import calendar
import csv
import io
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.infra.config import Settings
from helpdesk.models import Complaint, Conversation, Message, Sender, SlaClock, Survey
from helpdesk.services import application_report, ikm, sla
from helpdesk.services.csvsafe import neutralise
from helpdesk.services.surveys import conversation_service
from helpdesk.services.workcal import load_calendar, office_hours
from helpdesk.services.workcalendar import WorkingTime

log = logging.getLogger(__name__)

CSV_COLUMNS = (
    "conversation_id",
    "created_at",
    "channel",
    "language",
    "status",
    "unit",
    "service",
    "contained",
    "handoff_reason",
    "handed_off_at",
    "first_response_at",
    "resolved_at",
    "first_response_working_minutes",
    "resolution_working_minutes",
    "first_response_due",
    "resolution_due",
    "sla",
    "citizen_messages",
    "topic",
    "survey",
    "ikm_of_survey",
)
STOPWORDS = frozenset(
    """saya aku kami kita anda yang dan di ke dari untuk apa bagaimana gimana cara mau ingin
    bisa tidak ada ini itu dengan atau juga sudah belum kok ya min kak pak bu mas mbak tolong
    mohon buat bikin dong nih sih lagi the a an to of is how what i my do can kula panjenengan
    badhe punika menawi abdi hoyong kumaha naon berapa kenapa mengapa kapan bulan hari ini
    itu naik turun belum sudah acara untuk""".split()
)
_WORD = re.compile(r"[a-zA-Z\u00C0-\u024F]{3,}")
_LONG_DIGITS = re.compile(r"\d{6,}")


def topic_of(text: str) -> str:
    """The first citizen message as a topic: 80 characters, long digit runs (NIK, phone)
    masked so the export carries no identifiers."""
    return _LONG_DIGITS.sub(lambda m: "*" * len(m.group()), " ".join(text.split()))[:80]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class ConversationRow:
    """One conversation with what the reports need."""

    conversation: Conversation
    unit: str
    service: str | None
    clock: SlaClock | None
    citizen_messages: int
    survey: Survey | None
    first_minutes: float | None = None
    resolution_minutes: float | None = None
    topic: str = ""

    @property
    def contained(self) -> bool:
        """Answered by the bot alone."""
        return self.conversation.handoff_reason is None and self.clock is None

    @property
    def sla_state(self) -> str:
        """met, breached, running or '' (never handed off)."""
        if self.clock is None:
            return ""
        met = sla.met(self.clock)
        if met is None:
            breached = self.clock.breached_first or self.clock.breached_resolution
            return "breached" if breached else "running"
        return "met" if met else "breached"


@dataclass
class Figures:
    """Everything the dashboard and the PDF show for a period (and unit)."""

    start: date
    end: date
    unit: str | None
    rows: list[ConversationRow]
    by_channel: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    by_day: dict[str, int] = field(default_factory=dict)
    handoff_reasons: Counter[str] = field(default_factory=Counter)
    contained: int = 0
    first_response: dict[str, float | None] = field(default_factory=dict)
    resolution: dict[str, float | None] = field(default_factory=dict)
    sla_by_unit: dict[str, Counter[str]] = field(default_factory=dict)
    ikm_total: ikm.IkmResult | None = None
    ikm_by_unit: dict[str, ikm.IkmResult] = field(default_factory=dict)
    failing_topics: list[tuple[str, int]] = field(default_factory=list)
    failing_messages: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    applications: list[application_report.ApplicationFigures] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Conversations in the period."""
        return len(self.rows)

    @property
    def containment(self) -> float | None:
        """Share answered by the bot alone (0-1)."""
        return self.contained / self.total if self.total else None


def local_bounds(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """[start 00:00, end + 1 day 00:00) in the office's zone."""
    return ikm.local_range(start, end, timezone)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of YYYY-MM."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError("month must look like YYYY-MM")
    year, number = int(match.group(1)), int(match.group(2))
    if year < 1:
        raise ValueError("month must look like YYYY-MM (year 0001 or later)")
    first = date(year, number, 1)
    return first, first.replace(day=calendar.monthrange(year, number)[1])


def collect(
    session: Session, settings: Settings, start: date, end: date, unit: str | None = None
) -> Figures:
    """The period's conversations (created in [start, end], local dates) and their figures."""
    zone = ZoneInfo(settings.timezone)
    lo, hi = local_bounds(start, end, settings.timezone)
    conversations = session.scalars(
        select(Conversation)
        .where(Conversation.created_at >= lo, Conversation.created_at < hi)
        .order_by(Conversation.id)
    ).all()
    ids = [c.id for c in conversations]
    clocks = sla.clocks_for_conversations(session, ids)
    counts: Counter[int] = Counter()
    topics: dict[int, str] = {}
    surveys: dict[int, Survey] = {}
    anonymous: set[int] = set()  # filed an anonymous complaint: no citizen text leaves
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        anonymous.update(
            cid
            for cid in session.scalars(
                select(Complaint.conversation_id).where(
                    Complaint.conversation_id.in_(chunk), Complaint.anonymous.is_(True)
                )
            )
            if cid is not None
        )
        for cid, text in session.execute(
            select(Message.conversation_id, Message.text)
            .where(Message.conversation_id.in_(chunk), Message.sender == Sender.CITIZEN)
            .order_by(Message.id)
        ):
            counts[cid] += 1
            topics.setdefault(cid, "" if cid in anonymous else topic_of(text or ""))
        for survey in session.scalars(select(Survey).where(Survey.conversation_id.in_(chunk))):
            surveys[survey.conversation_id] = survey
    calendar = load_calendar(session)
    clocks_by_unit: dict[str, WorkingTime] = {}
    rows: list[ConversationRow] = []
    for conversation in conversations:
        service, conv_unit = conversation_service(conversation)
        clock = clocks.get(conversation.id)
        if clock is not None:
            conv_unit = clock.unit
        if unit and conv_unit != unit:
            continue
        row = ConversationRow(
            conversation,
            conv_unit,
            service,
            clock,
            counts[conversation.id],
            surveys.get(conversation.id),
            topic=topics.get(conversation.id, ""),
        )
        if clock is not None:
            wt = clocks_by_unit.setdefault(
                conv_unit, WorkingTime(calendar, office_hours(settings, conv_unit))
            )
            if clock.first_response_at is not None:
                row.first_minutes = (
                    wt.between(clock.started_at, clock.first_response_at).total_seconds() / 60
                )
            if clock.resolved_at is not None:
                spent = wt.between(clock.started_at, clock.resolved_at).total_seconds()
                row.resolution_minutes = max(0.0, spent - clock.paused_seconds) / 60
        rows.append(row)
    figures = Figures(start, end, unit, rows)
    for offset in range((end - start).days + 1):  # (no day after 9999-12-31 to step to)
        figures.by_day[(start + timedelta(days=offset)).isoformat()] = 0
    firsts, resolutions = [], []
    failing_words: Counter[str] = Counter()
    fallback_ids = []
    for row in rows:
        c = row.conversation
        figures.by_channel[c.channel.value] += 1
        figures.by_language[c.language] += 1
        key = c.created_at.astimezone(zone).date().isoformat()
        figures.by_day[key] = figures.by_day.get(key, 0) + 1
        if row.contained:
            figures.contained += 1
        if c.handoff_reason:
            figures.handoff_reasons[c.handoff_reason] += 1
        if row.first_minutes is not None:
            firsts.append(row.first_minutes)
        if row.resolution_minutes is not None:
            resolutions.append(row.resolution_minutes)
        if row.sla_state:
            figures.sla_by_unit.setdefault(row.unit, Counter())[row.sla_state] += 1
        failed = c.handoff_reason == "fallback" or (c.fallback_count or 0) > 0
        if failed and c.id not in anonymous:
            fallback_ids.append(c.id)
    figures.first_response = {
        "median": percentile(firsts, 50),
        "p90": percentile(firsts, 90),
        "count": float(len(firsts)),
    }
    figures.resolution = {
        "median": percentile(resolutions, 50),
        "p90": percentile(resolutions, 90),
        "count": float(len(resolutions)),
    }
    failing: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk_start in range(0, len(fallback_ids), 500):
        chunk = fallback_ids[chunk_start : chunk_start + 500]
        for cid, text in session.execute(
            select(Message.conversation_id, Message.text).where(
                Message.conversation_id.in_(chunk), Message.sender == Sender.CITIZEN
            )
        ):
            words = {w for w in _WORD.findall((text or "").lower()) if w not in STOPWORDS}
            for word in words:
                failing_words[word] += 1
                failing[word].append((cid, text))
    figures.failing_topics = failing_words.most_common(10)
    figures.failing_messages = {w: failing[w][:50] for w, _ in figures.failing_topics}
    figures.ikm_total = ikm.report(session, start, end, unit=unit, timezone=settings.timezone)
    figures.applications = application_report.collect(
        session, start, end, timezone=settings.timezone, unit=unit
    )
    units = [unit] if unit else ikm.units_with_surveys(session, start, end, settings.timezone)
    for name in units:
        figures.ikm_by_unit[name] = ikm.report(
            session, start, end, unit=name, timezone=settings.timezone
        )
    return figures


def _iso(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _minutes(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def csv_bytes(figures: Figures, timezone: str) -> bytes:
    """One row per conversation; UTF-8 with BOM; formula-looking cells neutralised."""
    zone = ZoneInfo(timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in figures.rows:
        c, clock, survey = row.conversation, row.clock, row.survey
        survey_ikm = ""
        if survey is not None and survey.completed_at is not None:
            survey_ikm = f"{ikm.compute([survey.answers()]).ikm:.2f}"
        cells: Iterable[object] = (
            c.id,
            _iso(c.created_at, zone),
            c.channel.value,
            c.language,
            c.status.value,
            row.unit,
            row.service or "",
            "yes" if row.contained else "no",
            c.handoff_reason or "",
            _iso(clock.started_at if clock else c.pending_since, zone),
            _iso(clock.first_response_at if clock else None, zone),
            _iso(c.resolved_at, zone),
            _minutes(row.first_minutes),
            _minutes(row.resolution_minutes),
            _iso(clock.first_response_due if clock else None, zone),
            _iso(clock.resolution_due if clock else None, zone),
            row.sla_state,
            row.citizen_messages,
            row.topic,
            survey.status.value if survey else "",
            survey_ikm,
        )
        writer.writerow([neutralise(cell) for cell in cells])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def report_name(month: str, unit: str | None, extension: str) -> str:
    """halo-warga-2026-11[-dukcapil].pdf"""
    return f"halo-warga-{month}{'-' + unit if unit else ''}.{extension}"


def figures_json(figures: Figures) -> dict[str, Any]:
    """The figures as JSON (dashboard data endpoint, tests)."""
    return {
        "from": figures.start.isoformat(),
        "to": figures.end.isoformat(),
        "unit": figures.unit,
        "conversations": figures.total,
        "contained": figures.contained,
        "containment": figures.containment,
        "by_channel": dict(figures.by_channel),
        "by_language": dict(figures.by_language),
        "by_day": figures.by_day,
        "handoff_reasons": dict(figures.handoff_reasons),
        "first_response_minutes": figures.first_response,
        "resolution_minutes": figures.resolution,
        "sla_by_unit": {u: dict(c) for u, c in figures.sla_by_unit.items()},
        "ikm_by_unit": {u: r.as_json() for u, r in figures.ikm_by_unit.items()},
        "failing_topics": figures.failing_topics,
    }
