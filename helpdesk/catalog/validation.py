"""Parsing and checking the catalog files into `helpdesk.catalog`'s dataclasses.

Every function records problems (`"<file>: <field>: <what is wrong>"`) in a list instead of
raising, so `load_catalog()` can report all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from helpdesk.catalog import (
    CATALOG_LANGUAGES,
    CATEGORIES,
    DOCUMENT_TYPES,
    FIELD_TYPES,
    GENERAL_UNIT,
    OFFICE_KEYS,
    REGIONAL_FIELDS,
    SERVICE_KEYS,
    TRANSLATION_KEYS,
    WEEKDAYS,
    Application,
    ApplicationDocument,
    ApplicationField,
    Elsewhere,
    Fee,
    Office,
    Online,
    ProcedureCase,
    RequirementCase,
    Service,
    Unit,
    normalize_key,
)

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_RE = re.compile(r"^S\d+[a-z]?$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_REQUIRED_TEXT = (
    "code",
    "name",
    "category",
    "agency",
    "office",
    "unit",
    "summary",
    "last_verified",
)
_HOURS_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_NOT_IN_SOURCE = "not in the Indonesian file (services/{code})"


class Reader:
    """Typed access to one YAML mapping that records problems instead of raising."""

    def __init__(
        self, where: str, data: dict[Any, Any], problems: list[str], prefix: str = ""
    ) -> None:
        self.where, self.data, self.problems, self.prefix = where, data, problems, prefix

    def fail(self, key: str, message: str) -> None:
        """Record a problem with one field."""
        self.problems.append(f"{self.where}: {self.prefix}{key}: {message}")

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.fail(key, "missing required field")
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        """A non-empty string field."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "must be a non-empty string")
            return None
        return value.strip()

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        """A list of non-empty strings (at least one item when required)."""
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "must be a list of non-empty strings")
            return ()
        if required and not value:
            self.fail(key, "must not be empty")
        return tuple(v.strip() for v in value)

    def child(self, key: str, required: bool = True) -> Reader | None:
        """A nested mapping."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(key, "must be a mapping")
            return None
        return Reader(self.where, value, self.problems, f"{self.prefix}{key}.")

    def cases(self, key: str, inner: str) -> list[tuple[str, tuple[str, ...]]]:
        """A non-empty list of `{case, <inner>}` mappings."""
        value = self._get(key, True)
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.fail(key, f"must be a non-empty list of {{case, {inner}}}")
            return []
        out: list[tuple[str, tuple[str, ...]]] = []
        for i, raw in enumerate(value):
            if not isinstance(raw, dict):
                self.fail(f"{key}[{i}]", "must be a mapping")
                continue
            sub = Reader(self.where, raw, self.problems, f"{self.prefix}{key}[{i}].")
            sub.unknown({"case", inner})
            case, items = sub.text("case"), sub.texts(inner)
            if case and items:
                out.append((case, items))
        return out

    def unknown(self, allowed: set[str] | frozenset[str]) -> None:
        """Reject keys that are not in `allowed`."""
        for key in sorted(str(k) for k in self.data if k not in allowed):
            self.fail(key, "unknown field")


def load_yaml(path: Path, where: str, problems: list[str]) -> dict[Any, Any] | None:
    """The YAML mapping in `path`, or None (with a problem recorded)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{where}: cannot read: {' '.join(str(exc).split())}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{where}: must be a YAML mapping")
        return None
    return data


def parse_offices(data: dict[Any, Any], problems: list[str]) -> tuple[str, str, dict[str, Office]]:
    """Region, note and offices from `offices.yml`."""
    top = Reader("offices.yml", data, problems)
    top.unknown({"region", "note", "offices"})
    region, note = top.text("region") or "", top.text("note") or ""
    offices: dict[str, Office] = {}
    raw = data.get("offices")
    if not isinstance(raw, dict) or not raw:
        top.fail("offices", "must be a non-empty mapping of office key to office")
        return region, note, offices
    for key, value in raw.items():
        if not isinstance(value, dict):
            top.fail(f"offices.{key}", "must be a mapping")
            continue
        o = Reader("offices.yml", value, problems, f"offices.{key}.")
        o.unknown(OFFICE_KEYS)
        name, address, hours = o.text("name"), o.text("address"), o.texts("hours")
        phone, website = o.text("phone", False), o.text("website", False)
        if name and address and hours:
            offices[str(key)] = Office(str(key), name, address, hours, phone, website)
    return region, note, offices


