"""A later turn of a service conversation that the NLU took for something else (issue 17).

After the bot has answered a question about a service (the `question` and `service` slots
are set), "itu ada pungutannya ga min?" may come back as `file_complaint` and "kapan
jadinya?" as `check_status`. When such a message has no complaint word, no tracking
number and no status word, and it asks one of the catalog questions by its keywords, it is
that question about the current service: the actions answer it instead of opening the
complaint form or asking for a tracking number. Pure; tested by table.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.formatting import ASK_INTENTS

_WORD = re.compile(r"[^\W_]+")
# Keywords of each catalog question (id, jv, su, en), checked in this order.
KEYWORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "ask_fee",
        frozenset(
            "biaya biayanya bayar bayarnya pungutan pungutannya dipungut pungut gratis tarif "
            "harga denda dendanya retribusi iuran pinten sabaraha mbayar mayar fee cost "
            "charge pay free price".split()
        ),
    ),
    (
        "ask_duration",
        frozenset(
            "lama lamanya kapan jadinya selesai rampung hari dinten suwe dangu lami "
            "long days ready".split()
        ),
    ),
    (
        "ask_requirements",
        frozenset(
            "syarat syaratnya persyaratan berkas berkasnya dokumen bawa sarat requirements "
            "documents bring".split()
        ),
    ),
    (
        "ask_procedure",
        frozenset("cara caranya prosedur alur langkah carane kumaha how steps".split()),
    ),
    (
        "ask_location_hours",
        frozenset(
            "dimana mana alamat kantor kantornya buka jam pundi endi where office open".split()
        ),
    ),
)
# Words that open a follow-up about the current talk: "kalau untuk anak?", "terus kalau
# telat?", "nek kanggo lansia?", "what about a child?" (id, jv, su, en).
FOLLOW_UP_OPENERS = frozenset(
    "kalau kalo klo kl klau kalu terus trus lalu nek yen menawi lamun upami mun".split()
)
ENGLISH_OPENERS = (("what", "about"), ("how", "about"), ("and",))
STATUS_WORDS = frozenset(
    "status cek lacak nomor permohonan pengajuan resi track tracking application".split()
)


def in_service_talk(tracker: Tracker) -> bool:
    """Whether the bot has answered a question about a service in this conversation."""
    return tracker.get_slot("question") in ASK_INTENTS and bool(tracker.get_slot("service"))


def question_in(text: str) -> str | None:
    """The catalog question the message asks by its keywords, if any (status talk: None)."""
    asked = questions_in(text)
    return asked[0] if asked else None


def talks_status(text: str) -> bool:
    """Whether the message has a status word ("cek", "status", "nomor", "track"...)."""
    return bool(set(_WORD.findall(text.lower())) & STATUS_WORDS)


def questions_in(text: str) -> list[str]:
    """Every catalog question the message asks by its keywords, in `KEYWORDS` order (none
    when it talks of a status)."""
    if talks_status(text):
        return []
    tokens = set(_WORD.findall(text.lower()))
    return [intent for intent, keywords in KEYWORDS if tokens & keywords]


def is_follow_up(text: str) -> bool:
    """Whether the message opens like a follow-up ("kalau ...", "nek ...", "what about ...")."""
    tokens = _WORD.findall(text.lower())
    if not tokens:
        return False
    if tokens[0] in FOLLOW_UP_OPENERS:
        return True
    return any(tuple(tokens[: len(opener)]) == opener for opener in ENGLISH_OPENERS)


def follow_up_question(text: str, answered: str | None, read: str | None) -> str | None:
    """The question a follow-up asks, given the question answered last and the one the NLU
    `read`: what its own keywords ask ("kalau telat bayar gimana?" asks the fee; the NLU's
    reading when it is one of them), else the question answered last ("kalau untuk anak
    yang sudah umur 8 tahun?" after the requirements asks the requirements, for that case).
    None when the message is not a follow-up, talks of a status, or nothing was answered
    yet."""
    if answered not in ASK_INTENTS or not is_follow_up(text) or talks_status(text):
        return None
    asked = questions_in(text)
    if not asked:
        return answered
    return read if read in asked else asked[0]
