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

from actions import cases
from actions.client import (
    HelpdeskClient,
    HelpdeskUnavailable,
    ServiceList,
    ServicePayload,
    ServiceSummary,
    get_client,
)
from actions.followup import follow_up_question
from actions.formatting import (
    ASK_INTENTS,
    CASE_INTENTS,
    Button,
    button,
    case_titles,
    follow_up_buttons,
    follow_up_offer,
    format_case_answer,
    format_service_answer,
)
from actions.i18n import BULLET, DEFAULT_LANGUAGE, language_of, t
from actions.parsing import is_command, normalize_service_code
from helpdesk.text.resolver import Resolution, Resolver

log = logging.getLogger(__name__)

DEFAULT_INTENT = "ask_requirements"
# Offered first when the citizen did not say which service they mean.
COMMON_SERVICES = ("ktp_el", "kartu_keluarga", "akta_kelahiran", "kia", "skck", "pajak_kendaraan")
MAX_CHOICES = 6
CATEGORIES = frozenset(
    "kependudukan kepolisian perizinan pajak kesehatan sosial ketenagakerjaan keimigrasian".split()
)


def asked_intent(tracker: Tracker) -> str:
    """The question to answer. A follow-up ("kalau KK?", "kalau untuk anak?", "kalau telat
    bayar gimana?") asks what its own keywords ask, else the question answered last (the
    `question` slot), whatever the NLU read; otherwise the ask_* intent of the latest
    message, else the question answered last, else of the latest earlier message that had
    one; requirements when none did."""
    answered = tracker.get_slot("question")
    latest = (tracker.latest_message.get("intent") or {}).get("name")
    text = str(tracker.latest_message.get("text") or "")
    follow_up = None if is_command(text) else follow_up_question(text, answered, latest)
    if follow_up is not None:
        return follow_up
    if latest in ASK_INTENTS:
        return str(latest)
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


def _entity_value(tracker: Tracker) -> str | None:
    values = [v for v in tracker.get_latest_entity_values("service") if isinstance(v, str)]
    return values[0] if values else None


def resolved_service(tracker: Tracker, resolver: Resolver | None) -> Resolution:
    """What the latest message is about: the service (or elsewhere entry) its text names,
    else the NLU's `service` entity, else the `service` slot (see helpdesk.text.resolver).

    A button payload is not read as text (its entities say what it is); without a resolver
    (the helpdesk did not answer) the entity and the slot decide, as before.
    """
    text = str(tracker.latest_message.get("text") or "")
    entity = _entity_value(tracker)
    current = normalize_service_code(tracker.get_slot("service"))
    if resolver is None:
        by_entity = normalize_service_code(entity)
        if by_entity:
            return Resolution("service", by_entity, "entity")
        return Resolution("service", current, "context") if current else Resolution("none")
    return resolver.resolve("" if is_command(text) else text, entity, current)


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


def _resolver(client: HelpdeskClient, language: str) -> Resolver | None:
    try:
        return client.service_resolver(language)
    except HelpdeskUnavailable as exc:
        log.warning("service names unavailable, reading entities only: %s", exc.reason)
        return None


def _answer_elsewhere(
    dispatcher: CollectingDispatcher, client: HelpdeskClient, code: str, language: str
) -> None:
    """Who handles a service another agency provides, an officer button and the related
    catalog services; never another service's requirements."""
    listing = client.list_services(language)
    entry = listing.elsewhere_entry(code) or {}
    names = {item["code"]: item["name"] for item in listing.items}
    text = t(
        "elsewhere.answer",
        language,
        title=entry.get("title") or code,
        agency=entry.get("agency") or "",
        reach=entry.get("reach") or "",
    )
    buttons = [button(t("elsewhere.officer", language), "request_human")]
    buttons += [
        button(names[related], "ask_requirements", {"service": related})
        for related in entry.get("related") or []
        if related in names
    ]
    dispatcher.utter_message(text=cases.clip(text), buttons=buttons)


async def _case_answer(
    client: HelpdeskClient, intent: str, service: ServicePayload, text: str, language: str
) -> tuple[str, list[Button]] | None:
    """The answer for the case(s) the message names, and buttons for the other cases and
    facts; None when it names no case (or the service has one case only)."""
    if intent not in CASE_INTENTS:
        return None
    key = CASE_INTENTS[intent][0]
    source = service
    if language != DEFAULT_LANGUAGE:
        found = await asyncio.to_thread(client.get_service, service["code"], DEFAULT_LANGUAGE)
        source = found or service
    indexes = cases.pick(service, source, key, text)
    if not indexes:
        return None
    answer = format_case_answer(intent, service, indexes, language)
    url = service.get("page_url")
    footer = t("case.others", language, url=url) if url else t("case.others_no_url", language)
    code = service["code"]
    buttons = [
        button(title, intent, {"service": code, "case": str(i)})
        for i, title in enumerate(case_titles(service, intent))
        if i not in indexes and title
    ]
    buttons += follow_up_buttons(code, intent, language)
    return cases.clip(f"{answer}\n\n{footer}"), buttons


