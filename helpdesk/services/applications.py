"""Online applications: the catalog's form, answered in chat or on the web, becomes a
service request worked by the service's unit to a deadline in working days.

- `check_answer()` validates one answer against its field (the chat re-prompts with the
  problem, the web form shows it beside the field); it is pure.
- `submit()` checks everything again, creates the request (status `submitted`) with its
  unit, channel, language, encrypted answers and documents, a deadline of the service's
  `standard_days` working days (weekends, holidays, cuti bersama and local overrides
  skipped; end of office hours of that day), starts its SLA clock (kind `request`) and
  subscribes the applicant's chat to updates when they agreed.
- `request_clock.after_status_change()` (called by the status workflow) keeps the clock in
  step with the status and offers the survey on `completed`; `ask_for_documents()` and
  `attach_missing()` are the two halves of "the officer asks, the citizen uploads in the
  same chat".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.catalog import Application, ApplicationDocument, ApplicationField, Catalog
from helpdesk.infra.config import Settings
from helpdesk.models import (
    Attachment,
    Channel,
    Conversation,
    RequestStatus,
    ServiceRequest,
    SlaClock,
    utcnow,
)
from helpdesk.services import conversations as convs
from helpdesk.services import notifications
from helpdesk.services import requests as service_requests
from helpdesk.services.errors import InvalidInput
from helpdesk.services.request_clock import CLOCK_KIND, CLOSED
from helpdesk.services.request_clock import after_status_change as after_status_change
from helpdesk.services.request_clock import clock_of as clock_of
from helpdesk.services.workcal import working_time

CHANNELS = frozenset({"webchat", "telegram", "whatsapp", "web", "api"})
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}

_NIK_CHARS = re.compile(r"[\s.\-]")
_DMY = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Problem:
    """Why an answer was refused: a key of `helpdesk.journeys.application_texts` and its
    values (the chat and the web form say it in the citizen's language)."""

    key: str
    values: dict[str, Any]


Answer = tuple[str | None, Problem | None]


def parse_date(text: str) -> date | None:
    """`17/08/2024`, `17-8-2024`, `17.08.2024` or `2024-08-17`; None when not a real date."""
    plain = text.strip()
    found = _DMY.match(plain)
    if found is not None:
        day, month, year = (int(g) for g in found.groups())
    elif (iso := _YMD.match(plain)) is not None:
        year, month, day = (int(g) for g in iso.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _choice(field: ApplicationField, raw: str, shown: tuple[str, ...]) -> int | None:
    """The index of the chosen option: its number, its label (shown or Indonesian)."""
    plain = raw.strip().lower().rstrip(".")
    if plain.isdigit() and 1 <= int(plain) <= len(field.choices):
        return int(plain) - 1
    for labels in (shown, field.choices):
        for i, label in enumerate(labels):
            if plain == label.lower():
                return i
    for labels in (shown, field.choices):  # "rumah sakit" for "Keringanan biaya rumah sakit"
        hits = [i for i, label in enumerate(labels) if len(plain) >= 3 and plain in label.lower()]
        if len(hits) == 1:
            return hits[0]
    return None


def check_answer(
    field: ApplicationField, raw: str, today: date, shown: tuple[str, ...] = ()
) -> Answer:
    """The stored value of one answer, or the problem with it.

    An empty answer to an optional field is `(None, None)`. `shown` are the choice labels
    the citizen saw (their language); the stored value is the catalog's Indonesian one.
    """
    text = " ".join(raw.split())
    if not text:
        return None, None if not field.required else Problem("invalid.required", {})
    if field.type == "nik":
        digits = _NIK_CHARS.sub("", text)
        if not (digits.isdigit() and len(digits) == 16):
            return None, Problem("invalid.nik", {})
        return digits, None
    if field.type == "phone":
        try:
            return service_requests.normalize_phone(text), None
        except InvalidInput:
            return None, Problem("invalid.phone", {})
    if field.type == "date":
        day = parse_date(text)
        if day is None:
            return None, Problem("invalid.date", {})
        if field.when == "past" and day > today:
            return None, Problem("invalid.date_future", {})
        if field.when == "future" and day < today:
            return None, Problem("invalid.date_past", {})
        return day.isoformat(), None
    if field.type == "choice":
        labels = shown or field.choices
        index = _choice(field, text, labels)
        if index is None:
            listed = "; ".join(f"{i + 1} {label}" for i, label in enumerate(labels))
            return None, Problem("invalid.choice", {"choices": listed})
        return field.choices[index], None
    if not _LETTER.search(text):
        return None, Problem("invalid.text_letters", {})
    if field.min_length is not None and len(text) < field.min_length:
        return None, Problem("invalid.text_short", {"min": field.min_length})
    if field.max_length is not None and len(text) > field.max_length:
        return None, Problem("invalid.text_long", {"max": field.max_length})
    return text, None


def accepts(document: ApplicationDocument, content_type: str) -> bool:
    """Whether a stored file of this type may stand for this document."""
    return content_type in {CONTENT_TYPES[kind] for kind in document.types}


def form_of(catalog: Catalog, service_code: str) -> Application:
    """The service's application form; InvalidInput when it has none."""
    service = catalog.get(service_code)
    if service is None or service.application is None:
        raise InvalidInput(
            f"'{service_code}' cannot be applied for online", code="not_applicable_online"
        )
    return service.application


def deadline(
    session: Session, settings: Settings, unit: str, start: datetime, days: int
) -> datetime:
    """End of the unit's office hours on the `days`-th working day after `start` (UTC)."""
    return working_time(session, settings, unit).add_workdays_at(start, days)


def submit(
    session: Session,
    catalog: Catalog,
    settings: Settings,
    *,
    service_code: str,
    answers: dict[str, str | None],
    documents: dict[str, list[Attachment]],
    channel: str,
    language: str = "id",
    conversation: Conversation | None = None,
    subscribe: bool = False,
    whatsapp_updates: bool = False,
    now: datetime | None = None,
) -> ServiceRequest:
    """A new request from a completed form; InvalidInput lists every problem at once.

    `answers` hold the values `check_answer` returned (checked again here: the service is
    the last word, whatever the channel); `documents` map a document key to its files.
    """
    form = form_of(catalog, service_code)
    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel '{channel}'", code="invalid_channel")
    now = now or utcnow()
    today = now.date()
    problems: list[str] = []
    values: dict[str, str] = {}
    for field in form.fields:
        raw = answers.get(field.key)
        value, problem = check_answer(field, raw or "", today)
        if problem is not None:
            problems.append(f"{field.key}: {problem.key}")
        elif value is not None:
            values[field.key] = value
    for document in form.documents:
        files = documents.get(document.key) or []
        if document.required and not files:
            problems.append(f"{document.key}: invalid.document")
        problems += [
            f"{document.key}: {f.filename} is not {'/'.join(document.types)}"
            for f in files
            if not accepts(document, f.content_type)
        ]
    unknown = set(documents) - {d.key for d in form.documents}
    problems += [f"{key}: not a document of this form" for key in sorted(unknown)]
    if problems:
        raise InvalidInput("; ".join(problems), code="invalid_application")
    unit = catalog.unit_for(service_code)
    request = service_requests.create_request(
        session,
        service_code=service_code,
        applicant_name=values["name"],
        nik=values["nik"],
        phone=values.get("phone"),
        known_services=frozenset(catalog.services),
        note=None,
        created_at=now,
    )
    request.channel = channel
    request.unit = unit
    request.language = language
    request.answers = values
    request.conversation_id = conversation.id if conversation is not None else None
    request.due_at = deadline(session, settings, unit, now, form.standard_days)
    for key, files in documents.items():
        for attachment in files:
            attachment.request_id = request.id
            attachment.requirement = key
    session.add(
        SlaClock(
            kind=CLOCK_KIND,
            ref=request.tracking_number,
            unit=unit,
            category=service_code,
            started_at=now,
            resolution_due=request.due_at,
        )
    )
    if conversation is not None and subscribe:
        notifications.subscribe(session, conversation, request.tracking_number)
    if whatsapp_updates and request.phone:
        chat = convs.get_or_create(session, Channel.WHATSAPP, request.phone.lstrip("+"), language)
        notifications.subscribe(session, chat, request.tracking_number)
    session.flush()
    return request


def ask_for_documents(
    session: Session, request: ServiceRequest, catalog: Catalog, keys: list[str]
) -> list[str]:
    """Record which documents the officer asks for (keys of the form's checklist).

    Returns their labels in the applicant's language. The files the applicant sends in
    their chat from now on are attached to this request (`waiting_for_documents`).
    """
    form = form_of(catalog, request.service_code)
    known = [d.key for d in form.documents]
    wanted = [key for key in known if key in set(keys)]
    if not wanted or set(keys) - set(known):
        raise InvalidInput(
            "tick at least one document of the form's checklist", code="no_documents_ticked"
        )
    request.missing_documents = wanted
    return [label for _, label in document_labels(catalog, request, wanted)]


def document_labels(
    catalog: Catalog, request: ServiceRequest, keys: list[str]
) -> list[tuple[str, str]]:
    """(key, label in the applicant's language) of these documents of the request's form."""
    localized = catalog.localized(request.service_code, request.language)
    form = localized[0].application if localized else None
    labels = {d.key: d.label for d in form.documents} if form else {}
    return [(key, labels.get(key, key)) for key in keys]


def waiting_for_documents(session: Session, conversation: Conversation) -> ServiceRequest | None:
    """The newest request of this chat whose officer waits for documents, if any."""
    return session.scalar(
        select(ServiceRequest)
        .where(
            ServiceRequest.conversation_id == conversation.id,
            ServiceRequest.status == RequestStatus.NEEDS_DOCUMENTS,
            ServiceRequest.missing_documents.is_not(None),
        )
        .order_by(ServiceRequest.id.desc())
        .limit(1)
    )


def attach_missing(
    session: Session, request: ServiceRequest, attachment: Attachment
) -> tuple[str, list[str]]:
    """File the next missing document; (its key, the keys still missing)."""
    missing = list(request.missing_documents or [])
    key = missing.pop(0) if missing else "lainnya"
    attachment.request_id = request.id
    attachment.requirement = key
    request.missing_documents = missing or None
    session.flush()
    return key, missing


def applicant_conversation(session: Session, request: ServiceRequest) -> Conversation | None:
    """The chat the applicant applied from (None for the web form and the counter)."""
    if request.conversation_id is None:
        return None
    return session.get(Conversation, request.conversation_id)


def queue(
    session: Session,
    *,
    units: list[str] | None,
    status: RequestStatus | None = None,
    service: str | None = None,
    overdue: bool = False,
    now: datetime | None = None,
    limit: int = 200,
) -> list[ServiceRequest]:
    """Requests of these units (None: every unit), nearest deadline first; open ones
    unless a status is given; `overdue`: past their deadline and still open."""
    query = select(ServiceRequest)
    if units is not None:
        query = query.where(ServiceRequest.unit.in_(units))
    if status is not None:
        query = query.where(ServiceRequest.status == status)
    else:
        query = query.where(ServiceRequest.status.not_in(CLOSED))
    if service:
        query = query.where(ServiceRequest.service_code == service)
    if overdue:
        moment = now or utcnow()
        query = query.where(
            ServiceRequest.due_at.is_not(None),
            ServiceRequest.due_at < moment,
            ServiceRequest.status.not_in(CLOSED),
        )
    query = query.order_by(
        ServiceRequest.due_at.is_(None), ServiceRequest.due_at, ServiceRequest.id
    ).limit(limit)
    return list(session.scalars(query))
