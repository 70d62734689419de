"""What the domain needs to know about a citizen channel, declared by the channel itself.

Each channel folder (`channels/<name>/__init__.py`) declares its `ChannelTraits`;
`channels/registry.py` lists the channels, and the runtime hands the table to the database
(`Database.configure(channels=...)`), so every session carries it. The outbox, the console
and the privacy workflows ask `traits_of(session, channel)` instead of naming channels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, object_session


@dataclass(frozen=True)
class ChannelTraits:
    """One channel's behaviour as the helpdesk sees it."""

    name: str
    pushes: bool = False
    """Messages to the citizen go through the outbox and an adapter (webhook channels);
    False: the citizen's client polls for them (web chat)."""
    reply_window: timedelta | None = None
    """Free text reaches the citizen only this long after their last message (WhatsApp:
    24 hours); outside it a pre-approved template is sent. None: no window."""
    address_is_phone: bool = False
    """The channel address is the citizen's phone number (forgotten after erasure)."""
    fetches_media: bool = False
    """Photos and documents are downloaded from the provider by the worker."""
    label: str = ""
    """The channel's name for people ("WhatsApp"); empty: the name, capitalised."""

    @property
    def display_name(self) -> str:
        """What agents read: the label, else the name capitalised."""
        return self.label or self.name.capitalize()


def _table(session: Session | None) -> Mapping[str, ChannelTraits]:
    found = session.info.get("channels") if session is not None else None
    return found if isinstance(found, Mapping) else {}


def traits_of(session: Session | None, channel: str) -> ChannelTraits:
    """The declared traits of `channel` (a channel nobody declared: polled, no window)."""
    return _table(session).get(str(channel)) or ChannelTraits(str(channel))


def traits_of_conversation(conversation: object, channel: str) -> ChannelTraits:
    """`traits_of` for a loaded row, through the session that loaded it."""
    return traits_of(object_session(conversation), channel)
