"""REST API: the escalation queue, handoff, agent replies, resolve."""

from __future__ import annotations

from flask.testing import FlaskClient


def start_chat(client: FlaskClient, text: str = "halo") -> tuple[str, int]:
    """Open a web-chat session, send one message; return (session id, conversation id)."""
    session_id = client.post("/webchat/sessions", json={}).get_json()["session_id"]
    client.post(f"/webchat/sessions/{session_id}/messages", json={"text": text})
    return session_id, _conversation_id(client, session_id)


def _conversation_id(client: FlaskClient, session_id: str) -> int:
    from sqlalchemy import select

    from helpdesk.models import Conversation
    from helpdesk.web.extensions import database

    with client.application.app_context(), database().session() as session:
        conversation_id = session.scalar(
            select(Conversation.id).where(Conversation.channel_user_id == session_id)
        )
    assert conversation_id is not None
    return conversation_id


def test_handoff_puts_conversations_in_queue_order(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    ids = [start_chat(client)[1] for _ in range(3)]
    positions = []
    for conversation_id in ids:
        response = client.post(
            f"/api/v1/conversations/{conversation_id}/handoff",
            json={"reason": "citizen_request"},
            headers=auth,
        )
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == "pending"
        positions.append(body["queue_position"])
    assert positions == [1, 2, 3]
    assert body["expected_wait_minutes"] == 15
    pending = client.get("/api/v1/conversations?status=pending", headers=auth).get_json()
    assert [item["id"] for item in pending["items"]] == ids
    assert {item["channel"] for item in pending["items"]} == {"webchat"}
    assert all(item["language"] == "id" for item in pending["items"])


def test_handoff_is_idempotent_and_validates_reason(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    _, conversation_id = start_chat(client)
    url = f"/api/v1/conversations/{conversation_id}/handoff"
    bad = client.post(url, json={"reason": "bored"}, headers=auth)
    assert bad.status_code == 422
    first = client.post(url, json={"reason": "complaint", "note": "antre lama"}, headers=auth)
    again = client.post(url, json={"reason": "citizen_request"}, headers=auth)
    assert first.get_json()["queue_position"] == again.get_json()["queue_position"] == 1
    assert again.get_json()["handoff_reason"] == "complaint"
    missing = client.post(
        "/api/v1/conversations/99999/handoff", json={"reason": "complaint"}, headers=auth
    )
    assert missing.status_code == 404


def test_agent_reply_opens_and_resolve_hands_back_to_the_bot(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    session_id, conversation_id = start_chat(client, "mau bicara dengan petugas")
    client.post(
        f"/api/v1/conversations/{conversation_id}/handoff",
        json={"reason": "citizen_request"},
        headers=auth,
    )
    reply = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "Halo, saya Sri dari Disdukcapil."},
        headers=auth,
    )
    assert reply.status_code == 201
    assert reply.get_json()["sender"] == "agent"
    detail = client.get(f"/api/v1/conversations/{conversation_id}", headers=auth).get_json()
    assert detail["status"] == "open"
    assert [m["sender"] for m in detail["messages"]] == ["citizen", "bot", "agent"]
    polled = client.get(f"/webchat/sessions/{session_id}/messages?after=0").get_json()
    assert polled["messages"][-1]["text"] == "Halo, saya Sri dari Disdukcapil."
    resolved = client.post(f"/api/v1/conversations/{conversation_id}/resolve", headers=auth)
    assert resolved.get_json()["status"] == "resolved"
    late = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "satu lagi"},
        headers=auth,
    )
    assert late.status_code == 409


def test_resolve_needs_a_handed_off_conversation(client: FlaskClient, auth: dict[str, str]) -> None:
    _, conversation_id = start_chat(client)
    response = client.post(f"/api/v1/conversations/{conversation_id}/resolve", headers=auth)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_handed_off"


def test_list_rejects_unknown_status(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.get("/api/v1/conversations?status=sleeping", headers=auth)
    assert response.status_code == 422
