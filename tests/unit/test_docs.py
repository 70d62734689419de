"""Cheap checks that keep the docs honest."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from flask import Flask

from actions.settings import ActionSettings
from helpdesk.infra.config import Settings
from helpdesk.web.api.openapi import SPEC

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_read_from_the_environment_is_in_env_example() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    used: set[str] = set()
    for folder in ("helpdesk", "channels", "actions"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text()
            used |= set(
                re.findall(r"""(?:env|environ\.get|getenv|_int|_float)\(\s*"([A-Z_]+)""", source)
            )
            used |= set(re.findall(r"""environ\[\s*"([A-Z_]+)"\s*\]""", source))
            # a name kept in a constant, e.g. ENV_KEYS = "ENCRYPTION_KEYS" (infra/crypto.py)
            used |= set(re.findall(r"""^ENV_\w+\s*=\s*"([A-Z_]+)"$""", source, re.M))
    for path in (ROOT / "bot").glob("*.yml"):
        used |= set(re.findall(r"\$\{([A-Z_]+)\}", path.read_text()))
    used.discard("CI")
    assert used, "no settings found: the scan is broken"
    assert sorted(used - documented) == []


def example_values() -> dict[str, str]:
    """The settings of .env.example with the values it shows."""
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.M))


# Where .env.example's variables may be read: code, the engine's and deploy's configuration
# (Rasa expands ${VAR}), shell scripts and the Makefile. Not the k8s files generated from it.
CONSUMERS = ("helpdesk", "channels", "actions", "scripts", "bot", "tests", "deploy")
GENERATED = {"deploy/k8s/configmap.yaml", "deploy/k8s/secret.example.yaml"}


def test_every_variable_in_env_example_is_read_somewhere() -> None:
    sources = [(ROOT / "Makefile").read_text()]
    for folder in CONSUMERS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".sh", ".yml", ".yaml"} or "__pycache__" in path.parts:
                continue
            if path.relative_to(ROOT).as_posix() not in GENERATED:
                sources.append(path.read_text())
    text = "\n".join(sources)
    unused = [name for name in example_values() if not re.search(rf"\b{name}\b", text)]
    assert unused == []


def test_env_example_shows_the_defaults_of_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings built from .env.example's values equal the settings built from nothing."""
    values = example_values()
    for name in values:
        monkeypatch.delenv(name, raising=False)
    defaults, action_defaults = Settings.from_env(), ActionSettings.from_env({})
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    shown, action_shown = Settings.from_env(), ActionSettings.from_env(values)
    differing = {
        field.name
        for field in dataclasses.fields(Settings)
        if getattr(defaults, field.name) != getattr(shown, field.name)
    }
    # RASA_TRACKER_DB shows the path `make run` gives the engine; .env.example says what
    # the helpdesk does when it is unset.
    assert differing == {"rasa_tracker_db"}
    assert action_shown == action_defaults
    # The check can fail: a value other than the default is seen.
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "31")
    assert Settings.from_env().console_idle_minutes != defaults.console_idle_minutes


def test_openapi_documents_every_api_route(app: Flask) -> None:
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1") and not rule.rule.endswith("openapi.json")
    }
    assert routes == set(SPEC["paths"])


def test_openapi_is_served(app: Flask) -> None:
    body = app.test_client().get("/api/v1/openapi.json").get_json()
    assert body["openapi"].startswith("3.")


def test_readme_names_the_two_commands_and_every_channel() -> None:
    readme = (ROOT / "README.md").read_text()
    for needle in ("make run", "make test", "web chat", "Telegram", "WhatsApp", ".env.example"):
        assert needle in readme, needle
