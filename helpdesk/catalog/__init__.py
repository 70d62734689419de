"""The public-service catalog: loads and validates `data/catalog/` (see its README.md).

`helpdesk.catalog.loader` is the only module that reads the catalog files (the parsing and
checks live in `helpdesk.catalog.validation`); this module holds the catalog's dataclasses.
Everything else goes through `load_catalog()` and the `Catalog` methods, so the storage can
later move to the database.

The Indonesian files in `services/` are the source of truth. `i18n/<lang>/<code>.yml`
overlays give the citizen-facing texts in Javanese, Sundanese and English, with exactly the
same cases, items and steps; codes, amounts, offices and sources come from the source file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any

from helpdesk.text.resolver import Resolution, Resolver

CATALOG_LANGUAGES: tuple[str, ...] = ("id", "jv", "su", "en")
"""Languages every service is available in; `id` is the source, the others overlays."""
SOURCE_LANGUAGE = "id"
CONTRACT_SERVICE_CODES: tuple[str, ...] = tuple(
    "ktp_el kartu_keluarga akta_kelahiran akta_kematian pindah_datang kia skck nib pbg"
    " pajak_kendaraan pbb bpjs_kesehatan sktm surat_domisili kartu_kuning paspor".split()
)
CATEGORIES = frozenset(
    "kependudukan kepolisian perizinan pajak kesehatan sosial ketenagakerjaan keimigrasian".split()
)
REGIONAL_FIELDS = frozenset("requirements procedure fee duration validity office".split())
SERVICE_KEYS = frozenset(
    "code name aliases former_names category agency office unit summary who eligibility"
    " requirements procedure fee duration"
    " validity legal_basis online varies_by_region regional_note notes sources last_verified"
    " application"
    "".split()
)
TRANSLATION_KEYS = frozenset(
    "name summary who eligibility requirements procedure fee duration validity online"
    " regional_note notes application"
    "".split()
)
"""The fields an `i18n/<lang>/<code>.yml` overlay may (and, when the source has them, must) hold."""
OFFICE_KEYS = frozenset({"name", "address", "hours", "phone", "website"})
GENERAL_UNIT = "umum"
"""The unit (general queue) of a conversation handed off about no particular service."""
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CatalogError(ValueError):
    """The catalog is invalid; the message (and `problems`) lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"invalid service catalog ({len(self.problems)} problem(s)):\n{lines}")


@dataclass(frozen=True)
class Office:
    """A place where citizens are served (demo values until the operator edits them)."""

    key: str
    name: str
    address: str
    hours: tuple[str, ...]
    phone: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Unit:
    """A department whose agents answer handed-off citizens (`units.yml`).

    `hours` maps a weekday index (0 = Monday) to the local opening and closing time
    ("HH:MM", in the catalog's `timezone`); a day not in it is closed.
    """

    code: str
    name: str
    name_en: str
    hours: dict[int, tuple[str, str]] = field(default_factory=dict)

    def name_in(self, language: str) -> str:
        """The unit's name for a reader of `language` (English for "en", else Indonesian)."""
        return self.name_en if language == "en" else self.name

    def hours_spec(self) -> dict[str, str]:
        """The hours as `{"mon": "08:00-15:00", ...}` (what `OfficeHours.parse` reads)."""
        return {WEEKDAYS[day]: f"{start}-{end}" for day, (start, end) in sorted(self.hours.items())}


@dataclass(frozen=True)
class RequirementCase:
    """What to bring in one situation (e.g. "KTP-el hilang")."""

    case: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class ProcedureCase:
    """The steps for one situation or channel."""

    case: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Fee:
    """The cost; `amount_idr` is None when it varies or depends on the citizen's choice."""

    free: bool
    amount_idr: int | None
    text: str


@dataclass(frozen=True)
class Online:
    """An official online channel for the service."""

    name: str
    url: str | None
    text: str | None


FIELD_TYPES = frozenset({"text", "nik", "phone", "date", "choice"})
"""How an application field's answer is checked (see `helpdesk.services.applications`)."""
DOCUMENT_TYPES = frozenset({"jpg", "png", "pdf"})
"""File types a document of an application may accept (what the upload checks know)."""


