"""Whether a message the NLU calls `file_complaint` may open the complaint form at once.

A question never starts a form by itself ("bisa?", "berapa?", "kenapa lama?"), and a
statement that a document was lost or damaged ("KTP saya hilang kemarin") is a question
about replacing it, not a complaint. The form opens at once only for a button or command,
a message that says it is a complaint (a complaint word: "mengadu", "pungli", "keluhan"),
or a confident prediction that is not shaped as a question; otherwise the bot asks first
("Anda ingin membuat pengaduan?"). Pure; tested by table in tests/unit.
"""

from __future__ import annotations

import re
from typing import Literal

# Below this NLU confidence a complaint is confirmed before the form opens.
CONFIRM_BELOW = 0.80
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that make a message a complaint whatever its form (id, jv, su, en).
COMPLAINT_WORDS = frozenset(
    "komplain komplen adu aduan mengadu ngadu pengaduan keluhan mengeluh lapor melapor "
    "laporkan protes pungli calo kecewa kesal marah parah buruk jelek lambat lelet judes "
    "jutek galak kasar sogok suap amplop dipingpong pangaduan ngadu wadul complaint complain "
    "report bribe rude".split()
)
# Words that ask (a message made of them, or starting with one, is a question).
QUESTION_WORDS = frozenset(
    "apa apakah apa2 berapa brp bagaimana gimana gmn bgmn gmana kenapa knp mengapa kok "
    "kapan dimana mana bisa bisakah boleh bolehkah perlu harus pripun kados pundi menapa "
    "punapa pinten saged kumaha sabaraha naon naha iraha tiasa how what why when where can "
    "could may should is do does".split()
)
# A document that was lost, damaged or is wrong: the citizen needs the replacement procedure.
DOCUMENTS = frozenset(
    "ktp ektp e-ktp kk kartu akta akte kia skck paspor passport sim stnk bpkb npwp ijazah "
    "buku id card certificate".split()
)
MISHAPS = frozenset(
    "hilang ilang kehilangan dicopet dicuri kecurian rusak patah sobek robek basah luntur "
    "salah keliru ical rusak leungit ruksak lost stolen damaged broken torn wrong".split()
)

Decision = Literal["form", "ask", "question"]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def is_question(text: str) -> bool:
    """Whether the message asks something (a question mark or a question word first)."""
    tokens = _words(text)
    if not tokens:
        return False
    return text.rstrip().endswith("?") or tokens[0] in QUESTION_WORDS


def is_lost_document(text: str) -> bool:
    """Whether the message says a document was lost, damaged or is wrong."""
    tokens = set(_words(text))
    return bool(tokens & MISHAPS) and bool(tokens & DOCUMENTS or "ktp" in text.lower())


def complaint_decision(text: str, intent: str, confidence: float) -> Decision:
    """`form` (open the complaint form now), `ask` (ask whether they want to complain) or
    `question` (answer it as a question about replacing a lost or damaged document)."""
    if text.startswith("/"):
        return "form"  # a button or a command: the citizen chose it
    tokens = set(_words(text))
    complaining = bool(tokens & COMPLAINT_WORDS)
    if not complaining and is_lost_document(text):
        return "question"
    if intent != "file_complaint":
        return "ask"
    if complaining:
        return "form"  # "saya mau mengadu", "ada pungli": the citizen says it is a complaint
    if is_question(text) or len(tokens) <= 2 or "kok" in tokens:
        return "ask"
    if confidence < CONFIRM_BELOW:
        return "ask"
    return "form"


def starts_form_at_once(text: str, intent: str, confidence: float) -> bool:
    """Whether the complaint form opens on this message without asking first."""
    return intent == "file_complaint" and complaint_decision(text, intent, confidence) == "form"
