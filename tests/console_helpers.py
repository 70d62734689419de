"""Helpers for console tests: agents with known credentials, CSRF tokens, signing in."""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.models import Agent, AgentRole, Channel, Conversation
from helpdesk.services import agents as agent_service
from helpdesk.services import conversations as convs
from helpdesk.services.agents import seal_secret
from helpdesk.web.extensions import database

PASSWORD = "correct horse battery"
UNITS = frozenset({"umum", "dukcapil", "perizinan", "pajak"})

_CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def make_agent(
    app: Flask,
    username: str,
    role: AgentRole | str = AgentRole.AGENT,
    units: tuple[str, ...] = ("dukcapil",),
    *,
    enrolled: bool = True,
) -> str:
    """Create an agent with `PASSWORD`; returns its TOTP secret."""
    secret = pyotp.random_base32()
    with app.app_context(), database().session() as session:
        created = agent_service.create_agent(
            session, username, role, units, UNITS, password=PASSWORD, totp_secret=secret
        )
        if enrolled:
            from helpdesk.models import utcnow

            created.agent.totp_confirmed_at = utcnow()
        session.commit()
    return secret


def csrf(client: FlaskClient, path: str = "/console/login") -> str:
    """The CSRF token from a console page."""
    page = client.get(path).get_data(as_text=True)
    match = _CSRF_RE.search(page)
    assert match, f"no csrf token on {path}"
    return match.group(1) or match.group(2)


def sign_in(client: FlaskClient, username: str, secret: str) -> None:
    """Password and current TOTP code on the sign-in form; asserts success."""
    token = csrf(client)
    response = client.post(
        "/console/login",
        data={
            "csrf_token": token,
            "username": username,
            "password": PASSWORD,
            "otp": pyotp.TOTP(secret).now(),
        },
    )
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:500]
    assert client.get("/console/").status_code == 200


def forget_last_code(app: Flask, username: str) -> None:
    """Let the same agent sign in again within one 30-second step (tests only)."""
    with app.app_context(), database().session() as session:
        agent = agent_service.find_agent(session, username)
        assert agent is not None
        agent.totp_last_counter = None
        session.commit()


def pending_conversation(
    app: Flask, unit: str | None = "dukcapil", user: str = "citizen-1", text: str = "halo"
) -> int:
    """A conversation waiting in `unit`'s queue with one citizen message."""
    from helpdesk.models import Sender

    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.WEBCHAT, user)
        convs.add_message(session, conversation, Sender.CITIZEN, text)
        convs.hand_off(session, conversation, "citizen_request", unit_code=unit)
        session.commit()
        return conversation.id


def agent_id(app: Flask, username: str) -> int:
    with app.app_context(), database().session() as session:
        agent = agent_service.find_agent(session, username)
        assert agent is not None
        return agent.id


def conversation_state(app: Flask, conversation_id: int) -> Conversation:
    with app.app_context(), database().session() as session:
        conversation = session.get(Conversation, conversation_id)
        assert conversation is not None
        session.expunge(conversation)
        return conversation


__all__ = ["Agent", "seal_secret"]
