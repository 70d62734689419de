"""The catalog edited without a deploy: draft, publication by a second person, versions
with who and when, restore, the bot's API serving the published version, YAML export."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.catalog.loader import load_catalog
from helpdesk.runtime.cli import main as cli_main
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database

NEW_FEE = "Gratis. Uji coba: teks biaya yang diedit di konsol."


def second_auth(app: Flask) -> dict[str, str]:
    with app.app_context(), database().session() as session:
        token = create_token(session, "supervisor-2")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def fee_text(client: FlaskClient, auth: dict[str, str], lang: str = "id") -> str:
    payload = client.get(f"/api/v1/services/ktp_el?lang={lang}", headers=auth).get_json()
    text: str = payload["fee"]["text"]
    return text


def test_draft_publish_by_another_person_then_served(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    before = fee_text(client, auth)
    draft = client.patch("/api/v1/services/ktp_el", json={"fee": {"text": NEW_FEE}}, headers=auth)
    assert draft.status_code == 201
    version = draft.get_json()["version"]
    assert version == 1 and draft.get_json()["status"] == "draft"
    assert fee_text(client, auth) == before  # a draft is not served
    url = f"/api/v1/services/ktp_el/versions/{version}/publish"
    same = client.post(url, headers=auth)
    assert same.status_code == 403  # the author may not publish their own draft
    other = second_auth(app)
    published = client.post(url, headers=other)
    assert published.status_code == 200
    assert published.get_json()["published_by"] == "token:supervisor-2"
    assert fee_text(client, auth) == NEW_FEE  # served at once, no restart, no retraining
    assert fee_text(client, auth, "jv") != NEW_FEE  # other languages keep their texts
    assert client.post(url, headers=other).status_code == 409


def test_versions_are_kept_with_who_and_when_and_can_be_restored(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    other = second_auth(app)
    original = fee_text(client, auth)
    client.patch("/api/v1/services/ktp_el", json={"fee": {"text": NEW_FEE}}, headers=auth)
    client.post("/api/v1/services/ktp_el/versions/1/publish", headers=other)
    jv = client.patch(
        "/api/v1/services/ktp_el?lang=jv", json={"summary": "Ringkesan enggal."}, headers=other
    )
    assert jv.get_json()["version"] == 2
    listing = client.get("/api/v1/services/ktp_el/versions", headers=auth).get_json()
    statuses = [(i["version"], i["status"]) for i in listing["items"]]
    assert statuses == [(0, "seed"), (1, "published"), (2, "draft")]
    first = listing["items"][1]
    assert first["created_by"] == "token:tests" and first["published_by"] == "token:supervisor-2"
    assert first["created_at"] and first["published_at"]
    restored = client.post("/api/v1/services/ktp_el/versions/0/restore", headers=other)
    assert restored.status_code == 201
    number = restored.get_json()["version"]
    assert (
        client.post(f"/api/v1/services/ktp_el/versions/{number}/publish", headers=auth).status_code
        == 200
    )
    assert fee_text(client, auth) == original
    statuses = [
        (i["version"], i["status"])
        for i in client.get("/api/v1/services/ktp_el/versions", headers=auth).get_json()["items"]
    ]
    assert statuses == [(0, "seed"), (1, "superseded"), (2, "draft"), (3, "published")]


def test_invalid_drafts_are_refused_with_the_validators_message(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    bad = client.patch("/api/v1/services/ktp_el", json={"office": "nowhere"}, headers=auth)
    assert bad.status_code == 422
    assert "office" in bad.get_json()["error"]["message"]
    unknown = client.patch("/api/v1/services/ktp_el", json={"colour": "red"}, headers=auth)
    assert unknown.status_code == 422
    assert (
        client.patch("/api/v1/services/nope", json={"name": "x"}, headers=auth).status_code == 404
    )
    lang = client.patch("/api/v1/services/ktp_el?lang=fr", json={"name": "x"}, headers=auth)
    assert lang.status_code == 422


def test_export_writes_the_published_catalog_back_as_yaml(
    app: Flask,
    client: FlaskClient,
    auth: dict[str, str],
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client.patch("/api/v1/services/ktp_el", json={"fee": {"text": NEW_FEE}}, headers=auth)
    client.post("/api/v1/services/ktp_el/versions/1/publish", headers=second_auth(app))
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert cli_main(["catalog", "export", "--out", str(tmp_path)]) == 0
    exported = yaml.safe_load((tmp_path / "services" / "ktp_el.yml").read_text(encoding="utf-8"))
    assert exported["fee"]["text"] == NEW_FEE
    assert load_catalog(tmp_path).get("ktp_el") is not None
    assert (tmp_path / "i18n" / "jv" / "ktp_el.yml").exists()
