"""Conversation policy: which language the bot replies in, and `/bahasa` commands."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from helpdesk.text.language.detector import Detection, model

SPOKEN_LANGUAGES: tuple[str, ...] = ("id", "jv", "su", "en")
# A detection must reach this confidence (with the conversation's prior) to switch.
SWITCH_CONFIDENCE = 0.65
# Shorter messages never switch to Indonesian or English ("ok", "thanks"); a regional
# language still needs a marker word, as in `detect`.
MIN_WORDS_TO_SWITCH = 3
# Weight of the conversation so far: the newest earlier message adds this many nats to
# its language, each older one HISTORY_DECAY times less. Tuned on simulated valid
# conversations; a clear sentence in another language still outweighs it.
HISTORY_WEIGHT = 3.0
HISTORY_DECAY = 0.8

LANGUAGE_NAMES: dict[str, str] = {
    "id": "id", "ind": "id", "indonesia": "id", "indonesian": "id", "indo": "id",
    "jv": "jv", "jw": "jv", "jawa": "jv", "jowo": "jv", "javanese": "jv", "java": "jv",
    "su": "su", "sun": "su", "sunda": "su", "sundanese": "su",
    "en": "en", "eng": "en", "english": "en", "inggris": "en",
}  # fmt: skip
_COMMAND = re.compile(r"^\s*/bahasa(?:@\w+)?\b(.*)$", re.IGNORECASE | re.DOTALL)
_FILLER = {"bahasa", "basa", "boso", "language", "ke", "pakai", "pake", "nganggo"}


@dataclass(frozen=True)
class LanguageDecision:
    """The reply language, the raw detection, and a regional language the bot lacks."""

    reply_language: str
    detected: Detection
    unsupported: str | None


def parse_language_command(text: str) -> str | None | Literal["ask"]:
    """`/bahasa jawa` -> "jv"; `/bahasa` alone or with an unknown name -> "ask"; else None."""
    match = _COMMAND.match(text)
    if match is None:
        return None
    tokens = [t for t in re.findall(r"[a-z]+", match.group(1).lower()) if t not in _FILLER]
    if not tokens:
        return "ask"
    return LANGUAGE_NAMES.get(" ".join(tokens)) or LANGUAGE_NAMES.get(tokens[0]) or "ask"


def _history_prior(history: Sequence[str]) -> dict[str, float]:
    """Nats added to each language seen in the conversation (newest weighs most)."""
    prior: dict[str, float] = {}
    weight = HISTORY_WEIGHT
    for lang in reversed(history):
        prior[lang] = prior.get(lang, 0.0) + weight
        weight *= HISTORY_DECAY
    return prior


def decide(
    text: str, current: str = "id", explicit: bool = False, history: Sequence[str] = ()
) -> LanguageDecision:
    """Choose the reply language for one message of a conversation.

    An explicit choice always wins. Otherwise the message's scores are combined with
    the conversation so far (`history`: earlier messages' detected languages, newest
    last); short or uncertain messages keep `current`; a confident spoken language
    switches; a confident regional language the bot does not speak gives Indonesian
    plus `unsupported`.
    """
    m = model()
    current = current if current in SPOKEN_LANGUAGES else "id"
    scores = m.scores(text)
    if scores is None:
        return LanguageDecision(current, Detection("id", 0.0), None)
    label = m.label(scores)
    detected = Detection(label, round(scores.posterior()[label], 4))
    if explicit:
        return LanguageDecision(current, detected, None)
    contextual = scores.shifted(_history_prior(history))
    regional_history = frozenset(h for h in history if h not in SPOKEN_LANGUAGES)
    language = m.label(contextual, allowed=regional_history)
    confidence = contextual.posterior()[language]
    short = scores.word_count < MIN_WORDS_TO_SWITCH and language in ("id", "en")
    if confidence < SWITCH_CONFIDENCE or (short and language != current):
        return LanguageDecision(current, detected, None)
    if language in SPOKEN_LANGUAGES:
        return LanguageDecision(language, detected, None)
    return LanguageDecision("id", detected, language)
