"""Text normalisation shared by the profile builder and the detector.

Both sides must see text the same way, so every rule lives here: drop what carries no
language (links, mentions, hashtags, tracking numbers, digits, emoji), lower-case,
fold curly apostrophes, shorten letters stretched for emphasis, and cut into words.
"""

from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\S+"  # links, e-mail addresses
    r"|[@#][\w.]+"  # mentions, hashtags
    r"|\[[A-Za-z_]+\]"  # corpus placeholders: [USERNAME], [URL]
    r"|\b[A-Za-z]{2,5}[-/ ]?\d{4}[-/ ]?\d{6}\b"  # tracking numbers KTP-2026-000123
    r"|\S*\d\S*"  # anything holding a digit (0%, 12rb, tiba2, 08123...)
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*'?")
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def clean(text: str) -> str:
    """Lower-cased text with only the parts that say something about the language."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = _NOISE.sub(" ", text).lower()
    return _STRETCH.sub(r"\1", text)


def words(text: str) -> list[str]:
    """The words of `text` after `clean` (hyphenated parts split, apostrophes kept)."""
    return _WORD.findall(clean(text))


def first_words(text: str, count: int) -> str:
    """The first `count` whitespace-separated tokens of `text` (for prefix evaluation)."""
    return " ".join(text.split()[:count])
