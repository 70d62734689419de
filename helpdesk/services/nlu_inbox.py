"""The teach-the-bot inbox: messages the bot did not understand, labelled by a curator,
exported as Rasa NLU training data.

Messages arrive from the router (a fallback reply, a handoff after repeated misses, a
parse below `LOW_CONFIDENCE` when the engine reports one), from the survey (a complaint
about the bot) and by hand. Personal data is masked when the text is stored (`mask`), so
neither the inbox, nor its export, nor the training data hold NIK, phone numbers, e-mail
addresses or names that can be spotted. `export_yaml` writes the labelled examples as
Rasa 3 NLU YAML; `scripts/review_nlu_export.py` merges a reviewed export into
`data/nlu/inbox/` for the next `make train`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.catalog import Catalog, normalize_key
from helpdesk.infra.config import REPO_ROOT
from helpdesk.models import (
    Conversation,
    InboxStatus,
    Message,
    NluInboxItem,
    Sender,
    utcnow,
)
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.text.personal import replace_personal_data

REASONS = ("fallback", "low_confidence", "handoff_after_miss", "survey_complaint", "manual")
LOW_CONFIDENCE = 0.5
# Intents a curator may give; read from bot/domain.yml when it is there.
CONTRACT_INTENTS = (
    "greet goodbye thank affirm deny bot_challenge out_of_scope ask_requirements ask_procedure"
    " ask_fee ask_duration ask_location_hours ask_eligibility list_services check_status"
    " file_complaint request_human change_language"
).split()
MAX_TEXT = 1000

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"(?<!\d)\d{10,}(?!\d)")
# "nama saya Budi Santoso", "atas nama Siti", "my name is John Smith", "jenengku Joko"
_NAME = re.compile(
    r"(?i)\b(nama\s+(?:saya|aku|sy|ku|anak\s+saya|ibu\s+saya|bapak\s+saya)|atas\s+nama|a\.?n\.?|"
    r"namaku|jenengku|nami\s+kula|nami\s+abdi|wasta\s+abdi|my\s+name\s+is|i\s+am\s+called)"
    r"(\s*:?\s*)((?:[A-Z][\w'.-]*)(?:\s+[A-Z][\w'.-]*){0,3})"
)
_NAME_ANYCASE = re.compile(
    r"(?i)\b(nama\s+(?:saya|aku|sy)|namaku|jenengku|nami\s+kula|nami\s+abdi|my\s+name\s+is)"
    r"(\s*:?\s*)([a-z][\w'.-]*(?:\s+[a-z][\w'.-]*)?)"
)


def mask(text: str) -> str:
    """The text with NIK, phone numbers, e-mail addresses and spotted names replaced."""
    text = _EMAIL.sub("[EMAIL]", text)
    text = replace_personal_data(text, "[NIK]", "[TELEPON]")
    text = _LONG_NUMBER.sub("[NOMOR]", text)
    text = _NAME.sub(lambda m: f"{m.group(1)}{m.group(2) or ' '}[NAMA]", text)
    text = _NAME_ANYCASE.sub(lambda m: f"{m.group(1)}{m.group(2) or ' '}[NAMA]", text)
    return text[:MAX_TEXT]


def known_intents(domain_path: Path = REPO_ROOT / "bot" / "domain.yml") -> list[str]:
    """The domain's intents (the contract list when the domain file is not there)."""
    try:
        domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    except OSError:
        return list(CONTRACT_INTENTS)
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents", [])]
    return intents or list(CONTRACT_INTENTS)


def record(
    session: Session,
    text: str,
    reason: str,
    *,
    conversation: Conversation | None = None,
    message: Message | None = None,
    language: str | None = None,
    intent: str | None = None,
    confidence: float | None = None,
) -> NluInboxItem | None:
    """Put one message in the inbox (once per message); None when there is nothing to add."""
    if reason not in REASONS:
        raise InvalidInput(f"reason must be one of: {', '.join(REASONS)}")
    masked = mask(text).strip()
    if not masked or masked.startswith("/"):  # button payloads are not language
        return None
    if message is not None:
        existing = session.scalar(select(NluInboxItem).where(NluInboxItem.message_id == message.id))
        if existing is not None:
            if reason == "handoff_after_miss":
                existing.reason = reason
            return existing
    item = NluInboxItem(
        conversation_id=conversation.id if conversation is not None else None,
        message_id=message.id if message is not None else None,
        text=masked,
        language=language or (message.language if message is not None else None),
        reason=reason,
        predicted_intent=intent,
        confidence=confidence,
    )
    session.add(item)
    session.flush()
    return item


