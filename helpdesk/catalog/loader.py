"""Reading the catalog folder: `load_catalog(directory)` checks every file (through
`helpdesk.catalog.validation`) and builds the `Catalog`; `default_catalog_dir()`."""

from __future__ import annotations

import os
from pathlib import Path

from helpdesk.catalog import (
    CATALOG_LANGUAGES,
    CONTRACT_SERVICE_CODES,
    SOURCE_LANGUAGE,
    Catalog,
    CatalogError,
    Elsewhere,
    Office,
    Service,
    Unit,
)
from helpdesk.catalog import validation as check


def load_catalog(directory: Path) -> Catalog:
    """Read and validate `offices.yml`, `services/*.yml` and `i18n/<lang>/*.yml`.

    Raises CatalogError listing every problem at once.
    """
    directory = Path(directory)
    problems: list[str] = []
    region, note, offices = "", "", dict[str, Office]()
    office_data = check.load_yaml(directory / "offices.yml", "offices.yml", problems)
    if office_data is not None:
        region, note, offices = check.parse_offices(office_data, problems)
    # Office keys present in offices.yml (even if invalid), so one bad office is one problem.
    raw_offices = (office_data or {}).get("offices")
    known_offices = set(map(str, raw_offices)) if isinstance(raw_offices, dict) else None
    timezone, units = "Asia/Jakarta", dict[str, Unit]()
    unit_data = check.load_yaml(directory / "units.yml", "units.yml", problems)
    if unit_data is not None:
        timezone, units = check.parse_units(unit_data, problems)
    raw_units = (unit_data or {}).get("units")
    known_units = set(map(str, raw_units)) if isinstance(raw_units, dict) else None
    services: dict[str, Service] = {}
    keys_by_stem: dict[str, set[str]] = {}
    paths = sorted((directory / "services").glob("*.yml"))
    for path in paths:
        where = f"services/{path.name}"
        if not check.CODE_RE.match(path.stem):
            problems.append(f"{where}: file name must be a code like ktp_el.yml")
        data = check.load_yaml(path, where, problems)
        service = None
        if data is not None:
            keys_by_stem[path.stem] = check.lookup_keys(data)
            reader = check.Reader(where, data, problems)
            service = check.parse_service(reader, path.stem, known_offices, known_units)
        if service is not None:
            services[service.code] = service
    stems = {path.stem for path in paths}
    problems += [
        f"services/{code}.yml: missing (contract service code '{code}')"
        for code in CONTRACT_SERVICE_CODES
        if code not in stems
    ]
    problems += check.alias_clashes(keys_by_stem)
    translations = _load_translations(directory, services, stems, problems)
    elsewhere: dict[str, Elsewhere] = {}
    if (directory / "elsewhere.yml").exists():
        data = check.load_yaml(directory / "elsewhere.yml", "elsewhere.yml", problems)
        if data is not None:
            elsewhere = check.parse_elsewhere(data, stems, problems)
    if problems:
        raise CatalogError(problems)
    catalog = Catalog(region, note, offices, services, translations, units, timezone, elsewhere)
    clashes = catalog.resolver.clashes
    if clashes:
        raise CatalogError([f"names: {clash}" for clash in clashes])
    return catalog


def _load_translations(
    directory: Path, services: dict[str, Service], stems: set[str], problems: list[str]
) -> dict[str, dict[str, Service]]:
    """Every service in every non-source catalog language, from `i18n/<lang>/<code>.yml`.

    A translation is required for every service file (`stems`); only the services that
    parsed (`services`) are compared against their source.
    """
    root = directory / "i18n"
    others = [lang for lang in CATALOG_LANGUAGES if lang != SOURCE_LANGUAGE]
    if root.is_dir():
        problems += [
            f"i18n/{path.name}: not a catalog language (expected one of {', '.join(others)})"
            for path in sorted(root.iterdir())
            if path.is_dir() and path.name not in others
        ]
    translations: dict[str, dict[str, Service]] = {}
    for lang in others:
        found: dict[str, Service] = {}
        paths = {path.stem: path for path in sorted((root / lang).glob("*.yml"))}
        for stem, path in paths.items():
            where = f"i18n/{lang}/{path.name}"
            if stem not in stems:
                problems.append(f"{where}: no such service (services/{stem}.yml)")
                continue
            data = check.load_yaml(path, where, problems)
            if data is not None and stem in services:
                translated = check.parse_translation(
                    check.Reader(where, data, problems), services[stem]
                )
                if translated is not None:
                    found[stem] = translated
        problems += [
            f"i18n/{lang}/{code}.yml: missing (every service needs a '{lang}' translation)"
            for code in sorted(stems - set(paths))
        ]
        translations[lang] = found
    return translations


def default_catalog_dir() -> Path:
    """`$CATALOG_DIR` if set, else `data/catalog` in the repository."""
    configured = os.environ.get("CATALOG_DIR", "").strip()
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "data" / "catalog"
