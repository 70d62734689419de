"""The request path under load: busy is not dead, slow answers say "please wait", and the
actions' catalog copy is revalidated by ETag."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from actions.client import HelpdeskClient, HelpdeskUnavailable
from helpdesk.conversation.base import BotReply, EngineBusy, EngineUnavailable
from helpdesk.conversation.engine import RasaEngine
from helpdesk.conversation.messages import TEXTS
from helpdesk.infra.migrate import upgrade
from helpdesk.runtime.app import create_app
from helpdesk.runtime.serving import internal_only
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings

# --- busy versus dead ------------------------------------------------------------------


def rasa(handler: Any) -> RasaEngine:
    return RasaEngine("http://rasa.test", timeout=0.5, transport=httpx.MockTransport(handler))


def test_a_timeout_while_the_engine_answers_its_status_is_busy() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, text="Hello from Rasa")
        raise httpx.ReadTimeout("slow under load")

    with pytest.raises(EngineBusy):
        rasa(handler).reply("1", "halo", {})


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("connection refused"), httpx.ReadTimeout("hung")]
)
def test_refused_or_silent_everywhere_is_dead_not_busy(failure: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(EngineUnavailable) as caught:
        rasa(handler).reply("1", "halo", {})
    assert not isinstance(caught.value, EngineBusy)


def test_engine_calls_beyond_the_limit_wait_for_a_slot() -> None:
    inside = 0
    most = 0
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)
        with lock:
            inside -= 1
        return httpx.Response(200, json=[{"text": "ok"}])

    engine = RasaEngine(
        "http://rasa.test", max_concurrency=2, transport=httpx.MockTransport(handler)
    )
    threads = [threading.Thread(target=engine.reply, args=(str(n), "x", {})) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 2


# --- the web chat POST -----------------------------------------------------------------


@pytest.fixture
def slow_app(tmp_path: Path) -> Iterator[tuple[Flask, FakeEngine, threading.Event]]:
    """The app with a short reply wait and an engine that answers when released."""
    release = threading.Event()
    engine = FakeEngine(replies=[BotReply("Syarat KTP-el: fotokopi KK.")])
    engine.on_call = lambda sender, text: release.wait(10)
    settings = make_settings(
        f"sqlite:///{tmp_path / 'helpdesk.db'}", webchat_reply_wait_seconds=0.2
    )
    app = create_app(settings, bot_engine=engine)
    with app.app_context():
        upgrade(database().engine)
    yield app, engine, release
    release.set()
    app.extensions["turns"].shutdown()
    with app.app_context():
        database().dispose()


def start(client: FlaskClient, language: str = "id") -> str:
    body = client.post("/webchat/sessions", json={"language": language, "explicit": True})
    session_id: str = body.get_json()["session_id"]
    return session_id


def poll_after(client: FlaskClient, session_id: str, after: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        url = f"/webchat/sessions/{session_id}/messages?after={after}"
        later: list[dict[str, Any]] = client.get(url).get_json()["messages"]
        if later:
            return later
        time.sleep(0.02)
    raise AssertionError("the answer never arrived")


@pytest.mark.parametrize("language", ["id", "jv", "su", "en"])
def test_a_slow_answer_says_please_wait_and_arrives_by_polling(
    slow_app: tuple[Flask, FakeEngine, threading.Event], language: str
) -> None:
    app, _engine, release = slow_app
    client = app.test_client()
    session_id = start(client, language)
    body = client.post(
        f"/webchat/sessions/{session_id}/messages", json={"text": "syarat ktp"}
    ).get_json()
    assert body["pending"] is True
    [notice] = body["messages"]
    assert notice["sender"] == "bot" and notice["text"] == TEXTS["please_wait"][language]
    release.set()
    answer = poll_after(client, session_id, notice["id"])
    assert [m["text"] for m in answer] == ["Syarat KTP-el: fotokopi KK."]
    history = client.get(f"/webchat/sessions/{session_id}/messages").get_json()
    assert [m["sender"] for m in history["messages"]] == ["citizen", "bot", "bot"]
    assert history["status"] == "bot"


def test_a_fast_answer_comes_in_the_post_itself(
    slow_app: tuple[Flask, FakeEngine, threading.Event],
) -> None:
    app, _engine, release = slow_app
    release.set()
    client = app.test_client()
    session_id = start(client)
    body = client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "ktp"}).get_json()
    assert "pending" not in body
    assert [m["text"] for m in body["messages"]] == ["Syarat KTP-el: fotokopi KK."]


def test_a_long_line_answers_please_wait_at_once(
    slow_app: tuple[Flask, FakeEngine, threading.Event],
) -> None:
    app, _engine, release = slow_app
    turns = app.extensions["turns"]
    turns._turn_seconds = 60.0  # the line ahead is long: no point holding the request
    client = app.test_client()
    session_id = start(client)
    started = time.monotonic()
    body = client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "ktp"}).get_json()
    assert body["pending"] is True
    assert time.monotonic() - started < 0.2 + 0.5  # did not sit out the whole wait either
    release.set()
    assert poll_after(client, session_id, body["messages"][0]["id"])


def test_a_busy_engine_never_hands_off(client: FlaskClient, fake_engine: FakeEngine) -> None:
    def busy(sender: str, text: str) -> None:
        raise EngineBusy("engine slow: ReadTimeout")

    fake_engine.on_call = busy
    session_id = start(client)
    body = client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "ktp"}).get_json()
    assert [m["text"] for m in body["messages"]] == [TEXTS["engine_slow"]["id"]]
    history = client.get(f"/webchat/sessions/{session_id}/messages").get_json()
    assert history["status"] == "bot"  # nobody was handed off


def test_a_dead_engine_still_hands_off(client: FlaskClient, fake_engine: FakeEngine) -> None:
    fake_engine.down = True
    session_id = start(client)
    client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "ktp"})
    history = client.get(f"/webchat/sessions/{session_id}/messages").get_json()
    assert history["status"] == "pending"


def test_an_answer_is_stored_once_the_database_is_back(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database restart while the engine works: the answer waits for it, it is not lost."""
    import helpdesk.conversation.router

    router = app.extensions["turns"]._router
    real = router.store_outcome
    failures = [OperationalError("INSERT", {}, Exception("server closed the connection"))]

    def flaky(*args: Any) -> Any:
        if failures:
            raise failures.pop()
        return real(*args)

    monkeypatch.setattr(router, "store_outcome", flaky)
    monkeypatch.setattr(helpdesk.conversation.router, "STORE_RETRY_PAUSE", 0.0)
    session_id = start(client)
    body = client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "ktp"}).get_json()
    assert not failures
    assert [m["text"] for m in body["messages"]] == ["Halo dari bot"]
    history = client.get(f"/webchat/sessions/{session_id}/messages").get_json()
    assert [m["sender"] for m in history["messages"]] == ["citizen", "bot"]


# --- the catalog: ETag on the server, a revalidated copy in the actions ---------------


def test_the_catalog_answers_304_to_its_own_etag(client: FlaskClient, auth: dict[str, str]) -> None:
    for path in ("/api/v1/services", "/api/v1/services/ktp_el"):
        first = client.get(f"{path}?lang=jv", headers=auth)
        etag = first.headers["ETag"]
        again = client.get(f"{path}?lang=jv", headers={**auth, "If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
        other = client.get(f"{path}?lang=en", headers={**auth, "If-None-Match": etag})
        assert other.status_code == 200 and other.get_json()


class CatalogServer:
    """A helpdesk that serves one service whose text can change, with ETags."""

    def __init__(self) -> None:
        self.fee = "Gratis"
        self.down = False
        self.requests: list[tuple[str, str | None]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.url.path, request.headers.get("If-None-Match")))
        if self.down:
            raise httpx.ConnectError("refused")
        etag = f'"{self.fee}"'
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        body = {"code": "ktp_el", "name": "KTP-el", "fee": self.fee}
        return httpx.Response(200, json=body, headers={"ETag": etag})


def test_the_actions_copy_is_trusted_then_revalidated_by_etag() -> None:
    server = CatalogServer()
    now = [1000.0]
    client = HelpdeskClient(
        "http://helpdesk.test",
        "token",
        transport=httpx.MockTransport(server.handler),
        catalog_max_age=30.0,
        clock=lambda: now[0],
    )
    assert client.get_service("ktp_el") == {"code": "ktp_el", "name": "KTP-el", "fee": "Gratis"}
    now[0] += 10
    client.get_service("ktp_el")
    assert server.requests == [("/api/v1/services/ktp_el", None)]  # fresh: no call at all
    now[0] += 25
    client.get_service("ktp_el")
    assert server.requests[-1] == ("/api/v1/services/ktp_el", '"Gratis"')  # revalidated: 304
    assert len(server.requests) == 2
    server.fee = "Rp 10.000"  # an edit is published in the helpdesk
    now[0] += 31
    service = client.get_service("ktp_el")
    assert service is not None and service["fee"] == "Rp 10.000"  # within a minute
    assert client.get_service("ktp_el", language="en") is not None
    assert server.requests[-1] == ("/api/v1/services/ktp_el", None)  # per language


def test_a_stale_copy_beats_an_apology_when_the_helpdesk_is_down() -> None:
    server = CatalogServer()
    now = [0.0]
    client = HelpdeskClient(
        "http://helpdesk.test",
        "token",
        transport=httpx.MockTransport(server.handler),
        catalog_max_age=30.0,
        clock=lambda: now[0],
    )
    client.get_service("ktp_el")
    server.down = True
    now[0] += 120
    assert client.get_service("ktp_el") is not None
    with pytest.raises(HelpdeskUnavailable):
        client.get_service("ktp_el", language="su")  # never seen: nothing to fall back on


def test_the_internal_listener_serves_the_api_only(app: Flask, auth: dict[str, str]) -> None:
    app.wsgi_app = internal_only(app.wsgi_app)  # type: ignore[method-assign]
    client = app.test_client()
    assert client.get("/api/v1/services", headers=auth).status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/").status_code == 404
    assert client.post("/webchat/sessions", json={}).status_code == 404
