"""`make soak` / `make faults`: many messages through web chat and Telegram, then count.

Starts a seeded embedded stack with Telegram pointed at the fake Bot API
(tests/fakes/telegram_api.py). `--conversations` citizens at once (half web chat, half
Telegram) send `--messages` in total, each waiting for its answer like a person; every
`--conversation-length` messages a citizen slot starts a new conversation (a new visitor:
a new web chat session, another Telegram chat). Afterwards the
helpdesk database and the fake API are read back:

- in: citizen messages the helpdesk accepted (web chat 200, Telegram webhook 200)
- stored: citizen messages in the database (more than `in` = duplicated)
- replies stored: bot messages; delivered: web chat replies the citizen received (POST or
  polling), Telegram messages the fake API accepted
- duplicated: a citizen message stored twice, or a Telegram reply sent twice
- lost: a citizen message without a bot reply (or handoff notice) after it

`--scaled` runs it on the scaled stack (PostgreSQL, Redis, two engines and two web processes
behind nginx, two workers) instead of the embedded one (SQLite, one of each).

`--faults` adds, while the citizens keep talking: the Telegram API failing (HTTP 502) for a
minute, an engine killed (SIGKILL; on the scaled stack one of the two) and started again,
and (scaled) PostgreSQL restarted. Citizens behave as the channels make them: the widget's
"Try again" resends with the same client message id, Telegram redelivers an update the
webhook did not accept. Writes docs/measurements/soak.md or docs/measurements/faults.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from helpdesk.conversation.messages import TEXTS as BOT_TEXTS
from helpdesk.infra.config import REPO_ROOT
from tests.bench import CATALOG, CHAT, HANDOFF_MARKERS, LOAD_ENV, STATUS, classify
from tests.fakes.telegram_api import FakeBotApi, serve, text_update

TOKEN = "7012345678:AAF-soak-token"
SECRET = "soak-webhook-secret"
TEXTS = [t for _, t in CATALOG + STATUS + CHAT]
NOTICES = set(BOT_TEXTS["please_wait"].values())
RESENDS = 6  # attempts per message (the widget's "Try again", Telegram's redelivery)
RESEND_PAUSE = 5.0


class FlakyBotApi(FakeBotApi):
    """The fake Bot API, unreachable (502) until `down_until`; failed sends are not sent."""

    down_until: float = 0.0

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[int] = set()
        self.accepted: dict[int, int] = {}  # chat id -> messages accepted
        self.handed_off: set[int] = set()  # chats told "an officer will answer"

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "sendMessage" and time.monotonic() < self.down_until:
            self.refused.add(id(params))
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method == "sendMessage":
            chat = int(params.get("chat_id", 0))
            self.accepted[chat] = self.accepted.get(chat, 0) + 1
            if any(marker in str(params.get("text", "")) for marker in HANDOFF_MARKERS):
                self.handed_off.add(chat)
        return super().answer(method, params)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [p for p in super().sent(method) if id(p) not in self.refused]

    def sent_to(self, chat_id: int) -> int:
        """Messages accepted for this chat so far."""
        return self.accepted.get(chat_id, 0)


class Counters:
    def __init__(self) -> None:
        self.accepted = 0
        self.web_delivered = 0
        self.failed = 0
        self.errors = 0  # HTTP errors seen (each resent)
        self.given_up = 0  # messages never accepted after RESENDS attempts
        self.handed_off = 0  # citizens handed to an agent: they wait for one, as people do
        self.keep_going = False  # faults: talk on until the fault schedule is over


def messages_for(count: int, c: Counters) -> Iterator[int]:
    """0, 1, 2, ... up to `count`, and on while a fault schedule still runs."""
    i = 0
    while i < count or c.keep_going:
        yield i
        i += 1


async def open_session(http: httpx.AsyncClient, c: Counters) -> str:
    """A new web chat session (the widget opened on a new visit), resent on errors."""
    for _attempt in range(RESENDS):
        try:
            response = await http.post("/webchat/sessions", json={})
            response.raise_for_status()
            return str(response.json()["session_id"])
        except (httpx.HTTPError, ValueError, KeyError):
            c.errors += 1
            await asyncio.sleep(RESEND_PAUSE)
    raise RuntimeError("no web chat session after resending")


async def web_citizen(
    http: httpx.AsyncClient, n: int, count: int, c: Counters, length: int
) -> None:
    """One citizen slot: conversations of `length` messages, one after the other."""
    path = ""
    for i in messages_for(count, c):
        if i % length == 0:
            path = f"/webchat/sessions/{await open_session(http, c)}/messages"
        payload = {"text": TEXTS[(n + i) % len(TEXTS)], "client_message_id": f"{n}-{i}"}
        body: dict[str, Any] | None = None
        for _attempt in range(RESENDS):
            try:
                response = await http.post(path, json=payload)
                response.raise_for_status()
                body = response.json()
                break
            except (httpx.HTTPError, ValueError):
                c.errors += 1
                await asyncio.sleep(RESEND_PAUSE)
        if body is None:
            c.given_up += 1
            continue
        c.accepted += 1
        texts = [m["text"] for m in body["messages"] if m.get("sender") != "citizen"]
        status = body.get("status", "bot")
        if body.get("pending"):
            after = body["messages"][-1]["id"]
            texts, status = await follow(http, f"{path}?after={after}")
        texts = [x for x in texts if x not in NOTICES]
        c.web_delivered += len(texts)
        failed, handoff = classify(texts)
        c.failed += failed
        if handoff or status != "bot":
            c.handed_off += 1
            return


async def follow(http: httpx.AsyncClient, url: str, limit: float = 180.0) -> tuple[list[str], str]:
    """Poll like the widget (every second) until a message follows (its texts and the
    conversation's status); nothing after `limit`."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        try:
            body = (await http.get(url)).json()
        except (httpx.HTTPError, ValueError):
            continue
        if body.get("messages"):
            return [m["text"] for m in body["messages"]], str(body.get("status", "bot"))
    return [], "bot"


async def telegram_citizen(
    http: httpx.AsyncClient, n: int, count: int, c: Counters, api: FlakyBotApi, length: int
) -> None:
    """One citizen slot on Telegram: a new chat every `length` messages."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for i in messages_for(count, c):
        chat_id = 7_000_000 + n * 10_000 + i // length
        update = text_update(n * 100_000 + i, chat_id, TEXTS[(n + i) % len(TEXTS)])
        before = api.sent_to(chat_id)
        for _attempt in range(RESENDS):
            try:
                response = await http.post("/webhooks/telegram", json=update, headers=headers)
                response.raise_for_status()
                break
            except httpx.HTTPError:
                c.errors += 1
                await asyncio.sleep(RESEND_PAUSE)
        else:
            c.given_up += 1
            continue
        c.accepted += 1
        deadline = time.monotonic() + 180  # wait for the reply like a person (retries included)
        while time.monotonic() < deadline and api.sent_to(chat_id) <= before:
            await asyncio.sleep(0.3)
        # an answer may come as several messages: read them all (until a second passes
        # without a new one) before writing again, as a person does
        seen = api.sent_to(chat_id)
        while time.monotonic() < deadline:
            await asyncio.sleep(1.0)
            if api.sent_to(chat_id) == seen:
                break
            seen = api.sent_to(chat_id)
        if chat_id in api.handed_off:
            c.handed_off += 1
            return


def restart_postgres() -> str:
    """Restart the local PostgreSQL cluster(s) (Debian's pg_ctlcluster); what was done."""
    if not shutil.which("pg_lsclusters"):
        return "PostgreSQL not restarted: pg_ctlcluster not found"
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    done = []
    for line in clusters.splitlines():
        version, name = line.split()[:2]
        subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
        done.append(f"{version}/{name}")
    return "PostgreSQL restarted (" + ", ".join(done) + ")"


async def faults(
    stack: Any, api: FlakyBotApi, log: list[str], started: float, c: Counters, scaled: bool
) -> None:
    """The fault schedule; the citizens talk on until it is over."""

    def note(text: str) -> None:
        log.append(f"{time.monotonic() - started:.0f} s: {text}")
        print(log[-1], flush=True)

    c.keep_going = True
    try:
        await asyncio.sleep(20)
        note("Telegram API answers 502 for 60 s")
        api.down_until = time.monotonic() + 60
        await asyncio.sleep(60)
        note("Telegram API back")
        engine = "rasa-1" if scaled else "rasa"
        note(f"engine {engine} killed (SIGKILL)" + (", rasa-2 still serving" if scaled else ""))
        os.killpg(stack.processes[engine].pid, 9)
        await asyncio.sleep(10)
        stack.start(engine)
        await asyncio.to_thread(stack.wait_ready, 900, engine)
        note(f"engine {engine} up again")
        if scaled:
            await asyncio.sleep(20)
            note(await asyncio.to_thread(restart_postgres))
            await asyncio.sleep(40)
        note("fault schedule over; the citizens finish their current message")
    finally:
        c.keep_going = False


def count_database(url: str) -> dict[str, Any]:
    """Messages, replies and deliveries as the helpdesk's database holds them."""
    engine = create_engine(url)
    with engine.connect() as db:
        q = lambda sql: int(db.scalar(text(sql)) or 0)  # noqa: E731
        rows = db.execute(
            text(
                "SELECT m.conversation_id, m.sender, m.text, c.handoff_reason, c.channel, "
                "m.created_at, m.id FROM messages m "
                "JOIN conversations c ON c.id = m.conversation_id ORDER BY m.id"
            )
        ).all()
        result = {
            "stored": q("SELECT COUNT(*) FROM messages WHERE sender = 'citizen'"),
            "distinct": q(
                "SELECT COUNT(*) FROM (SELECT DISTINCT conversation_id, client_message_id "
                "FROM messages WHERE sender = 'citizen') AS d"
            ),
            "replies": q("SELECT COUNT(*) FROM messages WHERE sender = 'bot'"),
            "telegram_done": q(
                "SELECT COUNT(*) FROM outbox WHERE status = 'done' AND channel = 'telegram'"
            ),
            "outbox_open": q("SELECT COUNT(*) FROM outbox WHERE status = 'queued'"),
            "outbox_failed": q("SELECT COUNT(*) FROM outbox WHERE status = 'failed'"),
            "handoffs": q(
                "SELECT COUNT(*) FROM conversations WHERE handoff_reason = 'engine_error'"
            ),
        }
    engine.dispose()
    # lost: a citizen message that no bot answer (a "please wait" notice is not one) follows,
    # unless its conversation was handed to an agent (then it waits in the agents' queue)
    with_agents = 0
    lost: list[str] = []  # "channel time text" of each lost message
    waiting: dict[int, Any] = {}  # conversation -> its unanswered citizen message row
    for row in rows:
        conversation, sender, body, handoff = row[:4]
        if sender == "citizen":
            earlier = waiting.get(conversation)
            if earlier is not None:
                with_agents += handoff is not None
                if handoff is None:
                    lost.append(describe(earlier))
            waiting[conversation] = row
        elif sender == "bot" and body not in NOTICES:
            waiting.pop(conversation, None)
    for row in waiting.values():
        with_agents += row[3] is not None
        if row[3] is None:
            lost.append(describe(row))
    return {**result, "lost": len(lost), "lost_examples": lost, "with_agents": with_agents}


def describe(row: Any) -> str:
    """One lost message for the report: channel, when, what."""
    _conversation, _sender, body, _handoff, channel, created_at, message_id = row
    when = created_at.strftime("%H:%M:%S") if hasattr(created_at, "strftime") else created_at[11:19]
    return f"{channel} message {message_id} at {when}: {body[:40]!r}"


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
        length = args.conversation_length
        tasks = [web_citizen(http, n, per, counters, length) for n in range(web_n)]
        tasks += [
            telegram_citizen(http, n, per, counters, api, length)
            for n in range(web_n, args.conversations)
        ]
        if args.faults:
            tasks.insert(0, faults(stack, api, log, started, counters, args.scaled))
        await asyncio.gather(*tasks)
    talked = time.monotonic() - started
    # let the workers finish (retries after the Telegram outage included)
    url = stack.config.database_url
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and count_database(url)["outbox_open"]:
        await asyncio.sleep(1)
    counts = count_database(url)
    sent = api.sent()
    return {
        "wall": talked,
        "accepted": counters.accepted,
        "errors": counters.errors,
        "given_up": counters.given_up,
        "citizens_handed_off": counters.handed_off,
        "web_delivered": counters.web_delivered,
        "telegram_delivered": len(sent),
        "telegram_duplicates": len(sent) - counts["telegram_done"],
        "failed": counters.failed,
        "log": log,
        **counts,
    }


def start_stack(tmp: Path, env: dict[str, str], scaled: bool) -> tuple[Any, Any]:
    """The embedded or the scaled stack, started and ready; and its stop function."""
    from tests.stackutil import start_embedded_stack, start_scaled_stack

    return (start_scaled_stack if scaled else start_embedded_stack)(tmp, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=20, help="at once")
    parser.add_argument(
        "--conversation-length",
        type=int,
        default=10,
        help="messages per conversation; then that citizen slot starts a new one",
    )
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--scaled", action="store_true", help="the scaled stack (make run-scaled)")
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    from tests.stackutil import engine_missing, use_throwaway_secrets

    use_throwaway_secrets()

    missing = engine_missing()
    if missing:
        print(f"cannot run: {missing}", file=sys.stderr)
        return 1
    load = os.getloadavg()[0]
    api = FlakyBotApi()
    with serve(api) as api_url, tempfile.TemporaryDirectory() as tmp:
        env = {
            **LOAD_ENV,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": api_url,
        }
        stack, stop = start_stack(Path(tmp), env, args.scaled)
        try:
            result = asyncio.run(run(args, stack, api))
        finally:
            stop()
            keep_logs(
                stack.logs, REPO_ROOT / "docs" / "measurements" / "tmp" / f"{run_name(args)}-logs"
            )
    report = render(run_name(args), args, result, load)
    print(report)
    out = REPO_ROOT / (args.out or f"docs/measurements/{run_name(args)}.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report)
    return 0


def run_name(args: argparse.Namespace) -> str:
    return "faults" if args.faults else "soak"


def keep_logs(logs: Path, target: Path) -> None:
    """The stack's process logs, kept after the run (docs/measurements/tmp is not in git)."""
    shutil.rmtree(target, ignore_errors=True)
    if logs.exists():
        shutil.copytree(logs, target)


def render(name: str, args: argparse.Namespace, r: dict[str, Any], load: float) -> str:
    """The report: one table of counts, then the fault log."""
    duplicated = r["stored"] - r["distinct"] + max(r["telegram_duplicates"], 0)
    where = (
        "scaled stack (PostgreSQL, Redis, 2 engines and 2 web processes behind nginx, 2 workers)"
        if args.scaled
        else "embedded stack (SQLite, 1 engine, 1 web process, 1 worker)"
    )
    lines = [
        f"# {name.capitalize()} run (`make {name}`)",
        "",
        f"{r['accepted']} messages accepted from {args.conversations} conversations at once "
        f"(half web chat, half Telegram through the fake Bot API; each citizen slot starts a "
        f"new conversation every {args.conversation_length} messages) in {r['wall']:.0f} s "
        f"({r['accepted'] / max(r['wall'], 1e-9):.1f} messages/s); {where}; 1-minute load "
        f"average before the run {load:.1f}.",
        "",
        "| messages in | citizen messages stored | replies stored | delivered (web / Telegram) "
        "| duplicated | lost | waiting for an agent | failed replies | engine_error handoffs "
        "| HTTP errors (resent) | never accepted |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {r['accepted']} | {r['stored']} | {r['replies']} | {r['web_delivered']} / "
        f"{r['telegram_delivered']} | {duplicated} | {r['lost']} | {r['with_agents']} "
        f"| {r['failed']} | {r['handoffs']} | {r['errors']} | {r['given_up']} |",
        "",
        f"Citizens handed to an agent (they stop talking to the bot, as people wait for an "
        f"officer): {r['citizens_handed_off']}. Outbox after the run: {r['outbox_open']} still "
        f"queued, {r['outbox_failed']} failed.",
        "",
        *[f"- {line}" for line in r["log"]],
    ]
    if r["lost_examples"]:
        lines += ["", "Lost messages (first 20):", ""]
        lines += [f"- {line}" for line in r["lost_examples"][:20]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
