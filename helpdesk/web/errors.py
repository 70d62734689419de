"""One shape for every machine-facing error: `{"error": {"code": ..., "message": ...}}`."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from helpdesk.services.errors import ServiceError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str) -> tuple[Response, int]:
    """The JSON error every API and web-chat route returns."""
    return jsonify({"error": {"code": code, "message": message}}), status


def handle_service_error(exc: ServiceError) -> tuple[Response, int]:
    """Domain refusals (not found, invalid input, conflict)."""
    return error_response(exc.status, exc.code, exc.message)


def wants_json() -> bool:
    """JSON errors for the API, web chat, webhooks and health; HTML elsewhere."""
    return request.path.startswith(("/api/", "/webchat/", "/webhooks/", "/healthz"))


def handle_http_error(exc: HTTPException) -> tuple[Response, int] | HTTPException:
    """404/405/415... as JSON on machine routes."""
    if not wants_json():
        return exc
    code = (exc.name or "error").lower().replace(" ", "_")
    response, status = error_response(exc.code or 500, code, exc.description or exc.name)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # RFC 9110: 405 says which
    return response, status


def handle_unexpected(exc: Exception) -> tuple[Response, int]:
    """Anything else: log it, tell the client plainly, leak nothing."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "Internal error; it has been logged.")


def register_error_handlers(app: Flask) -> None:
    """Install the JSON error handlers on the app."""
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
