"""Cheap checks that keep the docs honest."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

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
    for path in (ROOT / "bot").glob("*.yml"):
        used |= set(re.findall(r"\$\{([A-Z_]+)\}", path.read_text()))
    used.discard("CI")
    assert used, "no settings found: the scan is broken"
    assert sorted(used - documented) == []


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
