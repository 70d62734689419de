"""Sign-in (password, then TOTP; enrolment with a QR code on the first sign-in), sign-out,
server-side sessions (`helpdesk.services.console_sessions`: sign-out revokes, idle and
absolute lifetimes checked on every request), and the helpers every console view uses:
`current_agent()`, `require_role`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

import segno
from flask import abort, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from helpdesk.models import Agent, AgentRole
from helpdesk.services import agents as agent_service
from helpdesk.services import console_sessions
from helpdesk.services.agents import SignIn, SignInOutcome
from helpdesk.web.console import bp, login_manager
from helpdesk.web.extensions import database, settings

P = ParamSpec("P")
R = TypeVar("R")

PENDING_SECONDS = 300  # between the right password and the code
SESSION_KEY = "console_sid"  # the cookie's random id of the server-side session


class ConsoleUser(UserMixin):
    """Flask-Login's view of an agent; the id carries the session version (sign-out
    everywhere changes it, so every older session stops being valid)."""

    def __init__(self, agent: Agent) -> None:
        self.agent = agent

    def get_id(self) -> str:
        return f"{self.agent.id}:{self.agent.session_version}"


@login_manager.user_loader
def _load_user(user_id: str) -> ConsoleUser | None:
    agent_id, _, version = user_id.partition(":")
    if not agent_id.isdigit() or not version.isdigit():
        return None
    db = database().request_session()
    agent = db.get(Agent, int(agent_id))
    if agent is None or not agent.active or agent.session_version != int(version):
        return None
    live = console_sessions.check(db, session.get(SESSION_KEY), agent.id, _lifetimes())
    if live is None:
        db.commit()  # an expired session is recorded as ended
        return None
    g.console_session = live
    return ConsoleUser(agent)


def _lifetimes() -> console_sessions.Lifetimes:
    return console_sessions.Lifetimes(
        idle=timedelta(minutes=settings().console_idle_minutes),
        absolute=timedelta(hours=settings().console_session_hours),
    )


def current_agent() -> Agent:
    """The signed-in agent (use inside `login_required` views)."""
    user = current_user._get_current_object()  # noqa: SLF001 (werkzeug LocalProxy)
    if not isinstance(user, ConsoleUser):
        abort(401)
    return user.agent


def require_role(*roles: AgentRole) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: signed in and one of `roles`, else 403 (redirect to sign-in if signed out)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_agent().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def passive(view: Callable[P, R]) -> Callable[P, R]:
    """Mark a polling view: it does not count as activity for the idle timeout."""
    view.console_passive = True  # type: ignore[attr-defined]
    return view


@bp.before_request
def _idle_timeout() -> ResponseReturnValue | None:
    """A cookie whose server-side session ended (sign-out, `CONSOLE_IDLE_MINUTES` without a
    real action, `CONSOLE_SESSION_HOURS` since sign-in) is signed out; a real action (not
    polling) restarts the idle clock on the server."""
    if not current_user.is_authenticated:
        open_endpoints = ("console.login", "console.login_otp", "console.enrol", "console.static")
        if session.get(SESSION_KEY) and request.endpoint not in open_endpoints:
            session.clear()
            if request.headers.get("HX-Request"):
                return "", 401, {"HX-Redirect": url_for("console.login")}
            return redirect(url_for("console.login", expired=1))
        return None
    view = bp.view_functions.get((request.endpoint or "").removeprefix("console."))
    live = g.get("console_session")
    if live is not None and not getattr(view, "console_passive", False):
        db = database().request_session()
        console_sessions.touch(db, live)
        db.commit()
    return None


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/console") and not urlsplit(target).netloc:
        return target
    return url_for("console.queue")


def _finish(agent: Agent) -> None:
    db = database().request_session()
    token = console_sessions.start(db, agent)
    db.commit()
    session.pop("pending_agent", None)
    session.pop("pending_at", None)
    session.permanent = True
    session[SESSION_KEY] = token
    login_user(ConsoleUser(agent))


def _remember_pending(agent: Agent) -> None:
    session["pending_agent"] = agent.id
    session["pending_at"] = time.time()


def _pending_agent() -> Agent | None:
    agent_id = session.get("pending_agent")
    started = float(session.get("pending_at", 0))
    if not agent_id or time.time() - started > PENDING_SECONDS:
        return None
    return database().request_session().get(Agent, int(agent_id))


def _failure_page(result: SignIn, template: str = "console/login.html") -> tuple[str, int]:
    if result.outcome == SignInOutcome.LOCKED:
        message = _("Akun ini dikunci sementara setelah 5 kali gagal masuk. Coba lagi nanti.")
    else:
        message = _("Nama pengguna, kata sandi, atau kode tidak cocok.")
    return render_template(template, error=message, username=request.form.get("username", "")), 401


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Step one: user name and password (and the code, if the agent gives it here)."""
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("console.queue"))
        return render_template("console/login.html", expired=bool(request.args.get("expired")))
    db = database().request_session()
    result = agent_service.authenticate(
        db,
        request.form.get("username", ""),
        request.form.get("password", ""),
        request.form.get("otp") or None,
    )
    db.commit()
    agent = result.agent
    if result.outcome == SignInOutcome.OK and agent is not None and result.enrolled:
        codes = agent_service.new_recovery_codes(db, agent)
        db.commit()
        _finish(agent)
        return render_template("console/recovery_codes.html", codes=codes)
    if result.outcome == SignInOutcome.OK and agent is not None:
        _finish(agent)
        if result.used_recovery_code:
            session["recovery_notice"] = agent_service.unused_recovery_codes(db, agent)
        return redirect(_safe_next(request.args.get("next")))
    if result.outcome == SignInOutcome.NEED_OTP and agent is not None:
        _remember_pending(agent)
        return render_template("console/otp.html", next=request.args.get("next", ""))
    if result.outcome == SignInOutcome.NEED_ENROLMENT and agent is not None:
        _remember_pending(agent)
        return redirect(url_for("console.enrol"))
    return _failure_page(result)


