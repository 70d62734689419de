"""Channels declare themselves; a new one is its folder plus one line in channels/registry.py
(issue 16). The toy channel lives in tests/unit/toy_channel/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from channels import registry
from helpdesk.models import Channel, Conversation
from helpdesk.runtime.app import create_app
from helpdesk.services import desk
from helpdesk.services.channel_traits import ChannelTraits, traits_of
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings

TOY = "tests.unit.toy_channel"


def test_the_built_in_channels_declare_their_traits() -> None:
    table = registry.traits()
    assert set(table) == {c.value for c in Channel}
    assert not table["webchat"].pushes  # the widget polls
    assert table["telegram"].pushes and table["telegram"].reply_window is None
    assert table["whatsapp"].reply_window == timedelta(hours=24)
    assert table["whatsapp"].address_is_phone and table["whatsapp"].fetches_media


def test_a_toy_channel_needs_only_its_folder_and_one_registry_line(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setattr(registry, "REGISTERED", (*registry.REGISTERED, TOY))  # the one line
    app = create_app(make_settings(database_url), bot_engine=FakeEngine())
    # its webhook blueprint is served
    assert app.test_client().get("/webhooks/toy").get_data(as_text=True) == "toy webhook"
    # the worker gets its adapter
    adapters = registry.build_adapters(make_settings(database_url))
    assert set(adapters) == {"toy"}
    # every session carries its traits: the outbox (pushes) and the console (reply window)
    # read them; no service names the channel
    with app.app_context(), database().session() as session:
        toy = traits_of(session, "toy")
        assert toy == ChannelTraits("toy", pushes=True, reply_window=timedelta(hours=1))
        conversation = Conversation(channel="toy", channel_user_id="t-1", language="id")
        session.add(conversation)  # pending in the session: traits reach it; never flushed
        state = desk.reply_channel_state(conversation)
        assert (state.free_text, state.explanation) == (False, "toy_template")
        # the console's notice names the channel and its window, not WhatsApp's 24 hours
        assert (state.channel, state.window_hours) == ("Toy", 1)
        session.expunge(conversation)


def test_an_undeclared_channel_is_polled_and_has_no_window(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        assert traits_of(session, "pigeon") == ChannelTraits("pigeon")
    assert traits_of(None, "telegram") == ChannelTraits("telegram")


def test_a_channel_folder_must_declare_a_spec() -> None:
    with pytest.raises(TypeError, match="not a ChannelSpec"):
        registry.specs(["helpdesk.text.status"])  # a module without CHANNEL
