"""No citizen is trapped in a bot-led form (issue 17): the way out of every form.

Inside any form the bot leads (the complaint form, the document checklist, the SKM survey,
the status lookup's identity check, the online application, and any form registered
later), a message is checked here BEFORE the form reads it as an answer:
- `officer`: the citizen asks for a person ("saya mau bicara dengan petugas", "matur
  kaliyan petugas", "talk to a human"): the conversation is handed off at once;
- `cancel`: a cancel word of any of the four languages ("batal", "gak jadi", "mboten
  sida", "teu jadi", "never mind"): the form closes and says so;
- `question`: a question about a service ("syarat bikin KTP apa ya?"): the engine answers
  it, then the bot offers to go on with the form (`resume`), which waits meanwhile.
Anything else is the form's to read. Pure and deterministic; the service lookup is passed
in (the catalog's resolver), so this module needs no catalog, database or engine.

Why it cannot trap: the check runs first for every form kind the router knows, and both
exits (officer, cancel) need no valid answer to any step. A form that reads free text
(the complaint's description) only yields to a question that is shaped as one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from helpdesk.journeys.i18n import LANGUAGES, normalize, words

Escape = Literal["officer", "cancel", "question"]

_PERSON = (
    r"petugas|admin|operator|cs|customer service|manusia|orang asli|orang beneran|pegawai|"
    r"human|agent|officer|person|someone|staff|representative|tiyang|jalmi"
)
_TALK = (
    r"bicara|berbicara|ngomong|ngobrol|omong|chat|sambung\w*|hubung\w*|disambung\w*|"
    r"talk|speak|connect|matur|ngendika|nyarios|ngawangkong|ngobrol"
)
_WITH = r"dengan|sama|ke|kepada|kaliyan|kalih|karo|sareng|ka|jeung|to|with"
# "bicara dengan petugas", "sambungkan ke admin manusia", "talk to a human"
OFFICER_TALK = re.compile(
    rf"\b(?:{_TALK})\b(?:\s+\w+){{0,2}}?\s+(?:{_WITH})\s+(?:\w+\s+){{0,2}}?(?:{_PERSON})\b"
)
# "panggilkan petugas", "minta dilayani petugas", "I want a human"
OFFICER_CALL = re.compile(
    rf"\b(?:panggil\w*|minta dilayani|dilayani|nyuwun|want|need|mau|ingin|pengen|hoyong|"
    rf"badhe|kepengin)\s+(?:\w+\s+){{0,1}}?(?:{_PERSON})\b"
)
# A short message that is only the person asked for ("petugas", "admin dong", "cs pls").
OFFICER_ALONE = re.compile(rf"^(?:mau\s+|minta\s+|a\s+)?(?:{_PERSON})(?:\s+\w+)?$")
# Particles a cancel word may carry ("gak jadi deh", "batal aja").
PARTICLES = frozenset(
    "deh aja saja dong ya lah sih ah wae mawon mawon kemawon bae mah nya please".split()
)
EXTRA_CANCEL = frozenset(
    {"never mind", "nevermind", "forget it", "ga jadi", "nggak jadi", "ora sida", "mboten sida"}
)
# Words that make a message a question about a service (with a service named in it).
ASKING = frozenset(
    "syarat persyaratan syaratnya berkas dokumen biaya biayanya tarif bayar harga berapa brp "
    "cara caranya prosedur alur langkah lama berapa lama kapan jam buka alamat dimana mana "
    "kantor bisa apa apakah gimana bagaimana pripun kados pinten punapa kumaha sabaraha naon "
    "sarat how what where when which fee cost price requirements need apply open".split()
)
QUESTION_START = frozenset(
    "apa apakah berapa brp bagaimana gimana gmn kapan dimana bisa bisakah boleh pripun "
    "kados menapa punapa pinten kumaha sabaraha naon iraha tiasa how what where when "
    "which can do does is".split()
)


def cancel_words() -> frozenset[str]:
    """The cancel words of every language (citizens mix them)."""
    found = set(EXTRA_CANCEL)
    for language in LANGUAGES:
        found |= words("words.cancel", language)
    return frozenset(found)


def is_cancel(text: str) -> bool:
    """The whole message is a cancel word (any language), perhaps with a particle."""
    plain = normalize(text)
    if not plain:
        return False
    tokens = plain.split()
    while len(tokens) > 1 and tokens[-1] in PARTICLES:
        tokens.pop()
    return " ".join(tokens) in cancel_words()


def asks_for_officer(text: str) -> bool:
    """The message asks to talk to a person (see the module doc)."""
    plain = normalize(text)
    return bool(
        OFFICER_TALK.search(plain) or OFFICER_CALL.search(plain) or OFFICER_ALONE.match(plain)
    )


def is_service_question(
    text: str, service_in: Callable[[str], str | None], free_text: bool = False
) -> bool:
    """A question about a named service. In a free-text step (`free_text`, e.g. the
    complaint's description, where "... kenapa?" may end a complaint) it must open with
    a question or asking word ("syarat bikin KTP apa?"); elsewhere "?", a question word
    first, or an asking word anywhere is enough."""
    if service_in(text) is None:
        return False
    tokens = normalize(text).split()
    if not tokens:
        return False
    if free_text:
        return tokens[0] in QUESTION_START or tokens[0] in ASKING
    shaped = text.rstrip().endswith("?") or tokens[0] in QUESTION_START
    return shaped or any(token in ASKING for token in tokens)


def escape_of(
    text: str, service_in: Callable[[str], str | None], free_text: bool = False
) -> Escape | None:
    """Which way out of the form the message takes, or None (the form reads it)."""
    if not text or text.startswith("/"):
        return None
    if is_cancel(text):
        return "cancel"
    if asks_for_officer(text):
        return "officer"
    if is_service_question(text, service_in, free_text):
        return "question"
    return None