def _case_chooser(
    intent: str, service: ServicePayload, language: str
) -> tuple[str, list[Button]] | None:
    """When the whole answer would not fit in one message and it comes in cases: the cases
    to choose from (as lines and buttons) and the page link; else None."""
    if intent not in CASE_INTENTS:
        return None
    titles = case_titles(service, intent)
    full = format_service_answer(intent, service, language)
    if len(full) <= cases.MAX_MESSAGE or sum(1 for title in titles if title) < 2:
        return None
    name = str(service.get("name") or service["code"])
    lines = [t("case.choose", language, name=name), *(f"{BULLET} {title}" for title in titles)]
    if service.get("page_url"):
        lines += ["", t("page.link", language, url=service["page_url"])]
    code = service["code"]
    buttons = [
        button(title, intent, {"service": code, "case": str(i)})
        for i, title in enumerate(titles)
        if title
    ]
    return cases.clip("\n".join(lines)), buttons + follow_up_buttons(code, intent, language)


class ActionServiceInfo(Action):
    """Answer requirements / procedure / fee / duration / location for one service.

    The service comes from the resolver (what the message names > the NLU entity > the
    conversation's service); a service another agency handles gets who handles it, a
    prompt injection a refusal. A question that names a case gets that case only.
    """

    def name(self) -> str:
        return "action_service_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await service_info(dispatcher, tracker, asked_intent(tracker))


async def service_info(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str
) -> list[dict[str, Any]]:
    """Answer `intent` about the service the message is about (the resolver: what it
    names > the NLU entity > the conversation's service); the slot events."""
    language = language_of(tracker)
    client = get_client()
    resolver = await asyncio.to_thread(_resolver, client, language)
    found = resolved_service(tracker, resolver)
    text = str(tracker.latest_message.get("text") or "")
    try:
        if found.kind == "refused":
            show_list = button(t("catalog.show_list", language), "list_services")
            dispatcher.utter_message(text=t("catalog.refused", language), buttons=[show_list])
            return []
        if found.kind == "elsewhere" and found.code:
            await asyncio.to_thread(_answer_elsewhere, dispatcher, client, found.code, language)
            return [SlotSet("service", None)]
        code = found.service
        if code is None and _entity_value(tracker) is None:
            await _ask_which_service(dispatcher, client, intent, language)
            return []
        service = None
        if code is not None:
            service = await asyncio.to_thread(client.get_service, code, language)
        current = normalize_service_code(tracker.get_slot("service"))
        if service is None and found.source == "entity" and current and current != code:
            # The NLU tagged a word that is no service ("syaratnya" without the resolver):
            # the message names nothing, so it is about the conversation's service.
            service = await asyncio.to_thread(client.get_service, current, language)
        if service is None:
            show_list = button(t("catalog.show_list", language), "list_services")
            dispatcher.utter_message(text=t("catalog.unknown", language), buttons=[show_list])
            return [SlotSet("service", None)]
        by_case = await _case_answer(client, intent, service, text, language)
    except HelpdeskUnavailable as exc:
        log.warning("service %s unavailable: %s", found.code, exc.reason)
        dispatcher.utter_message(text=t("helpdesk_busy", language))
        return []
    if by_case is None:
        by_case = _case_chooser(intent, service, language)
    if by_case is not None:
        dispatcher.utter_message(text=by_case[0], buttons=by_case[1])
    else:
        offer = follow_up_offer(service, language)
        if service.get("page_url"):
            offer += "\n" + t("page.link", language, url=service["page_url"])
        dispatcher.utter_message(
            text=cases.with_footer(format_service_answer(intent, service, language), offer),
            buttons=follow_up_buttons(service["code"], intent, language),
        )
    also = _other_agency_named(resolver, text)
    if also is not None:  # "bedanya BPJS Kesehatan dan BPJS Ketenagakerjaan"
        try:
            await asyncio.to_thread(_answer_elsewhere, dispatcher, client, also, language)
        except HelpdeskUnavailable as exc:
            log.warning("elsewhere entry %s unavailable: %s", also, exc.reason)
    return [SlotSet("service", service["code"]), SlotSet("question", intent)]


def _other_agency_named(resolver: Resolver | None, text: str) -> str | None:
    """An elsewhere entry the message names beside the catalog service it is answered
    about (the first name wins the answer): who handles it follows, so the citizen is
    never left thinking our answer covers it."""
    if resolver is None or not text or is_command(text):
        return None
    for mention in resolver.mentions(text):
        if mention.target.kind == "elsewhere":
            return mention.target.code
    return None


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


class ActionOutOfScope(Action):
    """A message the NLU put outside the bot's scope: if it names a service another agency
    handles, say who; if it names a catalog service, answer it; else the usual reply."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        client = get_client()
        text = str(tracker.latest_message.get("text") or "")
        resolver = await asyncio.to_thread(_resolver, client, language)
        found = resolver.mention(text) if resolver is not None and not is_command(text) else None
        if found is not None and found.kind in ("service", "elsewhere"):
            return await ActionServiceInfo().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
