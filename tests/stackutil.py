"""Build a seeded stack of real processes on free ports (end-to-end tests and benchmarks)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.demo.seed import seed_requests
from helpdesk.infra.config import REPO_ROOT
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.runtime.stack import Stack, StackConfig, newest_model
from helpdesk.services.tokens import create_token


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def use_throwaway_secrets() -> None:
    """Fresh keys for a load run outside pytest (tests/conftest.py sets fixed test keys):
    the seeded database and every process of the stack inherit them from the environment."""
    import secrets

    from helpdesk.infra.crypto import generate_index_key, generate_key

    os.environ.setdefault("ENCRYPTION_KEYS", generate_key())
    os.environ.setdefault("BLIND_INDEX_KEY", generate_index_key())
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))


def engine_missing() -> str | None:
    """Why the engine cannot start here, or None."""
    if not (REPO_ROOT / ".venv-rasa" / "bin" / "rasa").exists():
        return ".venv-rasa missing (make venv-rasa)"
    try:
        newest_model(REPO_ROOT / "models")
    except FileNotFoundError as exc:
        return str(exc)
    return None


def seed_database(url: str) -> str:
    """Migrate the database at `url`, add the demo requests; return a new bot-scoped token."""
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        seed_requests(session, frozenset(load_catalog(default_catalog_dir()).services))
        token = create_token(session, "action-server", "bot")
        session.commit()
    database.dispose()
    return token


def seeded_stack(
    var_dir: Path,
    env: dict[str, str] | None = None,
    database_url: str | None = None,
    workers: int = 1,
) -> Stack:
    """A stack (not started) over a fresh database (SQLite unless given) with the demo requests."""
    database_url = database_url or f"sqlite:///{var_dir / 'helpdesk.db'}"
    token = seed_database(database_url)
    database = Database(database_url)
    with database.session() as session:
        staff_token = create_token(session, "e2e-agent")
        session.commit()
    database.dispose()
    config = StackConfig(
        var_dir=var_dir,
        database_url=database_url,
        model=newest_model(REPO_ROOT / "models"),
        helpdesk_port=free_port(),
        rasa_port=free_port(),
        actions_port=free_port(),
        internal_port=free_port(),
        # The end-to-end tests read the bot's answer from the POST itself, like before the
        # "please wait" path (unit-tested in tests/unit/test_request_path.py): a first turn
        # on a busy CI machine may take longer than the 3 s default. Benchmarks set their own.
        # Every test citizen comes from 127.0.0.1: lift the per-address web chat limits
        # (tests/unit/test_security_web.py covers them); a module may still set its own.
        env={
            "WEBCHAT_REPLY_WAIT_SECONDS": "60",
            "WEBCHAT_SESSIONS_PER_ADDRESS": "100000/minute",
            "WEBCHAT_MESSAGES_PER_ADDRESS": "100000/minute",
            **(env or {}),
        },
        workers=workers,
    )
    stack = Stack(config, token)
    stack.staff_token = staff_token
    return stack


def unavailable(reason: str) -> NoReturn:
    """Skip with a visible notice locally; fail under CI=true, where everything must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(f"NOTICE: {reason}; skipped")


@contextmanager
def running_stack(var_dir: Path, **options: Any) -> Iterator[Stack]:
    """A seeded stack (see `seeded_stack`), started and ready; stopped afterwards."""
    missing = engine_missing()
    if missing:
        unavailable(f"the engine is not built ({missing}); run `make train`")
    stack = seeded_stack(var_dir, **options)
    stack.start()
    try:
        stack.wait_ready(timeout=1200)
        yield stack
    finally:
        stack.stop()


def start_embedded_stack(
    var_dir: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> tuple[Stack, Callable[[], None]]:
    """The embedded stack (`seeded_stack`), started and ready; and its stop function."""
    stack = seeded_stack(var_dir, env=env)
    stack.start()
    try:
        stack.wait_ready(timeout=timeout)
    except BaseException:
        stack.stop()
        raise
    return stack, stack.stop


def start_scaled_stack(
    var_dir: Path, env: dict[str, str] | None = None
) -> tuple[Any, Callable[[], None]]:
    """The scaled stack (`helpdesk.runtime.scaled`: PostgreSQL, Redis, 2 engines, 2 web processes
    behind nginx, 2 workers) over throw-away databases on free ports, started and ready.

    Returns the stack and a function that stops it and drops its databases.
    """
    import uuid

    from helpdesk.runtime.scaled import build, drop_postgres_database

    base = os.environ.get("TEST_POSTGRES_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    url = base.rsplit("/", 1)[0] + f"/hw_load_{uuid.uuid4().hex[:8]}"
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")

    ports = {"web": free_port(), "internal": free_port(), "engine": free_port()}
    # consecutive pairs (web-1/web-2, ...) must be free: take a fresh base until they are
    for key in ("web", "internal", "engine"):
        while not _port_free(ports[key] + 1):
            ports[key] = free_port()
    ports.update(
        public=free_port(), internal_lb=free_port(), engine_lb=free_port(), actions=free_port()
    )
    stack = build(var_dir, url, redis_url, ports, seed_database)
    stack.config.env.update(env or {})

    def stop() -> None:
        stack.stop()
        drop_postgres_database(url)
        drop_postgres_database(url + "_tracker")

    try:
        stack.start_all()
    except BaseException:
        stop()
        raise
    return stack, stop


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