def _parse_fee(r: Reader | None) -> Fee | None:
    """The `fee` mapping, or None when it is missing or invalid."""
    if r is None:
        return None
    r.unknown({"free", "amount_idr", "text"})
    free, amount, text = r.data.get("free"), r.data.get("amount_idr"), r.text("text")
    n = len(r.problems)
    if not isinstance(free, bool):
        r.fail("free", "must be true or false")
    if "amount_idr" not in r.data:
        r.fail("amount_idr", "missing required field (an integer, or null when it varies)")
    elif amount is not None and (type(amount) is not int or amount < 0):
        r.fail("amount_idr", "must be an integer >= 0 or null")
    elif free is True and amount not in (0, None):
        r.fail("amount_idr", "must be 0 or null when free is true")
    return Fee(bool(free), amount, text) if text and len(r.problems) == n else None


def _parse_online(r: Reader | None) -> Online | None:
    """The optional `online` mapping."""
    if r is None:
        return None
    r.unknown({"name", "url", "text"})
    name, url, text = r.text("name"), r.text("url", False), r.text("text", False)
    if url and not url.startswith("https://"):
        r.fail("url", "must start with https://")
    return Online(name, url, text) if name else None


def parse_units(data: dict[Any, Any], problems: list[str]) -> tuple[str, dict[str, Unit]]:
    """Timezone and units from `units.yml` (the general queue must be one of them)."""
    top = Reader("units.yml", data, problems)
    top.unknown({"timezone", "units"})
    timezone = top.text("timezone") or "Asia/Jakarta"
    units: dict[str, Unit] = {}
    raw = data.get("units")
    if not isinstance(raw, dict) or not raw:
        top.fail("units", "must be a non-empty mapping of unit code to unit")
        return timezone, units
    for key, value in raw.items():
        where = f"units.{key}"
        if not isinstance(value, dict):
            top.fail(where, "must be a mapping")
            continue
        if not CODE_RE.match(str(key)):
            top.fail(where, "unit code must be lower-case letters, digits and _")
        u = Reader("units.yml", value, problems, f"{where}.")
        u.unknown({"name", "name_en", "hours"})
        name = u.text("name")
        name_en = u.text("name_en", required=False) or name
        hours: dict[int, tuple[str, str]] = {}
        raw_hours = value.get("hours") or {}
        if not isinstance(raw_hours, dict):
            u.fail("hours", "must be a mapping of weekday (mon..sun) to 'HH:MM-HH:MM'")
            raw_hours = {}
        for day, span in raw_hours.items():
            if day not in WEEKDAYS:
                u.fail(f"hours.{day}", f"weekday must be one of {', '.join(WEEKDAYS)}")
            elif not isinstance(span, str) or not _HOURS_RE.match(span):
                u.fail(f"hours.{day}", "must be a quoted 'HH:MM-HH:MM'")
            else:
                start, end = span.split("-")
                hours[WEEKDAYS.index(day)] = (start, end)
        if name is not None and name_en is not None:
            units[str(key)] = Unit(str(key), name, name_en, hours)
    if GENERAL_UNIT not in raw:
        top.fail("units", f"the general queue '{GENERAL_UNIT}' is missing")
    return timezone, units