@bp.post("/login/otp")
def login_otp() -> ResponseReturnValue:
    """Step two: the 6-digit code (or a recovery code)."""
    agent = _pending_agent()
    if agent is None:
        return redirect(url_for("console.login", expired=1))
    db = database().request_session()
    result = agent_service.second_factor(db, agent, request.form.get("otp", ""))
    db.commit()
    if result.outcome != SignInOutcome.OK:
        if result.outcome == SignInOutcome.LOCKED:
            session.pop("pending_agent", None)
        return _failure_page(result, "console/otp.html")
    _finish(agent)
    if result.used_recovery_code:
        session["recovery_notice"] = agent_service.unused_recovery_codes(db, agent)
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> ResponseReturnValue:
    """First sign-in: scan the QR code, confirm with a code, get 10 recovery codes."""
    agent = _pending_agent()
    if agent is None or agent.totp_confirmed_at is not None:
        return redirect(url_for("console.login", expired=1))
    uri = agent_service.provisioning_uri(agent)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    secret = agent_service.totp_secret_of(agent)
    if request.method == "GET":
        return render_template("console/enrol.html", qr=qr, secret=secret)
    db = database().request_session()
    result = agent_service.second_factor(db, agent, request.form.get("otp", ""))
    if result.outcome != SignInOutcome.OK:
        db.commit()
        page = render_template(
            "console/enrol.html",
            qr=qr,
            secret=secret,
            error=_("Kode tidak cocok. Periksa jam ponsel Anda dan coba lagi."),
        )
        return page, 401
    codes = agent_service.new_recovery_codes(db, agent)
    db.commit()
    _finish(agent)
    return render_template("console/recovery_codes.html", codes=codes)


@bp.post("/recovery-codes")
@login_required
def regenerate_recovery_codes() -> ResponseReturnValue:
    """Ten new recovery codes (the old ones stop working)."""
    db = database().request_session()
    agent = current_agent()
    codes = agent_service.new_recovery_codes(db, agent)
    from helpdesk.services import audit

    audit.record(db, agent.username, "agent.recovery_codes", "agent", agent.id)
    db.commit()
    return render_template("console/recovery_codes.html", codes=codes)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out of this browser: its server-side session ends (a copied cookie dies too)."""
    db = database().request_session()
    console_sessions.end(db, session.get(SESSION_KEY))
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("console.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> ResponseReturnValue:
    """Sign out of every browser this agent is signed in on."""
    db = database().request_session()
    agent_service.sign_out_everywhere(db, current_agent())
    console_sessions.end_all(db, current_agent())
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("console.login"))


@bp.app_context_processor
def _console_globals() -> dict[str, object]:
    agent = None
    if request.blueprint == "console" and current_user.is_authenticated:
        agent = current_agent()
    return {"agent": agent, "AgentRole": AgentRole, "get_locale": get_locale}
