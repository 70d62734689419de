"""The served OpenAPI document covers the whole JSON surface: the REST API, the web chat
routes and the webhooks (each with its own authentication), method by method."""

from __future__ import annotations

import re

from flask import Flask

HTML_ENDPOINTS = {"webchat.static", "webchat.demo_page"}  # the widget's files and demo page
JSON_BLUEPRINTS = {"api", "webchat", "telegram", "whatsapp", "health"}


def _served(app: Flask) -> dict[str, object]:
    body: dict[str, object] = app.test_client().get("/api/v1/openapi.json").get_json()
    return body


def test_every_json_route_and_method_is_documented(app: Flask) -> None:
    routes = set()
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".")[0]
        if blueprint not in JSON_BLUEPRINTS or rule.endpoint in HTML_ENDPOINTS:
            continue
        if rule.rule.endswith("openapi.json"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                routes.add((path, method.lower()))
    paths = _served(app)["paths"]
    assert isinstance(paths, dict)
    documented = {(path, method) for path, item in paths.items() for method in item}
    assert routes == documented
    assert any(p.startswith("/webchat/") for p, _ in routes)
    assert {("/webhooks/telegram", "post"), ("/webhooks/whatsapp", "post")} <= routes


def test_each_part_names_its_authentication(app: Flask) -> None:
    doc = _served(app)
    assert doc["servers"] == [{"url": "/"}]
    assert doc["security"] == [{"bearer": []}]  # the REST API's default
    paths = doc["paths"]
    assert isinstance(paths, dict)
    schemes = doc["components"]["securitySchemes"]  # type: ignore[index]
    assert schemes["telegramSecretToken"]["name"] == "X-Telegram-Bot-Api-Secret-Token"
    assert schemes["whatsappSignature"]["name"] == "X-Hub-Signature-256"
    telegram = paths["/webhooks/telegram"]["post"]
    assert telegram["security"] == [{"telegramSecretToken": []}]
    assert paths["/webhooks/whatsapp"]["post"]["security"] == [{"whatsappSignature": []}]
    assert paths["/webchat/sessions"]["post"]["security"] == []
    assert "security" not in paths["/api/v1/requests"]["post"]  # inherits the bearer token


def test_the_documented_web_chat_answers_match_the_routes(app: Flask) -> None:
    client = app.test_client()
    created = client.post("/webchat/sessions", json={})
    assert created.status_code == 201 and "session_id" in created.get_json()
    unknown = client.get("/webchat/sessions/nope/messages")
    doc = _served(app)
    responses = doc["paths"]["/webchat/sessions/{session_id}/messages"]["get"]["responses"]  # type: ignore[index]
    assert str(unknown.status_code) in responses