def parse_service(
    r: Reader, stem: str, offices: set[str] | None, units: set[str] | None = None
) -> Service | None:
    """One service file, or None when it has problems (all of them recorded)."""
    n = len(r.problems)
    r.unknown(SERVICE_KEYS)
    v: dict[str, Any] = {k: r.text(k) for k in _REQUIRED_TEXT}
    v |= {k: r.text(k, required=False) for k in ("who", "eligibility", "validity", "regional_note")}
    v |= {k: r.texts(k) for k in ("aliases", "legal_basis", "sources")}
    v |= {k: r.texts(k, required=False) for k in ("varies_by_region", "notes", "former_names")}
    if v["code"] is not None and v["code"] != stem:
        r.fail("code", f"'{v['code']}' does not match the file name '{stem}.yml'")
    if v["category"] is not None and v["category"] not in CATEGORIES:
        r.fail("category", f"'{v['category']}' is not one of {sorted(CATEGORIES)}")
    if v["office"] is not None and offices is not None and v["office"] not in offices:
        r.fail("office", f"'{v['office']}' is not an office key in offices.yml")
    if v["unit"] is not None and units is not None and v["unit"] not in units:
        r.fail("unit", f"'{v['unit']}' is not a unit code in units.yml")
    if len(v["aliases"]) == 1:
        r.fail("aliases", "needs at least 2 aliases")
    for key in ("aliases", "former_names"):
        for alias in v[key]:
            if alias != alias.lower():
                r.fail(key, f"'{alias}' must be lower-case")
            elif not normalize_key(alias):
                r.fail(key, f"'{alias}' has no letters or digits")
    for tag in v["sources"]:
        if not _SOURCE_RE.match(tag):
            r.fail("sources", f"'{tag}' is not a source tag like S4 or S15b")
    if v["last_verified"] and not _MONTH_RE.match(v["last_verified"]):
        r.fail("last_verified", "must be a quoted 'YYYY-MM' string")
    for item in v["varies_by_region"]:
        if item not in REGIONAL_FIELDS:
            r.fail("varies_by_region", f"'{item}' is not one of {sorted(REGIONAL_FIELDS)}")
    if v["varies_by_region"] and r.data.get("regional_note") is None:
        r.fail("regional_note", "required when varies_by_region is not empty")
    requirements = r.cases("requirements", "items")
    v["requirements"] = tuple(RequirementCase(case, items) for case, items in requirements)
    v["procedure"] = tuple(
        ProcedureCase(case, steps) for case, steps in r.cases("procedure", "steps")
    )
    v["fee"] = _parse_fee(r.child("fee"))
    v["online"] = _parse_online(r.child("online", required=False))
    duration = r.child("duration")
    if duration is not None:
        duration.unknown({"text"})
        v["duration"] = duration.text("text")
    v["application"] = parse_application(r.child("application", required=False))
    return Service(**v) if len(r.problems) == n else None


# --- the online application form: application: ------------------------------------------

APPLICATION_KEYS = frozenset({"standard_days", "consent", "fields", "documents", "pickup"})
FIELD_KEYS = frozenset(
    {"key", "type", "label", "required", "hint", "choices", "min_length", "max_length", "when"}
)
DOCUMENT_KEYS = frozenset({"key", "label", "types", "required"})
MAX_STANDARD_DAYS = 60
"""The identity fields every form has: the request stores them (encrypted)."""
IDENTITY_FIELDS = {"name": "text", "nik": "nik"}


def _entries(r: Reader, key: str, required: bool) -> list[Reader]:
    """The mappings of a list field, each as a Reader."""
    value = r.data.get(key)
    if value is None:
        if required:
            r.fail(key, "missing required field")
        return []
    if not isinstance(value, list) or (required and not value):
        r.fail(key, "must be a non-empty list of mappings" if required else "must be a list")
        return []
    out = []
    for i, raw in enumerate(value):
        if not isinstance(raw, dict):
            r.fail(f"{key}[{i}]", "must be a mapping")
            continue
        out.append(Reader(r.where, raw, r.problems, f"{r.prefix}{key}[{i}]."))
    return out


def _flag(r: Reader, key: str, default: bool) -> bool:
    value = r.data.get(key, default)
    if not isinstance(value, bool):
        r.fail(key, "must be true or false")
        return default
    return value


def _small_int(r: Reader, key: str, low: int, high: int, required: bool = False) -> int | None:
    value = r.data.get(key)
    if value is None:
        if required:
            r.fail(key, "missing required field")
        return None
    if type(value) is not int or not low <= value <= high:
        r.fail(key, f"must be a whole number from {low} to {high}")
        return None
    return value


