"""The conversation's language, changed on request.

The `language` slot fills inside the engine from the router's decision (the message
metadata, bot/components/conversation_language.py): no action runs for it per turn.
`action_change_language` answers the `change_language` intent and records the citizen's
explicit choice in the helpdesk.
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
