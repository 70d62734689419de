"""The action server: rasa-sdk's Sanic app behind a shared secret and body caps.

`python -m actions.server --port 5055` (what `make run` starts). Differences from
`python -m rasa_sdk`:
- it listens on 127.0.0.1 unless `ACTION_SERVER_HOST` says otherwise (rasa-sdk: 0.0.0.0);
- every route but `/health` needs the header `X-Action-Secret: $ACTION_SERVER_SECRET`
  (the engine sends it: `bot/endpoints.yml` `headers`). The header is checked right after
  routing, before the body is even read; without a configured secret nothing is served;
- bodies are capped (`ACTION_SERVER_MAX_BODY_BYTES`, default 2 MiB) before and after
  deflate: rasa-sdk would inflate a deflate body without any limit.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import zlib
from functools import partial
from typing import Any

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

SECRET_HEADER = "X-Action-Secret"
DEFAULT_MAX_BODY = 2 * 1024 * 1024
OPEN_PATHS = frozenset({"/health"})

log = logging.getLogger(__name__)


class Unauthorized(SanicException):
    """No or wrong shared secret."""

    status_code = 401
    quiet = True


def _secret() -> str:
    return os.environ.get("ACTION_SERVER_SECRET", "").strip()


def _max_body() -> int:
    raw = os.environ.get("ACTION_SERVER_MAX_BODY_BYTES", "").strip()
    return int(raw) if raw else DEFAULT_MAX_BODY


def authorized(given: str | None, secret: str) -> bool:
    """Constant-time comparison; an unset secret authorizes nobody."""
    return bool(secret) and given is not None and hmac.compare_digest(given, secret)


def inflated_size_ok(body: bytes, limit: int) -> bool:
    """Whether a deflate body inflates to at most `limit` bytes (never inflating more)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error:
        return True  # not valid deflate: rasa-sdk answers it with its own error
    return len(out) <= limit and not inflater.unconsumed_tail


def guard(app: Sanic, secret: str, max_body: int) -> Sanic:
    """Install the secret check (before the body is read) and the body caps on `app`."""
    app.config.REQUEST_MAX_SIZE = max_body

    @app.signal("http.routing.after")
    async def _check_secret(request: Request, **_: Any) -> None:
        if request.path in OPEN_PATHS:
            return
        if not authorized(request.headers.get(SECRET_HEADER), secret):
            raise Unauthorized("missing or wrong action server secret")

    @app.exception(SanicException)
    async def _refusal(_request: Request, exc: SanicException) -> HTTPResponse:
        # rasa-sdk turns every exception into a logged 500; keep 401/413 what they are.
        return response.json({"error": str(exc)}, status=exc.status_code)

    @app.on_request
    async def _cap_inflated(request: Request) -> HTTPResponse | None:
        if request.headers.get("Content-Encoding") == "deflate" and not inflated_size_ok(
            request.body, max_body
        ):
            return response.json({"error": "payload too large"}, status=413)
        return None

    return app


def create_guarded_app(action_package: str, secret: str, max_body: int) -> Sanic:
    """rasa-sdk's app for `action_package`, guarded (module-level: Sanic pickles it)."""
    from rasa_sdk.endpoint import create_app_for_serve
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package(action_package)
    app = create_app_for_serve(executor, cors_origins=[])
    return guard(app, secret, max_body)


def main(argv: list[str] | None = None) -> None:
    """Run the guarded action server until stopped."""
    from helpdesk.text.redaction import install as install_log_redaction

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_SERVER_PORT", 5055)))
    parser.add_argument("--host", default=os.environ.get("ACTION_SERVER_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_redaction()
    secret = _secret()
    if not secret:
        raise SystemExit("ACTION_SERVER_SECRET is not set: the action server refuses to start")
    loader = AppLoader(factory=partial(create_guarded_app, args.actions, secret, _max_body()))
    app = loader.load()
    app.prepare(host=args.host, port=args.port, workers=1, access_log=False)
    log.info("action server listening on http://%s:%s", args.host, args.port)
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