def _parse_field(f: Reader, seen: set[str]) -> ApplicationField | None:
    n = len(f.problems)
    f.unknown(FIELD_KEYS)
    key, kind, label = f.text("key"), f.text("type"), f.text("label")
    hint = f.text("hint", required=False)
    if key is not None:
        if not CODE_RE.match(key):
            f.fail("key", "must be lower-case letters, digits and _")
        elif key in seen:
            f.fail("key", f"'{key}' is used by two fields")
        seen.add(key)
    if kind is not None and kind not in FIELD_TYPES:
        f.fail("type", f"'{kind}' is not one of {sorted(FIELD_TYPES)}")
    choices = f.texts("choices", required=kind == "choice")
    if kind == "choice" and 0 < len(choices) < 2:
        f.fail("choices", "needs at least 2 choices")
    if kind != "choice" and choices:
        f.fail("choices", "only a field of type choice has choices")
    low = _small_int(f, "min_length", 1, 2000)
    high = _small_int(f, "max_length", 1, 2000)
    if (low is not None or high is not None) and kind != "text":
        f.fail("min_length", "lengths apply to fields of type text only")
    if low is not None and high is not None and low > high:
        f.fail("max_length", "must not be less than min_length")
    when = f.data.get("when", "any")
    if when not in ("past", "future", "any"):
        f.fail("when", "must be past, future or any")
    elif when != "any" and kind != "date":
        f.fail("when", "applies to fields of type date only")
    required = _flag(f, "required", True)
    if key in IDENTITY_FIELDS and (kind != IDENTITY_FIELDS[key] or not required):
        f.fail("type", f"the field '{key}' must be a required {IDENTITY_FIELDS[key]} field")
    if len(f.problems) != n or key is None or kind is None or label is None:
        return None
    return ApplicationField(key, kind, label, required, hint, choices, low, high, str(when))


def _parse_document(d: Reader, seen: set[str]) -> ApplicationDocument | None:
    n = len(d.problems)
    d.unknown(DOCUMENT_KEYS)
    key, label = d.text("key"), d.text("label")
    if key is not None:
        if not CODE_RE.match(key):
            d.fail("key", "must be lower-case letters, digits and _")
        elif key in seen:
            d.fail("key", f"'{key}' is used by two documents")
        seen.add(key)
    types = d.texts("types", required=False) or ("jpg", "png", "pdf")
    for kind in types:
        if kind not in DOCUMENT_TYPES:
            d.fail("types", f"'{kind}' is not one of {sorted(DOCUMENT_TYPES)}")
    required = _flag(d, "required", True)
    if len(d.problems) != n or key is None or label is None:
        return None
    return ApplicationDocument(key, label, tuple(types), required)


def parse_application(r: Reader | None) -> Application | None:
    """The optional `application:` section: the online form of a service."""
    if r is None:
        return None
    n = len(r.problems)
    r.unknown(APPLICATION_KEYS)
    days = _small_int(r, "standard_days", 1, MAX_STANDARD_DAYS, required=True)
    consent, pickup = r.text("consent"), r.text("pickup", required=False)
    seen: set[str] = set()
    fields = [_parse_field(f, seen) for f in _entries(r, "fields", True)]
    for key, kind in IDENTITY_FIELDS.items():
        if key not in seen:
            r.fail("fields", f"needs a required {kind} field with key '{key}'")
    seen_docs: set[str] = set()
    documents = [_parse_document(d, seen_docs) for d in _entries(r, "documents", False)]
    if len(r.problems) != n or days is None or consent is None:
        return None
    return Application(
        days,
        consent,
        tuple(f for f in fields if f is not None),
        tuple(d for d in documents if d is not None),
        pickup,
    )


def _application_like(r: Reader, source: Application) -> Application | None:
    """The translated form: consent, pickup, labels, hints and choice labels."""
    n = len(r.problems)
    r.unknown({"consent", "pickup", "fields", "documents"})
    consent = r.text("consent") or source.consent
    pickup = _like(r, "pickup", source.pickup, r.text)
    fields = _entries(r, "fields", bool(source.fields))
    documents = _entries(r, "documents", bool(source.documents))
    _same_count(r, "fields", len(fields), len(source.fields), "fields")
    _same_count(r, "documents", len(documents), len(source.documents), "documents")
    translated_fields = []
    for f, original in zip(fields, source.fields, strict=False):
        f.unknown({"label", "hint", "choices"})
        label = f.text("label") or original.label
        hint = _like(f, "hint", original.hint, f.text)
        choices = _like(f, "choices", original.choices, f.texts)
        if original.choices:
            _same_count(f, "choices", len(choices), len(original.choices), "choices")
        translated_fields.append(replace(original, label=label, hint=hint, choices=choices))
    translated_documents = []
    for d, doc in zip(documents, source.documents, strict=False):
        d.unknown({"label"})
        translated_documents.append(replace(doc, label=d.text("label") or doc.label))
    if len(r.problems) != n:
        return None
    return replace(
        source,
        consent=consent,
        pickup=pickup,
        fields=tuple(translated_fields),
        documents=tuple(translated_documents),
    )


