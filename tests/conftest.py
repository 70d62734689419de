"""Shared fixtures: an app on a fresh SQLite file, a fake bot engine, an API token."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.conversation.base import BotReply, EngineUnavailable
from helpdesk.infra.config import Settings
from helpdesk.infra.migrate import upgrade
from helpdesk.runtime.app import create_app
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database

# Fixed test keys for encryption at rest (helpdesk/infra/crypto.py), inherited by the processes the
# end-to-end tests start. Tests never read or write the developer's var/secrets.env.
TEST_ENCRYPTION_KEY = "Q2tGdGVzdC1lbmNyeXB0aW9uLWtleS0wMDAwMDAwMDA="
TEST_BLIND_INDEX_KEY = "test-blind-index-key"
os.environ.setdefault("ENCRYPTION_KEYS", TEST_ENCRYPTION_KEY)
os.environ.setdefault("BLIND_INDEX_KEY", TEST_BLIND_INDEX_KEY)
for _name in ("SECRET_KEY", "RASA_TOKEN", "ACTION_SERVER_SECRET"):
    os.environ.setdefault(_name, f"test-{_name.lower()}-0123456789abcdef0123456789")


@dataclass
class FakeEngine:
    """Stands in for Rasa: records what it was sent, answers with scripted replies."""

    replies: list[BotReply] = field(default_factory=lambda: [BotReply("Halo dari bot")])
    down: bool = False
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    on_call: Any = None

    def reply(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """Record the call; fail when `down`."""
        self.calls.append((sender_id, text, metadata))
        if self.down:
            raise EngineUnavailable("connection refused")
        if self.on_call is not None:
            self.on_call(sender_id, text)
        return list(self.replies)

    def is_up(self) -> bool:
        """Up unless told otherwise."""
        return not self.down


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Test settings: explicit, nothing read from the environment.

    The first-contact privacy notice is off unless a test asks for it (its own tests do),
    so the other tests see only the replies they script.
    """
    overrides.setdefault("consent_notice", False)
    return Settings(database_url=database_url, testing=True, **overrides)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test."""
    return f"sqlite:///{tmp_path / 'helpdesk.db'}"


@pytest.fixture
def fake_engine() -> FakeEngine:
    """The bot engine the app talks to in unit tests."""
    return FakeEngine()


@pytest.fixture
def app(database_url: str, fake_engine: FakeEngine) -> Iterator[Flask]:
    """The helpdesk app on a migrated database."""
    application = create_app(make_settings(database_url), bot_engine=fake_engine)
    with application.app_context():
        upgrade(database().engine)
    yield application
    with application.app_context():
        database().dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def api_token(app: Flask) -> str:
    """A valid API token."""
    with app.app_context(), database().session() as session:
        token = create_token(session, "tests")
        session.commit()
    return token


@pytest.fixture
def auth(api_token: str) -> dict[str, str]:
    """Authorization header for the API."""
    return {"Authorization": f"Bearer {api_token}"}
