"""`/api/v1/services`: the public-service catalog the bot answers from, in four languages."""

from __future__ import annotations

from flask import Response, jsonify, request

from helpdesk.api import bp
from helpdesk.api.auth import require_token
from helpdesk.catalog import CATALOG_LANGUAGES, SOURCE_LANGUAGE
from helpdesk.extensions import catalog
from helpdesk.services.errors import InvalidInput, NotFound


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
    """Every service, short form, in `?lang=` (id, jv, su, en)."""
    language = _language()
    cat = catalog()
    body = {"region": cat.region, "language": language, "items": cat.summaries(language)}
    return _conditional(jsonify(body))


@bp.get("/services/<code>")
@require_token
def get_service(code: str) -> Response:
    """One service in full in `?lang=`, its office resolved."""
    payload = catalog().service_payload(code, _language())
    if payload is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    return _conditional(jsonify(payload))


def _conditional(response: Response) -> Response:
    """ETag from the body; `If-None-Match` with it gets 304 (the actions revalidate so)."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)  # in place: 304 and no body on a match
    return response
