"""Web chat API and the router behind it (bot engine faked at its interface)."""

from __future__ import annotations

from flask.testing import FlaskClient

from helpdesk.conversation.base import BotReply
from tests.conftest import FakeEngine


def new_session(client: FlaskClient) -> str:
    response = client.post("/webchat/sessions", json={"language": "id"})
    assert response.status_code == 201
    session_id: str = response.get_json()["session_id"]
    return session_id


def send(client: FlaskClient, session_id: str, **body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(f"/webchat/sessions/{session_id}/messages", json=body)
    return response.status_code, response.get_json()


def test_bot_replies_are_returned_and_stored(client: FlaskClient, fake_engine: FakeEngine) -> None:
    fake_engine.replies = [
        BotReply("Syarat KTP-el:"),
        BotReply("Mau tanya apa lagi?", [{"title": "Biaya", "payload": "/ask_fee"}]),
    ]
    session_id = new_session(client)
    status, body = send(client, session_id, text="Apa saja syarat membuat KTP?")
    assert status == 200
    assert [m["sender"] for m in body["messages"]] == ["bot", "bot"]
    assert body["messages"][1]["buttons"] == [{"title": "Biaya", "payload": "/ask_fee"}]
    sender_id, text, metadata = fake_engine.calls[0]
    assert sender_id.startswith("c_") and text == "Apa saja syarat membuat KTP?"
    assert metadata == {"channel": "webchat", "language": "id", "detected_language": "id"}
    history = client.get(f"/webchat/sessions/{session_id}/messages?after=0").get_json()
    assert [m["sender"] for m in history["messages"]] == ["citizen", "bot", "bot"]
    after = history["messages"][0]["id"]
    later = client.get(f"/webchat/sessions/{session_id}/messages?after={after}").get_json()
    assert len(later["messages"]) == 2


def test_button_payload_goes_to_the_engine_but_the_title_is_stored(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    fake_engine.replies = [
        BotReply("Mau tanya apa?", [{"title": "Biaya", "payload": '/ask_fee{"service":"skck"}'}])
    ]
    session_id = new_session(client)
    send(client, session_id, text="skck")
    send(client, session_id, text="Biaya", payload='/ask_fee{"service":"skck"}')
    assert fake_engine.calls[1][1] == '/ask_fee{"service":"skck"}'
    history = client.get(f"/webchat/sessions/{session_id}/messages").get_json()
    assert history["messages"][2]["text"] == "Biaya"


def test_repeated_delivery_is_stored_once_and_answered_the_same(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    session_id = new_session(client)
    first = send(client, session_id, text="halo", client_message_id="c-1")
    again = send(client, session_id, text="halo", client_message_id="c-1")
    assert first == again
    assert len(fake_engine.calls) == 1
    history = client.get(f"/webchat/sessions/{session_id}/messages").get_json()["messages"]
    assert [m["sender"] for m in history] == ["citizen", "bot"]


def test_engine_down_hands_off_and_keeps_the_message(
    client: FlaskClient, fake_engine: FakeEngine, auth: dict[str, str]
) -> None:
    fake_engine.down = True
    session_id = new_session(client)
    status, body = send(client, session_id, text="cek status KTP-2026-000001")
    assert status == 200
    assert "petugas" in body["messages"][0]["text"]
    assert "antrean ke-1" in body["messages"][0]["text"]
    pending = client.get("/api/v1/conversations?status=pending", headers=auth).get_json()
    assert [c["handoff_reason"] for c in pending["items"]] == ["engine_error"]
    transcript = client.get(
        f"/api/v1/conversations/{pending['items'][0]['id']}", headers=auth
    ).get_json()
    assert transcript["messages"][0]["text"] == "cek status KTP-2026-000001"


def test_bot_stays_silent_while_an_agent_owns_the_conversation(
    client: FlaskClient, fake_engine: FakeEngine, auth: dict[str, str]
) -> None:
    session_id = new_session(client)
    send(client, session_id, text="halo")
    conversation_id = client.get("/api/v1/conversations", headers=auth).get_json()["items"][0]["id"]
    client.post(
        f"/api/v1/conversations/{conversation_id}/handoff",
        json={"reason": "citizen_request"},
        headers=auth,
    )
    status, body = send(client, session_id, text="halo? ada orang?")
    assert (status, body["messages"]) == (200, [])
    assert body["message"]["text"] == "halo? ada orang?"
    assert len(fake_engine.calls) == 1
    client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "Ada, kak."},
        headers=auth,
    )
    client.post(f"/api/v1/conversations/{conversation_id}/resolve", headers=auth)
    status, body = send(client, session_id, text="terima kasih")
    assert [m["sender"] for m in body["messages"]] == ["bot"]
    assert len(fake_engine.calls) == 2


def test_handoff_by_an_action_during_the_turn_is_seen(
    client: FlaskClient, fake_engine: FakeEngine, auth: dict[str, str]
) -> None:
    """The action server calls the API while Rasa handles the message (as in production)."""

    def hand_off(sender_id: str, _text: str) -> None:
        response = client.post(
            f"/api/v1/conversations/{sender_id}/handoff",
            json={"reason": "citizen_request"},
            headers=auth,
        )
        assert response.status_code == 200

    fake_engine.on_call = hand_off
    fake_engine.replies = [BotReply("Anda terhubung ke petugas.")]
    session_id = new_session(client)
    _, body = send(client, session_id, text="mau bicara dengan petugas")
    assert body["messages"][0]["text"] == "Anda terhubung ke petugas."
    assert send(client, session_id, text="halo")[1]["messages"] == []


def test_bad_input_gets_clear_errors(client: FlaskClient) -> None:
    session_id = new_session(client)
    status, body = send(client, session_id, text="x" * 2001)
    assert (status, body["error"]["code"]) == (413, "message_too_long")
    status, body = send(client, session_id, text="   ")
    assert (status, body["error"]["code"]) == (422, "empty_message")
    status, body = send(client, "no-such-session", text="halo")
    assert (status, body["error"]["code"]) == (404, "session_not_found")
    response = client.post(
        f"/webchat/sessions/{session_id}/messages", data="nope", content_type="application/json"
    )
    assert response.status_code == 422
    assert client.get(f"/webchat/sessions/{session_id}/messages?after=x").status_code == 400


def test_rate_limit_per_session(client: FlaskClient) -> None:
    session_id = new_session(client)
    codes = [send(client, session_id, text=f"pesan {i}")[0] for i in range(21)]
    assert codes[:20] == [200] * 20
    response = client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "lagi"})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    other = new_session(client)
    assert send(client, other, text="halo")[0] == 200


def test_widget_files_and_demo_page_are_served(client: FlaskClient) -> None:
    for name, kind in (("widget.js", "javascript"), ("widget.css", "text/css")):
        with client.get(f"/webchat/{name}") as response:
            assert response.status_code == 200
            assert kind in response.content_type
    page = client.get("/")
    assert page.status_code == 200
    assert b"/webchat/widget.js" in page.data


def test_health_reports_engine_and_database(client: FlaskClient, fake_engine: FakeEngine) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "engine": "ok"}
    fake_engine.down = True
    body = client.get("/healthz")
    assert body.status_code == 200
    assert body.get_json()["engine"] == "unreachable"
