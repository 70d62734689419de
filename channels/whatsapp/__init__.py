"""WhatsApp Cloud API: webhook blueprint, signature check and adapter."""

from __future__ import annotations

from datetime import timedelta

from channels.adapters import ChannelAdapter, ChannelSpec
from channels.whatsapp.adapter import WhatsAppAdapter
from channels.whatsapp.views import whatsapp_bp
from helpdesk.infra.config import Settings
from helpdesk.services.channel_traits import ChannelTraits


def _adapter(settings: Settings) -> ChannelAdapter | None:
    if settings.whatsapp_access_token and settings.whatsapp_phone_number_id:
        return WhatsAppAdapter.from_settings(settings)
    return None


CHANNEL = ChannelSpec(
    ChannelTraits(
        "whatsapp",
        pushes=True,
        reply_window=timedelta(hours=24),  # free text only 24 h after the citizen wrote
        address_is_phone=True,
        fetches_media=True,
        label="WhatsApp",
    ),
    whatsapp_bp,
    _adapter,
)
