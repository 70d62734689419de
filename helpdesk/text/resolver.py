"""Which service a citizen's message is about: one resolver for the bot, the console and the web.

Pure: built from plain data (each target's names, as the catalog YAML lists them and the
helpdesk serves them in `GET /api/v1/services`), no I/O, no Flask, no SQLAlchemy, so the
action server builds the same resolver from the payload it already caches by ETag. A
published catalog edit that adds or changes a name therefore renames without retraining.

How a message is read:
1. Normalised: lower case, accents dropped, punctuation (`-`, `/`, `.`) as spaces.
2. Each word is mapped onto the names' vocabulary: as it is, without a clitic (`ktpnya`,
   `kk-ne`, `aktana`), or, for words of 5+ letters, to the one vocabulary word (of 4+
   letters) within a small edit distance (1 up to 7 letters, 2 from 8; `sekck` -> `skck`),
   found by rapidfuzz. Short words are
   never guessed: `kia`/`kis`/`kip` differ by one letter and mean different things.
3. Names are matched leftmost-longest over those words (a name also matches written
   together: `e ktp` = `ektp`). The first name found is the one mentioned; a longer name
   beats the shorter one inside it (`bpjs ketenagakerjaan` is not `bpjs`, `buku kia` is not
   `kia`), and a `not_names` phrase (`kartu sim`) hides the name inside it.

Invariant: the resolver never answers a catalog service for text that names an elsewhere
service, or for an instruction aimed at the bot itself (a prompt injection): those give
kind `elsewhere` or `refused`. Priority: explicit mention > NLU entity > the conversation's
current service.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

Kind = Literal["service", "elsewhere", "refused", "none"]
Source = Literal["mention", "entity", "context", "none"]

_CLITICS = ("nya", "ne", "na", "e", "ku", "mu")
"""Suffixes stripped when what is left is a vocabulary word (id -nya/-ku/-mu, jv -ne/-e, su -na)."""
_FUZZY_MIN_LEN = 5
_FUZZY_TARGET_MIN_LEN = 4
_NOT_FUZZED = frozenset(
    "tanya tanyak kanan bawah bantu bantuan sudah belum bagaimana gimana berapa dimana"
    " kapan siapa mohon tolong terima kasih semua bikin buat untuk dengan karena tetapi"
    " tahun bulan minggu kalau kalo apakah bisakah boleh sedang sekarang kemarin besok"
    " tanah nikah kerja anak orang rumah mobil motor surat kartu online lahir"
    " please thanks where which there their about would could should".split()
)
"""Everyday words never "corrected" into a name (e.g. `tanya` is one edit from `tanah`)."""
_INJECTION = re.compile(
    r"\b(?:abaikan|lupakan|acuhkan|ignore|disregard|forget|override|lalekna|lalekaken|"
    r"lalekake|ampun nggatosaken|ora usah nggatekake|pohokeun|ulah malire|teu kedah malire)\b"
    r"[^.?!]{0,60}?"
    r"\b(?:instruksi|perintah|aturan|prompt|arahan|instructions?|rules|guidelines|"
    r"sebelumnya|previous|prior|above|di ?atas|prentah|dhawuh|parentah|saderengipun|"
    r"sateuacanna)\b"
    r"|\bsystem ?prompt\b|\bprompt sistem\b|\bjailbreak\b|\bdeveloper mode\b|\bmode pengembang\b"
    r"|\b(?:you are now|from now on you are|kamu sekarang adalah|mulai sekarang kamu|"
    r"anggap(?:lah)? kamu|pretend (?:to be|you are)|act as an?|berperan(?:lah)? sebagai)\b"
    r"|\b(?:reveal|tampilkan|bocorkan|show me) (?:your|the|semua)? ?(?:instructions|prompt|"
    r"instruksi|konfigurasi)\b",
    re.IGNORECASE,
)


def normalize(text: str) -> str:
    """Lower case, accents dropped, everything but letters and digits as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def looks_like_injection(text: str) -> bool:
    """True for a message that tries to instruct the bot itself ("ignore your instructions")."""
    return _INJECTION.search(text) is not None


@dataclass(frozen=True)
class Target:
    """What a name leads to: a catalog service, an elsewhere entry, or nothing (`not_names`)."""

    kind: Literal["service", "elsewhere", "ignore"]
    code: str


@dataclass(frozen=True)
class Mention:
    """One name found in a text: where (word positions), what it named, and how."""

    target: Target
    name: str
    start: int
    end: int
    fuzzy: bool = False


@dataclass(frozen=True)
class Resolution:
    """The answer: which service (or elsewhere entry) a message is about, and why."""

    kind: Kind
    code: str | None = None
    source: Source = "none"
    matched: str = ""
    fuzzy: bool = False

    @property
    def service(self) -> str | None:
        """The catalog code when this is a catalog service, else None."""
        return self.code if self.kind == "service" else None


NONE = Resolution("none")


