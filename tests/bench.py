"""`make bench`: start the real stack and measure latency and memory (not a test).

Reports engine start-up, `/model/parse` and web-chat round-trip latency (p50/p95) for a
how-to question and a status check, and the resident memory of each process.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from helpdesk.config import REPO_ROOT
from tests.stackutil import engine_missing, seeded_stack

ROUNDS = 40


def timed(call: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    """Run the benchmark and print a Markdown table."""
    missing = engine_missing()
    if missing:
        print(f"cannot benchmark: {missing}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        # Many citizens from one address: lift the per-address web chat limits for the run.
        unlimited = "1000000/minute"
        stack = seeded_stack(
            Path(tmp),
            env={
                "WEBCHAT_SESSIONS_PER_ADDRESS": unlimited,
                "WEBCHAT_MESSAGES_PER_ADDRESS": unlimited,
            },
        )
        started = time.monotonic()
        stack.start()
        try:
            stack.wait_ready(timeout=300)
            startup = time.monotonic() - started
            c = stack.config
            web = httpx.Client(base_url=c.helpdesk_url, timeout=60)
            rasa = httpx.Client(base_url=c.rasa_url, timeout=60, params={"token": stack.rasa_token})

            def say(text: str) -> Callable[[], object]:
                """One message from a new citizen each time (one session is rate-limited)."""
                sessions = iter(
                    [
                        web.post("/webchat/sessions", json={}).json()["session_id"]
                        for _ in range(ROUNDS)
                    ]
                )
                return lambda: web.post(
                    f"/webchat/sessions/{next(sessions)}/messages", json={"text": text}
                ).raise_for_status()

            rows = [
                (
                    "engine /model/parse",
                    timed(
                        lambda: rasa.post(
                            "/model/parse", json={"text": "apa syarat bikin ktp"}
                        ).raise_for_status()
                    ),
                ),
                ("web chat: how-to (KTP requirements)", timed(say("Apa saja syarat membuat KTP?"))),
                ("web chat: status check", timed(say("cek status KTP-2026-000001"))),
            ]
            lines = [
                f"Stack ready in {startup:.1f} s (model {c.model.name}); {ROUNDS} requests each,"
                " one client.",
                "",
                "| what | p50 ms | p95 ms |",
                "|---|---|---|",
                *[f"| {name} | {p50:.1f} | {p95:.1f} |" for name, (p50, p95) in rows],
                "",
                "| process | RSS MB |",
                "|---|---|",
                *[f"| {n} | {rss_mb(p.pid):.0f} |" for n, p in stack.processes.items()],
            ]
        finally:
            stack.stop()
    report = "\n".join(lines)
    print(report)
    (REPO_ROOT / "reports").mkdir(exist_ok=True)
    (REPO_ROOT / "reports" / "bench.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