@dataclass(frozen=True)
class ApplicationField:
    """One question of an online application form.

    `type`: text (`min_length`/`max_length`), nik (16 digits), phone (an Indonesian mobile
    number), date (`when`: past, future or any), choice (one of `choices`; a translation
    gives display labels in the same order, the stored answer is the Indonesian value).
    """

    key: str
    type: str
    label: str
    required: bool = True
    hint: str | None = None
    choices: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    when: str = "any"


@dataclass(frozen=True)
class ApplicationDocument:
    """One document of the checklist the citizen sends as a photo or PDF."""

    key: str
    label: str
    types: tuple[str, ...] = ("jpg", "png", "pdf")
    required: bool = True


@dataclass(frozen=True)
class Application:
    """A service that can be applied for online (chat and `/layanan/{code}/ajukan`).

    `standard_days`: the unit's standard time in working days (its maklumat pelayanan),
    from which the deadline of each request is computed; `consent`: the notice the
    citizen accepts before sending; `pickup`: where the result is collected.
    """

    standard_days: int
    consent: str
    fields: tuple[ApplicationField, ...]
    documents: tuple[ApplicationDocument, ...] = ()
    pickup: str | None = None

    def field(self, key: str) -> ApplicationField | None:
        """The field with this key, or None."""
        return next((f for f in self.fields if f.key == key), None)

    def document(self, key: str) -> ApplicationDocument | None:
        """The document with this key, or None."""
        return next((d for d in self.documents if d.key == key), None)


@dataclass(frozen=True)
class Service:
    """One public service in one language; `duration` holds the YAML `duration.text`."""

    code: str
    name: str
    aliases: tuple[str, ...]
    category: str
    agency: str
    office: str
    unit: str
    summary: str
    requirements: tuple[RequirementCase, ...]
    procedure: tuple[ProcedureCase, ...]
    fee: Fee
    duration: str
    legal_basis: tuple[str, ...]
    sources: tuple[str, ...]
    last_verified: str
    who: str | None = None
    eligibility: str | None = None
    validity: str | None = None
    online: Online | None = None
    varies_by_region: tuple[str, ...] = ()
    regional_note: str | None = None
    notes: tuple[str, ...] = ()
    application: Application | None = None
    former_names: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        """The code, display name, aliases and former names (what a citizen may type)."""
        return (self.code, self.name, *self.aliases, *self.former_names)


@dataclass(frozen=True)
class Elsewhere:
    """A service another agency handles (`elsewhere.yml`): who, how to reach them, its names.

    `names`, `title` and `reach` are keyed by language; `title` and `reach` have all four.
    """

    code: str
    names: dict[str, tuple[str, ...]]
    title: dict[str, str]
    agency: str
    reach: dict[str, str]
    sources: tuple[str, ...]
    last_verified: str
    not_names: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()

    def all_names(self) -> tuple[str, ...]:
        """Every name in every language."""
        return tuple(name for names in self.names.values() for name in names)

    def payload(self, language: str = "id") -> dict[str, Any]:
        """JSON-ready entry in `language`: its names (all languages), title, agency, reach."""
        return {
            "code": self.code,
            "title": self.title.get(language) or self.title["id"],
            "agency": self.agency,
            "reach": self.reach.get(language) or self.reach["id"],
            "related": list(self.related),
            "names": list(self.all_names()),
            "not_names": list(self.not_names),
        }


def normalize_key(text: str) -> str:
    """Lower-case; punctuation (except `/`) and `_` become spaces; spaces collapsed."""
    return " ".join(re.sub(r"[^\w/]+|_", " ", text.lower()).split())


def check_language(language: str) -> str:
    """`language` if it is one of `CATALOG_LANGUAGES`, else ValueError."""
    if language not in CATALOG_LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(CATALOG_LANGUAGES)}: {language!r}")
    return language


