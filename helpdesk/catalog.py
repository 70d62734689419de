"""The public-service catalog: loads and validates `data/catalog/` (see its README.md).

This is the only module that reads the catalog files. Everything else goes through
`load_catalog()` and the `Catalog` methods, so the storage can later move to the database.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml

CONTRACT_SERVICE_CODES: tuple[str, ...] = tuple(
    "ktp_el kartu_keluarga akta_kelahiran akta_kematian pindah_datang kia skck nib pbg"
    " pajak_kendaraan pbb bpjs_kesehatan sktm surat_domisili kartu_kuning paspor".split()
)
CATEGORIES = frozenset(
    "kependudukan kepolisian perizinan pajak kesehatan sosial ketenagakerjaan keimigrasian".split()
)
REGIONAL_FIELDS = frozenset("requirements procedure fee duration validity office".split())
SERVICE_KEYS = frozenset(
    "code name aliases category agency office summary who requirements procedure fee duration"
    " validity legal_basis online varies_by_region regional_note notes sources last_verified"
    "".split()
)
OFFICE_KEYS = frozenset({"name", "address", "hours", "phone", "website"})
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_RE = re.compile(r"^S\d+[a-z]?$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_REQUIRED_TEXT = ("code", "name", "category", "agency", "office", "summary", "last_verified")


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


@dataclass(frozen=True)
class Service:
    """One public service; `duration` holds the YAML `duration.text`."""

    code: str
    name: str
    aliases: tuple[str, ...]
    category: str
    agency: str
    office: str
    summary: str
    requirements: tuple[RequirementCase, ...]
    procedure: tuple[ProcedureCase, ...]
    fee: Fee
    duration: str
    legal_basis: tuple[str, ...]
    sources: tuple[str, ...]
    last_verified: str
    who: str | None = None
    validity: str | None = None
    online: Online | None = None
    varies_by_region: tuple[str, ...] = ()
    regional_note: str | None = None
    notes: tuple[str, ...] = ()


def _norm(text: str) -> str:
    """Lower-case; punctuation (except `/`) and `_` become spaces; spaces collapsed."""
    return " ".join(re.sub(r"[^\w/]+|_", " ", text.lower()).split())


@dataclass(frozen=True)
class Catalog:
    """The validated catalog of one region."""

    region: str
    note: str
    offices: dict[str, Office] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)

    def get(self, code: str) -> Service | None:
        """The service with this exact code, or None."""
        return self.services.get(code)

    def find(self, text: str) -> Service | None:
        """The service whose code, name or alias is `text` (case-insensitive); failing that,
        the one whose longest code/name/alias occurs as whole words in `text`."""
        wanted = _norm(text)
        if not wanted:
            return None
        keys: dict[str, str] = {}
        for service in self.services.values():
            for key in (service.code, service.name, *service.aliases):
                keys.setdefault(_norm(key), service.code)
        if wanted in keys:
            return self.services[keys[wanted]]
        padded = f" {wanted} "
        hits = [(-len(k), padded.find(f" {k} "), c) for k, c in keys.items() if f" {k} " in padded]
        return self.services[min(hits)[2]] if hits else None

    def ordered_codes(self) -> list[str]:
        """Service codes in contract order, then any others alphabetically."""
        extra = sorted(set(self.services) - set(CONTRACT_SERVICE_CODES))
        return [code for code in CONTRACT_SERVICE_CODES if code in self.services] + extra

    def summaries(self) -> list[dict[str, str]]:
        """Short form of every service: code, name, category, summary."""
        return [
            {"code": s.code, "name": s.name, "category": s.category, "summary": s.summary}
            for s in (self.services[code] for code in self.ordered_codes())
        ]

    def service_payload(self, code: str) -> dict[str, Any] | None:
        """JSON-ready service with its office resolved and the region added, or None."""
        s = self.services.get(code)
        if s is None:
            return None
        office = self.offices.get(s.office)
        payload: dict[str, Any] = _plain(s)
        payload["office"] = _plain(office) if office else {"key": s.office}
        payload["duration"] = {"text": s.duration}
        payload["region"] = self.region
        return payload


def _plain(value: Any) -> Any:
    """Dataclasses as dicts and tuples as lists, recursively (JSON-ready)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


