"""Hand the conversation to a human officer: on request, or to file a complaint."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.catalog import service_info
from actions.client import Handoff, HandoffReason, HelpdeskClient, HelpdeskUnavailable, get_client
from actions.complaint_check import complaint_decision
from actions.followup import in_service_talk, question_in
from actions.formatting import office_contact
from actions.i18n import BULLET, DEFAULT_LANGUAGE, language_of, t
from actions.parsing import is_command, missing_complaint_details, normalize_service_code

log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 2000


def queue_lines(handoff: Handoff, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Queue position and expected wait, when the helpdesk knows them."""
    if handoff.status == "open":
        return [t("handoff.already_open", language)]
    lines = []
    if handoff.queue_position is not None:
        lines.append(t("handoff.queue_position", language, position=handoff.queue_position))
    minutes = handoff.expected_wait_minutes
    if minutes is not None and not handoff.back_note:
        lines.append(t("handoff.expected_wait", language, wait=format_wait(minutes, language)))
    if handoff.back_note:
        lines.append(handoff.back_note)  # out of office hours, in the citizen's language
    return lines


def format_wait(minutes: int, language: str = DEFAULT_LANGUAGE) -> str:
    """`15` → `sekitar 15 menit`; `90` → `sekitar 1 jam 30 menit` (in `language`)."""
    if minutes < 1:
        return t("wait.under_minute", language)

    def unit(n: int, one: str, many: str) -> str:
        return t(one, language) if n == 1 else t(many, language, n=n)

    hours, rest = divmod(minutes, 60)
    parts = [unit(hours, "wait.hour_one", "wait.hours")] if hours else []
    if rest:
        parts.append(unit(rest, "wait.minute_one", "wait.minutes"))
    return t("wait.about", language, duration=" ".join(parts))


def complaint_note(tracker: Tracker) -> str | None:
    """The latest message as the complaint's note (None for a bare button/command)."""
    text = str(tracker.latest_message.get("text") or "").strip()
    if not text or is_command(text):
        return None
    return text[:MAX_NOTE_CHARS]


def detail_request(note: str | None, language: str = DEFAULT_LANGUAGE) -> str | None:
    """Ask for the details a complaint does not seem to give yet."""
    missing = missing_complaint_details(note or "")
    if not missing:
        return None
    prompts = [f"{BULLET} {t(f'complaint.detail.{key}', language)}" for key in missing]
    return "\n".join([t("complaint.details_intro", language), *prompts])


async def _request_handoff(
    client: HelpdeskClient, tracker: Tracker, reason: HandoffReason, note: str | None = None
) -> Handoff | None | HelpdeskUnavailable:
    """The handoff, None for an unknown conversation, or the error when the helpdesk is down.

    The service being discussed (the `service` slot) picks the unit whose queue it joins.
    """
    service = normalize_service_code(tracker.get_slot("service"))
    try:
        return await asyncio.to_thread(client.handoff, tracker.sender_id, reason, note, service)
    except HelpdeskUnavailable as exc:
        log.warning("handoff (%s) unavailable: %s", reason, exc.reason)
        return exc


async def _contact_line(client: HelpdeskClient, tracker: Tracker, language: str) -> str:
    """How to reach the office: the one for the service being discussed, if known."""
    code = normalize_service_code(tracker.get_slot("service"))
    contact = None
    if code:
        try:
            service = await asyncio.to_thread(client.get_service, code, language)
        except HelpdeskUnavailable:
            service = None
        contact = office_contact(service, language) if service else None
    office = t("contact.office", language)
    return f"{office}: {contact}." if contact else f"{office}."


class ActionRequestHuman(Action):
    """Put the conversation in the officers' queue at the citizen's request."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        client = get_client()
        result = await _request_handoff(client, tracker, "citizen_request")
        if isinstance(result, Handoff):
            lines = [
                t("handoff.connected", language),
                *queue_lines(result, language),
                t("handoff.replies_here", language),
            ]
        elif result is None:
            lines = [t("handoff.failed", language), await _contact_line(client, tracker, language)]
        else:
            lines = [t("handoff.failed", language), f"{t('contact.office', language)}."]
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionFileComplaint(Action):
    """Open the helpdesk's complaint form (category, what, where, when, photo, handling).

    The form itself runs in the helpdesk, beside the engine (see `helpdesk/journeys/`):
    deterministic steps with validation, a summary and a tracking number. When the helpdesk
    cannot open it, the complaint goes to an officer as before. A question never opens it
    by itself (`actions.complaint_check`): a lost or damaged document is answered as a
    question about replacing it, and an unsure message gets "Anda ingin membuat
    pengaduan?" first (the helpdesk asks, and opens the form on "ya").
    """

    def name(self) -> str:
        return "action_file_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        text = str(tracker.latest_message.get("text") or "")
        intent = tracker.latest_message.get("intent") or {}
        decision = complaint_decision(
            text, str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)
        )
        if decision == "question":
            return await service_info(dispatcher, tracker, "ask_requirements")
        asked = question_in(text) if decision == "ask" and in_service_talk(tracker) else None
        if asked is not None:  # "itu ada pungutannya ga min?" about the current service
            return await service_info(dispatcher, tracker, asked)
        client = get_client()
        confirm = decision == "ask"
        try:
            prompts = await asyncio.to_thread(
                client.start_complaint_form, tracker.sender_id, confirm=confirm
            )
        except HelpdeskUnavailable as exc:
            log.warning("complaint form unavailable: %s", exc.reason)
            prompts = None
        if prompts:
            for prompt in prompts:
                dispatcher.utter_message(
                    text=str(prompt.get("text") or ""), buttons=list(prompt.get("buttons") or [])
                )
            return []
        note = complaint_note(tracker)
        result = await _request_handoff(client, tracker, "complaint", note)
        if not isinstance(result, Handoff):
            lines = [
                t("complaint.failed", language),
                f"{t('contact.office', language)}.",
                t("complaint.lapor", language),
            ]
            dispatcher.utter_message(text="\n".join(lines))
            return []
        lines = [
            t("complaint.forwarded", language),
            *queue_lines(result, language),
            t("handoff.replies_here", language),
        ]
        dispatcher.utter_message(text="\n".join(lines))
        details = detail_request(note, language)
        if details:
            dispatcher.utter_message(text=details)
        return []
