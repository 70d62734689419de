"""Bodies over the limit (1 MiB) get 413 with a JSON error on every route.

Three layers: a declared Content-Length over the limit is refused before the view runs
(even on routes that never read a body); chunked bodies are cut by Flask's
MAX_CONTENT_LENGTH while they are read; waitress itself refuses anything larger than
`server_limit()` before the app sees it (its own plain 413).
"""

from __future__ import annotations

import io

from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from helpdesk.web.errors import error_response


def server_limit(max_body_bytes: int, upload_max_bytes: int = 0) -> int:
    """waitress's `max_request_body_size`: above the app's own limits, so that every body
    the app can refuse gets the JSON 413, and none is ever 1 GiB."""
    return max(2 * max_body_bytes, upload_max_bytes + UPLOAD_OVERHEAD)


UPLOAD_OVERHEAD = 64 * 1024  # multipart framing around an upload


def too_large(limit: int) -> tuple[Response, int]:
    """The 413 every route answers."""
    return error_response(413, "payload_too_large", f"Request bodies are limited to {limit} bytes.")


def init_app(app: Flask, limit: int, larger_limits: dict[str, int] | None = None) -> None:
    """Refuse declared oversized bodies early; make every 413 JSON.

    `larger_limits` names the endpoints with a larger limit of their own (the web chat's
    file upload: UPLOAD_MAX_BYTES); everything else gets `limit`.
    """
    larger_limits = larger_limits or {}

    @app.before_request
    def _refuse_large_body() -> tuple[Response, int] | None:
        allowed = larger_limits.get(request.endpoint or "", limit)
        length = request.content_length
        if length is not None and length > allowed:
            return too_large(allowed)
        if length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
            # No declared length (a server that passes chunked bodies through): read at
            # most limit + 1 bytes ourselves; werkzeug would silently cut the body instead.
            environ = request.environ
            data = environ["wsgi.input"].read(allowed + 1)
            if len(data) > allowed:
                return too_large(allowed)
            environ["wsgi.input"] = io.BytesIO(data)
            environ.update({"CONTENT_LENGTH": str(len(data))})  # WSGI, not a setting
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            request.__dict__.pop("stream", None)
            request.__dict__.pop("content_length", None)
        return None

    @app.errorhandler(RequestEntityTooLarge)
    def _json_413(_exc: RequestEntityTooLarge) -> tuple[Response, int]:
        return too_large(larger_limits.get(request.endpoint or "", limit))
