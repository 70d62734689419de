"""A second `make run` / `make run-scaled` stops at once and changes nothing of the first.

The first stack is stood in for by a process holding this checkout's stack lock (what a
running `python -m helpdesk.runtime.stack` holds) or a port; the second start is the real entry
point, as `make run` calls it. Its action-server token must still work afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpdesk.infra.config import REPO_ROOT
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.models import ApiToken
from helpdesk.runtime.guard import StackBusy, check, claim, embedded_ports
from helpdesk.services.tokens import create_token, verify_token

HOLD = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from helpdesk.runtime.guard import claim\n"
    "lock = claim('make run', {}, Path(sys.argv[1]))\n"
    "print('held', flush=True)\n"
    "time.sleep(120)\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def first_stack(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The first stack's database with its action-server token, and the settings of a
    second start on the same checkout (same lock file, free ports)."""
    url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        token = create_token(session, "action-server (make run)", "bot")
        session.commit()
    database.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HELPDESK_STACK_LOCK": str(tmp_path / "stack.lock"),
        "HELPDESK_API_TOKEN": "",
        "HELPDESK_PORT": str(_free_port()),
        "HELPDESK_INTERNAL_PORT": str(_free_port()),
        "RASA_PORT": str(_free_port()),
        "ACTION_SERVER_PORT": str(_free_port()),
        "FIRST_TOKEN": token,
    }
    yield env


def _unchanged(env: dict[str, str]) -> None:
    """The first stack's token still verifies and no token was added or revoked."""
    database = Database(env["DATABASE_URL"])
    with database.session() as session:
        assert verify_token(session, env["FIRST_TOKEN"]) is not None
        tokens = session.query(ApiToken).all()
        assert len(tokens) == 1 and tokens[0].revoked_at is None
    database.dispose()


def _second_start(module: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def lock_holder(first_stack: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, first_stack["HELPDESK_STACK_LOCK"]],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield holder
    holder.kill()
    holder.wait()
    holder.stdout.close()


@pytest.mark.parametrize("module", ["helpdesk.runtime.stack", "helpdesk.runtime.scaled"])
def test_second_start_while_a_stack_runs(
    first_stack: dict[str, str], lock_holder: subprocess.Popen[str], module: str
) -> None:
    result = _second_start(module, first_stack)
    assert result.returncode == 1
    assert "already running" in result.stderr
    assert f"pid {lock_holder.pid}" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert "Starting" not in result.stdout and "Generated" not in result.stdout
    _unchanged(first_stack)
    # the Makefile's first step says the same before installing or training anything
    makefile_step = subprocess.run(
        ["python3", "helpdesk/runtime/guard.py", "embedded"],
        cwd=REPO_ROOT,
        env=first_stack,
        capture_output=True,
        text=True,
        check=False,
    )
    assert makefile_step.returncode == 1 and "already running" in makefile_step.stderr


def test_second_start_on_a_taken_port(first_stack: dict[str, str]) -> None:
    port = int(first_stack["HELPDESK_PORT"])
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        result = _second_start("helpdesk.runtime.stack", first_stack)
    assert result.returncode == 1
    assert f"{port} (helpdesk web (HELPDESK_PORT))" in result.stderr
    _unchanged(first_stack)
    lock = Path(first_stack["HELPDESK_STACK_LOCK"])
    check("make run", {}, lock)  # the refused start left no lock behind


def test_claim_is_exclusive_and_released(tmp_path: Path) -> None:
    lock = tmp_path / "stack.lock"
    held = claim("make run", {}, lock)
    assert str(os.getpid()) in lock.read_text()
    with pytest.raises(StackBusy, match="already running"):
        check("make run", {}, lock)
    held.release()
    check("make run", {}, lock)
    ports = embedded_ports({"HELPDESK_PORT": "18000", "RASA_PORT": "15005"})
    assert sorted(ports.values()) == [5055, 8001, 15005, 18000]
