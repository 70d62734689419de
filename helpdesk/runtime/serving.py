"""Two listeners, two thread pools: citizens on one, the action server on the other.

The public listener (`HELPDESK_PORT`) serves citizens, webhooks and staff. The internal
one (`HELPDESK_INTERNAL_PORT` on `HELPDESK_INTERNAL_HOST`, 127.0.0.1 unless a container
network needs otherwise; only `/api/v1/` and `/healthz`) serves
the action server's calls during an engine turn. A turn started by a citizen's request
therefore never waits for a thread that only frees when that turn ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

PATH_KEY = "PATH_INFO"  # the WSGI request path
INTERNAL_PREFIXES = ("/api/v1/", "/healthz")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def internal_only(app: WSGIApp) -> WSGIApp:
    """Let through the REST API and the health route; everything else is 404."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get(PATH_KEY) or "")
        if path.startswith(INTERNAL_PREFIXES):
            return app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error": {"code": "not_found", "message": "internal listener: API only"}}']

    return wrapped


IDLE_CONNECTION_SECONDS = 30  # an idle keep-alive connection is closed after this


def serve(
    app: Flask,
    *,
    host: str,
    port: int,
    threads: int,
    internal_port: int = 0,
    internal_host: str = "127.0.0.1",
    internal_threads: int = 8,
    max_request_body_size: int = 2 * 1024 * 1024,
    connection_limit: int = 1000,
) -> None:
    """Serve `app` until interrupted; with `internal_port`, on a second pool as well.

    Waitress accepts at most `connection_limit` open connections (its default is 100) and
    keeps an idle keep-alive connection for IDLE_CONNECTION_SECONDS: measured with 100 web
    chat citizens at once, the default limit stalled the rest for waitress's 120 s idle
    timeout (3.2 messages/s instead of ~34).
    """
    from waitress.server import create_server

    limit = max_request_body_size  # waitress's own cap (default 1 GiB): bodylimit.server_limit
    public = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="halo-warga",
        max_request_body_size=limit,
        connection_limit=connection_limit,
        channel_timeout=IDLE_CONNECTION_SECONDS,
    )
    if internal_port:
        internal = create_server(
            internal_only(app),
            host=internal_host,
            port=internal_port,
            threads=internal_threads,
            ident="halo-warga-internal",
            max_request_body_size=limit,
        )
        threading.Thread(target=internal.run, name="internal-listener", daemon=True).start()
    public.run()
