"""The hardened defaults on the real stack (engine, action server, web, worker as processes).

Findings 1, 2, 6, 8 (var files), 9 and "every process listens on 127.0.0.1", against one
started stack with every channel secret configured.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpdesk.runtime.stack import Stack
from tests.fakes.telegram_api import FakeBotApi, serve, text_update
from tests.stackutil import running_stack

pytestmark = pytest.mark.e2e

SECRETS = {
    "TELEGRAM_BOT_TOKEN": "7012345678:AAF-security-e2e-bot-token-XYZ",
    "TELEGRAM_WEBHOOK_SECRET": "security-e2e-webhook-secret-123",
    "WHATSAPP_ACCESS_TOKEN": "EAAG-security-e2e-access-token-456",
    "WHATSAPP_APP_SECRET": "security-e2e-app-secret-789",
    "WHATSAPP_VERIFY_TOKEN": "security-e2e-verify-token-012",
    "RASA_TOKEN": "security-e2e-rasa-token-345678",
    "ACTION_SERVER_SECRET": "security-e2e-action-secret-901",
    "SECRET_KEY": "security-e2e-secret-key-abcdefghijklmnopqrstuvwxyz",
}


@pytest.fixture(scope="module")
def fake_api() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with serve(api) as url:
        yield api, url


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, fake_api: tuple[FakeBotApi, str]
) -> Iterator[Stack]:
    env = {**SECRETS, "TELEGRAM_API_BASE_URL": fake_api[1], "WHATSAPP_PHONE_NUMBER_ID": "1"}
    with running_stack(tmp_path_factory.mktemp("security"), env=env) as running:
        yield running


def wait_for(condition: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.5)


def db_rows(stack: Stack, sql: str) -> list[tuple[Any, ...]]:
    path = stack.config.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_finding1_the_action_server_refuses_calls_without_the_engines_secret(
    stack: Stack,
) -> None:
    with httpx.Client(base_url=stack.config.helpdesk_url, timeout=30) as web:
        _forged_action_call_is_refused(stack, web)


def _forged_action_call_is_refused(stack: Stack, web: httpx.Client) -> None:
    session_id = web.post("/webchat/sessions", json={}).json()["session_id"]
    web.post(f"/webchat/sessions/{session_id}/messages", json={"text": "halo"})
    sender = db_rows(stack, "SELECT engine_sender_id FROM conversations")[0][0]
    forged = {
        "next_action": "action_file_complaint",
        "sender_id": sender,
        "tracker": {
            "sender_id": sender,
            "slots": {},
            "latest_message": {"text": "catatan palsu", "intent": {"name": "file_complaint"}},
            "events": [],
        },
        "domain": {},
        "version": "3.6.21",
    }
    url = f"{stack.config.actions_url}/webhook"
    for headers in ({}, {"X-Action-Secret": "wrong"}):
        response = httpx.post(url, json=forged, headers=headers, timeout=10)
        assert response.status_code == 401
    assert httpx.get(f"{stack.config.actions_url}/health", timeout=5).status_code == 200
    assert db_rows(stack, "SELECT status FROM conversations") == [("bot",)]
    # The engine itself still reaches the action server (it sends the secret):
    reply = web.post(
        f"/webchat/sessions/{session_id}/messages", json={"text": "berapa biaya SKCK"}
    ).json()
    assert reply["messages"] and "SKCK" in " ".join(m["text"] for m in reply["messages"])


def test_finding2_the_engine_api_needs_rasa_token(stack: Stack) -> None:
    sender = db_rows(stack, "SELECT engine_sender_id FROM conversations LIMIT 1")
    path = f"{stack.config.rasa_url}/conversations/{sender[0][0] if sender else 'x'}/tracker"
    assert httpx.get(path, timeout=10).status_code == 401
    assert httpx.get(path, params={"token": "wrong"}, timeout=10).status_code in (401, 403)
    assert httpx.get(path, params={"token": stack.rasa_token}, timeout=10).status_code == 200
    status = httpx.get(f"{stack.config.rasa_url}/status", timeout=10)
    assert status.status_code == 401


def test_finding9_the_engine_knows_conversations_by_a_random_id(stack: Stack) -> None:
    with httpx.Client(base_url=stack.config.helpdesk_url, timeout=30) as web:
        session_id = web.post("/webchat/sessions", json={}).json()["session_id"]
        web.post(f"/webchat/sessions/{session_id}/messages", json={"text": "halo"})
    tracker_db = stack.config.var_dir / "rasa-tracker.db"
    with sqlite3.connect(tracker_db) as connection:
        senders = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert senders
    assert not any(s.isdigit() for s in senders)
    known = {row[0] for row in db_rows(stack, "SELECT engine_sender_id FROM conversations")}
    assert senders <= known


def _listening(port: int) -> list[str]:
    """Local addresses listening on `port` (from /proc/net/tcp and tcp6)."""
    found = []
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:
                found.append(address)
    return found


def test_every_process_listens_on_localhost_only(stack: Stack) -> None:
    c = stack.config
    for port in (c.helpdesk_port, c.rasa_port, c.actions_port):
        addresses = _listening(port)
        assert addresses, f"nothing listens on {port}"
        # 127.0.0.1 as /proc writes it (little-endian hex); never 0.0.0.0 or ::
        assert set(addresses) == {"0100007F"}, (port, addresses)


def test_finding6_no_configured_secret_reaches_any_log(
    stack: Stack, fake_api: tuple[FakeBotApi, str]
) -> None:
    api, _ = fake_api
    with httpx.Client(base_url=stack.config.helpdesk_url, timeout=30) as web:
        _exercise_every_process(stack, api, web)
    time.sleep(1)  # let the processes flush their last lines
    _assert_no_secret_in_logs(stack)


def _exercise_every_process(stack: Stack, api: FakeBotApi, web: httpx.Client) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRETS["TELEGRAM_WEBHOOK_SECRET"]}
    body = text_update(770_001, 6_100_001, "Apa saja syarat membuat KTP?")
    assert web.post("/webhooks/telegram", json=body, headers=headers).status_code == 200
    wait_for(lambda: len(api.sent()) >= 1)  # the worker called the Bot API (token in the URL)
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "no"}
    forged = web.post("/webhooks/telegram", json=text_update(2, 2, "x"), headers=wrong)
    assert forged.status_code == 403
    api_headers = {"Authorization": f"Bearer {stack.staff_token}"}
    assert web.get("/api/v1/conversations", headers=api_headers).status_code == 200
    bad = {"Authorization": "Bearer hw_wrong"}
    assert web.get("/api/v1/conversations", headers=bad).status_code == 401


def _assert_no_secret_in_logs(stack: Stack) -> None:
    secrets = {
        **SECRETS,
        "HELPDESK_API_TOKEN": stack.api_token,
        "staff token": stack.staff_token,
        "ENCRYPTION_KEYS": os.environ["ENCRYPTION_KEYS"],
        "BLIND_INDEX_KEY": os.environ["BLIND_INDEX_KEY"],
    }
    logs = {p.name: p.read_text(errors="replace") for p in stack.logs.glob("*.log")}
    assert {"rasa.log", "actions.log", "helpdesk.log", "worker.log"} <= set(logs)
    leaks = [
        (name, log_name)
        for name, value in secrets.items()
        for log_name, text in logs.items()
        if value and value in text
    ]
    assert leaks == []


def test_finding8_var_files_are_owner_only(stack: Stack) -> None:
    loose = []
    for path in stack.config.var_dir.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            loose.append((str(path.relative_to(stack.config.var_dir)), oct(mode)))
    assert loose == []
    names = {p.name for p in stack.config.var_dir.rglob("*")}
    assert {"helpdesk.db", "rasa-tracker.db", "worker.log"} <= names


def test_forged_webhooks_are_recorded_as_security_events(stack: Stack) -> None:
    wait_for(lambda: db_rows(stack, "SELECT COUNT(*) FROM security_events")[0][0] > 0, 30)
    kinds = {row[0] for row in db_rows(stack, "SELECT kind FROM security_events")}
    assert "forged_webhook" in kinds


def test_issue21_typed_slash_command_is_text_for_the_real_engine(stack: Stack) -> None:
    """Issue 21, item 6, on the real engine: typed `/request_human{"service":"pbb"}` no longer
    runs the intent with its entity (it had routed the chat to the `pajak` queue)."""
    with httpx.Client(base_url=stack.config.helpdesk_url, timeout=60) as web:
        session_id = web.post("/webchat/sessions", json={"language": "id"}).json()["session_id"]
        sent = web.post(
            f"/webchat/sessions/{session_id}/messages",
            json={"text": '/request_human{"service":"pbb"}'},
        )
        assert sent.status_code == 200
    rows = db_rows(
        stack,
        f"SELECT status, unit_code FROM conversations WHERE channel_user_id = '{session_id}'",
    )
    assert rows and rows[0][1] != "pajak", rows
