"""What every channel adapter exchanges with the router."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from helpdesk.models import Channel


@dataclass(frozen=True)
class InboundMessage:
    """A citizen's message, as a channel adapter parsed it."""

    channel: Channel
    channel_user_id: str
    text: str
    payload: str | None = None
    client_message_id: str | None = None
    language: str | None = None
    attachments: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class BotReply:
    """One message from the Rasa engine."""

    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)
    custom: dict[str, Any] = field(default_factory=dict)

    @property
    def is_fallback_marker(self) -> bool:
        """The domain's `utter_default` carries `{"fallback": true}` so the router can count."""
        return bool(self.custom.get("fallback"))


class BotEngine(Protocol):
    """Something that answers a citizen's message (the Rasa engine, or a fake in tests)."""

    def reply(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """The bot's replies to `text` from `sender_id`; raises EngineUnavailable."""
        ...

    def is_up(self) -> bool:
        """Whether the engine answers at all (for /healthz)."""
        ...


class EngineUnavailable(Exception):
    """The bot engine cannot answer: connection refused, an error answer, or down."""


class EngineBusy(EngineUnavailable):
    """The bot engine is up but did not answer in time (slow under load, not dead)."""
