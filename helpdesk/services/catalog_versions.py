"""The service catalog edited without a deploy: drafts, a second person's publication,
every version kept with who and when, restorable, and exported back to YAML.

A service's document holds its four languages: ``{"id": {...services/<code>.yml...},
"jv": {...i18n/jv/<code>.yml...}, "su": {...}, "en": {...}}``. The YAML files in
data/catalog/ are version 0, the seed. ``PATCH /api/v1/services/{code}`` merges part of
one language's document into the newest version and stores the result as a new draft
(checked by the same validator as the files); a different person (for API tokens, a
different token name) publishes it; the newest published version is what
``effective_catalog`` serves, so the bot answers from it at its next catalog fetch, with
no retraining. ``export_yaml`` writes the effective catalog back as files.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.catalog import (
    CATALOG_LANGUAGES,
    SOURCE_LANGUAGE,
    Catalog,
    Service,
    check_language,
)
from helpdesk.catalog import validation as check
from helpdesk.models import ServiceVersion, utcnow
from helpdesk.services.errors import Conflict, InvalidInput, NotFound, ServiceError


class SamePerson(ServiceError):
    """The author of a draft may not publish it."""

    status = 403
    code = "same_author"


def seed_document(catalog_dir: Path, code: str) -> dict[str, Any]:
    """Version 0: the service's YAML files, every language."""
    path = catalog_dir / "services" / f"{code}.yml"
    if not path.exists():
        raise NotFound(f"no service '{code}'", code="service_not_found")
    document: dict[str, Any] = {
        SOURCE_LANGUAGE: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    }
    for lang in CATALOG_LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        overlay = catalog_dir / "i18n" / lang / f"{code}.yml"
        if overlay.exists():
            document[lang] = yaml.safe_load(overlay.read_text(encoding="utf-8")) or {}
    return document


def versions(session: Session, code: str) -> list[ServiceVersion]:
    return list(
        session.scalars(
            select(ServiceVersion)
            .where(ServiceVersion.service_code == code)
            .order_by(ServiceVersion.version)
        )
    )


def get_version(session: Session, code: str, version: int) -> ServiceVersion:
    row = session.scalar(
        select(ServiceVersion).where(
            ServiceVersion.service_code == code, ServiceVersion.version == version
        )
    )
    if row is None:
        raise NotFound(f"no version {version} of '{code}'", code="version_not_found")
    return row


def published(session: Session, code: str) -> ServiceVersion | None:
    return session.scalar(
        select(ServiceVersion)
        .where(ServiceVersion.service_code == code, ServiceVersion.published_at.is_not(None))
        .order_by(ServiceVersion.published_at.desc(), ServiceVersion.version.desc())
        .limit(1)
    )


def document_of(session: Session, catalog_dir: Path, code: str, version: int) -> dict[str, Any]:
    if version == 0:
        return seed_document(catalog_dir, code)
    return copy.deepcopy(get_version(session, code, version).document)


def validate(
    catalog: Catalog, code: str, document: dict[str, Any]
) -> tuple[Service, dict[str, Service]]:
    """Parse a document like the loader parses the files; InvalidInput lists every problem."""
    problems: list[str] = []
    source_data = document.get(SOURCE_LANGUAGE)
    if not isinstance(source_data, dict):
        raise InvalidInput(f"{code}: the Indonesian document is missing")
    reader = check.Reader(f"services/{code}.yml", source_data, problems)
    source = check.parse_service(reader, code, set(catalog.offices), set(catalog.units) or None)
    others = {
        c: check.lookup_keys(_plain_keys(s)) for c, s in catalog.services.items() if c != code
    }
    others[code] = check.lookup_keys(source_data)
    problems += [p for p in check.alias_clashes(others) if f"services/{code}.yml" in p]
    if source is not None:  # names must not clash with elsewhere.yml either (the resolver's view)
        trial = dataclasses.replace(catalog, services={**catalog.services, code: source})
        mine = f"code='{code}'"
        problems += [
            f"services/{code}.yml: names: {c}" for c in trial.resolver.clashes if mine in c
        ]
    translations: dict[str, Service] = {}
    for lang in CATALOG_LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        data = document.get(lang)
        if not isinstance(data, dict):
            problems.append(f"i18n/{lang}/{code}.yml: missing")
            continue
        if source is not None:
            where = f"i18n/{lang}/{code}.yml"
            translated = check.parse_translation(check.Reader(where, data, problems), source)
            if translated is not None:
                translations[lang] = translated
    if problems or source is None:
        raise InvalidInput("; ".join(problems) or "invalid document", code="invalid_service")
    return source, translations


def _plain_keys(service: Service) -> dict[str, Any]:
    return {
        "code": service.code,
        "name": service.name,
        "aliases": list(service.aliases),
        "former_names": list(service.former_names),
    }


