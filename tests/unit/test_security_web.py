"""Findings 3, 4, 7, 9, 10 and the response headers, against the Flask app (engine faked)."""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from waitress.server import create_server

from helpdesk.conversation.base import BotReply
from helpdesk.infra.config import InsecureConfiguration, Settings
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Conversation, SecurityEvent, utcnow
from helpdesk.runtime.app import create_app
from helpdesk.services import requests as service_requests
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database
from helpdesk.web.security.bodylimit import server_limit
from helpdesk.web.security.ratelimit import RateLimits
from tests.conftest import FakeEngine, make_settings
from tests.stackutil import unavailable

MIB = 1024 * 1024


def new_session(client: FlaskClient, **environ: str) -> str:
    response = client.post("/webchat/sessions", json={}, environ_base=environ)
    assert response.status_code == 201, response.get_json()
    session_id: str = response.get_json()["session_id"]
    return session_id


def make_app(database_url: str, engine: FakeEngine | None = None, **overrides: Any) -> Flask:
    app = create_app(make_settings(database_url, **overrides), bot_engine=engine or FakeEngine())
    with app.app_context():
        upgrade(database().engine)
    return app


# --- finding 3: bodies over 1 MiB get 413 (JSON) on every route --------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/webchat/sessions/{sid}/messages"),
        ("POST", "/webchat/sessions"),
        ("POST", "/api/v1/requests"),
        ("POST", "/webhooks/telegram"),
        ("POST", "/webhooks/whatsapp"),
        ("GET", "/"),
        ("GET", "/healthz"),
        ("POST", "/no/such/route"),
    ],
)
def test_finding3_bodies_over_1mib_get_413_json_on_every_route(
    client: FlaskClient, auth: dict[str, str], method: str, path: str
) -> None:
    sid = new_session(client)
    body = b'{"text": "' + b"x" * MIB + b'"}'
    response = client.open(
        path.format(sid=sid),
        method=method,
        data=body,
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_finding3_a_body_just_under_the_limit_is_still_read(client: FlaskClient) -> None:
    sid = new_session(client)
    body = b'{"text": "halo", "padding": "' + b"x" * (MIB - 100) + b'"}'
    response = client.post(
        f"/webchat/sessions/{sid}/messages", data=body, content_type="application/json"
    )
    assert response.status_code == 200


def test_finding3_chunked_bodies_are_cut_at_the_limit(client: FlaskClient) -> None:
    sid = new_session(client)
    response = client.post(
        f"/webchat/sessions/{sid}/messages",
        input_stream=io.BytesIO(b'{"text": "' + b"x" * (2 * MIB) + b'"}'),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_base={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app behind real waitress with the limits `helpdesk serve` uses."""
    server = create_server(
        app,
        host="127.0.0.1",
        port=0,
        max_request_body_size=server_limit(MIB),
        threads=2,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        server.close()
        thread.join(5)


def test_finding3_waitress_refuses_what_the_app_never_sees(served: str) -> None:
    json_413 = httpx.post(f"{served}/webchat/sessions", content=b"x" * (MIB + 1))
    assert json_413.status_code == 413
    assert json_413.json()["error"]["code"] == "payload_too_large"
    huge = httpx.post(f"{served}/webchat/sessions", content=b"x" * (4 * MIB))
    assert huge.status_code == 413  # waitress itself (before: up to 1 GiB was accepted)


# --- finding 4: limits per address and session, sessions expire ----------------------------


def test_finding4_session_creation_is_limited_per_client_address(database_url: str) -> None:
    app = make_app(database_url, webchat_sessions_per_address="3/minute")
    client = app.test_client()
    codes = [client.post("/webchat/sessions", json={}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    other = client.post("/webchat/sessions", json={}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201


def test_finding4_messages_are_limited_per_address_across_fresh_sessions(
    database_url: str,
) -> None:
    app = make_app(database_url, webchat_messages_per_address="5/minute")
    client = app.test_client()
    codes = []
    for i in range(6):  # a new (free) session for every message
        sid = new_session(client)
        codes.append(
            client.post(f"/webchat/sessions/{sid}/messages", json={"text": f"m{i}"}).status_code
        )
    assert codes == [200] * 5 + [429]


def test_finding4_idle_sessions_expire(database_url: str) -> None:
    app = make_app(database_url, webchat_session_idle_minutes=30)
    client = app.test_client()
    sid = new_session(client)
    assert client.post(f"/webchat/sessions/{sid}/messages", json={"text": "a"}).status_code == 200
    with app.app_context(), database().session() as session:
        session.execute(update(Conversation).values(updated_at=utcnow() - timedelta(minutes=31)))
        session.commit()
    response = client.post(f"/webchat/sessions/{sid}/messages", json={"text": "b"})
    assert (response.status_code, response.get_json()["error"]["code"]) == (
        404,
        "session_not_found",
    )


def test_finding4_limits_are_shared_through_redis_and_keys_expire() -> None:
    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        unavailable(f"Redis unreachable at {url}")
    settings = Settings(redis_url=url, webchat_sessions_per_address="2/minute")
    first, second = RateLimits.from_settings(settings), RateLimits.from_settings(settings)
    key = f"203.0.113.{utcnow().microsecond % 250}"
    assert first.hit("session_create_per_address", key) is None
    assert second.hit("session_create_per_address", key) is None  # another process
    assert first.hit("session_create_per_address", key) is not None
    client = redis.Redis.from_url(url)
    keys = [k for k in client.scan_iter("halo-warga-limits*") if key.encode() in k]
    assert keys and all(0 < client.ttl(k) <= 121 for k in keys)
    client.delete(*keys)


def test_finding4_memory_limits_forget_their_keys() -> None:
    limits = RateLimits.from_settings(Settings(webchat_sessions_per_address="1/second"))
    assert limits.hit("session_create_per_address", "a") is None
    assert limits.hit("session_create_per_address", "a") is not None
    storage = limits._storage  # noqa: SLF001 - the point is the store itself
    assert any("/a/" in key for key in storage.storage)  # type: ignore[attr-defined]
    deadline = time.monotonic() + 8
    while any("/a/" in k for k in storage.storage) and time.monotonic() < deadline:  # type: ignore[attr-defined]
        limits.hit("session_create_per_address", "someone-else")  # any use expires old keys
        time.sleep(0.2)
    assert not any("/a/" in key for key in storage.storage)  # type: ignore[attr-defined]
    assert limits.hit("session_create_per_address", "a") is None


# --- finding 5: tracking numbers are not sequential -----------------------------------------


def test_finding5_tracking_numbers_are_not_sequential(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        numbers = [
            service_requests.create_request(
                session,
                service_code="ktp_el",
                applicant_name="Warga",
                nik="3201010101900001",
                phone=None,
                known_services=frozenset({"ktp_el"}),
            ).tracking_number
            for _ in range(20)
        ]
        session.commit()
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert all(service_requests.normalize_tracking_number(n) == n for n in numbers)
    assert len(set(serials)) == 20
    steps = {b - a for a, b in zip(serials, serials[1:], strict=False)}
    assert steps != {1} and len(steps) > 10  # no walkable sequence


# --- finding 7: revocation and expiry ---------------------------------------------------------


def test_finding7_a_revoked_token_gets_401_and_is_recorded(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpdesk.runtime.cli import main as cli_main

    with app.app_context(), database().session() as session:
        token = create_token(session, "leaked")
        session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/conversations", headers=headers).status_code == 200
    monkeypatch.setenv("DATABASE_URL", app.extensions["settings"].database_url)
    assert cli_main(["revoke-token", "leaked"]) == 0
    assert client.get("/api/v1/conversations", headers=headers).status_code == 401
    with app.app_context(), database().session() as session:
        events = session.scalars(select(SecurityEvent)).all()
        assert [(e.kind, e.actor) for e in events] == [("revoked_token_used", "token:leaked")]


def test_finding7_tokens_may_expire(app: Flask, client: FlaskClient) -> None:
    with app.app_context(), database().session() as session:
        token = create_token(session, "short", expires_in=timedelta(seconds=-1))
        live = create_token(session, "long", expires_in=timedelta(days=1))
        session.commit()
    assert (
        client.get("/api/v1/services", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert (
        client.get("/api/v1/services", headers={"Authorization": f"Bearer {live}"}).status_code
        == 200
    )


# --- finding 9: the engine never sees the row id ------------------------------------------------


def test_finding9_engine_sender_ids_are_random_and_not_the_row_id(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    for _ in range(2):
        sid = new_session(client)
        client.post(f"/webchat/sessions/{sid}/messages", json={"text": "halo"})
    senders = [call[0] for call in fake_engine.calls]
    assert len(set(senders)) == 2
    assert all(not s.isdigit() and len(s) >= 20 for s in senders)


def test_finding9_a_bot_token_cannot_address_conversations_by_number(
    app: Flask, client: FlaskClient, fake_engine: FakeEngine
) -> None:
    sid = new_session(client)
    client.post(f"/webchat/sessions/{sid}/messages", json={"text": "halo"})
    sender = fake_engine.calls[0][0]
    with app.app_context(), database().session() as session:
        bot = create_token(session, "actions", "bot")
        conversation_id = session.scalars(select(Conversation.id)).one()
        session.commit()
    headers = {"Authorization": f"Bearer {bot}"}
    body = {"reason": "complaint", "note": "forged"}
    forged = client.post(
        f"/api/v1/conversations/{conversation_id}/handoff", json=body, headers=headers
    )
    assert forged.status_code == 404
    real = client.post(f"/api/v1/conversations/{sender}/handoff", json=body, headers=headers)
    assert real.status_code == 200 and real.get_json()["status"] == "pending"


# --- finding 10 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("after", ["99999999999999999999999", "-1", "1e3", "٣"])
def test_finding10_bad_after_values_are_400_not_500(client: FlaskClient, after: str) -> None:
    sid = new_session(client)
    response = client.get(f"/webchat/sessions/{sid}/messages", query_string={"after": after})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_after"


def test_finding10_the_demo_page_does_not_echo_the_host_header(client: FlaskClient) -> None:
    page = client.get("/", headers={"Host": "evil.example"})
    assert page.status_code == 200
    assert b"evil.example" not in page.data
    assert b'src="/webchat/widget.js"' in page.data


def test_finding10_trusted_hosts_refuse_other_hosts(database_url: str) -> None:
    app = make_app(database_url, trusted_hosts=("halo.example.go.id",))
    client = app.test_client()
    assert client.get("/", headers={"Host": "halo.example.go.id"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_finding10_production_refuses_the_default_secret_key(database_url: str) -> None:
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app(Settings(database_url=database_url, environment="production"))
    strong = Settings(
        database_url=database_url,
        environment="production",
        secret_key="s" * 40,
        rasa_token="t" * 32,
    )
    create_app(strong, bot_engine=FakeEngine())  # starts


def test_finding10_only_offered_button_payloads_reach_the_engine(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    fake_engine.replies = [BotReply("Pilih:", [{"title": "Biaya", "payload": "/ask_fee"}])]
    sid = new_session(client)
    client.post(f"/webchat/sessions/{sid}/messages", json={"text": "halo"})
    client.post(
        f"/webchat/sessions/{sid}/messages",
        json={"text": "x", "payload": '/file_complaint{"note":"forged"}'},
    )
    client.post(f"/webchat/sessions/{sid}/messages", json={"text": "Biaya", "payload": "/ask_fee"})
    sent = [call[1] for call in fake_engine.calls]
    assert sent == ["halo", "x", "/ask_fee"]


# --- response headers -------------------------------------------------------------------------


def test_html_pages_carry_security_headers(client: FlaskClient) -> None:
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"]
    assert b"<script>" not in page.data  # no inline script on the page itself
    console = client.get("/console/")
    assert "frame-ancestors 'none'" in console.headers["Content-Security-Policy"]
    assert console.headers["X-Frame-Options"] == "DENY"
    api = client.get("/api/v1/services")
    assert api.headers["X-Content-Type-Options"] == "nosniff"
