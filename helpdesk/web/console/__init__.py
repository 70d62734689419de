"""The agent console (`/console/`): server-rendered pages over `helpdesk.services`.

Sessions with Flask-Login (password + TOTP, see `auth.py`), CSRF on every state-changing
request with Flask-WTF, Indonesian by default and English with Flask-Babel, live updates
by htmx polling (vendored, pinned `static/htmx-2.0.4.min.js`).

Other areas add their pages as their own modules: a blueprint (or routes on `bp`) whose
templates `{% extends "console/base.html" %}` and whose views use `current_agent()`,
`require_role(...)` and `helpdesk.services.desk.get_for_agent()` for unit scope.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Blueprint, Flask, Response, g, render_template, request, session
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect

from helpdesk.services.errors import ServiceError

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()

LANGUAGES = ("id", "en")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)


def select_locale() -> str:
    """`?lang=` (remembered in the session), else the browser's preference, else Indonesian."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES, default="id") or "id"


def init_console(app: Flask) -> None:
    """Bind the console's extensions and register its blueprint on the app."""
    from helpdesk.web.console import (  # noqa: F401 (routes)
        accountability,
        admin,
        applications,
        auth,
        casedesk,
        complaints,
        dashboard,
        filters,
        learn,
        pages,
        privacy,
        requests,
    )

    settings = app.extensions["settings"]
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # only the console is checked (see _protect)
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console_cookie_secure,
        SESSION_COOKIE_NAME="halo_warga_session",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.console_idle_minutes),
        BABEL_DEFAULT_LOCALE="id",
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent / "translations"),
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "console.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    babel.init_app(app, locale_selector=select_locale, default_domain="messages")
    app.register_blueprint(bp)


@bp.before_request
def _protect() -> None:
    """CSRF check on every state-changing console request (400 without a valid token)."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


@bp.after_request
def _security_headers(response: Response) -> Response:
    """Console pages are never framed, sniffed, cached or allowed foreign scripts."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if not request.path.startswith("/console/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> tuple[str, int]:
    """Domain refusals as a console page (or a fragment for htmx requests)."""
    return _error_page(exc.status, exc.message)


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    return _error_page(400, str(exc.description))


def _error_page(status: int, message: str) -> tuple[str, int]:
    template = "console/_error.html" if request.headers.get("HX-Request") else "console/error.html"
    g.error_status = status
    return render_template(template, status=status, message=message), status
