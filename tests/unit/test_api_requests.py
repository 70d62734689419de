"""REST API: service requests, token auth, JSON errors, audit."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.models import AuditEvent
from helpdesk.web.extensions import database

NEW = {
    "service": "ktp_el",
    "applicant_name": "Budi Santoso",
    "nik": "3201010101900001",
    "phone": "0812-3456-7890",
}


def create(client: FlaskClient, auth: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/requests", json={**NEW, **changes}, headers=auth)
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_create_request_returns_tracking_number_and_masks_personal_data(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    body = create(client, auth)
    assert body["status"] == "submitted"
    assert body["tracking_number"].startswith("KTP-20")
    assert body["service_name"].startswith("KTP")
    assert body["nik_masked"] == "3201********0001"
    assert "3201010101900001" not in str(body)
    assert body["phone_masked"] == "+628*******890"
    assert [h["status"] for h in body["history"]] == ["submitted"]


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("service", "sim_a", "unknown service"),
        ("nik", "12345", "16 digits"),
        ("phone", "12345", "phone"),
        ("applicant_name", "  ", "applicant_name"),
    ],
)
def test_create_request_rejects_bad_input(
    client: FlaskClient, auth: dict[str, str], field: str, value: str, fragment: str
) -> None:
    response = client.post("/api/v1/requests", json={**NEW, field: value}, headers=auth)
    assert response.status_code == 422
    assert fragment in response.get_json()["error"]["message"]


def test_get_request_accepts_any_spelling_and_shows_history(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    number = create(client, auth)["tracking_number"]
    client.post(
        f"/api/v1/requests/{number}/status",
        json={"status": "verifying", "note": "Cek"},
        headers=auth,
    )
    spelled = number.lower().replace("-", " ")
    response = client.get(f"/api/v1/requests/{spelled}", headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert body["tracking_number"] == number
    assert body["status"] == "verifying"
    assert [(h["status"], h["note"]) for h in body["history"]] == [
        ("submitted", None),
        ("verifying", "Cek"),
    ]


def test_unknown_and_malformed_tracking_numbers(client: FlaskClient, auth: dict[str, str]) -> None:
    unknown = client.get("/api/v1/requests/KTP-2026-999999", headers=auth)
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["code"] == "request_not_found"
    malformed = client.get("/api/v1/requests/KTP-26-1", headers=auth)
    assert malformed.status_code == 422
    assert malformed.get_json()["error"]["code"] == "invalid_tracking_number"


def test_status_transitions_are_enforced(client: FlaskClient, auth: dict[str, str]) -> None:
    number = create(client, auth)["tracking_number"]
    skip = client.post(
        f"/api/v1/requests/{number}/status", json={"status": "completed"}, headers=auth
    )
    assert skip.status_code == 409  # a valid status the request's state does not allow
    assert skip.get_json()["error"]["code"] == "invalid_transition"
    bogus = client.post(f"/api/v1/requests/{number}/status", json={"status": "lost"}, headers=auth)
    assert bogus.status_code == 422
    for status in ("processing", "ready", "completed"):
        ok = client.post(f"/api/v1/requests/{number}/status", json={"status": status}, headers=auth)
        assert ok.status_code == 200, ok.get_json()
    closed = client.post(
        f"/api/v1/requests/{number}/status", json={"status": "processing"}, headers=auth
    )
    assert closed.status_code == 409


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}],
)
def test_api_requires_a_valid_token(client: FlaskClient, headers: dict[str, str]) -> None:
    response = client.get("/api/v1/requests/KTP-2026-000001", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_malformed_json_body_gets_a_clear_error(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/requests", data="{not json", headers=auth, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_unknown_api_route_is_a_json_404(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.get("/api/v1/nothing-here", headers=auth)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_reads_and_writes_of_personal_data_are_audited(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    number = create(client, auth)["tracking_number"]
    client.get(f"/api/v1/requests/{number}", headers=auth)
    with app.app_context(), database().session() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.actor, e.action, e.target_id) for e in events] == [
        ("token:tests", "request.create", number),
        ("token:tests", "request.read", number),
    ]


def test_catalog_routes(client: FlaskClient, auth: dict[str, str]) -> None:
    listing = client.get("/api/v1/services", headers=auth).get_json()
    assert len(listing["items"]) >= 16
    assert {"ktp_el", "skck", "paspor"} <= {item["code"] for item in listing["items"]}
    service = client.get("/api/v1/services/skck", headers=auth).get_json()
    assert service["fee"]["amount_idr"] == 30000
    assert service["office"]["name"]
    assert client.get("/api/v1/services/sim_a", headers=auth).status_code == 404


@pytest.fixture
def bot_auth(app: Flask) -> dict[str, str]:
    """A bot-scoped token, as the action server has."""
    from helpdesk.services.tokens import create_token

    with app.app_context(), database().session() as session:
        token = create_token(session, "action-server", "bot")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_bot_token_sees_status_without_personal_data(
    client: FlaskClient, auth: dict[str, str], bot_auth: dict[str, str]
) -> None:
    number = create(client, auth)["tracking_number"]
    body = client.get(f"/api/v1/requests/{number}", headers=bot_auth).get_json()
    assert body["status"] == "submitted"
    assert not {"applicant_name", "nik_masked", "phone_masked"} & set(body)
    assert "Budi" not in str(body)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/requests"),
        ("post", "/api/v1/requests/KTP-2026-000001/status"),
        ("get", "/api/v1/conversations"),
        ("get", "/api/v1/conversations/1"),
        ("post", "/api/v1/conversations/1/messages"),
        ("post", "/api/v1/conversations/1/resolve"),
    ],
)
def test_bot_token_cannot_reach_staff_routes(
    client: FlaskClient, bot_auth: dict[str, str], method: str, path: str
) -> None:
    response = getattr(client, method)(path, json={}, headers=bot_auth)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
