"""`/api/v1/services`: the public-service catalog the bot answers from."""

from __future__ import annotations

from flask import Response, jsonify

from helpdesk.api import bp
from helpdesk.api.auth import require_token
from helpdesk.extensions import catalog
from helpdesk.services.errors import NotFound


@bp.get("/services")
@require_token
def list_services() -> Response:
    """Every service, short form."""
    cat = catalog()
    return jsonify({"region": cat.region, "items": cat.summaries()})


@bp.get("/services/<code>")
@require_token
def get_service(code: str) -> Response:
    """One service in full, its office resolved."""
    payload = catalog().service_payload(code)
    if payload is None:
        raise NotFound(f"no service '{code}'", code="service_not_found")
    return jsonify(payload)
