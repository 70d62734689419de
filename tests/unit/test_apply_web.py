"""The web application form `/layanan/{code}/ajukan` (test client; the browser test is in
tests/e2e/test_apply_browser.py): no scripts, CSRF, problems shown with nothing lost,
303 to a signed receipt with the tracking number."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.infra.migrate import upgrade
from helpdesk.models import Attachment, ServiceRequest, Subscription
from helpdesk.runtime.app import create_app
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings

NIK = "3201019876540042"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def app(tmp_path: Path, fake_engine: FakeEngine) -> Iterator[Flask]:
    application = create_app(
        make_settings(f"sqlite:///{tmp_path / 'h.db'}", upload_dir=tmp_path / "uploads"),
        bot_engine=fake_engine,
    )
    with application.app_context():
        upgrade(database().engine)
    yield application
    with application.app_context():
        database().dispose()


def token_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def domicile(token: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "csrf_token": token,
        "f_name": "Siti Aminah",
        "f_nik": NIK,
        "f_phone": "081298765432",
        "f_address": "Jl. Melati 5 RT 02/RW 03, Sukamaju",
        "f_since": "2024-08-17",
        "f_purpose": "melamar kerja",
        "d_pengantar_rt": (io.BytesIO(JPEG), "pengantar.jpg"),
        "d_ktp": (io.BytesIO(PDF), "ktp.pdf"),
        "d_kk": (io.BytesIO(JPEG), "kk.jpg"),
        "consent": "yes",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_is_light_has_no_scripts_and_every_field(client: FlaskClient) -> None:
    response = client.get("/layanan/surat_domisili/ajukan")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(response.data) < 30 * 1024 and "<script" not in page
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    for name in ("f_name", "f_nik", "f_since", "d_pengantar_rt", "d_domisili_asal", "consent"):
        assert f'name="{name}"' in page
    assert 'type="date"' in page and "UU 27/2022" in page
    english = client.get("/layanan/sktm/ajukan?lang=en").get_data(as_text=True)
    assert "Apply for" in english and "Hospital fee relief" in english
    assert client.get("/layanan/ktp_el/ajukan").status_code == 404  # no online form
    directory = client.get("/layanan/sktm?lang=en").get_data(as_text=True)
    assert 'href="/layanan/sktm/ajukan?lang=en"' in directory  # linked from the service page
    assert "/ajukan" not in client.get("/layanan/ktp_el").get_data(as_text=True)
    assert client.get("/layanan/nope/ajukan").status_code == 404


def test_without_the_csrf_token_nothing_is_filed(app: Flask, client: FlaskClient) -> None:
    client.get("/layanan/surat_domisili/ajukan")
    response = client.post(
        "/layanan/surat_domisili/ajukan",
        data=domicile("forged"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    with app.app_context(), database().session() as session:
        assert session.scalar(select(ServiceRequest)) is None


def test_problems_are_shown_beside_their_fields_and_nothing_is_lost(
    app: Flask, client: FlaskClient
) -> None:
    token = token_of(client.get("/layanan/surat_domisili/ajukan").get_data(as_text=True))
    bad = client.post(
        "/layanan/surat_domisili/ajukan",
        data=domicile(token, f_nik="12345", f_since="2099-01-01", d_kk=None, consent=None),
        content_type="multipart/form-data",
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "NIK harus 16 angka" in page and "belum lewat" in page
    assert "Kartu Keluarga (KK)&#34; wajib dilampirkan" in page
    assert "Centang persetujuan" in page
    assert 'value="Siti Aminah"' in page and 'value="12345"' in page  # typed answers kept
    kept = dict(re.findall(r'name="(k_\w+)" value="([^"]+)"', page))
    assert set(kept) == {"k_pengantar_rt", "k_ktp"}  # files already sent are kept
    good = client.post(
        "/layanan/surat_domisili/ajukan",
        data={
            **domicile(token, d_pengantar_rt=None, d_ktp=None, whatsapp="yes"),
            **kept,
        },
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    receipt = client.get(good.headers["Location"])
    text = receipt.get_data(as_text=True)
    with app.app_context(), database().session() as session:
        request = session.scalar(select(ServiceRequest))
        assert request is not None
        assert request.tracking_number in text and "1 hari kerja" in text
        assert (request.channel, request.unit) == ("web", "umum")
        files = session.scalars(select(Attachment).where(Attachment.request_id == request.id)).all()
        assert sorted(f.requirement or "" for f in files) == ["kk", "ktp", "pengantar_rt"]
        subscription = session.scalar(select(Subscription))
        assert subscription is not None  # WhatsApp updates, consented in the form
        assert subscription.tracking_number == request.tracking_number
    tampered = good.headers["Location"].replace("t=", "t=x")
    assert client.get(tampered).status_code == 404


def test_a_wrong_file_type_is_refused_by_content(client: FlaskClient) -> None:
    token = token_of(client.get("/layanan/kartu_kuning/ajukan").get_data(as_text=True))
    response = client.post(
        "/layanan/kartu_kuning/ajukan",
        data={
            "csrf_token": token,
            "d_pas_foto": (io.BytesIO(PDF), "foto.jpg"),  # a PDF, whatever its name says
            "d_ktp": (io.BytesIO(b"MZ\x90\x00 not an image"), "ktp.jpg"),
        },
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "JPG, PNG" in page and "Only JPEG or PNG photos and PDF" in page
