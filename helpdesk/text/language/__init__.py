"""Language identification for citizen messages, and the reply-language policy.

`detect` labels one message (ISO 639 code + confidence); `decide` picks the reply
language for a conversation; `parse_language_command` reads `/bahasa ...`. Data is
loaded lazily from `helpdesk/text/language/data/` (built by `make profiles`).
"""

from __future__ import annotations

from helpdesk.text.language.detector import PROFILED_LANGUAGES, Detection, detect
from helpdesk.text.language.policy import (
    SPOKEN_LANGUAGES,
    LanguageDecision,
    decide,
    parse_language_command,
)

__all__ = [
    "PROFILED_LANGUAGES",
    "SPOKEN_LANGUAGES",
    "Detection",
    "LanguageDecision",
    "decide",
    "detect",
    "parse_language_command",
]
