"""`make run-scaled`: the scaled-out stack on one machine.

PostgreSQL for the helpdesk and the engines' tracker store, Redis for the engines' lock
store and the workers' wake-ups, two Rasa engines and two helpdesk web processes behind
nginx, one action server, two workers sharing the jobs:

```
 :8000 nginx ─► web-1 :8010 / web-2 :8011 (each: 32 public threads, its own engine pool)
 :8001 nginx ─► web-1 internal :8012 / web-2 internal :8013 (the action server's way in)
 :5004 nginx ─► rasa-1 :5005 / rasa-2 :5006 (tracker store PostgreSQL, lock store Redis)
 action server :5055 · worker, worker-2 (REDIS_URL wake-ups, leased jobs)
```

Settings: DATABASE_URL (PostgreSQL; default postgresql+psycopg://postgres@127.0.0.1:5432/
halowarga, created when missing), REDIS_URL (default redis://127.0.0.1:6379/0). nginx is
Debian's package (`scripts/ensure-nginx.sh` installs it when missing).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from helpdesk.infra.config import REPO_ROOT
from helpdesk.runtime.guard import SCALED_PORTS
from helpdesk.runtime.stack import (
    Stack,
    StackConfig,
    _get_ok,
    newest_model,
    ready_timeout,
    run_until_stopped,
)

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/halowarga"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class ScaledStack(Stack):
    """Two engines, two web processes, nginx in front; PostgreSQL and Redis underneath."""

    def __init__(
        self,
        config: StackConfig,
        api_token: str,
        *,
        ports: dict[str, int],
        redis_url: str,
        tracker_db: str,
    ) -> None:
        super().__init__(config, api_token)
        self.ports = ports
        self.redis_url = redis_url
        self.tracker_db = tracker_db
        self.dir = config.var_dir / "scaled"

    # --- layout -------------------------------------------------------------------------

    @staticmethod
    def engine_names() -> list[str]:
        return ["rasa-1", "rasa-2"]

    @staticmethod
    def web_names() -> list[str]:
        return ["web-1", "web-2"]

    def _env(self) -> dict[str, str]:
        env = super()._env()
        env.setdefault("TICKET_LOCK_LIFETIME", "15")  # see .env.example
        env.update(
            REDIS_URL=self.redis_url,
            RASA_URL=f"http://127.0.0.1:{self.ports['engine_lb']}",
            HELPDESK_URL=f"http://127.0.0.1:{self.ports['internal_lb']}",
        )
        return env

    def process_env(self, name: str) -> dict[str, str]:
        if name in self.web_names():
            n = self.web_names().index(name)
            return {
                "HELPDESK_PORT": str(self.ports["web"] + n),
                "HELPDESK_INTERNAL_PORT": str(self.ports["internal"] + n),
            }
        return super().process_env(name)

    def commands(self) -> dict[str, list[str]]:
        base = super().commands()
        rasa = base.pop("rasa")
        helpdesk = base.pop("helpdesk")
        commands: dict[str, list[str]] = {}
        for n, name in enumerate(self.engine_names()):
            command = list(rasa)
            command[command.index("--endpoints") + 1] = str(self.dir / "endpoints.yml")
            command[command.index("--port") + 1] = str(self.ports["engine"] + n)
            commands[name] = command
        for name in self.web_names():
            commands[name] = list(helpdesk)
        commands["nginx"] = [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-p",
            str(self.dir),
            "-c",
            str(self.dir / "nginx.conf"),
            "-e",
            "stderr",
        ]
        return {**commands, **base}

    def checks(self) -> dict[str, Callable[[], bool]]:
        base = super().checks()
        base.pop("rasa")
        base.pop("helpdesk")
        checks: dict[str, Callable[[], bool]] = {}
        for n, name in enumerate(self.engine_names()):
            url = f"http://127.0.0.1:{self.ports['engine'] + n}/status"
            token = {"token": self.rasa_token}
            checks[name] = lambda url=url, token=token: _get_ok(  # type: ignore[misc]
                url, model_loaded=True, params=token
            )
        for n, name in enumerate(self.web_names()):
            url = f"http://127.0.0.1:{self.ports['web'] + n}/healthz"
            checks[name] = lambda url=url: _get_ok(url)  # type: ignore[misc]
        checks["nginx"] = lambda: _get_ok(f"{self.config.helpdesk_url}/healthz")
        return {**checks, **base}

    # --- files --------------------------------------------------------------------------

    def write_files(self) -> None:
        """endpoints.yml for the engines and nginx.conf, under var_dir/scaled."""
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "tmp").mkdir(exist_ok=True)
        db = urlsplit(self.config.database_url.replace("+psycopg", ""))
        redis = urlsplit(self.redis_url)
        endpoints = {
            "action_endpoint": {
                "url": f"{self.config.actions_url}/webhook",
                # the secret itself stays in the environment (Rasa expands ${...})
                "headers": {"X-Action-Secret": "${ACTION_SERVER_SECRET}"},
            },
            "tracker_store": {
                "type": "SQL",
                "dialect": "postgresql",
                "url": db.hostname or "127.0.0.1",
                "port": db.port or 5432,
                "db": self.tracker_db,
                "username": db.username or "postgres",
                "password": db.password or "",
            },
            "lock_store": {
                "type": "redis",
                "url": redis.hostname or "127.0.0.1",
                "port": redis.port or 6379,
                "db": int((redis.path or "/0").lstrip("/") or 0),
                "key_prefix": f"hw{self.ports['engine']}",
            },
        }
        (self.dir / "endpoints.yml").write_text(yaml.safe_dump(endpoints, sort_keys=False))
        (self.dir / "nginx.conf").write_text(self.nginx_conf())

    def nginx_conf(self) -> str:
        p = self.ports
        tmp = self.dir / "tmp"

        def upstream(name: str, first: int, count: int) -> str:
            # max_fails=0: never mark a server down for a while (after one refused connection,
            # during a start or a restart, nginx would otherwise answer "no live upstreams"
            # for every server); a refused connection still moves on to the next server
            servers = "".join(
                f"    server 127.0.0.1:{first + n} max_fails=0;\n" for n in range(count)
            )
            return f"  upstream {name} {{\n    least_conn;\n{servers}    keepalive 64;\n  }}\n"

        def server(port: int, upstream_name: str, retry: str = "error", quiet: bool = False) -> str:
            # quiet: requests to the engines carry RASA_TOKEN in their query string, and
            # nginx writes the request line of every failed upstream connection into its
            # log at level "error" (issue 21): only "crit" and worse for that server.
            log = "    error_log stderr crit;\n" if quiet else ""
            return (
                f"  server {{\n    listen 127.0.0.1:{port};\n{log}    location / {{\n"
                f"      proxy_pass http://{upstream_name};\n      proxy_http_version 1.1;\n"
                '      proxy_set_header Connection "";\n      proxy_set_header Host $http_host;\n'
                f"      proxy_read_timeout 120s;\n      proxy_next_upstream {retry};\n"
                "      proxy_next_upstream_tries 2;\n    }\n  }\n"
            )

        # An engine that dies in the middle of a turn has not saved it (Rasa saves the
        # tracker when the turn ends): the other engine takes the same message, instead of
        # the citizen being handed to an agent as "engine_error". Web POSTs are not repeated.
        engine_retry = "error http_502 http_503 non_idempotent"

        return (
            f"daemon off;\nworker_processes 1;\npid {self.dir / 'nginx.pid'};\n"
            "events { worker_connections 4096; }\n"
            "http {\n  access_log off;\n  client_max_body_size 1m;\n"
            f"  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
            f"  fastcgi_temp_path {tmp}/fastcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n"
            f"  scgi_temp_path {tmp}/scgi;\n"
            + upstream("web", p["web"], 2)
            + upstream("internal", p["internal"], 2)
            + upstream("engine", p["engine"], 2)
            + server(self.config.helpdesk_port, "web")
            + server(p["internal_lb"], "internal")
            + server(p["engine_lb"], "engine", engine_retry, quiet=True)
            + "}\n"
        )

    def start_all(self, timeout: float = 400) -> None:
        """Start everything; the second engine once the first has created the tracker tables."""
        self.start(*[n for n in self.commands() if n != "rasa-2"])
        deadline = time.monotonic() + timeout
        while not self._tracker_tables_exist():
            if time.monotonic() > deadline or self.processes["rasa-1"].poll() is not None:
                raise RuntimeError(f"rasa-1 did not create its tables\n{self.log_tail('rasa-1')}")
            time.sleep(1)
        self.start("rasa-2")
        self.wait_ready(max(deadline - time.monotonic(), 60))

    def _tracker_tables_exist(self) -> bool:
        from sqlalchemy import create_engine, text

        url = urlsplit(self.config.database_url)._replace(path=f"/{self.tracker_db}").geturl()
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                return connection.scalar(text("SELECT to_regclass('events')")) is not None
        except Exception:
            return False
        finally:
            engine.dispose()

    def pids(self) -> dict[str, int]:
        """Process ids by name (for the benchmark's memory figures)."""
        return {name: process.pid for name, process in self.processes.items()}


def ensure_postgres_database(url: str) -> None:
    """Create the database of `url` when it does not exist yet."""
    from sqlalchemy import create_engine, text

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = create_engine(parts._replace(path="/postgres").geturl(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_postgres_database(url: str) -> None:
    """Drop the database of `url` (throw-away benchmark databases)."""
    from sqlalchemy import create_engine, text

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = create_engine(parts._replace(path="/postgres").geturl(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def build(
    var_dir: Path,
    database_url: str,
    redis_url: str,
    ports: dict[str, int],
    seed: Callable[[str], str],
) -> ScaledStack:
    """A scaled stack (not started) on `database_url`; `seed` migrates and returns a bot token."""
    ensure_postgres_database(database_url)
    token = seed(database_url)
    tracker_db = urlsplit(database_url).path.lstrip("/") + "_tracker"
    ensure_postgres_database(urlsplit(database_url)._replace(path=f"/{tracker_db}").geturl())
    config = StackConfig(
        var_dir=var_dir,
        database_url=database_url,
        model=newest_model(REPO_ROOT / "models"),
        helpdesk_port=ports["public"],
        actions_port=ports["actions"],
        internal_port=ports["internal_lb"],
        workers=2,
    )
    stack = ScaledStack(config, token, ports=ports, redis_url=redis_url, tracker_db=tracker_db)
    stack.write_files()
    return stack


DEFAULT_PORTS = dict(SCALED_PORTS)  # the guard checks the same ports before a start


def main() -> int:
    """Seed, start every process of the scaled stack, wait for Ctrl-C."""
    from helpdesk.infra.db import Database
    from helpdesk.runtime.cli import main as cli_main
    from helpdesk.runtime.guard import StackBusy, claim, scaled_ports
    from helpdesk.services.tokens import create_token

    try:  # before any database or token is touched
        guard = claim("make run-scaled", scaled_ports(DEFAULT_PORTS))
    except StackBusy as exc:
        print(f"make run-scaled: {exc}", file=sys.stderr)
        return 1
    database_url = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    if not database_url.startswith("postgresql"):
        print("make run-scaled needs DATABASE_URL=postgresql+psycopg://...", file=sys.stderr)
        return 2
    redis_url = os.environ.get("REDIS_URL", "").strip() or DEFAULT_REDIS_URL

    def seed(url: str) -> str:
        os.environ["DATABASE_URL"] = url
        cli_main(["seed-demo"])
        with Database(url).session() as session:
            token = create_token(session, f"action-server-{int(time.time())}", "bot")
            session.commit()
        return token

    stack = build(REPO_ROOT / "var", database_url, redis_url, DEFAULT_PORTS, seed)
    (stack.dir / "pids.json").unlink(missing_ok=True)

    def start() -> None:
        print("Starting 2 engines, 2 web processes, nginx, the action server and 2 workers...")
        stack.start_all(max(ready_timeout(400), 60))
        (stack.dir / "pids.json").write_text(json.dumps(stack.pids()))
        print(f"\nAll processes ready. Logs: {stack.logs}")
        print(f"  Web chat demo page   {stack.config.helpdesk_url}/  (nginx → web-1, web-2)")
        print(f"  Engines              http://127.0.0.1:{DEFAULT_PORTS['engine_lb']} (nginx)")
        bench = f"BENCH_URL={stack.config.helpdesk_url} make bench"
        print(f"  Bench it             {bench}", flush=True)

    try:
        return run_until_stopped(stack, start)
    finally:
        guard.release()


if __name__ == "__main__":
    sys.exit(main())
