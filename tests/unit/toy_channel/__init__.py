"""A toy channel for tests/unit/test_channel_registry.py: a folder with its declaration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint

from channels.adapters import ChannelAdapter, ChannelSpec, OutgoingMessage
from helpdesk.infra.config import Settings
from helpdesk.services.channel_traits import ChannelTraits

toy_bp = Blueprint("toy", __name__)
SENT: list[tuple[str, str]] = []


@toy_bp.get("/webhooks/toy")
def hello() -> str:
    return "toy webhook"


class ToyAdapter:
    """Sends by appending to SENT."""

    channel = "toy"

    def parse_event(self, payload: dict[str, Any]) -> None:
        return None

    def send(self, recipient: str, message: OutgoingMessage) -> str:
        SENT.append((recipient, message.text))
        return f"toy-{len(SENT)}"


def _adapter(settings: Settings) -> ChannelAdapter | None:
    return ToyAdapter()  # type: ignore[return-value]


CHANNEL = ChannelSpec(
    ChannelTraits("toy", pushes=True, reply_window=timedelta(hours=1), fetches_media=False),
    toy_bp,
    _adapter,
)
