"""The channel interface: how a channel declares itself, what the worker sends and how it
fails. This module imports no channel.

A channel is a folder `channels/<name>/` whose `__init__.py` defines `CHANNEL`, a
`ChannelSpec`: its traits (pushes or not, reply window, media fetching; see
`helpdesk.services.channel_traits`), its web blueprint (webhook or widget API) and, for a
push channel, a factory for its adapter. `channels/registry.py` lists the channels, one line
each. Every push channel's adapter has the same two methods: `parse_event(payload)` turns a
stored webhook delivery into router input, and `send(recipient, message)` delivers one
helpdesk message and returns the provider's id; `fetch_media(attachment)` when its traits
say it fetches media.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from helpdesk.conversation.base import InboundMessage
from helpdesk.models import Channel
from helpdesk.services.channel_traits import ChannelTraits

if TYPE_CHECKING:
    from helpdesk.infra.config import Settings

HASHED_PAYLOAD_PREFIX = "~h:"
"""Marks a button id that stands for a payload too long for the channel (see fit_payload)."""


@dataclass(frozen=True)
class OutgoingMessage:
    """One helpdesk message (bot or agent) to deliver on a citizen's channel.

    `buttons` are Rasa buttons reduced to `{"title": ..., "payload": ...}`;
    `last_inbound_at` is when the citizen last wrote (WhatsApp's 24-hour window);
    `template` names the approved WhatsApp template to use outside that window
    (None: the configured default). Telegram ignores both.
    """

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    last_inbound_at: datetime | None = None
    template: str | None = None


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery receipt for a message we sent: sent, delivered, read or failed."""

    provider_message_id: str
    status: str
    error: str | None = None


class DeliveryError(Exception):
    """The channel API did not take the message; `retryable` says whether to try again."""

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class ChannelAdapter(Protocol):
    """A push channel as the worker sees it."""

    @property
    def channel(self) -> Channel:
        """Which channel this adapter serves."""
        ...

    def parse_event(self, payload: dict[str, Any]) -> list[InboundMessage] | StatusUpdate | None:
        """Router input from one stored webhook delivery; None when there is nothing to do."""
        ...

    def send(self, recipient: str, message: OutgoingMessage) -> str:
        """Deliver `message`; return the provider's message id or raise DeliveryError."""
        ...


@dataclass(frozen=True)
class ChannelSpec:
    """Everything the runtime needs to wire one channel in (see the module docstring)."""

    traits: ChannelTraits
    blueprint: Any = None
    """The channel's Flask blueprint (webhook or widget API), registered on the app."""
    adapter: Callable[[Settings], ChannelAdapter | None] | None = None
    """Builds the adapter from the settings; None when its credentials are not configured."""

    @property
    def name(self) -> str:
        """The channel's name, as stored on conversations."""
        return self.traits.name


def compact_payload(payload: str) -> str:
    """A Rasa payload without JSON whitespace: `/intent{"a": "b"}` → `/intent{"a":"b"}`."""
    start = payload.find("{")
    if not payload.startswith("/") or start < 0 or not payload.endswith("}"):
        return payload
    try:
        entities = json.loads(payload[start:])
    except ValueError:
        return payload
    if not isinstance(entities, Mapping):
        return payload
    compact = json.dumps(entities, separators=(",", ":"), ensure_ascii=False)
    return payload[:start] + compact


def fit_payload(payload: str, max_bytes: int) -> str:
    """The payload itself when it fits in `max_bytes` (UTF-8), else a stateless stand-in.

    The stand-in is HASHED_PAYLOAD_PREFIX plus a digest; it cannot be turned back into the
    payload, so a press on such a button reaches the bot as the button's title (free text
    for the NLU model). Truncating instead would hand the engine a broken `/intent{...`.
    """
    payload = compact_payload(payload)
    if len(payload.encode()) <= max_bytes:
        return payload
    return HASHED_PAYLOAD_PREFIX + hashlib.sha256(payload.encode()).hexdigest()[:24]


def is_hashed_payload(data: str) -> bool:
    """Whether a button id came from fit_payload's stand-in."""
    return data.startswith(HASHED_PAYLOAD_PREFIX)


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _max_prefix(text: str, limit: int, utf16: bool) -> int:
    """Length of the longest prefix of `text` within `limit` characters (or UTF-16 units)."""
    if not utf16:
        return min(len(text), limit)
    units = 0
    for index, char in enumerate(text):
        units += _utf16_units(char)
        if units > limit:
            return index
    return len(text)


def _cut_point(text: str, limit: int, utf16: bool) -> int:
    """Where to cut `text`: the last paragraph, line, sentence or word break that fits."""
    end = _max_prefix(text, limit, utf16)
    window = text[:end]
    for separator, keep in (("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0)):
        at = window.rfind(separator)
        if at >= end // 2:
            return at + keep
    return end


def split_text(text: str, limit: int, *, utf16: bool = False) -> list[str]:
    """Split `text` into parts of at most `limit`, at paragraph/line/sentence/word breaks.

    `utf16` measures in UTF-16 code units, as Telegram counts message length.
    """
    text = text.strip()
    parts: list[str] = []
    while text and _max_prefix(text, limit, utf16) < len(text):
        cut = _cut_point(text, limit, utf16) or max(1, _max_prefix(text, limit, utf16))
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts
