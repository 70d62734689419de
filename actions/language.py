"""The citizen's language choice (the bot answers in Bahasa Indonesia for now)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.formatting import button

LANGUAGE_NAMES = {
    "id": "Bahasa Indonesia",
    "jv": "Basa Jawa",
    "su": "Basa Sunda",
    "en": "English",
}
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
ASK_LANGUAGE = "Anda ingin memakai bahasa apa?"
CONFIRM_INDONESIAN = "Baik, kita lanjutkan dalam Bahasa Indonesia."
NOTED_INDONESIAN_ONLY = (
    "Terima kasih, pilihan {name} sudah kami catat. Untuk saat ini asisten kami baru bisa "
    "menjawab dalam Bahasa Indonesia. Silakan tetap bertanya, kami akan membantu."
)


def normalize_language(value: object) -> str | None:
    """An entity value as one of the supported codes (`"Jawa"` → `"jv"`), or None."""
    if not isinstance(value, str):
        return None
    key = " ".join(value.lower().split())
    return key if key in LANGUAGE_NAMES else LANGUAGE_ALIASES.get(key)


class ActionChangeLanguage(Action):
    """Record the language the citizen asked for, or ask which one."""

    def name(self) -> str:
        return "action_change_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        codes = (normalize_language(v) for v in tracker.get_latest_entity_values("language"))
        code = next((c for c in codes if c), None)
        if code is None:
            buttons = [
                button(name, "change_language", {"language": lang})
                for lang, name in LANGUAGE_NAMES.items()
            ]
            dispatcher.utter_message(text=ASK_LANGUAGE, buttons=buttons)
            return []
        if code == "id":
            dispatcher.utter_message(text=CONFIRM_INDONESIAN)
        else:
            dispatcher.utter_message(text=NOTED_INDONESIAN_ONLY.format(name=LANGUAGE_NAMES[code]))
        return [SlotSet("language", code)]
