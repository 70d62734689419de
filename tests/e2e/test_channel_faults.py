"""Fault run over the real stack on Telegram: nothing lost, nothing twice.

The Telegram cloud API is faked at the HTTP boundary (a local server answering 500 for
the first sends, then recovering). Updates are delivered twice, a forged one and a
malformed one are sent too; then the action server and the engine are killed.
The run's figures are written to docs/measurements/fault-run.md.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpdesk.infra.config import REPO_ROOT
from helpdesk.runtime.stack import Stack
from tests.fakes.telegram_api import FakeBotApi, serve, text_update
from tests.stackutil import running_stack

pytestmark = pytest.mark.e2e

TOKEN = "7012345678:AAF-e2e-token"
SECRET = "e2e-webhook-secret"
QUESTIONS = [
    "Apa saja syarat membuat KTP?",
    "cek status KTP-2026-000001",
    "berapa biaya SKCK",
    "dimana kantor samsat",
    "berapa lama bikin paspor",
]


@pytest.fixture(scope="module")
def fake_api() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with serve(api) as url:
        yield api, url


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, fake_api: tuple[FakeBotApi, str]
) -> Iterator[Stack]:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake_api[1],
    }
    with running_stack(tmp_path_factory.mktemp("faults"), env=env) as running:
        yield running


def db_rows(stack: Stack, sql: str) -> list[tuple[Any, ...]]:
    path = stack.config.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def wait_for(condition: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.5)


def test_fault_run_loses_nothing_and_doubles_nothing(
    stack: Stack, fake_api: tuple[FakeBotApi, str]
) -> None:
    api, _ = fake_api
    for _ in range(3):
        api.script("sendMessage", 500, {"ok": False, "error_code": 500, "description": "oops"})
    web = httpx.Client(base_url=stack.config.helpdesk_url, timeout=30)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        sent = 0
        for n in range(20):
            body = text_update(900_000 + n, 5_100_000 + n % 4, QUESTIONS[n % len(QUESTIONS)])
            for _ in range(2):  # every update delivered twice, as Telegram does on retry
                assert web.post("/webhooks/telegram", json=body, headers=headers).status_code == 200
            sent += 1
        forged = web.post(
            "/webhooks/telegram",
            json=text_update(1, 1, "x"),
            headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
        )
        assert forged.status_code == 403
        malformed = web.post("/webhooks/telegram", content=b"{not json", headers=headers)
        assert malformed.status_code == 400

        def all_answered() -> bool:
            pending = db_rows(stack, "SELECT COUNT(*) FROM outbox WHERE status = 'queued'")[0][0]
            events = db_rows(stack, "SELECT COUNT(*) FROM inbound_events WHERE status = 'queued'")
            return pending == 0 and events[0][0] == 0

        wait_for(all_answered, timeout=180)
        citizen = db_rows(stack, "SELECT COUNT(*) FROM messages WHERE sender = 'citizen'")[0][0]
        unanswered = db_rows(
            stack,
            """
            SELECT COUNT(*) FROM messages c WHERE c.sender = 'citizen' AND NOT EXISTS (
              SELECT 1 FROM messages b WHERE b.conversation_id = c.conversation_id
              AND b.sender = 'bot' AND b.id > c.id)""",
        )[0][0]
        outbox = dict(db_rows(stack, "SELECT status, COUNT(*) FROM outbox GROUP BY status"))
        bot_messages = db_rows(stack, "SELECT COUNT(*) FROM messages WHERE sender = 'bot'")[0][0]
        successes = len(api.sent()) - 3
        assert citizen == sent == 20
        assert unanswered == 0
        assert outbox == {"done": bot_messages}
        assert successes == bot_messages  # each reply sent once: no duplicates
        status_text = [p["text"] for p in api.sent() if "KTP-2026-000001" in p["text"]]
        assert status_text, "the status reply reached the citizen's chat"

        # The action server dies: the citizen is handed to a human, not left in silence.
        stack.stop("actions")
        body = text_update(990_001, 5_200_001, "Apa saja syarat membuat KTP?")
        web.post("/webhooks/telegram", json=body, headers=headers)
        wait_for(
            lambda: (
                db_rows(
                    stack,
                    "SELECT COUNT(*) FROM conversations WHERE handoff_reason = 'engine_error'",
                )[0][0]
                == 1
            )
        )
        # The engine dies too.
        stack.stop("rasa")
        web.post(
            "/webhooks/telegram", json=text_update(990_002, 5_200_002, "halo"), headers=headers
        )
        wait_for(
            lambda: (
                db_rows(
                    stack,
                    "SELECT COUNT(*) FROM conversations WHERE handoff_reason = 'engine_error'",
                )[0][0]
                == 2
            )
        )
        wait_for(all_answered)
        final_citizen = db_rows(stack, "SELECT COUNT(*) FROM messages WHERE sender = 'citizen'")
        final_outbox = dict(db_rows(stack, "SELECT status, COUNT(*) FROM outbox GROUP BY status"))
        final_bot = db_rows(stack, "SELECT COUNT(*) FROM messages WHERE sender = 'bot'")[0][0]
        assert final_citizen[0][0] == 22
        assert final_outbox == {"done": final_bot}
        assert len(api.sent()) - 3 == final_bot
    finally:
        web.close()
    report = "\n".join(
        [
            "# Fault run (tests/e2e/test_channel_faults.py)",
            "",
            "| figure | value |",
            "|---|---|",
            "| citizen messages sent (each update delivered twice) | 22 |",
            "| webhook deliveries (incl. repeats) | 42 |",
            "| forged / malformed deliveries refused | 1 / 1 |",
            "| cloud API 500 answers before recovery | 3 |",
            f"| bot/agent messages delivered | {final_bot} |",
            f"| duplicated deliveries | {len(api.sent()) - 3 - final_bot} |",
            f"| lost citizen messages | {22 - final_citizen[0][0]} |",
            "| conversations handed off when the action server / engine died | 2 |",
        ]
    )
    Path(REPO_ROOT / "docs" / "measurements").mkdir(exist_ok=True)
    (REPO_ROOT / "docs" / "measurements" / "fault-run.md").write_text(report + "\n")
