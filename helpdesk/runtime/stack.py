"""Start and stop the whole stack (Rasa engine, action server, helpdesk web) as real processes.

`make run` uses it through `python -m helpdesk.runtime.stack`; the end-to-end tests use
`Stack` directly.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from helpdesk.infra.config import REPO_ROOT


def newest_model(models_dir: Path) -> Path:
    """The most recently written model archive (the one `make train` produced or restored)."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {models_dir}; run `make train`")
    return models[-1]


@dataclass
class StackConfig:
    """Ports, paths and the database of one stack."""

    var_dir: Path
    database_url: str
    model: Path
    helpdesk_port: int = 8000
    rasa_port: int = 5005
    actions_port: int = 5055
    internal_port: int = 8001
    host: str = "127.0.0.1"
    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)

    @property
    def helpdesk_url(self) -> str:
        """Base URL of the helpdesk web app."""
        return f"http://{self.host}:{self.helpdesk_port}"

    @property
    def internal_url(self) -> str:
        """The helpdesk's internal listener (its own threads; the action server's way in)."""
        return f"http://127.0.0.1:{self.internal_port}"

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa engine."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        """Base URL of the action server."""
        return f"http://{self.host}:{self.actions_port}"


class Stack:
    """The long-running processes (engine, actions, web, worker), with logs in `var_dir/logs`."""

    def __init__(self, config: StackConfig, api_token: str) -> None:
        self.config = config
        self.api_token = api_token
        self.staff_token = ""  # a staff token for callers acting as agents (tests, demos)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.logs = config.var_dir / "logs"
        # The engine's API token and the engine → action server secret: from the
        # environment (make run: var/secrets.env), else fresh for this stack.
        self.rasa_token = _setting(config, "RASA_TOKEN") or secrets.token_urlsafe(24)
        self.action_secret = _setting(config, "ACTION_SERVER_SECRET") or secrets.token_urlsafe(24)

    def _env(self) -> dict[str, str]:
        c = self.config
        env = dict(os.environ)
        env.update(
            DATABASE_URL=c.database_url,
            HELPDESK_HOST=c.host,
            HELPDESK_PORT=str(c.helpdesk_port),
            HELPDESK_INTERNAL_PORT=str(c.internal_port),
            HELPDESK_URL=c.internal_url,
            HELPDESK_API_TOKEN=self.api_token,
            RASA_URL=c.rasa_url,
            RASA_TOKEN=self.rasa_token,
            ACTION_SERVER_SECRET=self.action_secret,
            ACTION_SERVER_HOST=c.host,
            ACTION_SERVER_URL=f"{c.actions_url}/webhook",
            RASA_TRACKER_DIALECT="sqlite",
            RASA_TRACKER_DB=str(c.var_dir / "rasa-tracker.db"),
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            PYTHONUNBUFFERED="1",
        )
        env.update(c.env)
        env.update(RASA_TOKEN=self.rasa_token, ACTION_SERVER_SECRET=self.action_secret)
        return env

    def commands(self) -> dict[str, list[str]]:
        """The command line of each process."""
        c = self.config
        venv_bin = Path(sys.executable).parent
        # `rasa` through scripts/rasa_engine.py: the same CLI with the action-answer check
        # built once instead of per call (see that file; ~30 ms CPU per action call).
        rasa_python = str(REPO_ROOT / ".venv-rasa" / "bin" / "python")
        return {
            "rasa": [
                rasa_python,
                str(REPO_ROOT / "scripts" / "rasa_engine.py"),
                "run",
                "--enable-api",
                "--model",
                str(c.model),
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
                "--interface",
                c.host,
                "--port",
                str(c.rasa_port),
            ],
            "actions": [
                str(venv_bin / "python"),
                "-m",
                "actions.server",  # rasa-sdk behind the shared secret and body caps
                "--actions",
                "actions",
                "--host",
                c.host,
                "--port",
                str(c.actions_port),
            ],
            "helpdesk": [str(venv_bin / "helpdesk"), "serve"],
            **{name: [str(venv_bin / "helpdesk"), "worker"] for name in self.worker_names()},
        }

    def process_env(self, name: str) -> dict[str, str]:
        """Settings for one process on top of the shared ones (a worker's ready file)."""
        if name in self.worker_names():
            return {"WORKER_READY_FILE": str(self.ready_file(name))}
        return {}

    def worker_names(self) -> list[str]:
        """`worker`, then `worker-2`, `worker-3`... when several share the jobs."""
        return ["worker"] + [f"worker-{n}" for n in range(2, self.config.workers + 1)]

    def start(self, *names: str) -> None:
        """Start the named processes (all when none are named)."""
        self.logs.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = self._env()
        for name, command in self.commands().items():
            if names and name not in names:
                continue
            if name in self.worker_names():
                self.ready_file(name).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                self.ready_file(name).unlink(missing_ok=True)  # a previous run's says nothing
            log_path = self.logs / f"{name}.log"
            fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.chmod(log_path, 0o600)
            with os.fdopen(fd, "wb") as log:
                self.processes[name] = subprocess.Popen(
                    command,
                    cwd=REPO_ROOT,
                    env={**env, **self._code_path(command, env), **self.process_env(name)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    umask=0o077,  # whatever they write under var/ is the owner's only
                )

    def _code_path(self, command: list[str], env: dict[str, str]) -> dict[str, str]:
        """PYTHONPATH for the project's own processes: this checkout first. The venv's editable
        install names one checkout (a worktree sharing /work/main's venv got main's code in
        `helpdesk serve` while its tests imported its own)."""
        if not command[0].startswith(str(Path(sys.executable).parent) + os.sep):
            return {}  # the engine's own venv
        return {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        }

    def checks(self) -> dict[str, Callable[[], bool]]:
        """One readiness probe per process."""
        c = self.config
        return {
            "rasa": lambda: _get_ok(
                f"{c.rasa_url}/status", model_loaded=True, params={"token": self.rasa_token}
            ),
            "actions": lambda: _get_ok(f"{c.actions_url}/health"),
            "helpdesk": lambda: _get_ok(f"{c.helpdesk_url}/healthz"),
            **{name: self._worker_probe(name) for name in self.worker_names()},
        }

    def ready_file(self, name: str) -> Path:
        """Where a worker says it is ready (WORKER_READY_FILE): its pid, written before it
        delivers anything. A file, not a log line: retries logged at once cannot scroll it
        away (issue 21: with WhatsApp down and deliveries waiting, the old probe on the last
        5 log lines never saw "worker running" and the start gave up)."""
        return self.config.var_dir / "run" / f"{name}.ready"

    def _worker_probe(self, name: str) -> Callable[[], bool]:
        path = self.ready_file(name)

        def probe() -> bool:
            process = self.processes.get(name)
            try:
                written = path.read_text().split()
            except OSError:
                return False
            return process is not None and written[:1] == [str(process.pid)]

        return probe

    def wait_ready(self, timeout: float = 180.0, *names: str) -> None:
        """Block until every (named) process answers; raise with its log tail if one dies."""
        deadline = time.monotonic() + timeout
        pending = {n: probe for n, probe in self.checks().items() if not names or n in names}
        while pending:
            for name in list(pending):
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.log_tail(name)}")
                if pending[name]():
                    del pending[name]
            if time.monotonic() > deadline:
                tails = "\n".join(self.log_tail(n) for n in pending)
                raise TimeoutError(f"not ready after {timeout:.0f} s: {sorted(pending)}\n{tails}")
            time.sleep(0.5)

    def stop(self, *names: str) -> None:
        """Stop the named processes (all when none are named): SIGTERM, then SIGKILL."""
        for name in [n for n in self.processes if not names or n in names]:
            process = self.processes.pop(name)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()

    def log_tail(self, name: str, lines: int = 40) -> str:
        """The last lines a process wrote."""
        path = self.logs / f"{name}.log"
        if not path.exists():
            return f"[{name}: no log]"
        text = path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- {name} ---\n" + "\n".join(text)


def ready_timeout(default: float = 300) -> float:
    """How long `make run` (and run-scaled) waits for every process: STACK_READY_TIMEOUT
    seconds, else `default` (300; the scaled stack's two engines start one after the other:
    400)."""
    return float(os.environ.get("STACK_READY_TIMEOUT", "") or default)


def _setting(config: StackConfig, name: str) -> str:
    return (config.env.get(name) or os.environ.get(name, "")).strip()


def _get_ok(url: str, model_loaded: bool = False, params: dict[str, str] | None = None) -> bool:
    try:
        response = httpx.get(url, timeout=2.0, params=params)
    except httpx.HTTPError:
        return False
    if not response.is_success:
        return False
    return not model_loaded or bool(response.json().get("model_file"))


def _raise_keyboard_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_until_stopped(stack: Stack, start: Callable[[], None]) -> int:
    """Run `start`, then watch the processes: 1 when one dies (its log tail printed), 0 on
    Ctrl-C or `kill`. Every process is stopped either way."""
    # SIGINT may arrive ignored from a background shell: install both handlers explicitly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        start()
        print("Press Ctrl-C to stop them all.", flush=True)
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        dead = [n for n, p in stack.processes.items() if p.poll() is not None]
        print(f"stopped: {dead} exited", file=sys.stderr)
        for name in dead:
            print(stack.log_tail(name), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        stack.stop()


def main() -> int:
    """`make run`: migrate + seed the embedded database, start everything, wait for Ctrl-C."""
    from helpdesk.infra import localsecrets
    from helpdesk.infra.config import DEFAULT_DATABASE_URL, Settings
    from helpdesk.infra.db import Database
    from helpdesk.runtime.cli import main as cli_main
    from helpdesk.runtime.guard import StackBusy, claim, embedded_ports
    from helpdesk.services.tokens import create_token, revoke_tokens

    try:  # before any secret, database or token is touched
        guard = claim("make run", embedded_ports())
    except StackBusy as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 1
    os.umask(0o077)
    path, generated = localsecrets.ensure()
    if generated:
        print(f"Generated development secrets ({', '.join(generated)}) into {path} (owner-only).")
    elif not localsecrets.is_production():
        print(f"Secrets: from the environment, else {path}.")
    settings = Settings.from_env()
    settings.check_production()
    var_dir = REPO_ROOT / "var"
    if settings.database_url == DEFAULT_DATABASE_URL:
        cli_main(["seed-demo"])  # once: later starts print the same demo token
    else:
        cli_main(["init-db"])
        print("DATABASE_URL is not the development database: no demo data seeded.")
    with Database(settings.database_url).session() as session:
        token = os.environ.get("HELPDESK_API_TOKEN", "")
        if not token:
            # One bot-scoped token per run: the previous run's stops working.
            revoke_tokens(session, "action-server (make run)")
            token = create_token(session, "action-server (make run)", "bot")
        session.commit()
    config = StackConfig(
        var_dir=var_dir,
        database_url=settings.database_url,
        model=newest_model(REPO_ROOT / "models"),
        helpdesk_port=settings.port,
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        actions_port=int(os.environ.get("ACTION_SERVER_PORT", "5055")),
        internal_port=settings.internal_port or 8001,
    )
    stack = Stack(config, token)

    def start() -> None:
        started = time.monotonic()
        print(f"Starting the Rasa engine ({config.model.name}), action server and helpdesk...")
        stack.start()
        stack.wait_ready(timeout=ready_timeout())
        print(f"\nAll processes ready in {time.monotonic() - started:.0f} s. Logs: {stack.logs}")
        print(f"  Web chat demo page   {config.helpdesk_url}/")
        print(f"  Helpdesk REST API    {config.helpdesk_url}/api/v1/openapi.json")
        print(f"  Health               {config.helpdesk_url}/healthz")
        print(f"  Rasa engine          {config.rasa_url}")
        print(f"  Action server        {config.actions_url}")
        print(f"  Internal API         {config.internal_url} (action server only)", flush=True)

    print(
        f"Backups: `.venv/bin/helpdesk backup` writes to {settings.backup_dir}"
        + (
            f"; the worker takes one nightly at {settings.backup_hour:02d}:00 "
            f"({settings.timezone}) and keeps {settings.backup_keep}"
            if settings.backup_hour >= 0
            else "; nightly backups are off (BACKUP_HOUR=-1)"
        )
        + ("" if settings.backup_key else ". Not encrypted: BACKUP_KEY is unset")
        + ". Copy them off this machine (README: Backups and restore).",
        flush=True,
    )
    try:
        return run_until_stopped(stack, start)
    finally:
        guard.release()


if __name__ == "__main__":
    sys.exit(main())
