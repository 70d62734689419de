"""Service catalog actions: answer ask_* questions about a service, list the services.

Both answer in the conversation's language: the helpdesk translates the catalog (`?lang=`),
`actions.i18n` the rest.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.client import (
    HelpdeskClient,
    HelpdeskUnavailable,
    ServiceList,
    ServiceSummary,
    get_client,
)
from actions.formatting import (
    ASK_INTENTS,
    Button,
    button,
    follow_up_buttons,
    follow_up_offer,
    format_service_answer,
)
from actions.i18n import BULLET, DEFAULT_LANGUAGE, language_of, t
from actions.parsing import normalize_service_code

log = logging.getLogger(__name__)

DEFAULT_INTENT = "ask_requirements"
# Offered first when the citizen did not say which service they mean.
COMMON_SERVICES = ("ktp_el", "kartu_keluarga", "akta_kelahiran", "kia", "skck", "pajak_kendaraan")
MAX_CHOICES = 6
CATEGORIES = frozenset(
    "kependudukan kepolisian perizinan pajak kesehatan sosial ketenagakerjaan keimigrasian".split()
)


def asked_intent(tracker: Tracker) -> str:
    """The question to answer: the ask_* intent of the latest message; for a follow-up
    ("kalau KK?", "kalau untuk anak?") the question answered last (the `question` slot),
    else of the latest earlier message that had one; requirements when none did."""
    latest = (tracker.latest_message.get("intent") or {}).get("name")
    if latest in ASK_INTENTS:
        return str(latest)
    answered = tracker.get_slot("question")
    if answered in ASK_INTENTS:
        return str(answered)
    messages = [tracker.latest_message] + [
        event.get("parse_data") or {}
        for event in reversed(tracker.events)
        if event.get("event") == "user"
    ]
    for message in messages:
        name = (message.get("intent") or {}).get("name")
        if name in ASK_INTENTS:
            return str(name)
    return DEFAULT_INTENT


def requested_service(tracker: Tracker) -> str | None:
    """The service code from the latest `service` entity, else from the `service` slot."""
    for value in tracker.get_latest_entity_values("service"):
        code = normalize_service_code(value)
        if code:
            return code
    return normalize_service_code(tracker.get_slot("service"))


def category_label(category: str, language: str = DEFAULT_LANGUAGE) -> str:
    """`kependudukan` → `Kependudukan` (in `language`); unknown categories are capitalised."""
    if category in CATEGORIES:
        return t(f"category.{category}", language)
    return category.replace("_", " ").capitalize() or t("category.other", language)


def service_choice_buttons(
    catalog: ServiceList, intent: str, language: str = DEFAULT_LANGUAGE
) -> list[Button]:
    """The most common services (then others) as buttons re-asking `intent`."""
    rank = {code: n for n, code in enumerate(COMMON_SERVICES)}
    items = sorted(catalog.items, key=lambda item: rank.get(item["code"], len(rank)))
    buttons = [
        button(item["name"], intent, {"service": item["code"]}) for item in items[:MAX_CHOICES]
    ]
    if len(items) > MAX_CHOICES:
        buttons.append(button(t("catalog.more", language), "list_services"))
    return buttons


def format_service_list(
    catalog: ServiceList, language: str = DEFAULT_LANGUAGE
) -> tuple[str, list[Button]]:
    """The catalog grouped by category, and one button per service."""
    groups: dict[str, list[ServiceSummary]] = {}
    for item in catalog.items:
        groups.setdefault(item["category"], []).append(item)
    if catalog.region:
        title = t("catalog.list_title_region", language, region=catalog.region)
    else:
        title = t("catalog.list_title", language)
    lines = [title]
    buttons: list[Button] = []
    for category, items in groups.items():
        lines += ["", category_label(category, language)]
        for item in items:
            lines.append(f"{BULLET} {item['name']}")
            buttons.append(button(item["name"], DEFAULT_INTENT, {"service": item["code"]}))
    lines += ["", t("catalog.list_footer", language)]
    return "\n".join(lines), buttons


async def _ask_which_service(
    dispatcher: CollectingDispatcher, client: HelpdeskClient, intent: str, language: str
) -> None:
    """Ask which service is meant, offering buttons when the catalog answers."""
    ask = t("catalog.ask_which", language)
    with_hint = f"{ask}\n{t('catalog.type_hint', language)}"
    try:
        catalog = await asyncio.to_thread(client.list_services, language)
    except HelpdeskUnavailable as exc:
        log.warning("service list unavailable: %s", exc.reason)
        dispatcher.utter_message(text=with_hint)
        return
    buttons = service_choice_buttons(catalog, intent, language)
    dispatcher.utter_message(text=ask if buttons else with_hint, buttons=buttons)


async def answer_service(
    dispatcher: CollectingDispatcher, intent: str, service: dict[str, Any], language: str
) -> None:
    """The answer to `intent` about `service`, then the offer of its other facts."""
    dispatcher.utter_message(text=format_service_answer(intent, service, language))
    dispatcher.utter_message(
        text=follow_up_offer(service, language),
        buttons=follow_up_buttons(service["code"], intent, language),
    )


class ActionServiceInfo(Action):
    """Answer requirements / procedure / fee / duration / location for one service."""

    def name(self) -> str:
        return "action_service_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await service_info(dispatcher, tracker, asked_intent(tracker))


async def service_info(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str
) -> list[dict[str, Any]]:
    """Answer `intent` about the requested service (or ask which one); the slot events."""
    language = language_of(tracker)
    code = requested_service(tracker)
    client = get_client()
    if code is None:
        await _ask_which_service(dispatcher, client, intent, language)
        return []
    try:
        service = await asyncio.to_thread(client.get_service, code, language)
    except HelpdeskUnavailable as exc:
        log.warning("service %s unavailable: %s", code, exc.reason)
        dispatcher.utter_message(text=t("helpdesk_busy", language))
        return []
    if service is None:
        show_list = button(t("catalog.show_list", language), "list_services")
        dispatcher.utter_message(text=t("catalog.unknown", language), buttons=[show_list])
        return [SlotSet("service", None)]
    await answer_service(dispatcher, intent, service, language)
    return [SlotSet("service", service["code"]), SlotSet("question", intent)]


class ActionListServices(Action):
    """List the region's services by category, one button per service."""

    def name(self) -> str:
        return "action_list_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        try:
            catalog = await asyncio.to_thread(get_client().list_services, language)
        except HelpdeskUnavailable as exc:
            log.warning("service list unavailable: %s", exc.reason)
            dispatcher.utter_message(text=t("helpdesk_busy", language))
            return []
        if not catalog.items:
            dispatcher.utter_message(text=t("catalog.empty", language))
            return []
        text, buttons = format_service_list(catalog, language)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