def _merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """`patch` over `base`: mappings merged key by key, anything else (lists too) replaced;
    a null value removes the key."""
    merged = dict(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def create_draft(
    session: Session,
    catalog: Catalog,
    catalog_dir: Path,
    code: str,
    language: str,
    patch: dict[str, Any],
    actor: str,
    note: str | None = None,
) -> ServiceVersion:
    """A new draft: the newest version (or the seed) with `patch` merged into `language`."""
    if catalog.get(code) is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    check_language(language)
    if not patch:
        raise InvalidInput("nothing to change", code="empty_patch")
    if language == SOURCE_LANGUAGE and "code" in patch and patch["code"] != code:
        raise InvalidInput("the code of a service cannot change", code="code_changed")
    rows = versions(session, code)
    base_version = rows[-1].version if rows else 0
    document = document_of(session, catalog_dir, code, base_version)
    document[language] = _merge(document.get(language) or {}, patch)
    validate(catalog, code, document)
    row = ServiceVersion(
        service_code=code,
        version=base_version + 1,
        document=document,
        based_on=base_version,
        note=note,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    return row


def publish(
    session: Session, catalog: Catalog, code: str, version: int, actor: str
) -> ServiceVersion:
    """Publish a draft; its author may not (four eyes)."""
    row = get_version(session, code, version)
    if row.published_at is not None:
        raise Conflict(f"version {version} of '{code}' is already published", code="published")
    if row.created_by == actor:
        raise SamePerson("a draft must be published by someone other than its author")
    validate(catalog, code, row.document)
    row.published_by = actor
    row.published_at = utcnow()
    return row


def restore(
    session: Session, catalog: Catalog, catalog_dir: Path, code: str, version: int, actor: str
) -> ServiceVersion:
    """A new draft holding an earlier version's document (0 = the YAML seed)."""
    if catalog.get(code) is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    document = document_of(session, catalog_dir, code, version)
    validate(catalog, code, document)
    rows = versions(session, code)
    row = ServiceVersion(
        service_code=code,
        version=(rows[-1].version if rows else 0) + 1,
        document=document,
        based_on=version,
        note=f"restore of version {version}",
        created_by=actor,
    )
    session.add(row)
    session.flush()
    return row


def version_json(row: ServiceVersion, live: ServiceVersion | None) -> dict[str, Any]:
    if row.published_at is None:
        status = "draft"
    elif live is not None and live.id == row.id:
        status = "published"
    else:
        status = "superseded"
    return {
        "version": row.version,
        "status": status,
        "based_on": row.based_on,
        "note": row.note,
        "languages": sorted(row.document),
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(),
        "published_by": row.published_by,
        "published_at": row.published_at.isoformat() if row.published_at else None,
    }


def stamp(session: Session) -> tuple[int, str]:
    """Changes whenever something is published (cheap: the effective catalog's cache key)."""
    count, newest = session.execute(
        select(func.count(ServiceVersion.id), func.max(ServiceVersion.published_at)).where(
            ServiceVersion.published_at.is_not(None)
        )
    ).one()
    return int(count or 0), str(newest)


def effective_catalog(session: Session, seed: Catalog) -> Catalog:
    """The seed with every service's newest published version in place."""
    codes = session.scalars(
        select(ServiceVersion.service_code)
        .where(ServiceVersion.published_at.is_not(None))
        .distinct()
    ).all()
    if not codes:
        return seed
    services = dict(seed.services)
    translations = {lang: dict(items) for lang, items in seed.translations.items()}
    for code in codes:
        row = published(session, code)
        if row is None or code not in services:
            continue
        try:
            source, translated = validate(seed, code, row.document)
        except InvalidInput:
            continue  # a document that no longer validates (e.g. an office was removed)
        services[code] = source
        for lang, service in translated.items():
            translations.setdefault(lang, {})[code] = service
    return dataclasses.replace(seed, services=services, translations=translations)


def export_yaml(session: Session, seed: Catalog, catalog_dir: Path, out: Path) -> list[Path]:
    """Write the effective catalog as YAML (services/ and i18n/<lang>/) under `out`."""
    written: list[Path] = []
    for code in seed.ordered_codes():
        row = published(session, code)
        document = row.document if row is not None else seed_document(catalog_dir, code)
        for lang, data in document.items():
            folder = out / "services" if lang == SOURCE_LANGUAGE else out / "i18n" / lang
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{code}.yml"
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    for name in ("offices.yml", "units.yml"):  # copied as they are (not versioned)
        source = catalog_dir / name
        if source.exists() and (out / name).resolve() != source.resolve():
            (out / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            written.append(out / name)
    return written
