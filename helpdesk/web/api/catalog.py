"""`/api/v1/services`: the public-service catalog the bot answers from, in four languages."""

from __future__ import annotations

from flask import Response, jsonify, request

from helpdesk.catalog import CATALOG_LANGUAGES, SOURCE_LANGUAGE
from helpdesk.services import audit, catalog_versions
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.web.api import bp
from helpdesk.web.api.auth import current_actor, require_staff, require_token
from helpdesk.web.api.body import json_object
from helpdesk.web.extensions import (
    catalog,
    catalog_dir,
    catalog_published,
    database,
    seed_catalog,
    settings,
)


def _language() -> str:
    """The `?lang=` query parameter (default Indonesian); 422 for a language we lack."""
    raw = request.args.get("lang", "").strip().lower()
    if not raw:
        return SOURCE_LANGUAGE
    if raw not in CATALOG_LANGUAGES:
        allowed = ", ".join(CATALOG_LANGUAGES)
        raise InvalidInput(f"lang must be one of: {allowed}", code="unsupported_language")
    return raw


@bp.get("/services")
@require_token
def list_services() -> Response:
    """Every service, short form, in `?lang=` (id, jv, su, en), each with every name citizens
    use for it, and the services other agencies handle (`elsewhere`): the action server
    builds its service resolver from this payload."""
    language = _language()
    cat = catalog()
    body = {
        "region": cat.region,
        "language": language,
        "items": cat.summaries(language),
        "elsewhere": cat.elsewhere_payload(language),
    }
    return _conditional(jsonify(body))


@bp.get("/services/<code>")
@require_token
def get_service(code: str) -> Response:
    """One service in full in `?lang=`, its office resolved, with the public URL of its page
    in the service directory (`page_url`, linked from the bot's answers)."""
    language = _language()
    payload = catalog().service_payload(code, language)
    if payload is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    base = settings().public_base_url
    suffix = "" if language == SOURCE_LANGUAGE else f"?lang={language}"
    payload["page_url"] = f"{base}/layanan/{code}{suffix}"
    return _conditional(jsonify(payload))


def _conditional(response: Response) -> Response:
    """ETag from the body; `If-None-Match` with it gets 304 (the actions revalidate so)."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)  # in place: 304 and no body on a match
    return response


# --- editing without a deploy: drafts, publication by a second person, versions ---------


def _versions_payload(code: str) -> dict[str, object]:
    session = database().request_session()
    live = catalog_versions.published(session, code)
    rows = catalog_versions.versions(session, code)
    seed = {
        "version": 0,
        "status": "seed" if live is not None else "published",
        "based_on": None,
        "note": "data/catalog/ (YAML seed)",
        "created_by": "data/catalog",
        "created_at": None,
        "published_by": None,
        "published_at": None,
    }
    items = [seed] + [catalog_versions.version_json(r, live) for r in rows]
    return {"service": code, "live_version": live.version if live else 0, "items": items}


@bp.patch("/services/<code>")
@require_token
@require_staff
def patch_service(code: str) -> tuple[Response, int]:
    """Part of one language's service document (`?lang=`, default id) -> a new draft
    `{"version": ...}`; lists are replaced whole, `null` removes a field."""
    language = _language()
    data = json_object()
    note = data.pop("_note", None)
    session = database().request_session()
    row = catalog_versions.create_draft(
        session,
        seed_catalog(),
        catalog_dir(),
        code,
        language,
        data,
        current_actor(),
        note if isinstance(note, str) else None,
    )
    audit.record(session, current_actor(), "catalog.draft", "service", code, str(row.version))
    session.commit()
    live = catalog_versions.published(session, code)
    return jsonify(catalog_versions.version_json(row, live)), 201


@bp.get("/services/<code>/versions")
@require_token
@require_staff
def service_versions(code: str) -> Response:
    """Every version with who and when; version 0 is the YAML seed."""
    if seed_catalog().get(code) is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    return jsonify(_versions_payload(code))


@bp.get("/services/<code>/versions/<int:version>")
@require_token
@require_staff
def service_version(code: str, version: int) -> Response:
    """One version's full document (every language)."""
    if seed_catalog().get(code) is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    session = database().request_session()
    document = catalog_versions.document_of(session, catalog_dir(), code, version)
    return jsonify({"service": code, "version": version, "document": document})


@bp.post("/services/<code>/versions/<int:version>/publish")
@require_token
@require_staff
def publish_version(code: str, version: int) -> Response:
    """Publish a draft; the publisher must differ from its author (another token name)."""
    session = database().request_session()
    row = catalog_versions.publish(session, seed_catalog(), code, version, current_actor())
    audit.record(session, current_actor(), "catalog.publish", "service", code, str(version))
    session.commit()
    catalog_published()
    return jsonify(catalog_versions.version_json(row, row))


@bp.post("/services/<code>/versions/<int:version>/restore")
@require_token
@require_staff
def restore_version(code: str, version: int) -> tuple[Response, int]:
    """A new draft with an earlier version's document (0 = the YAML seed), to be published."""
    session = database().request_session()
    row = catalog_versions.restore(
        session, seed_catalog(), catalog_dir(), code, version, current_actor()
    )
    audit.record(session, current_actor(), "catalog.restore", "service", code, str(version))
    session.commit()
    live = catalog_versions.published(session, code)
    return jsonify(catalog_versions.version_json(row, live)), 201
