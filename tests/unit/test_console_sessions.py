"""Console sessions end on the server (issue 21, item 2): sign-out revokes the session id the
cookie carries, so the old cookie replayed afterwards is sent to the sign-in page; idle and
absolute lifetimes are checked on the server, not only in the cookie."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from helpdesk.models import ConsoleSession, utcnow
from helpdesk.web.extensions import database
from tests.console_helpers import csrf, forget_last_code, make_agent, sign_in

COOKIE = "halo_warga_session"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, value: str) -> int:
    """A fresh browser carrying a copied cookie: the status of the queue page."""
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other.get("/console/").status_code


def test_a_cookie_replayed_after_sign_out_is_sent_to_sign_in(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri"))
    stolen = _cookie(client)
    assert _replay(app, stolen) == 200  # the copy works while the session lives
    assert client.post(
        "/console/logout", data={"csrf_token": csrf(client, "/console/")}
    ).status_code in (302, 303)
    replayed = app.test_client()
    replayed.set_cookie(COOKIE, stolen)
    response = replayed.get("/console/")
    assert response.status_code in (302, 303)
    assert "/console/login" in response.headers["Location"]
    assert replayed.get("/console/conversations/1").status_code in (302, 303)


def _age_sessions(app: Flask, **ages: timedelta) -> None:
    with app.app_context(), database().session() as session:
        values = {column: utcnow() - age for column, age in ages.items()}
        session.execute(update(ConsoleSession).values(**values))
        session.commit()


def test_idle_lifetime_is_checked_on_the_server(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri"))
    stolen = _cookie(client)
    _age_sessions(app, last_seen_at=timedelta(minutes=31))  # CONSOLE_IDLE_MINUTES=30
    assert _replay(app, stolen) in (302, 303)
    assert client.get("/console/").status_code in (302, 303)


def test_absolute_lifetime_ends_a_busy_session(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri"))
    _age_sessions(app, created_at=timedelta(hours=12, minutes=1))  # CONSOLE_SESSION_HOURS=12
    assert client.get("/console/").status_code in (302, 303)


def test_a_cookie_without_a_session_id_is_not_signed_in(app: Flask) -> None:
    """A cookie signed with the right key but carrying no server-side session id (the shape
    every console cookie had before) no longer signs anyone in."""
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri"))
    with client.session_transaction() as session:
        session.pop("console_sid", None)
    assert client.get("/console/").status_code in (302, 303)


def test_purge_deletes_ended_sessions_and_keeps_live_ones(app: Flask) -> None:
    from helpdesk.services import console_sessions

    ended, live = app.test_client(), app.test_client()
    secret = make_agent(app, "sri")
    sign_in(ended, "sri", secret)
    forget_last_code(app, "sri")
    sign_in(live, "sri", secret)
    ended.post("/console/logout", data={"csrf_token": csrf(ended, "/console/")})
    lifetimes = console_sessions.Lifetimes(timedelta(minutes=30), timedelta(hours=12))
    with app.app_context(), database().session() as session:
        assert console_sessions.purge(session, lifetimes) == 1
        session.commit()
    assert live.get("/console/").status_code == 200
