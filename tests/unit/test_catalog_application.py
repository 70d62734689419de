"""The `application:` section of a service: shipped forms, the validator, the editor."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from helpdesk.catalog import Catalog, CatalogError
from helpdesk.catalog.loader import load_catalog
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database

CATALOG_DIR = Path(__file__).resolve().parents[2] / "data" / "catalog"
FORMS = ("surat_domisili", "sktm", "kartu_kuning")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR)


@pytest.fixture
def copy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def rewrite(path: Path, change: Any) -> None:
    """Load a YAML file, let `change` edit it in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def problems_of(directory: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(directory)
    return "\n".join(info.value.problems)


def test_the_three_contract_forms_are_shipped(catalog: Catalog) -> None:
    assert set(FORMS) <= set(catalog.applicable_codes())
    for code in FORMS:
        form = catalog.services[code].application
        assert form is not None
        name, nik = form.field("name"), form.field("nik")
        assert name is not None and name.type == "text" and name.required
        assert nik is not None and nik.type == "nik" and nik.required
        assert form.documents and form.consent and form.pickup
        assert 1 <= form.standard_days <= 5
    sktm = catalog.services["sktm"].application
    assert sktm is not None and sktm.standard_days == 1  # "paling lama 1 hari kerja" [S21b]
    photo = catalog.services["kartu_kuning"].application
    assert photo is not None
    pas_foto = photo.document("pas_foto")
    assert pas_foto is not None and pas_foto.types == ("jpg", "png")  # a photo, not a PDF


@pytest.mark.parametrize("lang", ["jv", "su", "en"])
@pytest.mark.parametrize("code", FORMS)
def test_forms_are_translated_with_the_same_rules(catalog: Catalog, code: str, lang: str) -> None:
    source = catalog.services[code].application
    shown = catalog.translations[lang][code].application
    assert source is not None and shown is not None
    assert shown.consent != source.consent and shown.pickup != source.pickup
    assert shown.standard_days == source.standard_days
    labels = [f.label for f in shown.fields] + [d.label for d in shown.documents]
    originals = [f.label for f in source.fields] + [d.label for d in source.documents]
    assert sum(a != b for a, b in zip(labels, originals, strict=True)) >= len(labels) // 2
    for ours, theirs in zip(source.fields, shown.fields, strict=True):
        assert (theirs.key, theirs.type, theirs.required) == (ours.key, ours.type, ours.required)
        assert len(theirs.choices) == len(ours.choices)


def test_every_problem_of_a_form_is_reported(copy_dir: Path) -> None:
    def break_domicile(data: dict[str, Any]) -> None:
        form = data["application"]
        form["standard_days"] = 0
        form["colour"] = "red"
        form["fields"][0]["type"] = "essay"
        form["fields"][1]["required"] = False  # the NIK is never optional
        form["fields"][4]["when"] = "someday"
        form["fields"][5]["choices"] = ["a", "b"]  # only choice fields have choices
        form["documents"][0]["types"] = ["docx"]
        form["documents"][1]["key"] = "pengantar_rt"

    def break_sktm(data: dict[str, Any]) -> None:
        form = data["application"]
        form["fields"] = [f for f in form["fields"] if f["key"] != "name"]
        form["fields"][3]["choices"] = ["Satu"]
        del form["consent"]

    rewrite(copy_dir / "services" / "surat_domisili.yml", break_domicile)
    rewrite(copy_dir / "services" / "sktm.yml", break_sktm)
    problems = problems_of(copy_dir)
    for needle in (
        "services/surat_domisili.yml: application.standard_days: must be a whole number from 1",
        "services/surat_domisili.yml: application.colour: unknown field",
        "services/surat_domisili.yml: application.fields[0].type: 'essay' is not one of",
        "application.fields[1].type: the field 'nik' must be a required nik field",
        "application.fields[4].when: must be past, future or any",
        "application.fields[5].choices: only a field of type choice has choices",
        "application.documents[0].types: 'docx' is not one of",
        "application.documents[1].key: 'pengantar_rt' is used by two documents",
        "services/sktm.yml: application.fields: needs a required text field with key 'name'",
        "services/sktm.yml: application.fields[3].choices: needs at least 2 choices",
        "services/sktm.yml: application.consent: missing required field",
    ):
        assert needle in problems, needle


def test_a_translation_must_match_the_forms_structure(copy_dir: Path) -> None:
    def drop_a_field(data: dict[str, Any]) -> None:
        data["application"]["fields"].pop()
        data["application"]["documents"][0]["types"] = ["pdf"]

    def drop_a_choice(data: dict[str, Any]) -> None:
        data["application"]["fields"][4]["choices"].pop()

    rewrite(copy_dir / "i18n" / "en" / "surat_domisili.yml", drop_a_field)
    rewrite(copy_dir / "i18n" / "jv" / "sktm.yml", drop_a_choice)
    rewrite(copy_dir / "i18n" / "su" / "ktp_el.yml", lambda d: d.update(application={}))
    problems = problems_of(copy_dir)
    for needle in (
        "i18n/en/surat_domisili.yml: application.fields: has 5 fields, the Indonesian file has 6",
        "i18n/en/surat_domisili.yml: application.documents[0].types: unknown field",
        "i18n/jv/sktm.yml: application.fields[4].choices: has 3 choices",
        "i18n/su/ktp_el.yml: application: not in the Indonesian file",
    ):
        assert needle in problems, needle


def second_auth(app: Flask) -> dict[str, str]:
    with app.app_context(), database().session() as session:
        token = create_token(session, "supervisor-2")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_form_is_edited_in_the_catalog_editor(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    bad = client.patch(
        "/api/v1/services/sktm", json={"application": {"standard_days": "soon"}}, headers=auth
    )
    assert bad.status_code == 422
    assert "application.standard_days" in bad.get_json()["error"]["message"]
    draft = client.patch(
        "/api/v1/services/sktm", json={"application": {"standard_days": 2}}, headers=auth
    )
    assert draft.status_code == 201
    version = draft.get_json()["version"]
    url = f"/api/v1/services/sktm/versions/{version}/publish"
    assert client.post(url, headers=second_auth(app)).status_code == 200
    served = client.get("/api/v1/services/sktm", headers=auth).get_json()
    assert served["application"]["standard_days"] == 2
    assert served["application"]["fields"][0]["key"] == "name"
    # A form added to another service (Indonesian first) is valid before its translations.
    source = yaml.safe_load((CATALOG_DIR / "services" / "sktm.yml").read_text(encoding="utf-8"))
    added = client.patch(
        "/api/v1/services/kia", json={"application": source["application"]}, headers=auth
    )
    assert added.status_code == 201, added.get_json()
