"""Hardening: response headers, body and rate limits, security events, log redaction,
retention. `install(app, settings)` wires the web-facing parts into the Flask app."""

from __future__ import annotations

from flask import Flask

from helpdesk.infra.config import Settings


def install(app: Flask, settings: Settings) -> None:
    """Body limit (413 JSON on every route), trusted hosts, security headers, rate limits."""
    from helpdesk.web.security import bodylimit, headers, ratelimit

    settings.check_production()
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    if settings.trusted_hosts:
        app.config["TRUSTED_HOSTS"] = list(settings.trusted_hosts)
    if settings.proxy_fix_x_for > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.proxy_fix_x_for
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    bodylimit.init_app(
        app,
        settings.max_body_bytes,
        # The widget's file upload has its own limit (UPLOAD_MAX_BYTES, checked by content).
        {
            "webchat.upload_attachment": settings.upload_max_bytes + bodylimit.UPLOAD_OVERHEAD,
            "apply.submit": settings.upload_max_bytes + bodylimit.UPLOAD_OVERHEAD,
        },
    )
    headers.init_app(app)
    app.extensions["rate_limits"] = ratelimit.RateLimits.from_settings(settings)
