"""Service payload → chat messages, in Indonesian and the other three languages."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from actions.formatting import (
    ASK_INTENTS,
    button,
    follow_up_buttons,
    follow_up_offer,
    format_duration,
    format_fee,
    format_location_hours,
    format_procedure,
    format_requirements,
    format_rupiah,
    format_service_answer,
    office_contact,
)
from actions.i18n import LANGUAGES, format_date, localize_hours, t
from actions.messages_en import MESSAGES as EN
from actions.messages_id import MESSAGES as ID
from actions.messages_jv import MESSAGES as JV
from actions.messages_su import MESSAGES as SU
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
        '/ask_eligibility{"service":"ktp_el"}',
    ]


def test_eligibility_answer_comes_from_the_catalog_field() -> None:
    service = {**SERVICE, "eligibility": "WNI berusia 17 tahun ke atas (UU 24/2013 Pasal 63)."}
    assert format_service_answer("ask_eligibility", service).splitlines() == [
        "Siapa yang boleh mengajukan KTP Elektronik (KTP-el):",
        "WNI berusia 17 tahun ke atas (UU 24/2013 Pasal 63).",
    ]
    without = {**SERVICE, "eligibility": None, "who": None}
    assert "tanyakan ke kantor layanan setempat" in format_service_answer(
        "ask_eligibility", without
    )


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


# --- the other languages ----------------------------------------------------------------

HEADINGS = {
    "ask_eligibility": {
        "id": "Siapa yang boleh mengajukan KTP Elektronik (KTP-el):",
        "jv": "Sinten ingkang saged ngajengaken KTP Elektronik (KTP-el):",
        "su": "Saha waé anu tiasa ngajukeun KTP Elektronik (KTP-el):",
        "en": "Who may apply for the KTP Elektronik (KTP-el):",
    },
    "ask_requirements": {
        "id": "Persyaratan KTP Elektronik (KTP-el):",
        "jv": "Sarat-sarat KTP Elektronik (KTP-el):",
        "su": "Sarat-sarat KTP Elektronik (KTP-el):",
        "en": "Requirements for the KTP Elektronik (KTP-el):",
    },
    "ask_procedure": {
        "id": "Alur pengurusan KTP Elektronik (KTP-el):",
        "jv": "Tata cara ngurus KTP Elektronik (KTP-el):",
        "su": "Tata cara ngurus KTP Elektronik (KTP-el):",
        "en": "How to apply for the KTP Elektronik (KTP-el):",
    },
    "ask_fee": {
        "id": "Biaya KTP Elektronik (KTP-el): Gratis.",
        "jv": "Wragad KTP Elektronik (KTP-el): Gratis.",
        "su": "Waragad KTP Elektronik (KTP-el): Gratis.",
        "en": "Fee for the KTP Elektronik (KTP-el): free.",
    },
    "ask_duration": {
        "id": "Lama proses KTP Elektronik (KTP-el):",
        "jv": "Dangunipun proses KTP Elektronik (KTP-el):",
        "su": "Lamina prosés KTP Elektronik (KTP-el):",
        "en": "Processing time for the KTP Elektronik (KTP-el):",
    },
    "ask_location_hours": {
        "id": "Tempat pengurusan KTP Elektronik (KTP-el):",
        "jv": "Papan ngurus KTP Elektronik (KTP-el):",
        "su": "Tempat ngurus KTP Elektronik (KTP-el):",
        "en": "Where to apply for the KTP Elektronik (KTP-el):",
    },
}
REGIONAL_LABEL = {"id": "Catatan:", "jv": "Cathetan:", "su": "Catetan:", "en": "Note:"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intent", ASK_INTENTS)
def test_answers_are_headed_in_the_language(intent: str, language: str) -> None:
    text = format_service_answer(intent, SERVICE, language)
    assert text.splitlines()[0] == HEADINGS[intent][language]
    assert "None" not in text and "{" not in text
    if intent == "ask_duration":
        assert f"\n\n{REGIONAL_LABEL[language]} Lama proses ditetapkan" in text


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "id",
            ["• Senin–Kamis 08.00–15.00 WIB", "• Jumat 08.00–11.00 WIB", "Telepon: (0123) 456789"],
        ),
        (
            "jv",
            ["• Senen–Kemis 08.00–15.00 WIB", "• Jumuwah 08.00–11.00 WIB", "Telpon: (0123) 456789"],
        ),
        (
            "su",
            ["• Senén–Kemis 08.00–15.00 WIB", "• Jumaah 08.00–11.00 WIB", "Telepon: (0123) 456789"],
        ),
        (
            "en",
            [
                "• Monday–Thursday 08.00–15.00 WIB",
                "• Friday 08.00–11.00 WIB",
                "Phone: (0123) 456789",
            ],
        ),
    ],
)
def test_opening_hours_name_the_days_in_the_language(language: str, lines: list[str]) -> None:
    text = format_location_hours(SERVICE, language).splitlines()
    for line in lines:
        assert line in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senin–Jumat 08.00–14.00 WIB", "Monday–Friday 08.00–14.00 WIB"),
        ("senin - kamis, Jum'at pagi", "Monday - Thursday, Friday pagi"),
        (
            "Sabtu 08.00–12.00 WITA; Minggu/Ahad tutup",
            "Saturday 08.00–12.00 WITA; Sunday/Sunday tutup",
        ),
        ("Seninan", "Seninan"),  # whole words only
    ],
)
def test_localize_hours(text: str, expected: str) -> None:
    assert localize_hours(text, "en") == expected
    assert localize_hours(text, "id") == text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "1 Mei 2026"), ("jv", "1 Mei 2026"), ("su", "1 Méi 2026"), ("en", "1 May 2026")],
)
def test_format_date_names_the_month_in_the_language(language: str, expected: str) -> None:
    assert format_date(datetime(2026, 5, 1, 3, 0, tzinfo=UTC), language) == expected


@pytest.mark.parametrize(
    ("language", "offer", "titles"),
    [
        ("id", "Ada lagi yang ingin Anda ketahui", ["Persyaratan", "Alur pengurusan"]),
        ("jv", "Wonten malih ingkang panjenengan kersakaken pirsa", ["Sarat-sarat", "Tata cara"]),
        ("su", "Aya deui anu palay diuninga", ["Sarat-sarat", "Tata cara"]),
        ("en", "anything else you would like to know", ["Requirements", "Procedure"]),
    ],
)
def test_follow_up_in_the_language(language: str, offer: str, titles: list[str]) -> None:
    assert offer in follow_up_offer(SERVICE, language)
    buttons = follow_up_buttons("ktp_el", "ask_fee", language)
    assert [b["title"] for b in buttons[:2]] == titles
    assert buttons[0]["payload"] == '/ask_requirements{"service":"ktp_el"}'


def test_sparse_payload_is_polite_in_every_language() -> None:
    for language, sorry in (("jv", "Nyuwun pangapunten"), ("su", "Hapunten"), ("en", "Sorry")):
        for intent in ("ask_requirements", "ask_procedure", "ask_fee", "ask_duration"):
            text = format_service_answer(intent, MINIMAL, language)
            assert text.startswith(sorry) and "SKTM" in text, (language, intent)


def test_unknown_language_falls_back_to_indonesian() -> None:
    assert format_requirements(SERVICE, "fr") == format_requirements(SERVICE)
    assert t("follow_up", "fr", name="X") == "Ada lagi yang ingin Anda ketahui tentang X?"


@pytest.mark.parametrize("catalogue", [JV, SU, EN], ids=["jv", "su", "en"])
def test_every_language_has_every_message_with_the_same_placeholders(
    catalogue: dict[str, str],
) -> None:
    assert set(catalogue) == set(ID)
    for key, text in ID.items():
        assert catalogue[key].strip(), key
        assert _fields(catalogue[key]) == _fields(text), key


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}
