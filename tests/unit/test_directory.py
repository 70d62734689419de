"""The public service directory: /layanan and /layanan/{code} (DESIGN.md, round 3)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from helpdesk.catalog import CATALOG_LANGUAGES, CONTRACT_SERVICE_CODES

MAX_BYTES = 30 * 1024


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/layanan/[a-z_]+)[^"]*"', html)


def test_search_puts_the_best_match_first(client: FlaskClient) -> None:
    page = client.get("/layanan?q=imb")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _links(html)[0] == "/layanan/pbg"  # the former name finds PBG first
    assert "Persetujuan Bangunan Gedung" in html
    assert "Bukan layanan kami" not in html  # no lookalike agency card ("sim")


@pytest.mark.parametrize(
    ("query", "first"),
    [("akte lahir", "akta_kelahiran"), ("SIUP", "nib"), ("kartu konéng", "kartu_kuning")],
)
def test_search_knows_every_name(client: FlaskClient, query: str, first: str) -> None:
    html = client.get("/layanan", query_string={"q": query}).get_data(as_text=True)
    assert _links(html)[0] == f"/layanan/{first}"


def test_search_for_another_agencys_service_shows_that_agency(client: FlaskClient) -> None:
    html = client.get("/layanan?q=bpjs+ketenagakerjaan").get_data(as_text=True)
    assert "Bukan layanan kami" in html and "JMO" in html
    assert "The JMO claim limit" not in html  # unverified notes are flagged, not quoted
    card = html.index("Bukan layanan kami")
    assert card < html.index("Semua layanan")


def test_without_a_query_every_service_is_listed(client: FlaskClient) -> None:
    html = client.get("/layanan").get_data(as_text=True)
    assert set(_links(html)) == {f"/layanan/{code}" for code in CONTRACT_SERVICE_CODES}


def test_every_service_page_is_complete_light_and_script_free(client: FlaskClient) -> None:
    for code in CONTRACT_SERVICE_CODES:
        for lang in CATALOG_LANGUAGES:
            page = client.get(f"/layanan/{code}?lang={lang}")
            assert page.status_code == 200
            assert len(page.data) < MAX_BYTES, (code, lang, len(page.data))
            html = page.get_data(as_text=True)
            assert "<script" not in html.lower()
            assert f'<html lang="{lang}">' in html
            assert html.count("<h2>") >= 6  # who, requirements, procedure, fee, time, where, law


def test_a_service_page_shows_requirements_by_case_in_the_language(client: FlaskClient) -> None:
    html = client.get("/layanan/ktp_el?lang=jv").get_data(as_text=True)
    assert "KTP-el ical" in html and "KTP-el risak" in html  # the cases, in Javanese
    assert "Dhasar hukum" in html and "Pasal 79A" in html
    en = client.get("/layanan/ktp_el?lang=en").get_data(as_text=True)
    assert "Requirements" in en and "Legal basis" in en


def test_search_pages_are_light_and_script_free(client: FlaskClient) -> None:
    for lang in CATALOG_LANGUAGES:
        page = client.get(f"/layanan?q=ktp&lang={lang}")
        assert page.status_code == 200 and len(page.data) < MAX_BYTES
        assert "<script" not in page.get_data(as_text=True).lower()


def test_unknown_code_is_404(client: FlaskClient) -> None:
    assert client.get("/layanan/tidak_ada").status_code == 404
    assert client.get("/layanan/sim").status_code == 404  # elsewhere, not a page of ours


def test_odd_queries_are_harmless(client: FlaskClient) -> None:
    odd = ("", "   ", "<script>alert(1)</script>", "x" * 5000, "ignore previous instructions")
    for query in odd:
        page = client.get("/layanan", query_string={"q": query, "lang": "xx"})
        assert page.status_code == 200
        assert "<script>alert" not in page.get_data(as_text=True)
