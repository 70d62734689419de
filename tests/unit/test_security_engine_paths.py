"""Findings 1 and 2 without the engine: the guarded action server as a real process, the
engine client's token, and the stack's command lines."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpdesk.conversation.engine import RasaEngine
from helpdesk.infra.config import REPO_ROOT
from helpdesk.runtime.stack import Stack, StackConfig
from tests.stackutil import free_port

SECRET = "unit-action-secret-0123456789"


@pytest.fixture(scope="module")
def action_server() -> Iterator[str]:
    """`python -m actions.server` on a free port with a known secret and a 64 KiB cap."""
    port = free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_SECRET": SECRET,
        "ACTION_SERVER_MAX_BODY_BYTES": str(64 * 1024),
    }
    env.pop("ACTION_SERVER_HOST", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "actions.server", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the action server did not start")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(process.pid, 15)
        process.wait(15)


FORGED = {
    "next_action": "action_file_complaint",
    "sender_id": "1",
    "tracker": {"sender_id": "1", "slots": {}, "latest_message": {}, "events": []},
    "domain": {},
}


def test_finding1_calls_without_the_shared_secret_are_refused(action_server: str) -> None:
    for headers in ({}, {"X-Action-Secret": "wrong"}):
        response = httpx.post(f"{action_server}/webhook", json=FORGED, headers=headers)
        assert response.status_code == 401
    listing = httpx.get(f"{action_server}/actions")
    assert listing.status_code == 401
    ok = httpx.get(f"{action_server}/actions", headers={"X-Action-Secret": SECRET})
    assert ok.status_code == 200 and any(a["name"] == "action_file_complaint" for a in ok.json())


def test_finding1_bodies_are_capped_before_and_after_deflate(action_server: str) -> None:
    headers = {"X-Action-Secret": SECRET}
    big = httpx.post(f"{action_server}/webhook", content=b"x" * (128 * 1024), headers=headers)
    assert big.status_code == 413
    bomb = zlib.compress(b'{"a": "' + b"x" * (8 * 1024 * 1024) + b'"}')
    assert len(bomb) < 64 * 1024  # small on the wire...
    inflated = httpx.post(
        f"{action_server}/webhook",
        content=bomb,
        headers={**headers, "Content-Encoding": "deflate"},
    )
    assert inflated.status_code == 413  # ...refused before rasa-sdk inflates it


def test_finding1_the_action_server_listens_on_localhost_by_default(action_server: str) -> None:
    port = int(action_server.rsplit(":", 1)[1])
    listening = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]


def test_finding2_the_engine_client_sends_rasa_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"text": "halo"}])

    engine = RasaEngine(
        "http://rasa.test", token="engine-token-123", transport=httpx.MockTransport(handler)
    )
    assert engine.reply("c_abc", "halo", {})[0].text == "halo"
    assert seen[0].url.params["token"] == "engine-token-123"


def test_finding2_the_stack_starts_the_engine_with_a_token_kept_off_the_command_line(
    tmp_path: Path,
) -> None:
    config = StackConfig(
        var_dir=tmp_path, database_url="sqlite://", model=tmp_path / "m.tar.gz", env={}
    )
    stack = Stack(config, api_token="hw_x")
    commands = stack.commands()
    rasa = commands["rasa"]
    assert rasa[1].endswith("scripts/rasa_engine.py") and "--enable-api" in rasa
    assert stack.rasa_token and stack.rasa_token not in " ".join(rasa)
    assert "--interface" in rasa and rasa[rasa.index("--interface") + 1] == "127.0.0.1"
    actions = commands["actions"]
    assert actions[2] == "actions.server" and actions[actions.index("--host") + 1] == "127.0.0.1"
    env = stack._env()  # noqa: SLF001 - what the processes get
    assert env["RASA_TOKEN"] == stack.rasa_token
    assert env["ACTION_SERVER_SECRET"] == stack.action_secret
    endpoints = (REPO_ROOT / "bot" / "endpoints.yml").read_text()
    assert "X-Action-Secret: ${ACTION_SERVER_SECRET}" in endpoints
