"""Case-specific answers: a question that names a case (lost, damaged, new, a child, late,
moving, a change of data, a renewal) gets that case only, in one short message.

Pure functions. The case a citizen names is read from their words (four languages) or from
a button's payload (`/ask_requirements{"service":"ktp_el","case":"lost"}`); it is matched
against the Indonesian titles of the service's cases (the translations keep the same cases
in the same order, so the index carries over to the citizen's language).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from helpdesk.text.resolver import normalize

MAX_MESSAGE = 1024
"""One WhatsApp-friendly message: the body of an interactive message holds 1,024 characters."""

CASE_WORDS: dict[str, frozenset[str]] = {
    "lost": frozenset(
        "hilang ilang kehilangan kecurian dicuri ical kecalan icalan leungit leungiteun"
        " lost stolen missing".split()
    ),
    "damaged": frozenset(
        "rusak ruksak risak sobek robek patah luntur pudar retak soeh sowek damaged broken"
        " torn".split()
    ),
    "new": frozenset("baru anyar enggal pertama new first".split()),
    "child": frozenset(
        "anak bayi balita lare budak orok putra child kid kids baby newborn".split()
    ),
    "late": frozenset("telat terlambat kasep kelewat late overdue".split()),
    "moving": frozenset("pindah pindhah ngalih moving move relocating".split()),
    "change": frozenset(
        "perubahan ubah mengubah ganti salah keliru update gantos lepat robah change wrong".split()
    ),
    "renewal": frozenset("perpanjang perpanjangan memperpanjang renew renewal extend".split()),
}
"""Words that name a case in a citizen's message (id, jv, su, en)."""

TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "lost": ("hilang",),
    "damaged": ("rusak",),
    "new": ("baru",),
    "newborn": ("bayi",),
    "child": ("anak",),
    "late": ("terlambat",),
    "moving": ("pindah",),
    "change": ("perubahan",),
    "renewal": ("perpanjangan",),
}
"""Words in the Indonesian case titles of the catalog that mark each case."""

_PAYLOAD = re.compile(r"^/\w+(\{.*\})\s*$", re.DOTALL)
_AGE = re.compile(r"\b(\d{1,2})\s*(?:tahun|thn|th|taun|taon|warsa|yo|years?|year-old)\b", re.I)
_RANGE = re.compile(r"(\d{1,2})\s+sampai di bawah\s+(\d{1,2})")
"""An age range in an Indonesian case title: "Anak usia 5 sampai di bawah 17 tahun"."""


def by_age(titles: Sequence[str], text: str) -> list[int]:
    """The case whose age range holds the age the message gives ("anak 8 tahun"); []."""
    age = _AGE.search(text)
    if age is None:
        return []
    years = int(age.group(1))
    hits = [
        i
        for i, title in enumerate(titles)
        if (span := _RANGE.search(title)) and int(span.group(1)) <= years < int(span.group(2))
    ]
    return hits if len(hits) == 1 else []


def named_cases(text: str) -> list[str]:
    """The cases the message names, in a fixed order; a button payload's `case` first."""
    match = _PAYLOAD.match(text.strip())
    if match:
        try:
            data = json.loads(match.group(1))
        except ValueError:
            data = {}
        case = data.get("case") if isinstance(data, dict) else None
        if isinstance(case, str) and case.isdigit():
            return [f"#{case}"]  # a button for one case of the service, by index
        return [case] if case in CASE_WORDS else []
    words = set(normalize(text).split())
    return [case for case, vocabulary in CASE_WORDS.items() if words & vocabulary]


def matching_indexes(titles: Sequence[str], cases: Sequence[str]) -> list[int]:
    """Indexes of the titles that mark one of `cases` (`#n` is the n-th title itself); the
    first named case that matches some titles wins. Empty when nothing matches or when
    every title would match (then the whole answer is the right one)."""
    for case in cases:
        if case.startswith("#"):
            index = int(case[1:])
            return [index] if index < len(titles) else []
        marks = TITLE_WORDS.get(case, ())
        hits = [i for i, title in enumerate(titles) if set(normalize(title).split()) & set(marks)]
        if hits and len(hits) < len(titles):
            return hits
    return []


def _groups(service: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    groups = service.get(key)
    return [g for g in groups if isinstance(g, Mapping)] if isinstance(groups, list) else []


def pick(service: Mapping[str, Any], source: Mapping[str, Any], key: str, text: str) -> list[int]:
    """The indexes of `service[key]` cases (`requirements` or `procedure`) the message
    names, matched on the Indonesian `source`; [] when it names none (answer them all)."""
    titles = [str(g.get("case") or "") for g in _groups(source, key)]
    if len(titles) < 2 or len(titles) != len(_groups(service, key)):
        return []
    return by_age(titles, text) or matching_indexes(titles, named_cases(text))


def with_footer(answer: str, footer: str, limit: int = MAX_MESSAGE) -> str:
    """One message: `answer`, a blank line, `footer`; the answer is clipped so that the
    whole fits in `limit`. Sent with buttons, so the engine's REST channel keeps it whole
    (it splits a text-only message at every blank line: seven messages for one answer)."""
    room = limit - len(footer) - 2
    return f"{clip(answer, max(room, 0))}\n\n{footer}" if room > 0 else clip(footer, limit)


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` cut at a line break so that it fits in `limit` characters (with an ellipsis)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2]
    cut = cut[: cut.rfind("\n")] if "\n" in cut else cut
    return cut.rstrip() + "\n…"