class _Reader:
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

    def child(self, key: str, required: bool = True) -> _Reader | None:
        """A nested mapping."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(key, "must be a mapping")
            return None
        return _Reader(self.where, value, self.problems, f"{self.prefix}{key}.")

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
            sub = _Reader(self.where, raw, self.problems, f"{self.prefix}{key}[{i}].")
            sub.unknown({"case", inner})
            case, items = sub.text("case"), sub.texts(inner)
            if case and items:
                out.append((case, items))
        return out

    def unknown(self, allowed: set[str] | frozenset[str]) -> None:
        """Reject keys that are not in `allowed`."""
        for key in sorted(str(k) for k in self.data if k not in allowed):
            self.fail(key, "unknown field")


def _load_yaml(path: Path, where: str, problems: list[str]) -> dict[Any, Any] | None:
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


def _parse_offices(data: dict[Any, Any], problems: list[str]) -> tuple[str, str, dict[str, Office]]:
    """Region, note and offices from `offices.yml`."""
    top = _Reader("offices.yml", data, problems)
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
        o = _Reader("offices.yml", value, problems, f"offices.{key}.")
        o.unknown(OFFICE_KEYS)
        name, address, hours = o.text("name"), o.text("address"), o.texts("hours")
        phone, website = o.text("phone", False), o.text("website", False)
        if name and address and hours:
            offices[str(key)] = Office(str(key), name, address, hours, phone, website)
    return region, note, offices


def _parse_fee(r: _Reader | None) -> Fee | None:
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


def _parse_online(r: _Reader | None) -> Online | None:
    """The optional `online` mapping."""
    if r is None:
        return None
    r.unknown({"name", "url", "text"})
    name, url, text = r.text("name"), r.text("url", False), r.text("text", False)
    if url and not url.startswith("https://"):
        r.fail("url", "must start with https://")
    return Online(name, url, text) if name else None


def _parse_service(r: _Reader, stem: str, offices: set[str] | None) -> Service | None:
    """One service file, or None when it has problems (all of them recorded)."""
    n = len(r.problems)
    r.unknown(SERVICE_KEYS)
    v: dict[str, Any] = {k: r.text(k) for k in _REQUIRED_TEXT}
    v |= {k: r.text(k, required=False) for k in ("who", "validity", "regional_note")}
    v |= {k: r.texts(k) for k in ("aliases", "legal_basis", "sources")}
    v |= {k: r.texts(k, required=False) for k in ("varies_by_region", "notes")}
    if v["code"] is not None and v["code"] != stem:
        r.fail("code", f"'{v['code']}' does not match the file name '{stem}.yml'")
    if v["category"] is not None and v["category"] not in CATEGORIES:
        r.fail("category", f"'{v['category']}' is not one of {sorted(CATEGORIES)}")
    if v["office"] is not None and offices is not None and v["office"] not in offices:
        r.fail("office", f"'{v['office']}' is not an office key in offices.yml")
    if len(v["aliases"]) == 1:
        r.fail("aliases", "needs at least 2 aliases")
    for alias in v["aliases"]:
        if alias != alias.lower():
            r.fail("aliases", f"'{alias}' must be lower-case")
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
    return Service(**v) if len(r.problems) == n else None


def _lookup_keys(data: dict[Any, Any]) -> set[str]:
    """The normalised code, name and aliases a service file declares (even if invalid)."""
    aliases = data.get("aliases")
    raw = [data.get("code"), data.get("name"), *(aliases if isinstance(aliases, list) else [])]
    return {_norm(value) for value in raw if isinstance(value, str) and _norm(value)}


def _alias_clashes(keys_by_stem: dict[str, set[str]]) -> list[str]:
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


def load_catalog(directory: Path) -> Catalog:
    """Read and validate `offices.yml` and `services/*.yml`; raise CatalogError on problems."""
    directory = Path(directory)
    problems: list[str] = []
    region, note, offices = "", "", dict[str, Office]()
    office_data = _load_yaml(directory / "offices.yml", "offices.yml", problems)
    if office_data is not None:
        region, note, offices = _parse_offices(office_data, problems)
    # Office keys present in offices.yml (even if invalid), so one bad office is one problem.
    raw_offices = (office_data or {}).get("offices")
    known_offices = set(map(str, raw_offices)) if isinstance(raw_offices, dict) else None
    services: dict[str, Service] = {}
    keys_by_stem: dict[str, set[str]] = {}
    paths = sorted((directory / "services").glob("*.yml"))
    for path in paths:
        where = f"services/{path.name}"
        if not _CODE_RE.match(path.stem):
            problems.append(f"{where}: file name must be a code like ktp_el.yml")
        data = _load_yaml(path, where, problems)
        service = None
        if data is not None:
            keys_by_stem[path.stem] = _lookup_keys(data)
            service = _parse_service(_Reader(where, data, problems), path.stem, known_offices)
        if service is not None:
            services[service.code] = service
    stems = {path.stem for path in paths}
    problems += [
        f"services/{code}.yml: missing (contract service code '{code}')"
        for code in CONTRACT_SERVICE_CODES
        if code not in stems
    ]
    problems += _alias_clashes(keys_by_stem)
    if problems:
        raise CatalogError(problems)
    return Catalog(region, note, offices, services)


def default_catalog_dir() -> Path:
    """`$CATALOG_DIR` if set, else `data/catalog` in the repository."""
    configured = os.environ.get("CATALOG_DIR", "").strip()
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "data" / "catalog"
