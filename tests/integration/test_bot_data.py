"""The Rasa training data and domain: valid for the engine, consistent with the code."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from helpdesk.catalog import CONTRACT_SERVICE_CODES
from helpdesk.infra.config import REPO_ROOT

RASA = REPO_ROOT / ".venv-rasa" / "bin" / "rasa"
CONTRACT_INTENTS = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "out_of_scope",
    "ask_requirements",
    "ask_procedure",
    "ask_fee",
    "ask_duration",
    "ask_location_hours",
    "list_services",
    "check_status",
    "file_complaint",
    "request_human",
    "change_language",
}


def domain() -> dict:  # type: ignore[type-arg]
    loaded: dict = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text())  # type: ignore[type-arg]
    return loaded


def nlu_documents() -> list[dict]:  # type: ignore[type-arg]
    return [
        yaml.safe_load(p.read_text()) for p in sorted((REPO_ROOT / "data" / "nlu").rglob("*.yml"))
    ]


@pytest.mark.rasa
def test_rasa_data_validate() -> None:
    if not RASA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but .venv-rasa is missing")
        pytest.skip("NOTICE: .venv-rasa missing; run `make venv-rasa`")
    result = subprocess.run(
        [
            str(RASA),
            "data",
            "validate",
            "--domain",
            "bot/domain.yml",
            "--config",
            "bot/config.yml",
            "--data",
            "data/nlu",
            "data/rules",
            "data/stories",
            "--fail-on-warnings",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_domain_has_the_contract_intents_and_entities() -> None:
    d = domain()
    assert CONTRACT_INTENTS <= set(d["intents"])
    # An entity is a name, or a one-key mapping of its name to its options
    # (`language: {influence_conversation: false}`).
    names = {e if isinstance(e, str) else next(iter(e)) for e in d["entities"]}
    assert {"service", "tracking_number", "language"} <= names


def test_every_domain_action_is_registered_in_the_action_server() -> None:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {a for a in domain()["actions"] if a.startswith("action_")}
    assert custom, "domain lists no custom actions"
    assert custom <= set(executor.actions)


def test_every_catalog_service_has_nlu_synonyms() -> None:
    synonym_targets = {
        item["synonym"]
        for doc in nlu_documents()
        for item in doc.get("nlu", [])
        if "synonym" in item
    }
    assert set(CONTRACT_SERVICE_CODES) <= synonym_targets


def test_every_contract_intent_has_training_examples() -> None:
    intents = {
        item["intent"] for doc in nlu_documents() for item in doc.get("nlu", []) if "intent" in item
    }
    assert CONTRACT_INTENTS <= intents


def test_heldout_examples_never_appear_in_training_data() -> None:
    def examples(paths: list[Path]) -> set[str]:
        found = set()
        for path in paths:
            for item in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
                for line in str(item.get("examples", "")).splitlines():
                    found.add(line.strip().lstrip("- ").lower())
        found.discard("")
        return found

    training = examples(sorted((REPO_ROOT / "data" / "nlu").rglob("*.yml")))
    heldout = examples(sorted((REPO_ROOT / "tests" / "nlu_heldout").glob("*.yml")))
    assert heldout, "no held-out examples"
    assert sorted(training & heldout) == []