def lookup_keys(data: dict[Any, Any]) -> set[str]:
    """The normalised code, name, aliases and former names a service file declares (even if
    invalid)."""
    raw = [data.get("code"), data.get("name")]
    for key in ("aliases", "former_names"):
        names = data.get(key)
        raw += names if isinstance(names, list) else []
    return {normalize_key(v) for v in raw if isinstance(v, str) and normalize_key(v)}


def alias_clashes(keys_by_stem: dict[str, set[str]]) -> list[str]:
    """Problems for every code/name/alias that two service files share (after normalising)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for stem, keys in keys_by_stem.items():
        for key in sorted(keys):
            other = seen.setdefault(key, stem)
            if other != stem:
                problems.append(
                    f"services/{stem}.yml: aliases: '{key}' is also used by services/{other}.yml"
                )
    return problems


# --- translations: i18n/<lang>/<code>.yml -----------------------------------------------


def _like(r: Reader, key: str, source: Any, read: Callable[[str], Any]) -> Any:
    """`read(key)` when the source has the field; a problem when only the overlay has it."""
    if source is None or source == ():
        if key in r.data:
            r.fail(key, _NOT_IN_SOURCE.format(code=r.where.rsplit("/", 1)[-1]))
        return source
    return read(key)


def _same_count(r: Reader, key: str, got: int, expected: int, what: str) -> None:
    if got != expected:
        r.fail(key, f"has {got} {what}, the Indonesian file has {expected}")


def _cases_like(r: Reader, key: str, inner: str, source: tuple[Any, ...], kind: Any) -> Any:
    """Translated `{case, <inner>}` groups, with as many groups and entries as the source."""
    n = len(r.problems)
    cases = r.cases(key, inner)
    if len(r.problems) == n:
        _same_count(r, key, len(cases), len(source), "cases")
    if len(r.problems) != n:
        return ()
    for i, ((_, entries), original) in enumerate(zip(cases, source, strict=True)):
        _same_count(r, f"{key}[{i}].{inner}", len(entries), len(getattr(original, inner)), inner)
    return tuple(kind(case, entries) for case, entries in cases)


def parse_translation(r: Reader, source: Service) -> Service | None:
    """The source service with the overlay's texts, or None when the overlay has problems.

    Only citizen-facing texts are translated; codes, amounts, URLs, offices, legal basis and
    sources always come from the Indonesian source.
    """
    n = len(r.problems)
    r.unknown(TRANSLATION_KEYS)
    v: dict[str, Any] = {"name": r.text("name"), "summary": r.text("summary")}
    for key in ("who", "eligibility", "validity", "regional_note"):
        v[key] = _like(r, key, getattr(source, key), r.text)
    v["notes"] = _like(r, "notes", source.notes, r.texts)
    if v["notes"] and source.notes:
        _same_count(r, "notes", len(v["notes"]), len(source.notes), "notes")
    v["requirements"] = _cases_like(
        r, "requirements", "items", source.requirements, RequirementCase
    )
    v["procedure"] = _cases_like(r, "procedure", "steps", source.procedure, ProcedureCase)
    fee, duration = r.child("fee"), r.child("duration")
    if fee is not None:
        fee.unknown({"text"})  # `free` and `amount_idr` come from the source
        v["fee"] = replace(source.fee, text=fee.text("text") or source.fee.text)
    if duration is not None:
        duration.unknown({"text"})
        v["duration"] = duration.text("text")
    # A form added in the editor (Indonesian first) is shown in Indonesian until its
    # translations are saved; a translation that has one must match its structure.
    application = _like(r, "application", source.application, r.data.get)
    if source.application is not None and application is not None:
        form = r.child("application")
        if form is not None:
            v["application"] = _application_like(form, source.application)
    online = _like(r, "online", source.online, r.child)
    if source.online is not None and isinstance(online, Reader):
        online.unknown({"name", "text"})  # `url` is not translated
        name = online.text("name", required=False) or source.online.name
        text = _like(online, "text", source.online.text, online.text)
        v["online"] = replace(source.online, name=name, text=text)
    return replace(source, **v) if len(r.problems) == n else None


# --- elsewhere.yml: services other agencies handle ---------------------------------------

_ELSEWHERE_KEYS = frozenset(
    "code names not_names title agency reach related sources unverified last_verified".split()
)


def _by_language(r: Reader, key: str, every: bool) -> dict[str, Any]:
    """A `{lang: value}` mapping with only catalog languages (all four when `every`)."""
    raw = r.data.get(key)
    if not isinstance(raw, dict) or not raw:
        r.fail(key, "must be a mapping of language (id, jv, su, en) to text")
        return {}
    unknown = sorted(str(k) for k in raw if k not in CATALOG_LANGUAGES)
    if unknown:
        r.fail(key, f"unknown language(s) {unknown}; use {', '.join(CATALOG_LANGUAGES)}")
    wanted = CATALOG_LANGUAGES if every else ("id",)
    for lang in wanted:
        if lang not in raw:
            r.fail(f"{key}.{lang}", "missing required field")
    return {str(k): v for k, v in raw.items() if k in CATALOG_LANGUAGES}


def _parse_one_elsewhere(r: Reader, service_codes: set[str]) -> Elsewhere | None:
    n = len(r.problems)
    r.unknown(_ELSEWHERE_KEYS)
    code, agency, month = r.text("code"), r.text("agency"), r.text("last_verified")
    if code is not None and not CODE_RE.match(code):
        r.fail("code", "must be lower-case letters, digits and _")
    if month is not None and not _MONTH_RE.match(month):
        r.fail("last_verified", "must be a quoted 'YYYY-MM' string")
    names: dict[str, tuple[str, ...]] = {}
    for lang, value in _by_language(r, "names", every=False).items():
        sub = Reader(r.where, {lang: value}, r.problems, f"{r.prefix}names.")
        names[lang] = sub.texts(lang)
        for name in names[lang]:
            if name != name.lower() or not normalize_key(name):
                sub.fail(lang, f"'{name}' must be lower-case with letters or digits")
    title: dict[str, str] = {}
    reach: dict[str, str] = {}
    for key, into in (("title", title), ("reach", reach)):
        for lang, value in _by_language(r, key, every=True).items():
            if isinstance(value, str) and value.strip():
                into[lang] = value.strip()
            else:
                r.fail(f"{key}.{lang}", "must be a non-empty string")
    not_names, sources = r.texts("not_names", required=False), r.texts("sources")
    related, unverified = r.texts("related", required=False), r.texts("unverified", False)
    for other in related:
        if other not in service_codes:
            r.fail("related", f"'{other}' is not a catalog service code")
    if len(r.problems) != n or code is None or agency is None or month is None:
        return None
    return Elsewhere(
        code, names, title, agency, reach, sources, month, not_names, related, unverified
    )


def parse_elsewhere(
    data: dict[Any, Any], service_codes: set[str], problems: list[str]
) -> dict[str, Elsewhere]:
    """The entries of `elsewhere.yml`, by code. An entry whose code is a catalog service's
    code is left out: that region now handles the service itself."""
    top = Reader("elsewhere.yml", data, problems)
    top.unknown({"elsewhere"})
    raw = data.get("elsewhere")
    if not isinstance(raw, list):
        top.fail("elsewhere", "must be a list of entries")
        return {}
    found: dict[str, Elsewhere] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            top.fail(f"elsewhere[{i}]", "must be a mapping")
            continue
        where = f"elsewhere[{i}]" + (
            f" ({item['code']})" if isinstance(item.get("code"), str) else ""
        )
        entry = _parse_one_elsewhere(
            Reader("elsewhere.yml", item, problems, f"{where}."), service_codes
        )
        if entry is None or entry.code in service_codes:
            continue
        if entry.code in found:
            top.fail(f"{where}.code", f"'{entry.code}' is used twice")
            continue
        found[entry.code] = entry
    return found
