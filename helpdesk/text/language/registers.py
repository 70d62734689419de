"""Speech levels: which register of Javanese or Sundanese a message is in.

Javanese is spoken in ngoko (familiar), krama (polite) and krama with krama inggil
(honorific) vocabulary; Sundanese in loma (familiar) and lemes (polite). The bot answers
Javanese in krama and Sundanese in lemes whatever the citizen used (the polite register
is always right towards a citizen), so the register does not change the reply language;
it is reported by `make eval` per register and kept with the language decision so that
a conversation's register can be seen and measured.

The verdict counts the words of each register's list (``corpus/registers.tsv``):
any krama inggil word makes a krama message ``krama_inggil``; otherwise the register
with more words wins, polite on a tie. Politeness is marked by vocabulary, so a
message with no polite word is in the familiar register (ngoko, loma).
"""

from __future__ import annotations

import functools
from collections import Counter

from helpdesk.text.language.corpora import CORPUS_DIR, register_words
from helpdesk.text.language.text import words

REGISTERS: dict[str, tuple[str, ...]] = {
    "jv": ("krama_inggil", "krama", "ngoko"),
    "su": ("lemes", "loma"),
}
POLITE: dict[str, str] = {"jv": "krama", "su": "lemes"}


@functools.cache
def _lexicon() -> dict[str, dict[str, str]]:
    """{language: {word: register}} from ``corpus/registers.tsv``."""
    table: dict[str, dict[str, str]] = {code: {} for code in REGISTERS}
    for word, code, register in register_words(CORPUS_DIR / "registers.tsv"):
        table.setdefault(code, {})[word] = register
    return table


def register(text: str, language: str) -> str | None:
    """The register of `text` in `language` (jv: krama_inggil/krama/ngoko, su: lemes/loma).

    None for other languages.
    """
    if language not in REGISTERS:
        return None
    table = _lexicon()[language]
    counts = Counter(table[w] for w in words(text) if w in table)
    if language == "jv":
        polite = counts["krama"] + counts["krama_inggil"]
        if polite and polite >= counts["ngoko"]:
            return "krama_inggil" if counts["krama_inggil"] else "krama"
        return "ngoko"
    return "lemes" if counts["lemes"] and counts["lemes"] >= counts["loma"] else "loma"


def family(register_name: str | None) -> str | None:
    """`krama_inggil` and `krama` are one family (the bot's jv replies); others are their own."""
    return "krama" if register_name == "krama_inggil" else register_name
