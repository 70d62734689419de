"""The stack's processes run the checkout that started them (helpdesk/runtime/stack.py).

The venv's editable install names one checkout; a worktree sharing that venv started
`helpdesk serve` on the other checkout's code (the fuzz run in a worktree tested main)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpdesk.infra.config import REPO_ROOT
from helpdesk.runtime.stack import Stack, StackConfig


def _stack(tmp_path: Path) -> Stack:
    config = StackConfig(var_dir=tmp_path, database_url="sqlite://", model=Path("m.tar.gz"))
    return Stack(config, "t")


def test_the_project_processes_import_this_checkout_first(tmp_path: Path) -> None:
    stack = _stack(tmp_path)
    env = {**os.environ, "PYTHONPATH": "/elsewhere"}
    commands = stack.commands()
    for name in ("helpdesk", "worker", "actions"):
        path = stack._code_path(commands[name], env)["PYTHONPATH"].split(os.pathsep)
        assert path == [str(REPO_ROOT), "/elsewhere"], name
    assert stack._code_path(commands["rasa"], env) == {}  # the engine's venv is its own
    # what a process started like `helpdesk serve` (outside the checkout) imports
    found = subprocess.run(
        [sys.executable, "-c", "import helpdesk; print(helpdesk.__file__)"],
        env={**os.environ, **stack._code_path(commands["helpdesk"], os.environ)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()).resolve().is_relative_to(REPO_ROOT.resolve())
