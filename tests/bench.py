"""`make bench`: N concurrent conversations against the web chat API and, in the same run,
against the engine's REST webhook alone (not a test: it measures, it asserts nothing).

Without `--url` it starts a seeded embedded stack (SQLite, one engine, one web process) on
free ports; with `--url` (or BENCH_URL) it measures a stack that is already running, e.g.
`make run-scaled`. Each conversation sends `--messages` realistic mixed messages (catalog
questions, status checks, chit-chat, in id/jv/su/en), one after the other, like a citizen.

A reply counts as failed when it is an apology (the actions' "system busy", the router's
"engine down" or "engine slow"), empty, or an HTTP error. A "please wait" notice followed
by the answer is not a failure; the latency is the time to the real answer.
Writes `docs/measurements/bench.md` (or `--out`) and a PNG of latency against N next to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from actions.i18n import t
from helpdesk.conversation.messages import TEXTS
from helpdesk.infra.config import REPO_ROOT

LANGUAGES = ("id", "jv", "su", "en")
CATALOG = [
    ("id", "Apa saja syarat membuat KTP?"),
    ("id", "berapa biaya bikin paspor"),
    ("id", "syarat akta kelahiran apa saja"),
    ("jv", "Nyuwun pirsa, menapa syaratipun damel KTP?"),
    ("jv", "Pinten beyanipun damel paspor?"),
    ("su", "Punten, naon waé syarat ngadamel KTP?"),
    ("su", "Sabaraha lami ngadamel SKCK?"),
    ("en", "What are the requirements for a family card?"),
    ("en", "How much does a passport cost?"),
]
STATUS = [
    ("id", "cek status KTP-2026-000001"),
    ("id", "status KK-2026-000002 sudah jadi belum?"),
    ("en", "What is the status of KTP-2026-000001?"),
]
CHAT = [
    ("id", "halo"),
    ("id", "terima kasih"),
    ("jv", "Sugeng enjing"),
    ("su", "Hatur nuhun"),
    ("en", "thank you"),
]
FAILURE_MARKERS = [
    *(t("helpdesk_busy", lang)[:40] for lang in LANGUAGES),
    *(text[:40] for text in TEXTS["engine_down"].values()),
    *(text[:40] for text in TEXTS["engine_slow"].values()),
]
HANDOFF_MARKERS = [text[:40] for text in TEXTS["engine_down"].values()]
NOTICE_TEXTS = set(TEXTS["please_wait"].values())
HISTORY = "<!-- notes: kept by make bench -->"
# Every load citizen comes from 127.0.0.1 and sends many messages: lift the per-address and
# per-session limits; the "please wait" threshold stays the default (3 s).
LOAD_ENV = {
    "WEBCHAT_RATE_LIMIT_PER_MINUTE": "100000",
    "WEBCHAT_SESSIONS_PER_ADDRESS": "100000/minute",
    "WEBCHAT_MESSAGES_PER_ADDRESS": "100000/minute",
    # A "please wait" answer is followed by polling every 100 ms: a limited poll would count
    # as a failed reply and send the next message before the answer.
    "WEBCHAT_POLLS_PER_ADDRESS": "1000000/minute",
    "WEBCHAT_REPLY_WAIT_SECONDS": "3",
}


def script(conversation: int, length: int) -> list[str]:
    """A citizen's messages: a greeting or a question, catalog questions, a status check."""
    texts = [CHAT[conversation % len(CHAT)][1]]
    for n in range(length - 2):
        texts.append(CATALOG[(conversation + n) % len(CATALOG)][1])
    texts.append(STATUS[conversation % len(STATUS)][1])
    return texts[:length]


@dataclass
class Sample:
    seconds: float
    failed: bool = False
    handoff: bool = False
    waited: bool = False  # got "please wait" first


@dataclass
class Run:
    """One load level on one target."""

    target: str
    concurrency: int
    wall_seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        lat = sorted(s.seconds for s in self.samples) or [float("nan")]
        return {
            "target": self.target,
            "n": self.concurrency,
            "messages": len(self.samples),
            "p50": percentile(lat, 50),
            "p95": percentile(lat, 95),
            "p99": percentile(lat, 99),
            "rate": len(self.samples) / self.wall_seconds if self.wall_seconds else 0.0,
            "failed": sum(s.failed for s in self.samples),
            "handoffs": sum(s.handoff for s in self.samples),
            "waited": sum(s.waited for s in self.samples),
        }


