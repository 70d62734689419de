"""Telegram: webhook blueprint, Bot API adapter and a development poller."""

from __future__ import annotations

from channels.adapters import ChannelAdapter, ChannelSpec
from channels.telegram.adapter import TelegramAdapter
from channels.telegram.views import telegram_bp
from helpdesk.infra.config import Settings
from helpdesk.services.channel_traits import ChannelTraits


def _adapter(settings: Settings) -> ChannelAdapter | None:
    return TelegramAdapter.from_settings(settings) if settings.telegram_bot_token else None


CHANNEL = ChannelSpec(
    ChannelTraits("telegram", pushes=True, fetches_media=True, label="Telegram"),
    telegram_bp,
    _adapter,
)
