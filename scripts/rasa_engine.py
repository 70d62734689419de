"""Start the Rasa engine (`rasa ...` arguments) with one behaviour-preserving speed-up
and a reconnecting tracker store.

Rasa 3.6 checks every answer of the action server with `jsonschema.validate(result,
schema)`, which first re-validates the (constant, large) schema itself against the JSON
Schema meta-schema: about 30 ms of CPU per custom action call on an idle core here, 300 ms
under load, measured by `py-spy` as a quarter of the engine's CPU at 100 conversations.
Most turns make at least one such call (every answer from the catalog does; the
`language` slot no longer costs one since issue 17). Here the validator is built and the
schema checked once; each answer is validated against the same schema and the same error
(`best_match`) is raised for an invalid one. Run with the engine's interpreter:
`.venv-rasa/bin/python scripts/rasa_engine.py run --enable-api ...`. It also adds
`--auth-token $RASA_TOKEN` (below).
"""

from __future__ import annotations

import os
import sys
from typing import Any


def speed_up_action_validation() -> None:
    """Validate action server answers with a validator built once (same schema, same errors)."""
    from jsonschema import ValidationError, validators
    from jsonschema.exceptions import best_match
    from rasa.core.actions import action
    from rasa.shared.constants import DOCS_BASE_URL

    schema = action.RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        assert isinstance(error, ValidationError)
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    action.RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def reconnect_after_a_database_restart() -> None:
    """Check pooled PostgreSQL connections of the SQL tracker store before use.

    Rasa 3.6 creates its engine without `pool_pre_ping`: after PostgreSQL restarts, the first
    turn on each engine meets a dead connection and fails with HTTP 500, which the helpdesk
    must treat as a dead engine (a handoff). With the ping the pool reconnects instead."""
    from rasa.core import tracker_store

    original = tracker_store.create_engine_kwargs

    def create_engine_kwargs(url: Any) -> dict[str, Any]:
        kwargs = original(url)
        if tracker_store.is_postgresql_url(url):
            kwargs["pool_pre_ping"] = True
        return kwargs

    tracker_store.create_engine_kwargs = create_engine_kwargs


def add_auth_token(argv: list[str]) -> list[str]:
    """`--auth-token $RASA_TOKEN` for `run --enable-api`, kept off the command line (where
    `ps` shows it to every local user); without RASA_TOKEN the API is not started open."""
    if "--enable-api" not in argv or "--auth-token" in argv:
        return argv
    token = os.environ.get("RASA_TOKEN", "").strip()
    if not token:
        sys.exit("RASA_TOKEN is not set: the engine's HTTP API would be open to anyone")
    return [*argv, "--auth-token", token]


def main() -> None:
    """`rasa` with the speed-up applied and the API token from the environment."""
    speed_up_action_validation()
    reconnect_after_a_database_restart()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *add_auth_token(sys.argv[1:])]
    rasa_main()


if __name__ == "__main__":
    main()