def percentile(values: list[float], p: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def classify(texts: list[str]) -> tuple[bool, bool]:
    """(failed, handoff) for the texts of one answer."""
    joined = "\n".join(texts)
    handoff = any(m in joined for m in HANDOFF_MARKERS)
    failed = not texts or any(m in joined for m in FAILURE_MARKERS)
    return failed, handoff


async def webchat_conversation(
    http: httpx.AsyncClient, n: int, length: int, samples: list[Sample]
) -> None:
    try:
        created = await http.post("/webchat/sessions", json={})
        session_id = created.json()["session_id"]
    except (httpx.HTTPError, ValueError, KeyError):
        samples.extend(Sample(0.0, failed=True) for _ in range(length))
        return
    path = f"/webchat/sessions/{session_id}/messages"
    for text in script(n, length):
        started = time.perf_counter()
        try:
            response = await http.post(path, json={"text": text})
            body = response.json()
            response.raise_for_status()
            texts = [m["text"] for m in body["messages"]]
            waited = bool(body.get("pending"))
            if waited:
                after = body["messages"][-1]["id"]
                texts = await follow(http, path, after)
            failed, handoff = classify([x for x in texts if x not in NOTICE_TEXTS])
            samples.append(Sample(time.perf_counter() - started, failed, handoff, waited))
        except (httpx.HTTPError, ValueError, KeyError, TimeoutError):
            samples.append(Sample(time.perf_counter() - started, failed=True))


async def follow(http: httpx.AsyncClient, path: str, after: int, limit: float = 120.0) -> list[str]:
    """Poll `?after=` (every 100 ms) until the answer that follows a "please wait" arrives."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        later = (await http.get(f"{path}?after={after}")).json()["messages"]
        if later:
            return [m["text"] for m in later]
        await asyncio.sleep(0.1)
    raise TimeoutError


async def engine_conversation(
    http: httpx.AsyncClient, n: int, length: int, samples: list[Sample], tag: str
) -> None:
    sender = f"bench-{tag}-{n}"
    for text in script(n, length):
        started = time.perf_counter()
        try:
            response = await http.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": text}
            )
            response.raise_for_status()
            texts = [str(m.get("text") or "") for m in response.json() if isinstance(m, dict)]
            failed, _ = classify([x for x in texts if x])
            samples.append(Sample(time.perf_counter() - started, failed))
        except (httpx.HTTPError, ValueError):
            samples.append(Sample(time.perf_counter() - started, failed=True))


async def level(
    target: str,
    base_url: str,
    n: int,
    length: int,
    one: Callable[[httpx.AsyncClient, int, list[Sample]], Awaitable[None]],
    params: dict[str, str] | None = None,
) -> Run:
    run = Run(target, n)
    limits = httpx.Limits(max_connections=n + 10, max_keepalive_connections=n + 10)
    async with httpx.AsyncClient(
        base_url=base_url, timeout=180, limits=limits, params=params
    ) as http:
        started = time.perf_counter()
        await asyncio.gather(*(one(http, i, run.samples) for i in range(n)))
        run.wall_seconds = time.perf_counter() - started
    return run


async def rest_status_rate(base_url: str, token: str, seconds: float = 5.0) -> tuple[float, int]:
    """Status lookups per second through the REST API (16 clients), and the errors."""
    done = errors = 0
    headers = {"Authorization": f"Bearer {token}"}
    stop = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal done, errors
        while time.perf_counter() < stop:
            response = await http.get("/api/v1/requests/KTP-2026-000001")
            done += 1
            errors += not response.is_success

    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(16)))
        return done / (time.perf_counter() - started), errors


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the action server's web framework works in a child)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process and its live descendants have used, in seconds."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    return {name: cpu_seconds(pid) for name, pid in pids.items()}


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its live descendants, in MB."""
    total = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024 if total else float("nan")


@dataclass
class Target:
    label: str
    web_url: str
    rasa_url: str
    token: str  # an API token for the status lookups (bot scope is what the actions use)
    pids: dict[str, int]


async def measure(target: Target, levels: list[int], length: int) -> dict[str, Any]:
    rasa_params = {"token": os.environ["RASA_TOKEN"]} if os.environ.get("RASA_TOKEN") else None
    runs: list[Run] = []
    cpu: dict[str, dict[str, float]] = {"web chat": {}, "engine alone": {}}
    answered: dict[str, int] = {"web chat": 0, "engine alone": 0}

    def count_cpu(target_name: str, before: dict[str, float], run: Run) -> None:
        after = cpu_snapshot(target.pids)
        for name, seconds in after.items():
            cpu[target_name][name] = cpu[target_name].get(name, 0.0) + seconds - before[name]
        answered[target_name] += len(run.samples)

    # warm up (the engine's first turns load lazily): not counted
    await level("web chat", target.web_url, 3, 2, lambda h, i, s: webchat_conversation(h, i, 2, s))
    await level(
        "engine alone",
        target.rasa_url,
        3,
        2,
        lambda h, i, s: engine_conversation(h, i, 2, s, f"warm-{time.time_ns()}"),
        rasa_params,
    )
    for n in levels:
        before = cpu_snapshot(target.pids)
        web = await level(
            "web chat",
            target.web_url,
            n,
            length,
            lambda http, i, s: webchat_conversation(http, i, length, s),
        )
        count_cpu("web chat", before, web)
        before = cpu_snapshot(target.pids)
        tag = f"{target.label}-{n}-{time.time_ns()}"
        engine = await level(
            "engine alone",
            target.rasa_url,
            n,
            length,
            lambda http, i, s, tag=tag: engine_conversation(http, i, length, s, tag),  # type: ignore[misc]
            rasa_params,
        )
        count_cpu("engine alone", before, engine)
        runs += [web, engine]
        print(json.dumps([web.row(), engine.row()]), flush=True)
    rate, errors = await rest_status_rate(target.web_url, target.token)
    return {
        "label": target.label,
        "rows": [r.row() for r in runs],
        "status_rate": rate,
        "status_errors": errors,
        "rss": {name: peak_rss_mb(pid) for name, pid in target.pids.items()},
        # CPU milliseconds per answered message, per process, over all levels of each path
        "cpu_ms": {
            path: {name: 1000 * sec / max(answered[path], 1) for name, sec in used.items()}
            for path, used in cpu.items()
        },
    }


def markdown(result: dict[str, Any], levels: list[int], length: int, load: str) -> str:
    lines = [
        f"### {result['label']}",
        "",
        f"{length} messages per conversation; machine load before the run: {load}.",
        "",
        "| target | N | msgs | p50 s | p95 s | p99 s | msg/s | failed | handoffs | waited |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['target']} | {r['n']} | {r['messages']} | {r['p50']:.2f} | {r['p95']:.2f} | "
            f"{r['p99']:.2f} | {r['rate']:.1f} | {r['failed']} | {r['handoffs']} | {r['waited']} |"
        )
    ratio = [
        (w["p50"] / e["p50"], w["p95"])
        for w, e in zip(result["rows"][::2], result["rows"][1::2], strict=True)
        if w["n"] == 20
    ]
    lines.append("")
    if ratio:
        lines.append(
            f"At N=20: web chat p50 / engine p50 = {ratio[0][0]:.2f}; web chat p95 "
            f"{ratio[0][1]:.2f} s."
        )
    lines.append(
        f"Status lookup through the REST API (16 clients, 5 s): "
        f"{result['status_rate']:.0f} requests/s, {result['status_errors']} errors."
    )
    cpu = result["cpu_ms"]
    lines += [
        "",
        "| process | peak RSS MB | CPU ms per message, web chat "
        "| CPU ms per message, engine alone |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {name} | {mb:.0f} | {cpu['web chat'].get(name, 0):.1f} "
        f"| {cpu['engine alone'].get(name, 0):.1f} |"
        for name, mb in result["rss"].items()
    ]
    web_total = sum(cpu["web chat"].values())
    cores = os.cpu_count() or 1
    lines += [
        f"| **all** | | **{web_total:.1f}** | **{sum(cpu['engine alone'].values()):.1f}** |",
        "",
        f"CPU ceiling of the web chat path on this machine: {cores} cores / "
        f"{web_total:.1f} ms per message = {cores * 1000 / max(web_total, 1e-9):.0f} messages/s "
        "(nginx and PostgreSQL, where used, not counted).",
    ]
    return "\n".join(lines) + "\n"


def plot(results: list[dict[str, Any]], path: Path) -> None:
    """Latency (p50 solid, p95 dashed) against N for every target measured."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for result in results:
        for target in ("web chat", "engine alone"):
            rows = [r for r in result["rows"] if r["target"] == target]
            ns = [r["n"] for r in rows]
            label = f"{result['label']}: {target}"
            line = ax.plot(ns, [r["p50"] for r in rows], marker="o", label=f"{label} p50")[0]
            ax.plot(ns, [r["p95"] for r in rows], linestyle="--", color=line.get_color())
    ax.set_xlabel("concurrent conversations (N)")
    ax.set_ylabel("seconds to the answer (p50 solid, p95 dashed)")
    ax.set_xscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def embedded_target(tmp: Path) -> tuple[Target, Callable[[], None]]:
    """Start the embedded default stack on free ports (SQLite, one of each process)."""
    from tests.stackutil import start_embedded_stack

    os.environ.setdefault("RASA_TOKEN", secrets.token_urlsafe(24))  # measure() sends it
    stack, stop = start_embedded_stack(tmp, LOAD_ENV, timeout=300)
    c = stack.config
    pids = {name: p.pid for name, p in stack.processes.items()}
    return Target("embedded", c.helpdesk_url, c.rasa_url, stack.api_token, pids), stop


def scaled_target(tmp: Path) -> tuple[Target, Callable[[], None]]:
    """Start the scaled stack (helpdesk.runtime.scaled) on free ports over throw-away databases."""
    from tests.stackutil import start_scaled_stack

    stack, stop = start_scaled_stack(tmp, LOAD_ENV)
    rasa_url = f"http://127.0.0.1:{stack.ports['engine_lb']}"
    target = Target("scaled", stack.config.helpdesk_url, rasa_url, stack.api_token, stack.pids())
    return target, stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=os.environ.get("BENCH_LEVELS", "1,10,20,50,100"))
    parser.add_argument("--messages", type=int, default=int(os.environ.get("BENCH_MESSAGES", "5")))
    parser.add_argument("--url", default=os.environ.get("BENCH_URL", ""), help="running stack")
    parser.add_argument("--rasa-url", default=os.environ.get("BENCH_RASA_URL", ""))
    parser.add_argument("--token", default=os.environ.get("BENCH_TOKEN", ""))
    parser.add_argument("--pids", default=os.environ.get("BENCH_PIDS", ""), help="pids.json")
    parser.add_argument("--label", default=os.environ.get("BENCH_LABEL", ""))
    parser.add_argument("--also-embedded", action="store_true", help="with --url: both")
    parser.add_argument("--scaled", action="store_true", help="also start and measure run-scaled")
    parser.add_argument("--only-scaled", action="store_true", help="only the scaled stack")
    parser.add_argument("--out", default=os.environ.get("BENCH_OUT", "docs/measurements/bench.md"))
    args = parser.parse_args(argv)
    from tests.stackutil import use_throwaway_secrets

    use_throwaway_secrets()
    levels = [int(n) for n in args.levels.split(",") if n.strip()]
    out = REPO_ROOT / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    load = load.split("load average:")[-1].strip()
    results = []
    targets: list[Callable[[Path], tuple[Target, Callable[[], None]]]] = []
    if args.url:
        pids = json.loads(Path(args.pids).read_text()) if args.pids else {}
        external = Target(args.label or "external", args.url, args.rasa_url, args.token, pids)
        targets.append(lambda _tmp: (external, lambda: None))
    if (not args.url or args.also_embedded) and not args.only_scaled:
        from tests.stackutil import engine_missing

        missing = engine_missing()
        if missing:
            print(f"cannot benchmark: {missing}", file=sys.stderr)
            return 1
        targets.append(embedded_target)
    if os.environ.get("BENCH_SCALED") or args.scaled or args.only_scaled:
        targets.append(scaled_target)
    for start in targets:
        with tempfile.TemporaryDirectory() as tmp:
            target, stop = start(Path(tmp))
            try:
                results.append(asyncio.run(measure(target, levels, args.messages)))
            finally:
                stop()
    sections = [markdown(r, levels, args.messages, load) for r in results]
    png = out.with_suffix(".png")
    plot(results, png)
    report = "\n".join(sections) + f"\n![latency against N]({png.name})\n"
    print(report)
    kept = out.read_text().partition(HISTORY)[2] if out.exists() else ""
    header = "# Benchmark (`make bench`)\n\nGenerated by `tests/bench.py`; the notes below the"
    header += " marker are kept between runs.\n\n"
    out.write_text(header + report + ("\n" + HISTORY + kept if kept else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