def last_citizen_message(session: Session, conversation: Conversation) -> Message | None:
    return session.scalar(
        select(Message)
        .where(Message.conversation_id == conversation.id, Message.sender == Sender.CITIZEN)
        .order_by(Message.id.desc())
        .limit(1)
    )


def record_miss(session: Session, conversation: Conversation, reason: str) -> NluInboxItem | None:
    """The conversation's latest citizen message was not understood (router hook)."""
    message = last_citizen_message(session, conversation)
    if message is None or message.payload:
        return None
    return record(
        session,
        message.text,
        reason,
        conversation=conversation,
        message=message,
        intent=message.intent,
        confidence=message.intent_confidence,
    )


def sweep_low_confidence(session: Session, limit: int = 500) -> int:
    """Add citizen messages whose stored parse (Message.intent / intent_confidence, filled
    by the console or the router) is below LOW_CONFIDENCE or a fallback; returns how many."""
    already = select(NluInboxItem.message_id).where(NluInboxItem.message_id.is_not(None))
    rows = session.scalars(
        select(Message)
        .where(
            Message.sender == Sender.CITIZEN,
            Message.payload.is_(None),
            Message.intent.is_not(None),
            (Message.intent_confidence < LOW_CONFIDENCE) | (Message.intent == "nlu_fallback"),
            Message.id.not_in(already),
        )
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()
    added = 0
    for message in rows:
        item = record(
            session,
            message.text,
            "low_confidence",
            message=message,
            intent=message.intent,
            confidence=message.intent_confidence,
        )
        if item is not None:
            item.conversation_id = message.conversation_id
            added += 1
    return added


def list_items(
    session: Session, status: str | None = "new", limit: int = 200
) -> list[NluInboxItem]:
    """Inbox items, newest first; `status` None or "all" for every item."""
    query = select(NluInboxItem).order_by(NluInboxItem.id.desc()).limit(limit)
    if status and status != "all":
        try:
            query = query.where(NluInboxItem.status == InboxStatus(status))
        except ValueError:
            allowed = ", ".join([s.value for s in InboxStatus] + ["all"])
            raise InvalidInput(f"status must be one of: {allowed}") from None
    return list(session.scalars(query))


def get_item(session: Session, item_id: int) -> NluInboxItem:
    item = session.get(NluInboxItem, item_id)
    if item is None:
        raise NotFound(f"no inbox item {item_id}", code="inbox_item_not_found")
    return item


def label(
    session: Session,
    item_id: int,
    intent: str | None,
    service: str | None,
    actor: str,
    catalog: Catalog,
    *,
    out_of_scope: bool = False,
) -> NluInboxItem:
    """Give an item its intent (and service), or mark it out of scope."""
    item = get_item(session, item_id)
    if out_of_scope or intent == "out_of_scope":
        item.status = InboxStatus.OUT_OF_SCOPE
        item.label_intent, item.label_service = "out_of_scope", None
    else:
        if not intent or intent not in known_intents():
            raise InvalidInput("intent must be one of the bot's intents", code="unknown_intent")
        if service and catalog.get(service) is None:
            raise InvalidInput(f"no service '{service}'", code="service_not_found")
        item.status = InboxStatus.LABELLED
        item.label_intent, item.label_service = intent, service or None
    item.labelled_by = actor
    item.labelled_at = utcnow()
    return item


def _surface_forms(catalog: Catalog, code: str) -> list[str]:
    service = catalog.get(code)
    if service is None:
        return []
    forms = {service.code.replace("_", " "), service.name, *service.aliases, *service.former_names}
    return sorted(forms, key=len, reverse=True)


def annotate(text: str, service: str | None, catalog: Catalog) -> str:
    """The example in Rasa markup: the first name of `service` found in `text` becomes
    `[surface]{"entity": "service", "value": "code"}`; brackets in the text are escaped."""
    plain = text.replace("[", "(").replace("]", ")")
    if not service:
        return plain
    lowered = normalize_key(plain)
    for form in _surface_forms(catalog, service):
        key = normalize_key(form)
        if not key or f" {key} " not in f" {lowered} ":
            continue
        match = re.search(
            r"(?<!\w)" + r"[\s_-]+".join(map(re.escape, key.split())) + r"(?!\w)",
            plain,
            flags=re.IGNORECASE,
        )
        if match:
            surface = match.group(0)
            entity = f'[{surface}]{{"entity": "service", "value": "{service}"}}'
            return plain[: match.start()] + entity + plain[match.end() :]
    return plain


def export_items(session: Session) -> list[NluInboxItem]:
    return list(
        session.scalars(
            select(NluInboxItem)
            .where(NluInboxItem.status.in_([InboxStatus.LABELLED, InboxStatus.OUT_OF_SCOPE]))
            .order_by(NluInboxItem.id)
        )
    )


class _Block(str):
    """A string dumped as a YAML literal block (`examples: |`), the way Rasa data is written."""


class _NluDumper(yaml.SafeDumper):
    pass


_NluDumper.add_representer(
    _Block, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
)


def dump_nlu(examples: dict[str, list[str]]) -> str:
    """Rasa 3 NLU YAML: one `intent` block per intent (sorted), examples as a literal block."""
    blocks = [
        {"intent": intent, "examples": _Block("".join(f"- {e}\n" for e in items))}
        for intent, items in sorted(examples.items())
        if items
    ]
    return yaml.dump(
        {"version": "3.1", "nlu": blocks},
        Dumper=_NluDumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )


def export_yaml(items: Iterable[NluInboxItem], catalog: Catalog) -> str:
    """Rasa 3 NLU YAML of labelled examples (out-of-scope ones under `out_of_scope`)."""
    by_intent: dict[str, list[str]] = {}
    seen: set[str] = set()
    for item in items:
        intent = item.label_intent or "out_of_scope"
        example = " ".join(annotate(mask(item.text), item.label_service, catalog).split())
        key = normalize_key(example)
        if not example or key in seen:
            continue
        seen.add(key)
        by_intent.setdefault(intent, []).append(example)
    header = (
        "# Labelled in the teach-the-bot inbox (GET /api/v1/nlu/export). Review, then\n"
        "# `scripts/review_nlu_export.py` merges it into data/nlu/inbox/.\n"
    )
    return header + dump_nlu(by_intent)


@dataclass(frozen=True)
class FallbackDay:
    day: date
    citizen_messages: int
    misses: int

    @property
    def rate(self) -> float:
        return self.misses / self.citizen_messages if self.citizen_messages else 0.0


def fallback_rate(session: Session, start: date, end: date) -> list[FallbackDay]:
    """Per day (UTC) in [start, end]: citizen messages, inbox misses and their ratio."""
    if end < start:
        raise InvalidInput("'to' must not be before 'from'")
    if (end - start).days > 366:
        raise InvalidInput("at most 366 days at a time")
    start, end = max(start, date.min), min(end, date.max - timedelta(days=1))  # end + 1 day
    lo = datetime.combine(start, datetime.min.time()).replace(tzinfo=utcnow().tzinfo)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time()).replace(
        tzinfo=utcnow().tzinfo
    )
    messages = session.scalars(
        select(Message.created_at).where(
            Message.sender == Sender.CITIZEN, Message.created_at >= lo, Message.created_at < hi
        )
    ).all()
    misses = session.scalars(
        select(NluInboxItem.created_at).where(
            NluInboxItem.reason.in_(("fallback", "low_confidence", "handoff_after_miss")),
            NluInboxItem.created_at >= lo,
            NluInboxItem.created_at < hi,
        )
    ).all()
    per_day: dict[date, list[int]] = {}
    for stamp in messages:
        per_day.setdefault(stamp.date(), [0, 0])[0] += 1
    for stamp in misses:
        per_day.setdefault(stamp.date(), [0, 0])[1] += 1
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [FallbackDay(d, *per_day.get(d, [0, 0])) for d in days]


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(NluInboxItem.status, func.count()).group_by(NluInboxItem.status)
    ).all()
    return {InboxStatus(status).value: int(n) for status, n in rows}
