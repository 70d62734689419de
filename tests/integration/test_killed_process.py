"""A process killed with turns waiting loses no answer: another process answers each, once.

Real processes (`helpdesk serve`, `helpdesk worker`) on one SQLite database, a slow fake
engine over HTTP, the fake Telegram Bot API. A web process is killed with SIGKILL while
its turns wait in its pool or on the engine; a worker is killed the same way in the
middle of a Telegram burst. Every message must get exactly one answer, within a minute of
the kill (the lease is 20 s: `helpdesk/services/leases.py`).
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
from sqlalchemy import select

from helpdesk.infra.config import REPO_ROOT
from helpdesk.infra.db import Database
from helpdesk.models import OPEN_TURN_STATES, Message, Sender
from tests.fakes.telegram_api import FakeBotApi, serve, text_update
from tests.stackutil import free_port, seed_database

TOKEN = "7012345678:AAF-test-token"
SECRET = "s3cret-Token_for-tests"
HELPDESK = str(Path(sys.executable).parent / "helpdesk")


class SlowEngine(ThreadingHTTPServer):
    """Stands in for Rasa: answers "jawaban: <message>" after `delay` seconds; records calls."""

    daemon_threads = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _EngineHandler)
        self.delay = delay
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _EngineHandler(BaseHTTPRequestHandler):
    server: SlowEngine

    def do_GET(self) -> None:  # noqa: N802 - the status route
        self._send(200, {"version": "fake"})

    def do_POST(self) -> None:  # noqa: N802 - the REST webhook
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        with self.server.lock:
            self.server.calls.append((body["sender"], body["message"]))
        time.sleep(self.server.delay)
        self._send(200, [{"text": f"jawaban: {body['message']}"}])

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except ConnectionError:
            pass  # the caller was killed

    def log_message(self, *args: Any) -> None:
        """Quiet."""


class Processes:
    """Start helpdesk processes with one environment; stop every one of them at the end."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmp_path = tmp_path
        self.env = env
        self.started: list[tuple[subprocess.Popen[bytes], Any]] = []

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [HELPDESK, *args],
            cwd=REPO_ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append((process, log))
        return process

    def web(self, name: str) -> str:
        """A `helpdesk serve` on fresh ports; its base URL once it answers."""
        port = free_port()
        process = self.start(
            name, "serve", HELPDESK_PORT=str(port), HELPDESK_INTERNAL_PORT=str(free_port())
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code in (200, 503):
                    return base
            except httpx.HTTPError:
                pass
            assert process.poll() is None, self.log(name)
            assert time.monotonic() < deadline, f"{name} did not start"
            time.sleep(0.2)

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process, _log in self.started:
            if process.poll() is None:
                process.terminate()
        for process, log in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[Processes, SlowEngine, FakeBotApi, str]]:
    """A seeded SQLite database, the slow engine and the fake Bot API; no process yet."""
    url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
    seed_database(url)
    engine = SlowEngine(delay=2.0)
    threading.Thread(target=engine.serve_forever, daemon=True).start()
    api = FakeBotApi()
    with serve(api) as api_url:
        env = dict(
            os.environ,
            DATABASE_URL=url,
            RASA_URL=engine.url,
            RASA_MAX_CONCURRENCY="2",
            WEBCHAT_REPLY_WAIT_SECONDS="0.5",
            WEBCHAT_RATE_LIMIT_PER_MINUTE="1000",
            CONSENT_NOTICE="off",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_API_BASE_URL=api_url,
        )
        processes = Processes(tmp_path, env)
        try:
            yield processes, engine, api, url
        finally:
            processes.stop_all()
            engine.shutdown()
            engine.server_close()


def open_turns(url: str) -> int:
    database = Database(url)
    try:
        with database.session() as session:
            rows = session.scalars(
                select(Message.id).where(Message.turn_state.in_(OPEN_TURN_STATES))
            ).all()
            return len(rows)
    finally:
        database.dispose()


def answers_by_question(url: str) -> dict[str, list[str]]:
    """Each citizen message's text with the bot messages that followed it."""
    database = Database(url)
    result: dict[str, list[str]] = {}
    try:
        with database.session() as session:
            last: dict[int, str] = {}
            for message in session.scalars(select(Message).order_by(Message.id)):
                if message.sender == Sender.CITIZEN:
                    last[message.conversation_id] = message.text
                    result[message.text] = []
                elif message.sender == Sender.BOT and message.conversation_id in last:
                    result[last[message.conversation_id]].append(message.text)
    finally:
        database.dispose()
    return result


