"""Service catalog actions: answer ask_* questions about a service, list the services."""

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
    BULLET,
    HELPDESK_BUSY,
    Button,
    button,
    follow_up_buttons,
    follow_up_offer,
    format_service_answer,
)
from actions.parsing import normalize_service_code

log = logging.getLogger(__name__)

DEFAULT_INTENT = "ask_requirements"
# Offered first when the citizen did not say which service they mean.
COMMON_SERVICES = ("ktp_el", "kartu_keluarga", "akta_kelahiran", "kia", "skck", "pajak_kendaraan")
MAX_CHOICES = 6
CATEGORY_LABELS = {
    "kependudukan": "Kependudukan",
    "kepolisian": "Kepolisian",
    "perizinan": "Perizinan",
    "pajak": "Pajak",
    "kesehatan": "Kesehatan",
    "sosial": "Sosial",
    "ketenagakerjaan": "Ketenagakerjaan",
    "keimigrasian": "Keimigrasian",
}

ASK_WHICH_SERVICE = "Layanan apa yang Anda maksud?"
TYPE_SERVICE_HINT = "Ketik nama layanannya, misalnya KTP, Kartu Keluarga, atau SKCK."
UNKNOWN_SERVICE = (
    "Maaf, layanan itu belum ada di katalog kami. Mau saya tampilkan daftar layanan yang ada?"
)
SHOW_LIST = "Lihat daftar layanan"
EMPTY_CATALOG = "Maaf, daftar layanan belum tersedia saat ini."


def asked_intent(tracker: Tracker) -> str:
    """The ask_* intent of the latest message, else of the latest message that had one."""
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


def category_label(category: str) -> str:
    """`kependudukan` → `Kependudukan`; unknown categories are title-cased."""
    return CATEGORY_LABELS.get(category) or category.replace("_", " ").capitalize() or "Lainnya"


def service_choice_buttons(catalog: ServiceList, intent: str) -> list[Button]:
    """The most common services (then others) as buttons re-asking `intent`."""
    rank = {code: n for n, code in enumerate(COMMON_SERVICES)}
    items = sorted(catalog.items, key=lambda item: rank.get(item["code"], len(rank)))
    buttons = [
        button(item["name"], intent, {"service": item["code"]}) for item in items[:MAX_CHOICES]
    ]
    if len(items) > MAX_CHOICES:
        buttons.append(button("Layanan lainnya", "list_services"))
    return buttons


def format_service_list(catalog: ServiceList) -> tuple[str, list[Button]]:
    """The catalog grouped by category, and one button per service."""
    groups: dict[str, list[ServiceSummary]] = {}
    for item in catalog.items:
        groups.setdefault(item["category"], []).append(item)
    region = f" di {catalog.region}" if catalog.region else ""
    lines = [f"Layanan yang bisa saya bantu{region}:"]
    buttons: list[Button] = []
    for category, items in groups.items():
        lines += ["", category_label(category)]
        for item in items:
            lines.append(f"{BULLET} {item['name']}")
            buttons.append(button(item["name"], DEFAULT_INTENT, {"service": item["code"]}))
    lines += ["", "Pilih layanan untuk melihat persyaratannya, atau tanyakan langsung."]
    return "\n".join(lines), buttons


async def _ask_which_service(
    dispatcher: CollectingDispatcher, client: HelpdeskClient, intent: str
) -> None:
    """Ask which service is meant, offering buttons when the catalog answers."""
    try:
        catalog = await asyncio.to_thread(client.list_services)
    except HelpdeskUnavailable as exc:
        log.warning("service list unavailable: %s", exc.reason)
        dispatcher.utter_message(text=f"{ASK_WHICH_SERVICE}\n{TYPE_SERVICE_HINT}")
        return
    buttons = service_choice_buttons(catalog, intent)
    text = ASK_WHICH_SERVICE if buttons else f"{ASK_WHICH_SERVICE}\n{TYPE_SERVICE_HINT}"
    dispatcher.utter_message(text=text, buttons=buttons)


class ActionServiceInfo(Action):
    """Answer requirements / procedure / fee / duration / location for one service."""

    def name(self) -> str:
        return "action_service_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = asked_intent(tracker)
        code = requested_service(tracker)
        client = get_client()
        if code is None:
            await _ask_which_service(dispatcher, client, intent)
            return []
        try:
            service = await asyncio.to_thread(client.get_service, code)
        except HelpdeskUnavailable as exc:
            log.warning("service %s unavailable: %s", code, exc.reason)
            dispatcher.utter_message(text=HELPDESK_BUSY)
            return []
        if service is None:
            dispatcher.utter_message(
                text=UNKNOWN_SERVICE, buttons=[button(SHOW_LIST, "list_services")]
            )
            return [SlotSet("service", None)]
        dispatcher.utter_message(text=format_service_answer(intent, service))
        dispatcher.utter_message(
            text=follow_up_offer(service), buttons=follow_up_buttons(service["code"], intent)
        )
        return [SlotSet("service", service["code"])]


class ActionListServices(Action):
    """List the region's services by category, one button per service."""

    def name(self) -> str:
        return "action_list_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            catalog = await asyncio.to_thread(get_client().list_services)
        except HelpdeskUnavailable as exc:
            log.warning("service list unavailable: %s", exc.reason)
            dispatcher.utter_message(text=HELPDESK_BUSY)
            return []
        if not catalog.items:
            dispatcher.utter_message(text=EMPTY_CATALOG)
            return []
        text, buttons = format_service_list(catalog)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