@dataclass(frozen=True)
class Catalog:
    """The validated catalog of one region, with its services in every catalog language.

    `services` holds the Indonesian source; `translations[lang][code]` the same service with
    its citizen-facing texts in `lang` (every other field is the source's).
    """

    region: str
    note: str
    offices: dict[str, Office] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    translations: dict[str, dict[str, Service]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    timezone: str = "Asia/Jakarta"
    elsewhere: dict[str, Elsewhere] = field(default_factory=dict)

    def unit_for(self, service_code: str | None) -> str:
        """The unit answering questions about `service_code`; the general queue otherwise."""
        service = self.services.get(service_code or "")
        return service.unit if service is not None else GENERAL_UNIT

    def get(self, code: str) -> Service | None:
        """The service with this exact code (Indonesian), or None."""
        return self.services.get(code)

    def localized(self, code: str, language: str = SOURCE_LANGUAGE) -> tuple[Service, str] | None:
        """The service in `language` and the language it is really in, or None if unknown.

        A service without a translation (only possible in a hand-built catalog) is given in
        Indonesian. Raises ValueError for a language outside `CATALOG_LANGUAGES`.
        """
        check_language(language)
        translated = self.translations.get(language, {}).get(code)
        if translated is not None:
            return translated, language
        source = self.services.get(code)
        return (source, SOURCE_LANGUAGE) if source is not None else None

    def names_of(self, code: str) -> list[str]:
        """Every name of a service: code, name, aliases, former names, then its display name
        in each other language."""
        service = self.services.get(code)
        if service is None:
            return []
        return list(dict.fromkeys([*service.all_names(), *self._display_names(code)]))

    def _display_names(self, code: str) -> list[str]:
        return [s.name for lang, items in self.translations.items() if (s := items.get(code))]

    @cached_property
    def resolver(self) -> Resolver:
        """The service resolver over this catalog's names (built once per catalog)."""
        return Resolver(
            {code: service.all_names() for code, service in self.services.items()},
            {code: entry.all_names() for code, entry in self.elsewhere.items()},
            [name for entry in self.elsewhere.values() for name in entry.not_names],
            {code: self._display_names(code) for code in self.services},
        )

    def resolve(
        self, text: str, entity: str | None = None, current: str | None = None
    ) -> Resolution:
        """What `text` is about (see `helpdesk.text.resolver`)."""
        return self.resolver.resolve(text, entity, current)

    def find(self, text: str) -> Service | None:
        """The catalog service `text` names (a code, name, alias, former name, or one with a
        small typo); None when it names none, or names a service another agency handles."""
        return self.services.get(self.resolver.resolve(text).service or "")

    def applicable_codes(self) -> list[str]:
        """Codes of the services that can be applied for online, in catalog order."""
        return [c for c in self.ordered_codes() if self.services[c].application is not None]

    def ordered_codes(self) -> list[str]:
        """Service codes in contract order, then any others alphabetically."""
        extra = sorted(set(self.services) - set(CONTRACT_SERVICE_CODES))
        return [code for code in CONTRACT_SERVICE_CODES if code in self.services] + extra

    def summaries(self, language: str = SOURCE_LANGUAGE) -> list[dict[str, Any]]:
        """Short form of every service in `language`: code, name, category, summary, and every
        name a citizen may use for it (`names`, all languages: what the resolver reads)."""
        found = (self.localized(code, language) for code in self.ordered_codes())
        return [
            {
                "code": s.code,
                "name": s.name,
                "category": s.category,
                "summary": s.summary,
                "names": self.names_of(s.code),
            }
            for s, _ in filter(None, found)
        ]

    def elsewhere_payload(self, language: str = SOURCE_LANGUAGE) -> list[dict[str, Any]]:
        """Every elsewhere entry in `language` (see `Elsewhere.payload`)."""
        check_language(language)
        return [self.elsewhere[code].payload(language) for code in sorted(self.elsewhere)]

    def service_payload(self, code: str, language: str = SOURCE_LANGUAGE) -> dict[str, Any] | None:
        """JSON-ready service in `language`, its office resolved, region and language added.

        None for an unknown code; ValueError for a language outside `CATALOG_LANGUAGES`.
        """
        found = self.localized(code, language)
        if found is None:
            return None
        s, shown = found
        office = self.offices.get(s.office)
        payload: dict[str, Any] = _plain(s)
        payload["office"] = _plain(office) if office else {"key": s.office}
        payload["duration"] = {"text": s.duration}
        payload["region"] = self.region
        payload["language"] = shown
        return payload


def _plain(value: Any) -> Any:
    """Dataclasses as dicts and tuples as lists, recursively (JSON-ready)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value
