"""scripts/rasa_engine.py, checked inside the engine's own environment (.venv-rasa)."""

from __future__ import annotations

import os
import subprocess

import pytest

from helpdesk.infra.config import REPO_ROOT

RASA_PYTHON = REPO_ROOT / ".venv-rasa" / "bin" / "python"

CHECK = """
import sys
sys.path.insert(0, "scripts")
import rasa_engine
from jsonschema import ValidationError
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction

rasa_engine.speed_up_action_validation()
rasa_engine.reconnect_after_a_database_restart()
action = RemoteAction.__new__(RemoteAction)
assert action._validate_action_result({"events": [], "responses": []}) is True
try:
    action._validate_action_result({"events": "not a list"})
except ValidationError as error:
    assert "Failed to validate Action server response" in error.message
else:
    raise AssertionError("an invalid answer passed")
assert tracker_store.create_engine_kwargs("postgresql://u@h/db")["pool_pre_ping"] is True
assert "pool_pre_ping" not in tracker_store.create_engine_kwargs("sqlite:///x.db")
print("ok")
"""


@pytest.mark.rasa
def test_the_engine_patches_keep_behaviour_and_reconnect() -> None:
    if not RASA_PYTHON.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but .venv-rasa is missing")
        pytest.skip("NOTICE: .venv-rasa missing; run `make venv-rasa`")
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", CHECK],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
