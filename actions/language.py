"""The conversation's language: kept up to date after every message, changed on request.

`action_detect_language` is the custom mapping of the `language` slot (run by Rasa's
`action_extract_slots` after every user message); `action_change_language` answers the
`change_language` intent and records the citizen's explicit choice in the helpdesk.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.client import HelpdeskUnavailable, get_client
from actions.formatting import button
from actions.i18n import LANGUAGE_NAMES, language_of, supported_language, t
from helpdesk.text.language import decide

log = logging.getLogger(__name__)

# What an entity extractor may hand over instead of the ISO code.
LANGUAGE_ALIASES = {
    "indonesia": "id",
    "bahasa indonesia": "id",
    "ind": "id",
    "jawa": "jv",
    "bahasa jawa": "jv",
    "basa jawa": "jv",
    "javanese": "jv",
    "sunda": "su",
    "bahasa sunda": "su",
    "basa sunda": "su",
    "sundanese": "su",
    "inggris": "en",
    "bahasa inggris": "en",
    "english": "en",
}


def normalize_language(value: object) -> str | None:
    """An entity value as one of the supported codes (`"Jawa"` → `"jv"`), or None."""
    if not isinstance(value, str):
        return None
    key = " ".join(value.lower().split())
    return supported_language(key) or LANGUAGE_ALIASES.get(key)


def requested_language(tracker: Tracker) -> str | None:
    """The supported language named by the latest message's `language` entity, if any."""
    codes = (normalize_language(v) for v in tracker.get_latest_entity_values("language"))
    return next((code for code in codes if code), None)


def detected_language(tracker: Tracker) -> str:
    """The language to answer in after the latest message.

    In order: the language the citizen just asked for (`change_language` with a supported
    `language` entity); the helpdesk router's decision in the message metadata; for a
    message that did not come through the router (e.g. `rasa shell`), the same detector
    and policy the router uses, applied to the text; Indonesian.
    """
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "change_language":
        asked = requested_language(tracker)
        if asked:
            return asked
    metadata = tracker.latest_message.get("metadata")
    from_helpdesk = metadata.get("language") if isinstance(metadata, dict) else None
    if supported_language(from_helpdesk):
        return str(from_helpdesk)
    text = tracker.latest_message.get("text") or ""
    return decide(str(text), current=language_of(tracker)).reply_language


class ActionDetectLanguage(Action):
    """Custom slot mapping of `language`: set it after every user message, say nothing."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [SlotSet("language", detected_language(tracker))]


class ActionChangeLanguage(Action):
    """Switch to the language the citizen named (and tell the helpdesk), or ask which one."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = requested_language(tracker)
        if code is None:
            buttons = [
                button(name, "change_language", {"language": lang})
                for lang, name in LANGUAGE_NAMES.items()
            ]
            dispatcher.utter_message(text=t("language.ask", language_of(tracker)), buttons=buttons)
            return []
        try:
            recorded = await asyncio.to_thread(get_client().set_language, tracker.sender_id, code)
        except HelpdeskUnavailable as exc:
            log.warning("language choice %s not recorded: %s", code, exc.reason)
        else:
            if not recorded:
                log.info("language choice %s not recorded: unknown conversation", code)
        dispatcher.utter_message(text=t("language.confirm", code))
        return [SlotSet("language", code)]
