"""The conversation's language and the bot's words in it.

Every user-facing text lives in `messages_<lang>.py` (Indonesian, Javanese krama, Sundanese
lemes, English) under the same keys; `t(key, language)` picks one and falls back to
Indonesian. The language of a conversation is the Rasa `language` slot, which
`action_detect_language` keeps up to date after every user message.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from rasa_sdk import Tracker

from actions import messages_en, messages_id, messages_jv, messages_su
from helpdesk.text.status import LABELS

LANGUAGES: tuple[str, ...] = ("id", "jv", "su", "en")
DEFAULT_LANGUAGE = "id"
# Each language named in itself: what a citizen looks for in a language menu.
LANGUAGE_NAMES = {
    "id": "Bahasa Indonesia",
    "jv": "Basa Jawa",
    "su": "Basa Sunda",
    "en": "English",
}
BULLET = "•"
# Dates are shown in WIB; regions in WITA/WIT would need the zone from the helpdesk.
DISPLAY_TZ = timezone(timedelta(hours=7), "WIB")

_MESSAGES: dict[str, dict[str, str]] = {
    "id": messages_id.MESSAGES | LABELS["id"],
    "jv": messages_jv.MESSAGES | LABELS["jv"],
    "su": messages_su.MESSAGES | LABELS["su"],
    "en": messages_en.MESSAGES | LABELS["en"],
}
_MONTHS: dict[str, tuple[str, ...]] = {
    "id": messages_id.MONTHS,
    "jv": messages_jv.MONTHS,
    "su": messages_su.MONTHS,
    "en": messages_en.MONTHS,
}
_DAYS: dict[str, tuple[str, ...]] = {
    "id": messages_id.DAYS,
    "jv": messages_jv.DAYS,
    "su": messages_su.DAYS,
    "en": messages_en.DAYS,
}
# Indonesian day names as operators write them in `offices.yml` (Monday = 0).
_INDONESIAN_DAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
_DAY_RE = re.compile(r"\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\b", re.IGNORECASE)


def supported_language(value: object) -> str | None:
    """`value` if it is one of the supported language codes, else None."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def language_of(tracker: Tracker) -> str:
    """The conversation's language: the `language` slot, Indonesian when unset or unknown."""
    return supported_language(tracker.get_slot("language")) or DEFAULT_LANGUAGE


def t(key: str, language: str, **values: object) -> str:
    """The text for `key` in `language` (Indonesian if missing), with `values` filled in."""
    text = _MESSAGES.get(language, {}).get(key) or _MESSAGES[DEFAULT_LANGUAGE][key]
    return text.format(**values)


def format_date(value: datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """`2026-11-20T09:15:00+00:00` → `20 November 2026` (in WIB), month named in `language`."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(DISPLAY_TZ)
    months = _MONTHS.get(language) or _MONTHS[DEFAULT_LANGUAGE]
    return f"{local.day} {months[local.month - 1]} {local.year}"


def localize_hours(text: str, language: str) -> str:
    """Opening hours with the Indonesian day names in `language` (`Senin` → `Monday`)."""
    days = _DAYS.get(language)
    if days is None or language == DEFAULT_LANGUAGE:
        return text
    return _DAY_RE.sub(lambda match: days[_INDONESIAN_DAYS[match.group().lower()]], text)
