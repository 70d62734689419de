"""The citizen channels, one line each. Adding a channel: its folder `channels/<name>/`
with `CHANNEL = ChannelSpec(...)` in its `__init__.py` (see channels/adapters.py), and its
line here. The runtime builds the blueprints, the worker's adapters and the traits table the
services read (outbox, console, privacy) from this list."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from channels.adapters import ChannelAdapter, ChannelSpec
from helpdesk.infra.config import Settings
from helpdesk.services.channel_traits import ChannelTraits

REGISTERED: tuple[str, ...] = (
    "channels.webchat",
    "channels.telegram",
    "channels.whatsapp",
)


def specs(names: Iterable[str] | None = None) -> list[ChannelSpec]:
    """The registered channels' declarations (`REGISTERED` unless `names`), in order."""
    found = []
    for name in REGISTERED if names is None else names:
        spec = getattr(import_module(name), "CHANNEL", None)
        if not isinstance(spec, ChannelSpec):
            raise TypeError(f"{name}.CHANNEL is not a ChannelSpec")
        found.append(spec)
    return found


def traits(channels: Iterable[ChannelSpec] | None = None) -> dict[str, ChannelTraits]:
    """Channel name -> its traits (for `Database.configure(channels=...)`)."""
    return {spec.name: spec.traits for spec in (specs() if channels is None else channels)}


def blueprints(channels: Iterable[ChannelSpec] | None = None) -> list[Any]:
    """The channels' blueprints, for the app factory."""
    chosen = specs() if channels is None else channels
    return [spec.blueprint for spec in chosen if spec.blueprint is not None]


def build_adapters(
    settings: Settings, channels: Iterable[ChannelSpec] | None = None
) -> dict[str, ChannelAdapter]:
    """One adapter per push channel whose credentials are configured."""
    adapters: dict[str, ChannelAdapter] = {}
    for spec in specs() if channels is None else channels:
        adapter = spec.adapter(settings) if spec.adapter is not None else None
        if adapter is not None:
            adapters[spec.name] = adapter
    return adapters
