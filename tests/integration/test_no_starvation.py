"""The helpdesk web process cannot starve itself (real waitress listeners, engine faked).

The fake engine does what Rasa's actions do: during every turn it calls back into the
helpdesk API (a status lookup, not cached) with a short timeout, and answers with an
apology when that call fails. The public listener has only two threads and every web chat
POST holds its thread for up to five seconds, so a callback that needed a public thread
would time out. Through the internal listener every citizen gets the real answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpdesk.infra.config import REPO_ROOT
from tests.stackutil import free_port, seed_database

APOLOGY = "Maaf, sistem kami sedang sibuk"
ANSWER = "Status KTP-2026-000001: processing"


class CallbackEngine(ThreadingHTTPServer):
    """A stand-in for Rasa + actions: each turn looks up a request through the helpdesk."""

    daemon_threads = True

    def __init__(self, helpdesk_url: str, token: str) -> None:
        super().__init__(("127.0.0.1", 0), _EngineHandler)
        self.helpdesk_url = helpdesk_url
        self.token = token

    def turn(self) -> str:
        try:
            response = httpx.get(
                f"{self.helpdesk_url}/api/v1/requests/KTP-2026-000001",
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=2.0,  # like HELPDESK_TIMEOUT_SECONDS, shortened
            )
            response.raise_for_status()
        except httpx.HTTPError:
            return APOLOGY
        return f"Status KTP-2026-000001: {response.json()['status']}"


class _EngineHandler(BaseHTTPRequestHandler):
    server: CallbackEngine

    def do_GET(self) -> None:  # noqa: N802 - the status route
        self._send(200, {"version": "fake"})

    def do_POST(self) -> None:  # noqa: N802 - the REST webhook
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(0.05)  # the turn's own work
        self._send(200, [{"text": self.server.turn()}])

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def helpdesk(tmp_path: Path) -> Iterator[tuple[str, CallbackEngine]]:
    """`helpdesk serve` with two public threads, an internal listener, the fake engine."""
    url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
    token = seed_database(url)
    port, internal_port = free_port(), free_port()
    engine = CallbackEngine(f"http://127.0.0.1:{internal_port}", token)
    threading.Thread(target=engine.serve_forever, daemon=True).start()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        HELPDESK_PORT=str(port),
        HELPDESK_INTERNAL_PORT=str(internal_port),
        RASA_URL=f"http://127.0.0.1:{engine.server_address[1]}",
        WEBCHAT_REPLY_WAIT_SECONDS="5",
        WEBCHAT_RATE_LIMIT_PER_MINUTE="1000",
        CONSENT_NOTICE="off",  # each citizen's last message must be the engine's answer
    )
    log = (tmp_path / "helpdesk.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "helpdesk"), "serve", "--threads", "2"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code in (200, 503):
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (tmp_path / "helpdesk.log").read_text()
            assert time.monotonic() < deadline, "helpdesk did not start"
            time.sleep(0.2)
        yield base, engine
    finally:
        process.terminate()
        process.wait(timeout=15)
        engine.shutdown()
        engine.server_close()
        log.close()


def converse(base: str) -> list[str]:
    """One citizen, one message; the answer, following a "please wait" by polling."""
    with httpx.Client(base_url=base, timeout=60) as web:
        session_id = web.post("/webchat/sessions", json={}).json()["session_id"]
        path = f"/webchat/sessions/{session_id}/messages"
        body = web.post(path, json={"text": "cek status KTP-2026-000001"}).json()
        texts = [m["text"] for m in body["messages"]]
        after = body["messages"][-1]["id"] if body["messages"] else body["message"]["id"]
        deadline = time.monotonic() + 30
        while body.get("pending") and time.monotonic() < deadline:
            later = web.get(f"{path}?after={after}").json()["messages"]
            if later:
                return texts + [m["text"] for m in later]
            time.sleep(0.1)
        return texts


def test_concurrent_citizens_get_real_answers_while_the_engine_calls_back(
    helpdesk: tuple[str, CallbackEngine],
) -> None:
    base, _engine = helpdesk
    with ThreadPoolExecutor(max_workers=12) as pool:
        conversations = list(pool.map(converse, [base] * 12))
    answers = [texts[-1] for texts in conversations]
    assert answers == [ANSWER] * 12, conversations


def test_the_hundred_and_first_open_connection_is_served_at_once(
    helpdesk: tuple[str, CallbackEngine],
) -> None:
    """Citizens' browsers keep connections open between messages; waitress's default limit
    (100) made the next citizen wait for an idle one to time out (120 s)."""
    import socket

    base, _engine = helpdesk
    port = int(base.rsplit(":", 1)[1])
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    idle: list[socket.socket] = []
    try:
        for _ in range(150):  # each answered once, then left open like a browser's
            conn = socket.create_connection(("127.0.0.1", port), timeout=10)
            conn.sendall(request)
            assert conn.recv(4096).startswith(b"HTTP/1.1 ")
            idle.append(conn)
        started = time.monotonic()
        assert httpx.get(f"{base}/healthz", timeout=10).status_code in (200, 503)
        assert time.monotonic() - started < 5
    finally:
        for conn in idle:
            conn.close()
