"""Security response headers on every response (HTML pages get a strict CSP)."""

from __future__ import annotations

from flask import Flask, Response, request

# No inline script anywhere (the widget and the console load their scripts from 'self').
# Inline styles stay allowed: they cannot run code.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors {frame_ancestors}"
)


def apply(response: Response) -> Response:
    """Add the headers (never overriding what a view set on purpose)."""
    h = response.headers
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    console = request.path.startswith("/console")
    if console:
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Cache-Control", "no-store")
    if response.mimetype == "text/html" or console:
        h.setdefault(
            "Content-Security-Policy", CSP.format(frame_ancestors="'none'" if console else "'self'")
        )
    return response


def init_app(app: Flask) -> None:
    """Install the after-request hook."""
    app.after_request(apply)
