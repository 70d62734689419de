"""The Rasa engine client: replies parsed, every failure (slow, down, broken) one exception."""

from __future__ import annotations

import json

import httpx
import pytest

from helpdesk.conversation.base import EngineUnavailable
from helpdesk.conversation.engine import RasaEngine


def engine(handler: httpx.MockTransport) -> RasaEngine:
    return RasaEngine("http://rasa.test", timeout=1.0, transport=handler)


def test_replies_buttons_and_the_fallback_marker_are_parsed() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.url.path == "/webhooks/rest/webhook"
        return httpx.Response(
            200,
            json=[
                {
                    "recipient_id": "7",
                    "text": "Maaf, saya belum memahami.",
                    "buttons": [{"title": "Daftar layanan", "payload": "/list_services"}],
                },
                {"recipient_id": "7", "custom": {"fallback": True}},
            ],
        )

    replies = engine(httpx.MockTransport(handler)).reply("7", "asdf", {"language": "id"})
    assert seen == [{"sender": "7", "message": "asdf", "metadata": {"language": "id"}}]
    assert replies[0].buttons == [{"title": "Daftar layanan", "payload": "/list_services"}]
    assert not replies[0].is_fallback_marker
    assert replies[1].is_fallback_marker and replies[1].text == ""


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("engine too slow"),
        httpx.ConnectError("connection refused"),
    ],
)
def test_slow_or_dead_engine_is_unavailable(failure: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(EngineUnavailable):
        engine(httpx.MockTransport(handler)).reply("1", "halo", {})


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(500, text="Internal Server Error"),
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json={"unexpected": "object"}),
    ],
)
def test_broken_answers_are_unavailable(response: httpx.Response) -> None:
    with pytest.raises(EngineUnavailable):
        engine(httpx.MockTransport(lambda request: response)).reply("1", "halo", {})


def test_is_up_reflects_the_status_route() -> None:
    assert engine(httpx.MockTransport(lambda r: httpx.Response(200, text="Hello"))).is_up()
    assert not engine(httpx.MockTransport(lambda r: httpx.Response(503))).is_up()


def test_parse_gives_intent_and_confidence_or_none() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        return httpx.Response(200, json={"intent": {"name": "request_human", "confidence": 0.91}})

    engine = RasaEngine("http://rasa", transport=httpx.MockTransport(handler))
    assert engine.parse("mau bicara petugas") == ("request_human", 0.91)
    down = RasaEngine("http://rasa", transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    assert down.parse("x") is None
