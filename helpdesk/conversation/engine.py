"""The Rasa engine behind its REST channel (`/webhooks/rest/webhook`).

Busy is not dead. A refused connection or a broken answer means the engine cannot answer
(`EngineUnavailable`: the router hands the conversation to an agent). A timeout while the
engine still answers its status route means it is only slow under load (`EngineBusy`: the
citizen is asked to wait, nobody is handed off). Calls are bounded by a semaphore
(`max_concurrency`) so a burst queues here, in this process, instead of piling up inside
the engine; time spent waiting for a slot does not count against the timeout.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from helpdesk.conversation.base import BotReply, EngineBusy, EngineUnavailable


class RasaEngine:
    """Sends a citizen's message to Rasa and returns its replies."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        max_concurrency: int = 8,
        transport: httpx.BaseTransport | None = None,
        token: str = "",
    ) -> None:
        # turns use at most max_concurrency connections; the rest serve status and parse calls
        limits = httpx.Limits(max_connections=max(max_concurrency, 1) + 8)
        # RASA_TOKEN (`?token=`) for the engine's HTTP API (`/model/parse`) and the turns
        # (harmless on the REST channel); never on the public health route, which proxies
        # and probes may log (issue 21).
        self._auth = {"token": token} if token else {}
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport, limits=limits
        )
        self._slots = threading.BoundedSemaphore(max(max_concurrency, 1))
        self.max_concurrency = max(max_concurrency, 1)

    def reply(self, sender_id: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """POST the message (once a slot is free).

        Raises EngineBusy on a timeout while the engine is up, EngineUnavailable on a refused
        connection, a timeout with the engine down, a non-2xx or an unreadable body.
        """
        with self._slots:
            try:
                response = self._client.post(
                    "/webhooks/rest/webhook",
                    json={"sender": sender_id, "message": text, "metadata": metadata},
                    params=self._auth,
                )
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout) or not self.is_up():
                    raise EngineUnavailable(f"{type(exc).__name__}: {exc}") from exc
                raise EngineBusy(f"engine slow: {type(exc).__name__}") from exc
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

    def parse(self, text: str) -> tuple[str, float] | None:
        """The NLU's intent and confidence for `text` (`/model/parse`), or None when the engine
        does not answer. Used by the agent console to show where the bot failed; the
        conversation flow never waits on it."""
        try:
            response = self._client.post(
                "/model/parse", json={"text": text}, timeout=3.0, params=self._auth
            )
            intent = response.json().get("intent") or {} if response.is_success else None
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        if not isinstance(intent, dict) or not intent.get("name"):
            return None
        try:
            return str(intent["name"])[:64], float(intent.get("confidence") or 0.0)
        except (TypeError, ValueError):
            return None

    def close(self) -> None:
        """Close the connections (tests; the app keeps one client for its lifetime)."""
        self._client.close()

    def is_up(self) -> bool:
        """Whether the engine answers its public health route (`GET /`, no token)."""
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
