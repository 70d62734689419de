"""Console sign-in: password + TOTP, enrolment with recovery codes, replay, lockout, CSRF,
idle timeout and sign-out everywhere; create-agent's output contract."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.models import AuditEvent, ConsoleSession, utcnow
from helpdesk.runtime.cli import main as cli_main
from helpdesk.services import agents as agent_service
from helpdesk.web.extensions import database
from tests.console_helpers import (
    PASSWORD,
    csrf,
    forget_last_code,
    make_agent,
    sign_in,
)


def post_login(client: FlaskClient, username: str, password: str, otp: str | None) -> int:
    data = {"csrf_token": csrf(client), "username": username, "password": password}
    if otp is not None:
        data["otp"] = otp
    return client.post("/console/login", data=data).status_code


def signed_in(client: FlaskClient) -> bool:
    return client.get("/console/").status_code == 200


def audit_actions(app: Flask, actor: str) -> list[str]:
    with app.app_context(), database().session() as session:
        return list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.actor == actor)).all()
        )


def test_queue_redirects_to_login_when_signed_out(client: FlaskClient) -> None:
    response = client.get("/console/")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/console/login")


def test_login_page_has_the_contract_fields(client: FlaskClient) -> None:
    page = client.get("/console/login").get_data(as_text=True)
    for name in ('name="username"', 'name="password"', 'name="otp"', 'name="csrf_token"'):
        assert name in page


def test_password_and_code_on_one_form(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    sign_in(client, "sri", secret)
    assert "agent.login" in audit_actions(app, "sri")


def test_code_on_the_page_after_the_password(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    response = client.post(
        "/console/login",
        data={"csrf_token": csrf(client), "username": "sri", "password": PASSWORD},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="otp"' in page
    assert not signed_in(client)
    token = csrf(client, "/console/login")  # same session token
    response = client.post(
        "/console/login/otp", data={"csrf_token": token, "otp": pyotp.TOTP(secret).now()}
    )
    assert response.status_code in (302, 303)
    assert signed_in(client)


def test_wrong_password_or_code_fails(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    assert post_login(client, "sri", "wrong", pyotp.TOTP(secret).now()) == 401
    assert post_login(client, "sri", PASSWORD, "000000") == 401
    assert post_login(client, "nobody", PASSWORD, "123456") == 401
    assert not signed_in(client)


def test_totp_code_is_refused_on_replay(app: Flask) -> None:
    secret = make_agent(app, "sri")
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    assert post_login(first, "sri", PASSWORD, code) in (302, 303)
    assert signed_in(first)
    assert post_login(second, "sri", PASSWORD, code) == 401
    assert not signed_in(second)


def test_enrolment_shows_qr_and_ten_single_use_recovery_codes(
    app: Flask, client: FlaskClient
) -> None:
    secret = make_agent(app, "baru", enrolled=False)
    response = client.post(
        "/console/login",
        data={"csrf_token": csrf(client), "username": "baru", "password": PASSWORD},
    )
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith("/console/login/enrol")
    page = client.get("/console/login/enrol").get_data(as_text=True)
    assert "data:image/svg+xml" in page and secret in page and 'name="otp"' in page
    response = client.post(
        "/console/login/enrol",
        data={"csrf_token": csrf(client, "/console/login/enrol"), "otp": pyotp.TOTP(secret).now()},
    )
    page = response.get_data(as_text=True)
    codes = [line.split("<code>")[1].split("</code>")[0] for line in page.split("<li>")[1:]]
    assert response.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert signed_in(client)
    # A recovery code signs in once, and only once.
    other = app.test_client()
    assert post_login(other, "baru", PASSWORD, codes[0]) in (302, 303)
    assert signed_in(other)
    third = app.test_client()
    assert post_login(third, "baru", PASSWORD, codes[0]) == 401
    assert not signed_in(third)
    with app.app_context(), database().session() as session:
        agent = agent_service.find_agent(session, "baru")
        assert agent is not None
        assert agent_service.unused_recovery_codes(session, agent) == 9


def test_five_failures_lock_for_fifteen_minutes_even_the_right_answer(
    app: Flask, client: FlaskClient
) -> None:
    secret = make_agent(app, "sri")
    for _ in range(5):
        assert post_login(client, "sri", "wrong", None) == 401
    assert post_login(client, "sri", PASSWORD, pyotp.TOTP(secret).now()) == 401
    assert not signed_in(client)
    assert "agent.locked" in audit_actions(app, "sri")
    with app.app_context(), database().session() as session:
        agent = agent_service.find_agent(session, "sri")
        assert agent is not None and agent.locked_until is not None
        remaining = agent.locked_until - utcnow()
        assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
        agent.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
        session.commit()
    forget_last_code(app, "sri")
    sign_in(client, "sri", secret)


def test_wrong_codes_count_towards_the_lockout(app: Flask) -> None:
    make_agent(app, "sri")
    with app.app_context(), database().session() as session:
        for _ in range(4):
            result = agent_service.authenticate(session, "sri", PASSWORD, "111111")
            assert result.outcome == agent_service.SignInOutcome.FAILED
        result = agent_service.authenticate(session, "sri", PASSWORD, "111111")
        assert result.outcome == agent_service.SignInOutcome.LOCKED


def test_state_changing_request_without_csrf_token_is_400(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    response = client.post(
        "/console/login",
        data={"username": "sri", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()},
    )
    assert response.status_code == 400
    forget_last_code(app, "sri")
    sign_in(client, "sri", secret)
    assert client.post("/console/conversations/1/claim").status_code == 400
    assert client.post("/console/logout").status_code == 400


def test_session_cookie_flags_and_security_headers(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    token = csrf(client)
    response = client.post(
        "/console/login",
        data={
            "csrf_token": token,
            "username": "sri",
            "password": PASSWORD,
            "otp": pyotp.TOTP(secret).now(),
        },
    )
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/console/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"


def test_sign_out_everywhere_ends_other_sessions(app: Flask) -> None:
    secret = make_agent(app, "sri")
    one, two = app.test_client(), app.test_client()
    sign_in(one, "sri", secret)
    forget_last_code(app, "sri")
    sign_in(two, "sri", secret)
    assert one.post(
        "/console/logout-everywhere", data={"csrf_token": csrf(one, "/console/")}
    ).status_code in (302, 303)
    assert not signed_in(one) and not signed_in(two)


def test_idle_timeout_signs_out(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    sign_in(client, "sri", secret)
    with app.app_context(), database().session() as session:
        for row in session.scalars(select(ConsoleSession)):
            row.last_seen_at = utcnow() - timedelta(minutes=31)
        session.commit()
    response = client.get("/console/")
    assert response.status_code in (302, 303)
    assert not signed_in(client)


def test_create_agent_prints_credentials_on_its_last_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert cli_main(["create-agent", "budi", "--role", "agent", "--unit", "dukcapil"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    username, password, secret = last.split("\t")
    assert username == "budi" and len(password) >= 12
    assert len(pyotp.TOTP(secret).now()) == 6
    assert cli_main(["create-agent", "x", "--role", "agent", "--unit", "nowhere"]) == 1
