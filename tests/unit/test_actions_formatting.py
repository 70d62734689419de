"""Service payload → Indonesian chat messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from actions.formatting import (
    ASK_INTENTS,
    button,
    follow_up_buttons,
    follow_up_offer,
    format_date,
    format_duration,
    format_fee,
    format_location_hours,
    format_procedure,
    format_requirements,
    format_rupiah,
    format_service_answer,
    office_contact,
)
from tests.unit.actions_fixtures import SERVICE

REGIONAL = "Catatan: Lama proses ditetapkan tiap Disdukcapil."


def test_requirements_have_case_headings_and_bullets() -> None:
    assert format_requirements(SERVICE).splitlines() == [
        "Persyaratan KTP Elektronik (KTP-el):",
        "Untuk: WNI berusia 17 tahun atau sudah menikah",
        "",
        "Pembuatan baru:",
        "• Fotokopi KK",
        "• Hadir untuk perekaman",
        "",
        "Hilang:",
        "• Surat kehilangan dari kepolisian",
    ]


def test_procedure_is_numbered() -> None:
    assert format_procedure(SERVICE).splitlines() == [
        "Alur pengurusan KTP Elektronik (KTP-el):",
        "",
        "Di kantor Disdukcapil:",
        "1. Ambil antrean",
        "2. Rekam data",
    ]


def test_free_fee_explains_and_invites_reports() -> None:
    text = format_fee(SERVICE)
    assert text.startswith("Biaya KTP Elektronik (KTP-el): Gratis.\nTidak dipungut biaya")
    assert "meminta bayaran" in text


def test_paid_fee_in_rupiah_with_regional_note() -> None:
    service = {
        **SERVICE,
        "fee": {"free": False, "amount_idr": 150000, "text": "PNBP."},
        "varies_by_region": ["fee"],
        "regional_note": "Tarif daerah berbeda.",
    }
    text = format_fee(service)
    assert text.startswith("Biaya KTP Elektronik (KTP-el): Rp150.000.\nPNBP.")
    assert text.endswith("\n\nCatatan: Tarif daerah berbeda.")
    assert "meminta bayaran" not in text


def test_duration_with_validity_and_regional_note() -> None:
    assert format_duration(SERVICE) == "\n".join(
        [
            "Lama proses KTP Elektronik (KTP-el):",
            "Paling lama 14 hari kerja.",
            "Masa berlaku: Berlaku seumur hidup.",
            "",
            REGIONAL,
        ]
    )


def test_location_hours_office_online_and_region() -> None:
    assert format_location_hours(SERVICE).splitlines() == [
        "Tempat pengurusan KTP Elektronik (KTP-el):",
        "Disdukcapil Kabupaten Contoh",
        "Alamat: Jl. Merdeka No. 1",
        "Jam layanan:",
        "• Senin–Kamis 08.00–15.00 WIB",
        "• Jumat 08.00–11.00 WIB",
        "Telepon: (0123) 456789",
        "",
        "Bisa juga online: IKD — KTP digital di ponsel.",
        "",
        "Data kantor ini untuk Kabupaten Contoh.",
    ]


@pytest.mark.parametrize("intent", ASK_INTENTS)
def test_regional_note_only_for_the_fields_that_vary(intent: str) -> None:
    text = format_service_answer(intent, SERVICE)
    assert (REGIONAL in text) is (intent == "ask_duration")


@pytest.mark.parametrize(
    ("intent", "field"),
    [
        ("ask_requirements", "requirements"),
        ("ask_procedure", "procedure"),
        ("ask_fee", "fee"),
        ("ask_duration", "validity"),
        ("ask_location_hours", "office"),
    ],
)
def test_regional_note_follows_varies_by_region(intent: str, field: str) -> None:
    service = {**SERVICE, "varies_by_region": [field], "regional_note": "Beda tiap daerah."}
    assert format_service_answer(intent, service).endswith("\n\nCatatan: Beda tiap daerah.")


def test_regional_note_falls_back_to_a_generic_caveat() -> None:
    service = {**SERVICE, "varies_by_region": ["requirements"], "regional_note": None}
    assert format_requirements(service).endswith("ketentuan ini bisa berbeda di tiap daerah.")


MINIMAL: dict[str, Any] = {"code": "sktm", "name": "SKTM", "fee": None, "online": None}


@pytest.mark.parametrize("intent", ASK_INTENTS)
def test_sparse_payload_still_answers_politely(intent: str) -> None:
    text = format_service_answer(intent, MINIMAL)
    assert "SKTM" in text
    assert "None" not in text
    if intent != "ask_location_hours":
        assert "belum tersedia" in text


def test_location_falls_back_to_the_agency() -> None:
    service = {**SERVICE, "office": None, "online": None, "region": None}
    assert format_location_hours(service).splitlines() == [
        "Tempat pengurusan KTP Elektronik (KTP-el):",
        "Disdukcapil kabupaten/kota",
    ]


def test_follow_up_offer_and_buttons() -> None:
    assert follow_up_offer(SERVICE) == (
        "Ada lagi yang ingin Anda ketahui tentang KTP Elektronik (KTP-el)?"
    )
    buttons = follow_up_buttons("ktp_el", "ask_fee")
    assert [b["payload"] for b in buttons] == [
        '/ask_requirements{"service":"ktp_el"}',
        '/ask_procedure{"service":"ktp_el"}',
        '/ask_duration{"service":"ktp_el"}',
        '/ask_location_hours{"service":"ktp_el"}',
    ]


def test_button_payloads() -> None:
    assert button("Daftar", "list_services") == {"title": "Daftar", "payload": "/list_services"}
    assert button("Jawa", "change_language", {"language": "jv"})["payload"] == (
        '/change_language{"language":"jv"}'
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 20, 9, 15, tzinfo=UTC), "20 November 2026"),
        (datetime(2026, 1, 31, 18, 0, tzinfo=UTC), "1 Februari 2026"),  # 01:00 WIB
        (datetime(2026, 8, 17, 10, 0), "17 Agustus 2026"),
        (datetime(2026, 3, 1, 23, 0, tzinfo=timezone(timedelta(hours=9))), "1 Maret 2026"),
    ],
)
def test_format_date_in_indonesian(value: datetime, expected: str) -> None:
    assert format_date(value) == expected


def test_format_rupiah_and_office_contact() -> None:
    assert format_rupiah(1250000) == "Rp1.250.000"
    assert office_contact(SERVICE) == "Disdukcapil Kabupaten Contoh, telepon (0123) 456789"
    assert office_contact({"code": "x"}) is None
