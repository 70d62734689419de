"""`make soak` / `make faults`: many messages through web chat and Telegram, then count.

Starts a seeded embedded stack with Telegram pointed at the fake Bot API
(tests/fakes/telegram_api.py). `--conversations` citizens (half web chat, half Telegram)
send `--messages` in total, each waiting for its answer like a person. Afterwards the
helpdesk database and the fake API are read back:

- in: citizen messages the helpdesk accepted (web chat 200, Telegram webhook 200)
- stored: citizen messages in the database (more than `in` = duplicated)
- replies stored: bot messages; delivered: web chat replies the citizen received (POST or
  polling), Telegram messages the fake API accepted
- duplicated: a citizen message stored twice, or a Telegram reply sent twice
- lost: a citizen message without a bot reply (or handoff notice) after it

`--faults` adds, during the run: the Telegram API failing (HTTP 502) for a minute and the
engine killed and started again. Writes reports/soak.md or reports/faults.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from helpdesk.config import REPO_ROOT
from tests.bench import CATALOG, CHAT, STATUS, classify
from tests.fakes.telegram_api import FakeBotApi, serve, text_update

TOKEN = "7012345678:AAF-soak-token"
SECRET = "soak-webhook-secret"
TEXTS = [t for _, t in CATALOG + STATUS + CHAT]


class FlakyBotApi(FakeBotApi):
    """The fake Bot API, unreachable (502) until `down_until`; failed sends are not sent."""

    down_until: float = 0.0

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[int] = set()

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "sendMessage" and time.monotonic() < self.down_until:
            self.refused.add(id(params))
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return super().answer(method, params)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [p for p in super().sent(method) if id(p) not in self.refused]


class Counters:
    def __init__(self) -> None:
        self.accepted = 0
        self.web_delivered = 0
        self.failed = 0
        self.errors = 0


async def web_citizen(http: httpx.AsyncClient, n: int, count: int, c: Counters) -> None:
    session_id = (await http.post("/webchat/sessions", json={})).json()["session_id"]
    path = f"/webchat/sessions/{session_id}/messages"
    for i in range(count):
        try:
            response = await http.post(
                path, json={"text": TEXTS[(n + i) % len(TEXTS)], "client_message_id": f"{n}-{i}"}
            )
            body = response.json()
            response.raise_for_status()
        except (httpx.HTTPError, ValueError):
            c.errors += 1
            continue
        c.accepted += 1
        texts = [m["text"] for m in body["messages"]]
        if body.get("pending"):
            after = body["messages"][-1]["id"]
            deadline = time.monotonic() + 120
            later: list[dict[str, Any]] = []
            while not later and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                later = (await http.get(f"{path}?after={after}")).json()["messages"]
            texts = [m["text"] for m in later]
        c.web_delivered += len(texts)
        c.failed += classify(texts)[0]


async def telegram_citizen(
    http: httpx.AsyncClient, n: int, count: int, c: Counters, api: FakeBotApi
) -> None:
    chat_id = 7_000_000 + n
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for i in range(count):
        update = text_update(n * 100_000 + i, chat_id, TEXTS[(n + i) % len(TEXTS)])
        before = sum(1 for p in api.sent() if p.get("chat_id") == chat_id)
        try:
            response = await http.post("/webhooks/telegram", json=update, headers=headers)
            response.raise_for_status()
        except httpx.HTTPError:
            c.errors += 1
            continue
        c.accepted += 1
        deadline = time.monotonic() + 120  # wait for the reply like a person (retries included)
        while time.monotonic() < deadline:
            if sum(1 for p in api.sent() if p.get("chat_id") == chat_id) > before:
                break
            await asyncio.sleep(0.3)


async def faults(stack: Any, api: FlakyBotApi, log: list[str], started: float) -> None:
    await asyncio.sleep(20)
    log.append(f"{time.monotonic() - started:.0f} s: Telegram API answers 502 for 60 s")
    api.down_until = time.monotonic() + 60
    await asyncio.sleep(60)
    log.append(f"{time.monotonic() - started:.0f} s: Telegram API back")
    log.append(f"{time.monotonic() - started:.0f} s: engine killed (SIGKILL)")
    process = stack.processes["rasa"]
    os.killpg(process.pid, 9)
    await asyncio.sleep(10)
    stack.start("rasa")
    await asyncio.to_thread(stack.wait_ready, 900, "rasa")
    log.append(f"{time.monotonic() - started:.0f} s: engine up again")


def count_database(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    q = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    rows = db.execute("SELECT conversation_id, sender FROM messages ORDER BY id").fetchall()
    lost = 0
    waiting: dict[int, bool] = {}
    for conversation, sender in rows:
        if sender == "citizen":
            if waiting.get(conversation):
                lost += 1
            waiting[conversation] = True
        else:
            waiting[conversation] = False
    lost += sum(waiting.values())
    result = {
        "stored": q("SELECT COUNT(*) FROM messages WHERE sender = 'citizen'"),
        "distinct": q(
            "SELECT COUNT(*) FROM (SELECT DISTINCT conversation_id, client_message_id "
            "FROM messages WHERE sender = 'citizen')"
        ),
        "replies": q("SELECT COUNT(*) FROM messages WHERE sender = 'bot'"),
        "outbox_done": q("SELECT COUNT(*) FROM outbox WHERE status = 'done'"),
        "outbox_open": q("SELECT COUNT(*) FROM outbox WHERE status != 'done'"),
        "handoffs": q("SELECT COUNT(*) FROM conversations WHERE handoff_reason = 'engine_error'"),
        "lost": lost,
    }
    db.close()
    return result


async def run(args: argparse.Namespace, stack: Any, api: FlakyBotApi) -> dict[str, Any]:
    counters = Counters()
    per = max(args.messages // args.conversations, 1)
    web_n = args.conversations // 2
    log: list[str] = []
    started = time.monotonic()
    limits = httpx.Limits(max_connections=args.conversations + 10)
    async with httpx.AsyncClient(
        base_url=stack.config.helpdesk_url, timeout=180, limits=limits
    ) as http:
        tasks = [web_citizen(http, n, per, counters) for n in range(web_n)]
        tasks += [
            telegram_citizen(http, n, per, counters, api) for n in range(web_n, args.conversations)
        ]
        if args.faults:
            tasks.append(faults(stack, api, log, started))
        await asyncio.gather(*tasks)
    # let the workers finish (retries after the Telegram outage included)
    deadline = time.monotonic() + 300
    db_path = stack.config.var_dir / "helpdesk.db"
    while time.monotonic() < deadline and count_database(db_path)["outbox_open"]:
        await asyncio.sleep(1)
    wall = time.monotonic() - started
    counts = count_database(db_path)
    sent = api.sent()
    return {
        "wall": wall,
        "sent_in": per * args.conversations,
        "accepted": counters.accepted,
        "errors": counters.errors,
        "web_delivered": counters.web_delivered,
        "telegram_delivered": len(sent),
        "telegram_duplicates": len(sent) - counts["outbox_done"],
        "failed": counters.failed,
        "log": log,
        **counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    from tests.stackutil import engine_missing, seeded_stack

    missing = engine_missing()
    if missing:
        print(f"cannot run: {missing}", file=sys.stderr)
        return 1
    api = FlakyBotApi()
    with serve(api) as api_url, tempfile.TemporaryDirectory() as tmp:
        env = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": api_url,
            "WEBCHAT_RATE_LIMIT_PER_MINUTE": "600",
            "WEBCHAT_REPLY_WAIT_SECONDS": "3",
        }
        stack = seeded_stack(Path(tmp), env=env)
        stack.start()
        try:
            stack.wait_ready(timeout=900)
            result = asyncio.run(run(args, stack, api))
        finally:
            stack.stop()
    name = "faults" if args.faults else "soak"
    r = result
    dup = r["stored"] - r["distinct"] + max(r["telegram_duplicates"], 0)
    lines = [
        f"# {name.capitalize()} run (`make {name}`)",
        "",
        f"{r['sent_in']} messages from {args.conversations} conversations (half web chat, half "
        f"Telegram through the fake Bot API) in {r['wall']:.0f} s; embedded stack.",
        "",
        "| messages in | citizen messages stored | replies stored | delivered (web / Telegram) "
        "| duplicated | lost | failed replies | engine_error handoffs | HTTP errors |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {r['accepted']} | {r['stored']} | {r['replies']} | {r['web_delivered']} / "
        f"{r['telegram_delivered']} | {dup} | {r['lost']} | {r['failed']} | {r['handoffs']} "
        f"| {r['errors']} |",
        "",
        *[f"- {line}" for line in r["log"]],
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    out = REPO_ROOT / (args.out or f"reports/{name}.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
