"""What the fuzz run (tests/e2e/test_api_fuzz.py) found: the document and the API agree on
what is refused. Each body is checked against the served schema and sent to the route."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.models import Channel
from helpdesk.services import complaints as complaint_service
from helpdesk.services import conversations as convs
from helpdesk.web.extensions import catalog, database


def _body_schema(client: FlaskClient, path: str) -> dict[str, Any]:
    doc = client.get("/api/v1/openapi.json").get_json()
    schema: dict[str, Any] = doc["paths"][path]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


@pytest.fixture
def complaint(app: Flask) -> tuple[str, int]:
    """A complaint with the dukcapil unit, filed in a web chat; its number and chat's row id."""
    with app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.WEBCHAT, "refusals")
        number = complaint_service.create_complaint(
            session,
            category="pengaduan",
            description="Petugas loket meminta uang tambahan untuk KTP saya",
            location="Kantor kecamatan",
            occurred="kemarin",
            unit="dukcapil",
            conversation_id=conversation.id,
        ).tracking_number
        session.commit()
        return number, conversation.id


@pytest.mark.parametrize("route", ["ask", "reply"])
def test_empty_or_blank_text_is_refused_by_the_document_and_the_api(
    client: FlaskClient, auth: dict[str, str], complaint: tuple[str, int], route: str
) -> None:
    number, _ = complaint
    schema = _body_schema(client, f"/api/v1/complaints/{{tracking_number}}/{route}")
    for blank in ("", "   ", "\n\t"):
        assert not jsonschema_rs.is_valid(schema, {"text": blank})
        response = client.post(
            f"/api/v1/complaints/{number}/{route}", json={"text": blank}, headers=auth
        )
        assert response.status_code == 422, blank
    assert jsonschema_rs.is_valid(schema, {"text": "Jam berapa kejadiannya?"})
    ok = client.post(
        f"/api/v1/complaints/{number}/{route}",
        json={"text": "Jam berapa kejadiannya?"},
        headers=auth,
    )
    assert ok.status_code == 200, ok.get_json()


def test_forward_documents_the_catalog_units_and_its_own_unit_is_a_conflict(
    app: Flask, client: FlaskClient, auth: dict[str, str], complaint: tuple[str, int]
) -> None:
    number, _ = complaint
    schema = _body_schema(client, "/api/v1/complaints/{tracking_number}/forward")
    with app.app_context():
        units = sorted(catalog().units)
    assert "dukcapil" in units and len(units) > 1
    assert schema["properties"]["unit"] == {"enum": units}
    assert not jsonschema_rs.is_valid(schema, {"unit": "", "reason": ""})
    assert not jsonschema_rs.is_valid(schema, {"unit": "nowhere", "reason": "Izin usaha"})
    path = f"/api/v1/complaints/{number}/forward"
    unknown = client.post(path, json={"unit": "nowhere", "reason": "Izin usaha"}, headers=auth)
    assert unknown.status_code == 422
    # dukcapil is a documented unit; that the complaint is already there is its state: 409
    same = client.post(path, json={"unit": "dukcapil", "reason": "Izin usaha"}, headers=auth)
    assert same.status_code == 409 and same.get_json()["error"]["code"] == "same_unit"
    other = next(u for u in units if u != "dukcapil")
    moved = client.post(path, json={"unit": other, "reason": "Izin usaha"}, headers=auth)
    assert moved.status_code == 200 and moved.get_json()["unit"] == other


def test_whatsapp_updates_need_a_phone_that_is_not_empty(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    schema = _body_schema(client, "/api/v1/requests")
    body = {
        "service": "ktp_el",
        "applicant_name": "Budi Santoso",
        "nik": "3201010101900001",
        "notify_whatsapp": True,
        "phone": "",
    }
    assert not jsonschema_rs.is_valid(schema, body)
    refused = client.post("/api/v1/requests", json=body, headers=auth)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "phone_required"
    # without updates an empty phone is still no phone at all
    assert jsonschema_rs.is_valid(schema, {**body, "notify_whatsapp": False})
    with_phone = {**body, "phone": "081234567890"}
    assert jsonschema_rs.is_valid(schema, with_phone)
    assert client.post("/api/v1/requests", json=with_phone, headers=auth).status_code == 201


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ([None, None], "invalid_json"),
        ("confirm", "invalid_json"),
        (1, "invalid_json"),
        ({"confirm": {}}, "invalid_input"),
        ({"confirm": "yes"}, "invalid_input"),
        ({"confirm": None}, "invalid_input"),
    ],
)
def test_complaint_form_refuses_a_body_other_than_the_documented_object(
    client: FlaskClient,
    auth: dict[str, str],
    complaint: tuple[str, int],
    body: object,
    code: str,
) -> None:
    _, conversation_id = complaint
    schema = _body_schema(client, "/api/v1/conversations/{conversation_id}/complaint-form")
    assert not jsonschema_rs.is_valid(schema, body)
    path = f"/api/v1/conversations/{conversation_id}/complaint-form"
    refused = client.post(path, json=body, headers=auth)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == code


def test_complaint_form_takes_no_body_or_the_documented_object(
    client: FlaskClient, auth: dict[str, str], complaint: tuple[str, int]
) -> None:
    _, conversation_id = complaint
    path = f"/api/v1/conversations/{conversation_id}/complaint-form"
    bare = client.post(path, headers=auth)
    assert bare.status_code == 200 and bare.get_json()["messages"]
    asked = client.post(path, json={"confirm": True}, headers=auth)
    assert asked.status_code == 200
    assert [b["payload"] for b in asked.get_json()["messages"][0]["buttons"]] == ["ya", "tidak"]
