"""The journeys' words in the conversation's language (Indonesian as the fallback)."""

from __future__ import annotations

import re
import unicodedata

from helpdesk.journeys import (
    messages_casedesk,
    messages_en,
    messages_id,
    messages_jv,
    messages_su,
)
from helpdesk.text.status import LABELS

LANGUAGES: tuple[str, ...] = ("id", "jv", "su", "en")
MESSAGES: dict[str, dict[str, str]] = {
    "id": messages_id.MESSAGES | LABELS["id"] | messages_casedesk.MESSAGES["id"],
    "jv": messages_jv.MESSAGES | LABELS["jv"] | messages_casedesk.MESSAGES["jv"],
    "su": messages_su.MESSAGES | LABELS["su"] | messages_casedesk.MESSAGES["su"],
    "en": messages_en.MESSAGES | LABELS["en"] | messages_casedesk.MESSAGES["en"],
}


def t(key: str, language: str, **values: object) -> str:
    """The text for `key` in `language` (Indonesian if missing), with `values` filled in."""
    text = MESSAGES.get(language, {}).get(key) or MESSAGES["id"][key]
    return text.format(**values)


def normalize(text: str) -> str:
    """Lower case, accents folded, punctuation dropped, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[^\w\s/-]", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def words(key: str, language: str) -> frozenset[str]:
    """A `words.*` list in `language` plus the Indonesian one (citizens mix them)."""
    own = MESSAGES.get(language, {}).get(key, "")
    return frozenset(normalize(w) for w in f"{MESSAGES['id'][key]}|{own}".split("|") if w)


def is_word(text: str, key: str, language: str) -> bool:
    """Whether the whole message is one of the `words.*` list `key`."""
    return normalize(text) in words(key, language)
