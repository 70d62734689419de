"""Whether a message holds anything to read (issue 17: a fallback that knows).

A message is unreadable when it has no letter and no digit (emoji, punctuation only), or
when none of its words (two letters or more) is a word the bot knows: a word of any
language in the detector's ``words.tsv`` (or a known stem after a suffix), or a word of
the training data and the catalog (``chat_words.txt`` beside this module, built by
``scripts/build_chat_words.py``), or one of the caller's extra words (the live catalog's
service names). Keyboard mashing ("qwzx vrrp klomt zuzu") is unreadable. Such a message
gets the fallback reply in the conversation's language (its apparent "language" is noise,
so it never switches the conversation's language) and lands in the teach-the-bot inbox.
Pure and deterministic; the word lists load once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path

from helpdesk.text.language.detector import model
from helpdesk.text.language.text import words

VOCABULARY = Path(__file__).resolve().parent / "chat_words.txt"
MIN_WORD_LENGTH = 2
# Whole messages of one letter that mean something in chat ("p": a ping, "y": yes).
SHORT_MESSAGES = frozenset({"p", "y", "k"})
# Chat words a corpus may miss.
CHAT_WORDS = frozenset({"okey", "matursuwun", "makasi", "tengkyu"})


@functools.cache
def chat_words() -> frozenset[str]:
    """The bot's own words that ``words.tsv`` lacks (see the module doc)."""
    if not VOCABULARY.exists():
        return frozenset()
    lines = VOCABULARY.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_unreadable(text: str, extra: Collection[str] = ()) -> bool:
    """True when `text` says nothing the bot can read (see the module doc)."""
    if not any(ch.isalnum() for ch in text):
        return True
    if any(ch.isdigit() for ch in text):
        return False  # a number, a tracking number, a NIK: something to act on
    if text.strip().lower() in SHORT_MESSAGES:
        return False
    known = model()
    own = chat_words() | CHAT_WORDS
    for word in words(text):
        if len(word) < MIN_WORD_LENGTH:
            continue
        if word in own or word in extra or word in known.words:
            return False
        if known._stem_row(word) is not None:
            return False
    return True