@dataclass
class Resolver:
    """Finds names of catalog services and elsewhere entries in free text (see module doc)."""

    services: Mapping[str, Iterable[str]]
    elsewhere: Mapping[str, Iterable[str]] = field(default_factory=dict)
    not_names: Iterable[str] = ()
    display_names: Mapping[str, Iterable[str]] = field(default_factory=dict)
    """Services' translated display names: matched too, but a clash is no error (first wins)."""

    def __post_init__(self) -> None:
        self._phrases: dict[tuple[str, ...], tuple[Target, str]] = {}
        self._clashes: list[str] = []
        for code, names in self.services.items():
            self._add(Target("service", code), [code, *names])
        for code, names in self.elsewhere.items():
            self._add(Target("elsewhere", code), names)
        self._add(Target("ignore", ""), self.not_names)
        for code, names in self.display_names.items():
            self._add(Target("service", code), names, soft=True)
        self._vocabulary = frozenset(word for phrase in self._phrases for word in phrase)
        self._long_words = sorted(
            w for w in self._vocabulary if len(w) >= _FUZZY_TARGET_MIN_LEN and not w.isdigit()
        )
        self._longest = max((len(phrase) for phrase in self._phrases), default=0)

    def _add(self, target: Target, names: Iterable[str], soft: bool = False) -> None:
        for name in names:
            words = tuple(normalize(name).split())
            if not words:
                continue
            variants = {words}
            if len(words) > 1 and len("".join(words)) >= 4:
                variants.add(("".join(words),))  # "e ktp" also as "ektp"
            for variant in variants:
                known = self._phrases.get(variant)
                if known is None or known[0] == target:
                    self._phrases[variant] = (target, name)
                elif variant == words and not soft:  # a clash (not just a joined spelling)
                    self._clashes.append(f"'{name}' names both {known[0]} and {target}")

    @property
    def clashes(self) -> list[str]:
        """Names that lead to two different targets (the catalog validator reports them)."""
        return list(self._clashes)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Resolver:
        """Build from the helpdesk's service list (`GET /api/v1/services`): each item's
        `code` and `names`, and the `elsewhere` entries' `code`, `names` and `not_names`."""
        services = {
            str(item["code"]): [str(n) for n in item.get("names") or [item.get("name") or ""]]
            for item in payload.get("items") or []
            if isinstance(item, Mapping) and item.get("code")
        }
        elsewhere: dict[str, list[str]] = {}
        not_names: list[str] = []
        for entry in payload.get("elsewhere") or []:
            if isinstance(entry, Mapping) and entry.get("code"):
                elsewhere[str(entry["code"])] = [str(n) for n in entry.get("names") or []]
                not_names += [str(n) for n in entry.get("not_names") or []]
        return cls(services, elsewhere, not_names)

    # --- reading a text -------------------------------------------------------------------

    def _canonical(self, word: str) -> tuple[str, bool]:
        """The vocabulary word `word` stands for (and whether it was a guess), else itself."""
        if word in self._vocabulary:
            return word, False
        for clitic in _CLITICS:
            stem = word[: -len(clitic)]
            if word.endswith(clitic) and len(stem) >= 2 and stem in self._vocabulary:
                return stem, False
        if len(word) < _FUZZY_MIN_LEN or word in _NOT_FUZZED or word.isdigit():
            return word, False
        limit = 1 if len(word) < 8 else 2
        found = process.extract(
            word, self._long_words, scorer=OSA.distance, score_cutoff=limit, limit=2
        )
        if not found or (len(found) > 1 and found[0][1] == found[1][1]):
            return word, False  # nothing close, or two equally close words: no guess
        return found[0][0], True

    def mentions(self, text: str) -> list[Mention]:
        """Every name in `text`, leftmost-longest, in order (not_names hide what they cover)."""
        words = normalize(text).split()
        canonical = [self._canonical(word) for word in words]
        found: list[Mention] = []
        i = 0
        while i < len(words):
            for size in range(min(self._longest, len(words) - i), 0, -1):
                phrase = tuple(word for word, _ in canonical[i : i + size])
                hit = self._phrases.get(phrase)
                if hit is None and size > 1:
                    hit = self._phrases.get(("".join(phrase),))
                if hit is not None:
                    fuzzy = any(guess for _, guess in canonical[i : i + size])
                    found.append(Mention(hit[0], hit[1], i, i + size, fuzzy))
                    i += size
                    break
            else:
                i += 1
        return [m for m in found if m.target.kind != "ignore"]

    def mention(self, text: str) -> Resolution | None:
        """The service or elsewhere entry the text names first, or None."""
        if looks_like_injection(text):
            return Resolution("refused", source="mention")
        for m in self.mentions(text):
            kind: Kind = "service" if m.target.kind == "service" else "elsewhere"
            return Resolution(kind, m.target.code, "mention", m.name, m.fuzzy)
        return None

    def resolve(
        self, text: str, entity: str | None = None, current: str | None = None
    ) -> Resolution:
        """What `text` is about: its explicit mention, else the NLU's `entity` (a code or the
        words it tagged), else the conversation's `current` service, else nothing."""
        found = self.mention(text)
        if found is not None:
            return found
        if entity:
            code = entity.strip().lower().replace("-", "_").replace(" ", "_")
            if code in self.services:
                return Resolution("service", code, "entity", entity)
            if code in self.elsewhere:
                return Resolution("elsewhere", code, "entity", entity)
            named = self.mention(entity)
            if named is not None and named.kind in ("service", "elsewhere"):
                return Resolution(named.kind, named.code, "entity", named.matched, named.fuzzy)
        if current and current in self.services:
            return Resolution("service", current, "context")
        return NONE

    def rank(self, text: str, limit: int = 5) -> list[Target]:
        """Targets for a search box, best first: the names the query mentions; when it
        mentions none, the services and elsewhere entries whose names resemble it
        (rapidfuzz WRatio >= 75)."""
        from rapidfuzz import fuzz

        if looks_like_injection(text):
            return []
        ranked: list[Target] = []
        for m in self.mentions(text):
            if m.target not in ranked:
                ranked.append(m.target)
        query = normalize(text)
        if query and not ranked:  # resemblance only when the query names nothing
            names = {" ".join(phrase): target for phrase, (target, _) in self._phrases.items()}
            scored = process.extract(
                query, list(names), scorer=fuzz.WRatio, score_cutoff=75, limit=limit * 8
            )
            for name, _, _ in scored:
                target = names[name]
                if target.kind != "ignore" and target not in ranked:
                    ranked.append(target)
        return ranked[:limit]
