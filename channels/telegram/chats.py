"""Which chat a raw Telegram update belongs to: the key that keeps one chat's updates in order."""

from __future__ import annotations

from typing import Any


def chat_of(update: dict[str, Any]) -> str | None:
    """The chat an update belongs to, as the adapter will route it (None: none)."""
    for key in ("message", "edited_message"):
        message = update.get(key)
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return _id(message["chat"].get("id"))
    query = update.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return _id(message["chat"].get("id"))
        if isinstance(query.get("from"), dict):
            return _id(query["from"].get("id"))  # a private chat's id is the user's id
    return None


def _id(value: object) -> str | None:
    return str(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