def test_turns_waiting_in_a_killed_web_process_are_answered_once_by_another(
    stack: tuple[Processes, SlowEngine, FakeBotApi, str],
) -> None:
    processes, engine, _api, url = stack
    doomed = processes.web("web-doomed")
    survivor = processes.web("web-survivor")
    processes.start("worker", "worker")
    citizens = 6

    def ask(n: int) -> tuple[str, dict[str, Any]]:
        with httpx.Client(base_url=doomed, timeout=30) as web:
            session_id = web.post("/webchat/sessions", json={}).json()["session_id"]
            text = f"pertanyaan nomor {n}"
            body = web.post(f"/webchat/sessions/{session_id}/messages", json={"text": text})
            assert body.status_code == 200, body.text
            return session_id, body.json()

    with ThreadPoolExecutor(max_workers=citizens) as pool:
        asked = list(pool.map(ask, range(citizens)))
    assert all(body.get("pending") for _sid, body in asked), asked  # all still waiting
    doomed_process = processes.started[0][0]
    doomed_process.kill()  # SIGKILL: no clean-up, its queue is gone
    doomed_process.wait()
    killed_at = time.monotonic()
    assert open_turns(url) > 0

    arrived: dict[str, float] = {}
    with httpx.Client(base_url=survivor, timeout=10) as web:
        while len(arrived) < citizens:
            assert time.monotonic() - killed_at < 60, (arrived, processes.log("worker"))
            for session_id, body in asked:
                if session_id in arrived:
                    continue
                after = body["message"]["id"]
                later = web.get(f"/webchat/sessions/{session_id}/messages?after={after}")
                if any(m["text"].startswith("jawaban: ") for m in later.json()["messages"]):
                    arrived[session_id] = time.monotonic() - killed_at
            time.sleep(0.5)
    while open_turns(url):  # the worker has nothing left to do ...
        assert time.monotonic() - killed_at < 90
        time.sleep(0.5)
    time.sleep(3)  # ... and a late duplicate would show by now
    answers = answers_by_question(url)
    for n in range(citizens):
        question = f"pertanyaan nomor {n}"
        real = [a for a in answers[question] if a.startswith("jawaban: ")]
        assert real == [f"jawaban: {question}"], answers[question]
    print(f"answers arrived {sorted(round(s, 1) for s in arrived.values())} s after the kill")
    asked_engine = [message for _sender, message in engine.calls]
    assert all(1 <= asked_engine.count(f"pertanyaan nomor {n}") <= 2 for n in range(citizens))
    assert "taking over the unanswered turn" in processes.log("worker")


def test_a_telegram_burst_a_killed_worker_held_is_answered_once_and_in_order(
    stack: tuple[Processes, SlowEngine, FakeBotApi, str],
) -> None:
    processes, engine, api, url = stack
    web = processes.web("web")
    doomed = processes.start("worker-doomed", "worker")
    chats, per_chat = 3, 3
    sent: list[str] = []
    update_id = 700_000
    with httpx.Client(base_url=web, timeout=10) as client:
        for n in range(1, per_chat + 1):
            for chat in range(chats):
                update_id += 1
                words = f"chat {chat} pesan {n}"
                update = text_update(update_id, 6_200_000 + chat, words)
                headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                response = client.post("/webhooks/telegram", json=update, headers=headers)
                assert response.status_code == 200
                sent.append(words)
    deadline = time.monotonic() + 60
    while not engine.calls:  # the doomed worker holds an event and a turn
        assert time.monotonic() < deadline, processes.log("worker-doomed")
        time.sleep(0.1)
    doomed.kill()
    doomed.wait()
    killed_at = time.monotonic()
    processes.start("worker", "worker")
    expected = sorted(f"jawaban: {words}" for words in sent)
    while sorted(params["text"] for params in api.sent()) != expected:
        delivered = [params["text"] for params in api.sent()]
        assert len(delivered) == len(set(delivered)), delivered  # never twice
        assert time.monotonic() - killed_at < 60 + 2.0 * len(sent), (
            delivered,
            processes.log("worker"),
        )
        time.sleep(0.5)
    time.sleep(3)
    delivered = [params["text"] for params in api.sent()]
    assert sorted(delivered) == expected  # each once
    for chat in range(chats):  # each chat's messages reached the engine in order
        mine = [m for _s, m in engine.calls if m.startswith(f"chat {chat} ")]
        firsts = sorted(set(mine), key=mine.index)
        assert firsts == [f"chat {chat} pesan {n}" for n in range(1, per_chat + 1)], mine
    assert all(len(a) == 1 for a in answers_by_question(url).values())
