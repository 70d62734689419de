"""Look before touching: one stack per checkout, and only on free ports.

`make run` and `make run-scaled` call `claim()` before they read a secret, seed, migrate or
rotate a token. It takes an exclusive `flock` on `var/stack.lock` (held until the process
exits, so a crash leaves no stale lock) and checks that every port the stack will listen
on is free. If a stack of this checkout runs, or another program holds a port, it raises
`StackBusy` with a message saying which, and nothing has been changed: the running
stack's action-server token and database stay as they are.

Standard library only: the Makefile also runs this file directly
(`python3 helpdesk/runtime/guard.py embedded`), before anything is installed or trained.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_LOCK = "HELPDESK_STACK_LOCK"

# make run-scaled's fixed layout (see helpdesk/runtime/scaled.py)
SCALED_PORTS: dict[str, int] = {
    "public": 8000,
    "internal_lb": 8001,
    "web": 8010,
    "internal": 8012,
    "engine_lb": 5004,
    "engine": 5005,
    "actions": 5055,
}


class StackBusy(RuntimeError):
    """A stack of this checkout runs, or a port it needs is taken."""


@dataclass
class StackLock:
    """The held lock; it is released when the process exits (or on `release`)."""

    path: Path
    handle: IO[str]

    def release(self) -> None:
        """Let the next stack start (the file stays; an unlocked file means no stack)."""
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def lock_path(env: Mapping[str, str] | None = None) -> Path:
    """var/stack.lock of this checkout (HELPDESK_STACK_LOCK overrides it, for tests)."""
    environ = os.environ if env is None else env
    override = environ.get(ENV_LOCK, "").strip()
    return Path(override) if override else REPO_ROOT / "var" / "stack.lock"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    return int(value) if value else default


def embedded_ports(env: Mapping[str, str] | None = None) -> dict[str, int]:
    """The ports `make run` listens on, from the same settings it reads."""
    environ = os.environ if env is None else env
    return {
        "helpdesk web (HELPDESK_PORT)": _int(environ, "HELPDESK_PORT", 8000),
        "internal API (HELPDESK_INTERNAL_PORT)": _int(environ, "HELPDESK_INTERNAL_PORT", 0) or 8001,
        "Rasa engine (RASA_PORT)": _int(environ, "RASA_PORT", 5005),
        "action server (ACTION_SERVER_PORT)": _int(environ, "ACTION_SERVER_PORT", 5055),
    }


def scaled_ports(ports: Mapping[str, int] = SCALED_PORTS) -> dict[str, int]:
    """The ports `make run-scaled` listens on."""
    return {
        "nginx, public": ports["public"],
        "nginx, internal API": ports["internal_lb"],
        "nginx, engines": ports["engine_lb"],
        "web-1": ports["web"],
        "web-2": ports["web"] + 1,
        "web-1 internal": ports["internal"],
        "web-2 internal": ports["internal"] + 1,
        "rasa-1": ports["engine"],
        "rasa-2": ports["engine"] + 1,
        "action server": ports["actions"],
    }


def port_free(port: int, host: str = "0.0.0.0") -> bool:
    """Whether nothing listens on port (a bind on every address succeeds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def claim(
    kind: str, ports: Mapping[str, int], path: Path | None = None, *, record: bool = True
) -> StackLock:
    """Take this checkout's stack lock and check the ports; raise StackBusy otherwise.
    `record` writes who holds it into the file (shown to the next one who tries)."""
    path = path or lock_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(fd, "r+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        holder = _holder(path) or "another process"
        raise StackBusy(
            f"A stack of this checkout is already running ({holder}).\n"
            "Nothing was changed: its tokens and database are as they were.\n"
            "Use that stack, or stop it first (Ctrl-C in its terminal)."
        ) from None
    taken = {name: port for name, port in ports.items() if not port_free(port)}
    if taken:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        listed = ", ".join(f"{port} ({name})" for name, port in taken.items())
        raise StackBusy(
            f"Port(s) already in use by another program: {listed}.\n"
            "Nothing was changed. Stop that program, or choose other ports in .env "
            "(HELPDESK_PORT, HELPDESK_INTERNAL_PORT, RASA_PORT, ACTION_SERVER_PORT)."
        )
    if not record:
        return StackLock(path, handle)
    handle.seek(0)
    handle.truncate()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    handle.write(f"{kind} stack, pid {os.getpid()}, started {started}\n")
    handle.flush()
    return StackLock(path, handle)


def check(kind: str, ports: Mapping[str, int], path: Path | None = None) -> None:
    """Claim and release at once: raise StackBusy when a start would be refused."""
    claim(kind, ports, path, record=False).release()


def main(argv: list[str]) -> int:
    """`python3 helpdesk/runtime/guard.py embedded|scaled`: exit 1 with the reason when a
    stack could not start now (the Makefile's first step)."""
    kind = argv[0] if argv else "embedded"
    ports = scaled_ports() if kind == "scaled" else embedded_ports()
    try:
        check(kind, ports)
    except StackBusy as exc:
        print(f"make run{'-scaled' if kind == 'scaled' else ''}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
