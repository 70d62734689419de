"""Console pages for learning: label the inbox, edit and publish the catalog (four eyes)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.conversation.base import BotReply
from helpdesk.models import AgentRole
from tests.conftest import FakeEngine
from tests.console_helpers import csrf, make_agent, sign_in


def supervisor(app: Flask, name: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, name, make_agent(app, name, AgentRole.SUPERVISOR, units=()))
    return client


@pytest.fixture
def dewi(app: Flask) -> FlaskClient:
    return supervisor(app, "dewi")


def test_agents_cannot_open_the_learning_pages(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "sri", make_agent(app, "sri", units=("dukcapil",)))
    assert client.get("/console/nlu/inbox").status_code == 403
    assert client.get("/console/catalog").status_code == 403


def test_label_in_the_console_then_export(
    app: Flask, dewi: FlaskClient, fake_engine: FakeEngine, auth: dict[str, str]
) -> None:
    fake_engine.replies = [BotReply("?", custom={"fallback": True})]
    citizen = app.test_client()
    sid = citizen.post("/webchat/sessions", json={}).get_json()["session_id"]
    citizen.post(f"/webchat/sessions/{sid}/messages", json={"text": "cara lapor kelahiran"})
    page = dewi.get("/console/nlu/inbox")
    assert page.status_code == 200 and "cara lapor kelahiran" in page.get_data(as_text=True)
    item_id = citizen.get("/api/v1/nlu/inbox", headers=auth).get_json()["items"][0]["id"]
    token = csrf(dewi, "/console/nlu/inbox")
    form = {"csrf_token": token, "intent": "ask_procedure", "service": "akta_kelahiran"}
    response = dewi.post(f"/console/nlu/inbox/{item_id}/label", data={**form, "action": "label"})
    assert response.status_code in (302, 303)
    export = dewi.get("/console/nlu/export.yml").get_data(as_text=True)
    assert "intent: ask_procedure" in export
    assert '- cara [lapor kelahiran]{"entity": "service", "value": "akta_kelahiran"}' in export
    no_csrf = dewi.post(f"/console/nlu/inbox/{item_id}/label", data={"intent": "greet"})
    assert no_csrf.status_code == 400


def test_edit_review_publish_restore_in_the_console(
    app: Flask, dewi: FlaskClient, auth: dict[str, str]
) -> None:
    assert dewi.get("/console/catalog").status_code == 200
    page = dewi.get("/console/catalog/kia?lang=en")
    assert page.status_code == 200 and "summary:" in page.get_data(as_text=True)
    token = csrf(dewi, "/console/catalog/kia")
    saved = dewi.post(
        "/console/catalog/kia",
        data={"csrf_token": token, "lang": "en", "document": "summary: An edited summary."},
    )
    assert saved.status_code in (302, 303)
    own = dewi.post(
        "/console/catalog/kia/versions/1/publish", data={"csrf_token": token}
    ).status_code
    assert own == 403  # the author cannot publish
    budi = supervisor(app, "budi")
    other = csrf(budi, "/console/catalog/kia")
    assert budi.post(
        "/console/catalog/kia/versions/1/publish", data={"csrf_token": other}
    ).status_code in (302, 303)
    served = app.test_client().get("/api/v1/services/kia?lang=en", headers=auth).get_json()
    assert served["summary"] == "An edited summary."
    assert dewi.post(
        "/console/catalog/kia/versions/0/restore", data={"csrf_token": token}
    ).status_code in (302, 303)
    listing = app.test_client().get("/api/v1/services/kia/versions", headers=auth).get_json()
    assert [i["status"] for i in listing["items"]] == ["seed", "published", "draft"]
    assert listing["items"][1]["published_by"] == "agent:budi"
