"""The Rasa engine behind its REST channel (`/webhooks/rest/webhook`)."""

from __future__ import annotations

from typing import Any

import httpx

from channels.base import BotReply, EngineUnavailable


class RasaEngine:
    """Sends a citizen's message to Rasa and returns its replies."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        token: str = "",
    ) -> None:
        # RASA_TOKEN (`?token=`) for the engine's HTTP API; harmless on the REST channel.
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            params={"token": token} if token else None,
        )

    def reply(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """POST the message; any transport error, timeout or non-2xx is EngineUnavailable."""
        try:
            response = self._client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender_id, "message": text, "metadata": metadata},
            )
        except httpx.HTTPError as exc:
            raise EngineUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise EngineUnavailable(f"engine answered HTTP {response.status_code}")
        try:
            items = response.json()
        except ValueError as exc:
            raise EngineUnavailable("engine answered with a non-JSON body") from exc
        if not isinstance(items, list):
            raise EngineUnavailable("engine answered with an unexpected body")
        return [_to_reply(item) for item in items if isinstance(item, dict)]

    def is_up(self) -> bool:
        """Whether the engine answers its status route."""
        try:
            return self._client.get("/", timeout=2.0).is_success
        except httpx.HTTPError:
            return False


def _to_reply(item: dict[str, Any]) -> BotReply:
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in item.get("buttons") or []
        if isinstance(b, dict)
    ]
    text = item.get("text")
    if not text and item.get("image"):
        text = str(item["image"])
    custom = item.get("custom")
    return BotReply(
        text=str(text or ""), buttons=buttons, custom=custom if isinstance(custom, dict) else {}
    )
