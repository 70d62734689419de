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
STATUS_WORDS = frozenset(
    "status cek lacak nomor permohonan pengajuan resi track tracking application".split()
)


def in_service_talk(tracker: Tracker) -> bool:
    """Whether the bot has answered a question about a service in this conversation."""
    return tracker.get_slot("question") in ASK_INTENTS and bool(tracker.get_slot("service"))


def question_in(text: str) -> str | None:
    """The catalog question the message asks by its keywords, if any (status talk: None)."""
    tokens = set(_WORD.findall(text.lower()))
    if tokens & STATUS_WORDS:
        return None
    for intent, keywords in KEYWORDS:
        if tokens & keywords:
            return intent
    return None
