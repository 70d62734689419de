"""Status of a citizen's service request, looked up by its tracking number."""

from __future__ import annotations

import asyncio
import logging
import re
from enum import Enum
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import ActionServiceInfo
from actions.client import (
    HelpdeskClient,
    HelpdeskUnavailable,
    ServiceRequestStatus,
    get_client,
)
from actions.formatting import button
from actions.i18n import DEFAULT_LANGUAGE, format_date, language_of, t
from actions.parsing import (
    TRACKING_EXAMPLE,
    contains_nik,
    find_tracking_number,
    looks_like_tracking_attempt,
    normalize_tracking_number,
    redact_personal_data,
)
from helpdesk.text.status import ComplaintCategory, ComplaintStatus, RequestStatus

log = logging.getLogger(__name__)

# Derived from the enums the helpdesk stores: a new status is labelled here with no edit.
STATUSES = tuple(s.value for s in (*RequestStatus, *ComplaintStatus))
COMPLAINT_CATEGORIES = frozenset(c.value for c in ComplaintCategory)
# Statuses that come with a "what to do next" line.
NEXT_STEP_STATUSES = frozenset({"needs_documents", "ready", "rejected"})


def status_label(status: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The status in plain words (`processing` → `Sedang diproses`); unknown ones as is."""
    return t(f"status.{status}", language) if status in STATUSES else status


STATUS_LABELS = {status: status_label(status) for status in STATUSES}
"""The Indonesian labels, for tests and tools that look for them in the bot's replies."""


class NoNumber(Enum):
    """Why no tracking number could be taken from the conversation."""

    MISSING = "missing"
    MALFORMED = "malformed"
    NIK = "nik"


def no_number_reply(reason: NoNumber, language: str = DEFAULT_LANGUAGE) -> str:
    """Ask for the number, explain its format, or warn about a NIK, in `language`."""
    hint = t("tracking.format_hint", language, example=TRACKING_EXAMPLE)
    if reason is NoNumber.MALFORMED:
        return "\n".join([t("tracking.malformed", language), hint, t("tracking.where", language)])
    if reason is NoNumber.NIK:
        return f"{t('tracking.nik', language)}\n{hint}"
    return f"{t('tracking.ask', language)}\n{hint}"


def resolve_tracking_number(tracker: Tracker) -> str | NoNumber:
    """The tracking number from the entity, the message text, or the slot; else why not."""
    entities = [v for v in tracker.get_latest_entity_values("tracking_number") if v]
    for value in entities:
        number = normalize_tracking_number(str(value)) or find_tracking_number(str(value))
        if number:
            return number
    text = str(tracker.latest_message.get("text") or "")
    number = find_tracking_number(text)
    if number:
        return number
    if contains_nik(text):
        return NoNumber.NIK
    if entities or looks_like_tracking_attempt(text):
        return NoNumber.MALFORMED
    slot = tracker.get_slot("tracking_number")
    remembered = normalize_tracking_number(slot) if isinstance(slot, str) else None
    return remembered or NoNumber.MISSING


def format_status(
    request: ServiceRequestStatus,
    language: str = DEFAULT_LANGUAGE,
    service_name: str | None = None,
) -> str:
    """The request's status in plain words, with the latest note and what to do next.

    `service_name` (the catalog's name in `language`) replaces the helpdesk's one.
    """
    # Oldest first; a stable sort keeps the API's order for entries with equal timestamps.
    history = sorted(request.history, key=lambda change: change.created_at)
    latest = history[-1] if history else None
    updated = latest.created_at if latest else request.updated_at
    heading = "complaint.heading" if request.service in COMPLAINT_CATEGORIES else "request.heading"
    lines = [t(heading, language, number=request.tracking_number)]
    name = service_name or request.service_name
    if request.service in COMPLAINT_CATEGORIES:
        name = t(f"complaint.category.{request.service}", language)
    if name:
        lines.append(t("request.service", language, name=name))
    lines += [
        t("request.status", language, label=status_label(request.status, language)),
        t("request.submitted", language, date=format_date(request.created_at, language)),
        t("request.updated", language, date=format_date(updated, language)),
    ]
    if latest and latest.note:
        masks = t("redacted.nik", language), t("redacted.phone", language)
        lines.append(t("request.note", language, note=redact_personal_data(latest.note, *masks)))
    if request.status in NEXT_STEP_STATUSES:
        lines += ["", t(f"next.{request.status}", language)]
    return "\n".join(lines)


async def _service_name(
    client: HelpdeskClient, request: ServiceRequestStatus, language: str
) -> str | None:
    """The requested service's name in `language`, when the catalog has a translation."""
    if language == DEFAULT_LANGUAGE or request.service in COMPLAINT_CATEGORIES:
        return None
    try:
        service = await asyncio.to_thread(client.get_service, request.service, language)
    except HelpdeskUnavailable as exc:
        log.info("service name for %s unavailable: %s", request.service, exc.reason)
        return None
    name = service.get("name") if service else None
    return name if isinstance(name, str) and name else None


_STATUS_WORDS = re.compile(
    r"\b(?:status|cek|check|lacak|track|sampai mana|sudah jadi|udah jadi|progres|progress|"
    r"resi|nomor permohonan|no permohonan|pundi|dumugi|nepi ka)\b",
    re.IGNORECASE,
)


def names_a_service_not_a_status(tracker: Tracker) -> bool:
    """True when a message read as a status check only names a service ("IMB", "kartu
    pencari kerja"): it is a question about that service, not about a request."""
    text = str(tracker.latest_message.get("text") or "")
    if not text or text.startswith("/") or _STATUS_WORDS.search(text):
        return False
    try:
        resolver = get_client().service_resolver(language_of(tracker))
    except HelpdeskUnavailable:
        return False
    return resolver.mention(text) is not None


class ActionCheckStatus(Action):
    """Tell the citizen where their service request stands."""

    def name(self) -> str:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        number = resolve_tracking_number(tracker)
        if number is NoNumber.MISSING and await asyncio.to_thread(
            names_a_service_not_a_status, tracker
        ):
            return await ActionServiceInfo().run(dispatcher, tracker, domain)
        if isinstance(number, NoNumber):
            dispatcher.utter_message(text=no_number_reply(number, language))
            return []
        client = get_client()
        try:
            request = await asyncio.to_thread(client.get_request, number)
        except HelpdeskUnavailable as exc:
            log.warning("status lookup unavailable: %s", exc.reason)
            dispatcher.utter_message(text=t("helpdesk_busy", language))
            return [SlotSet("tracking_number", number)]
        if request is None:
            dispatcher.utter_message(
                text=t("tracking.not_found", language, number=number),
                buttons=[button(t("tracking.ask_officer", language), "request_human")],
            )
            return [SlotSet("tracking_number", None)]
        name = await _service_name(client, request, language)
        text = format_status(request, language, name)
        verification = await _arm_identity_check(client, tracker.sender_id, request)
        if verification in ("armed", "locked", "no_identity"):
            text += "\n\n" + t(f"verify.{verification}", language)
        dispatcher.utter_message(text=text)
        return [SlotSet("tracking_number", request.tracking_number)]


async def _arm_identity_check(
    client: HelpdeskClient, conversation_id: str, request: ServiceRequestStatus
) -> str | None:
    """Ask the helpdesk to take the next message as the last 4 NIK digits."""
    try:
        return await asyncio.to_thread(
            client.arm_status_lookup, conversation_id, request.tracking_number
        )
    except HelpdeskUnavailable as exc:
        log.info("identity check not armed: %s", exc.reason)
        return None
