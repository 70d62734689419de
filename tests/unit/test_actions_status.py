"""action_check_status against a fake helpdesk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rasa_sdk.events import SlotSet

from actions.i18n import t
from actions.status import STATUS_LABELS, ActionCheckStatus
from tests.unit.actions_fixtures import (
    LANGUAGES,
    SERVICE,
    TOKEN,
    FakeHelpdesk,
    error_body,
    fake_helpdesk,
    make_tracker,
    run_action,
    texts,
)

NUMBER = "KTP-2026-000123"
PATH = f"/api/v1/requests/{NUMBER}"
HELPDESK_BUSY = t("helpdesk_busy", "id")


def request_payload(status: str = "processing", note: str | None = "Sedang dicetak.") -> Any:
    return {
        "tracking_number": NUMBER,
        "service": "ktp_el",
        "service_name": "KTP Elektronik (KTP-el)",
        "status": status,
        "applicant_name": "Budi Santoso",
        "nik_masked": "3201********0001",
        "phone_masked": "0812****7890",
        "created_at": "2026-11-20T09:15:00+00:00",
        "updated_at": "2026-11-22T03:00:00+00:00",
        "history": [
            {
                "status": "submitted",
                "note": "Berkas diterima.",
                "created_at": "2026-11-20T09:15:00+00:00",
            },
            {"status": status, "note": note, "created_at": "2026-11-22T03:00:00+00:00"},
        ],
    }


@pytest.fixture
def helpdesk() -> Iterator[FakeHelpdesk]:
    with fake_helpdesk() as fake:
        fake.on("GET", PATH, request_payload())
        yield fake


def reads(helpdesk: FakeHelpdesk) -> list[str]:
    """What the action read (arming the identity check is tested on its own)."""
    return [p for p in helpdesk.paths() if not p.endswith("/status-lookup")]


def check(tracker_text: str = "", entities: Any = (), slots: Any = None) -> Any:
    """Run action_check_status on one message."""
    tracker = make_tracker(tracker_text, "check_status", entities, slots)
    return run_action(ActionCheckStatus(), tracker)


@pytest.mark.parametrize(
    ("status", "label", "next_step"),
    [
        ("submitted", "Diterima", None),
        ("verifying", "Sedang diverifikasi", None),
        ("processing", "Sedang diproses", None),
        ("needs_documents", "Perlu melengkapi dokumen", "lengkapi dokumen"),
        ("ready", "Sudah jadi, siap diambil", "ambil dokumen Anda"),
        ("completed", "Selesai", None),
        ("rejected", "Ditolak", "mengajukan ulang"),
    ],
)
def test_found_request_in_plain_indonesian(
    helpdesk: FakeHelpdesk, status: str, label: str, next_step: str | None
) -> None:
    helpdesk.on("GET", PATH, request_payload(status, note="Catatan terbaru."))
    events, (message,) = check(f"cek status {NUMBER}", {"tracking_number": NUMBER})
    assert events == [SlotSet("tracking_number", NUMBER)]
    lines = message["text"].splitlines()
    assert lines[:6] == [
        f"Status permohonan {NUMBER}",
        "Layanan: KTP Elektronik (KTP-el)",
        f"Status: {label}",
        "Diajukan: 20 November 2026",
        "Pembaruan terakhir: 22 November 2026",
        "Catatan petugas: Catatan terbaru.",
    ]
    assert ("Langkah berikutnya" in message["text"]) is (next_step is not None)
    if next_step:
        assert next_step in message["text"]
    request = helpdesk.requests[0]
    assert (request.method, request.url.path) == ("GET", PATH)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_personal_data_is_never_echoed(helpdesk: FakeHelpdesk) -> None:
    note = "Hubungi pemohon di 081234567890, NIK 3201234567890001 sudah dicek."
    helpdesk.on("GET", PATH, request_payload("needs_documents", note=note))
    _, messages = check(NUMBER, {"tracking_number": NUMBER})
    text = texts(messages)
    for secret in ("Budi", "081234567890", "3201234567890001", "0812****7890", "3201****"):
        assert secret not in text
    assert "[NIK disembunyikan]" in text


def test_latest_entry_without_a_note_shows_no_stale_note(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("GET", PATH, request_payload("verifying", note=None))
    _, (message,) = check(NUMBER, {"tracking_number": NUMBER})
    assert "Catatan petugas" not in message["text"]
    assert "Berkas diterima" not in message["text"]


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("ktp 2026 000123", {"tracking_number": "ktp 2026 000123"}),
        ("status ktp2026000123 gimana", {}),
        ("cek ktp-2026-000123 ya", {}),
        ("cek dong", {"tracking_number": "Ktp 2026-000123"}),
    ],
    ids=["entity-lower-spaces", "text-no-separators", "text-lower", "entity-mixed"],
)
def test_number_is_normalised(helpdesk: FakeHelpdesk, text: str, entities: Any) -> None:
    events, _ = check(text, entities)
    assert reads(helpdesk) == [f"GET {PATH}"]
    assert events == [SlotSet("tracking_number", NUMBER)]


def test_slot_is_used_when_the_message_has_no_number(helpdesk: FakeHelpdesk) -> None:
    events, _ = check("cek lagi statusnya", slots={"tracking_number": NUMBER})
    assert reads(helpdesk) == [f"GET {PATH}"]
    assert events == [SlotSet("tracking_number", NUMBER)]


def test_missing_number_is_asked_for_with_an_example(helpdesk: FakeHelpdesk) -> None:
    events, (message,) = check("saya mau cek status permohonan")
    assert events == []
    assert helpdesk.requests == []
    assert message["text"].startswith("Boleh sebutkan nomor permohonan Anda?")
    assert "KTP-2026-000123" in message["text"]


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("KTP-26-123", {"tracking_number": "KTP-26-123"}),
        ("nomornya KTP-26-123", {}),
        ("2026-000123", {}),
    ],
)
def test_malformed_number_explains_the_format(
    helpdesk: FakeHelpdesk, text: str, entities: Any
) -> None:
    events, (message,) = check(text, entities, slots={"tracking_number": NUMBER})
    assert events == []
    assert helpdesk.requests == []
    assert message["text"].startswith("Maaf, nomor permohonan itu belum sesuai format.")
    assert "2–5 huruf" in message["text"]
    assert "KTP-26-123" not in message["text"]


def test_nik_instead_of_number_is_not_echoed(helpdesk: FakeHelpdesk) -> None:
    events, (message,) = check("ini NIK saya 3201234567890001")
    assert events == []
    assert helpdesk.requests == []
    assert "jangan mengirim NIK" in message["text"]
    assert "3201234567890001" not in message["text"]


def test_unknown_number(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("GET", "/api/v1/requests/KK-2026-999999", error_body("not_found"), status=404)
    events, (message,) = check("KK-2026-999999", {"tracking_number": "KK-2026-999999"})
    assert events == [SlotSet("tracking_number", None)]
    assert "KK-2026-999999 tidak ditemukan" in message["text"]
    assert "cek kembali" in message["text"]
    assert message["buttons"] == [{"title": "Hubungi petugas", "payload": "/request_human"}]


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(500, json=error_body("internal_error")),
        httpx.Response(401, json=error_body("unauthorized")),
        httpx.Response(200, text="<html>proxy</html>"),
    ],
    ids=["down", "timeout", "500", "401", "non-json"],
)
def test_helpdesk_trouble_gives_the_busy_reply(
    helpdesk: FakeHelpdesk, failure: Exception | httpx.Response
) -> None:
    helpdesk.routes[("GET", PATH)] = failure
    events, messages = check(NUMBER, {"tracking_number": NUMBER})
    assert texts(messages) == HELPDESK_BUSY
    assert events == [SlotSet("tracking_number", NUMBER)]  # kept for a retry


def test_indonesian_labels_are_exported_for_end_to_end_tests() -> None:
    assert STATUS_LABELS["processing"] == "Sedang diproses"
    assert STATUS_LABELS["ready"] == "Sudah jadi, siap diambil"


ENGLISH_SERVICE = {**SERVICE, "name": "Electronic ID Card (KTP-el)", "language": "en"}
STATUS_IN = {
    "id": ["Status permohonan", "Status: Perlu melengkapi dokumen", "Diajukan: 20 November 2026"],
    "jv": [
        "Status panyuwunan",
        "Status: Dokumen kedah dipunjangkepi",
        "Dipunaturaken: 20 November 2026",
    ],
    "su": ["Status permohonan", "Status: Dokumén kedah dilengkepan", "Diajukeun: 20 Nopémber 2026"],
    "en": ["Status of application", "Status: Documents needed", "Submitted: 20 November 2026"],
}
NEXT_STEP = {
    "id": "Langkah berikutnya: lengkapi dokumen",
    "jv": "Lajengipun: mangga jangkepi dokumen",
    "su": "Léngkah salajengna: mangga lengkepan dokumén",
    "en": "Next step: complete the documents",
}
MASKED_NIK = {
    "id": "[NIK disembunyikan]",
    "jv": "[NIK dipunsingidaken]",
    "su": "[NIK disumputkeun]",
    "en": "[NIK hidden]",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_in_the_conversation_language(helpdesk: FakeHelpdesk, language: str) -> None:
    note = "NIK 3201234567890001 belum cocok."
    helpdesk.on("GET", PATH, request_payload("needs_documents", note=note))
    helpdesk.on("GET", "/api/v1/services/ktp_el", ENGLISH_SERVICE)
    _, (message,) = check(NUMBER, {"tracking_number": NUMBER}, {"language": language})
    for line in STATUS_IN[language]:
        assert line in message["text"], line
    assert NEXT_STEP[language] in message["text"]
    assert MASKED_NIK[language] in message["text"]
    assert "3201234567890001" not in message["text"]
    if language == "id":  # the request already names the service in Indonesian
        assert reads(helpdesk) == [f"GET {PATH}"]
        assert "Layanan: KTP Elektronik (KTP-el)" in message["text"]
    else:  # the catalog names it in the conversation's language
        assert reads(helpdesk) == [f"GET {PATH}", f"GET /api/v1/services/ktp_el?lang={language}"]
        assert ": Electronic ID Card (KTP-el)" in message["text"]


def test_service_name_falls_back_when_the_catalog_is_down(helpdesk: FakeHelpdesk) -> None:
    helpdesk.fail("GET", "/api/v1/services/ktp_el", httpx.ConnectError("refused"))
    _, (message,) = check(NUMBER, {"tracking_number": NUMBER}, {"language": "en"})
    assert "Service: KTP Elektronik (KTP-el)" in message["text"]
    assert "Status: Being processed" in message["text"]


ASK_NUMBER = {
    "id": "Boleh sebutkan nomor permohonan Anda?",
    "jv": "Nyuwun pirsa, pinten nomer panyuwunan panjenengan?",
    "su": "Tiasa disebatkeun nomer permohonan Sadérék?",
    "en": "Could you tell me your application number?",
}
NOT_FOUND = {
    "id": "tidak ditemukan",
    "jv": "boten kapanggih",
    "su": "teu kapendak",
    "en": "was found",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_asking_and_not_found_in_the_conversation_language(
    helpdesk: FakeHelpdesk, language: str
) -> None:
    slots = {"language": language}
    _, (message,) = check("mau cek status", slots=slots)
    assert message["text"].startswith(ASK_NUMBER[language])
    assert "KTP-2026-000123" in message["text"]
    helpdesk.on("GET", "/api/v1/requests/KK-2026-999999", error_body("not_found"), status=404)
    _, (message,) = check("KK-2026-999999", {"tracking_number": "KK-2026-999999"}, slots)
    assert NOT_FOUND[language] in message["text"] and "KK-2026-999999" in message["text"]
    assert message["buttons"] == [
        {"title": t("tracking.ask_officer", language), "payload": "/request_human"}
    ]


ARM = "/api/v1/conversations/conv-42/status-lookup"


@pytest.mark.parametrize(
    ("state", "line"),
    [
        ("armed", "kirim 4 digit terakhir NIK"),
        ("locked", "dikunci 1 jam"),
        ("no_identity", "ditanyakan langsung kepada petugas"),
    ],
)
def test_status_reply_arms_the_identity_check(
    helpdesk: FakeHelpdesk, state: str, line: str
) -> None:
    helpdesk.on("GET", PATH, request_payload("processing", note=None))
    helpdesk.on("POST", ARM, {"verification": state})
    _, (message,) = check(NUMBER, {"tracking_number": NUMBER})
    assert f"POST {ARM}" in helpdesk.paths()
    assert helpdesk.last_json() == {"tracking_number": NUMBER}
    assert line in message["text"]
    assert "Status: Sedang diproses" in message["text"]


def test_status_reply_survives_a_helpdesk_that_cannot_arm(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("GET", PATH, request_payload("processing", note=None))
    helpdesk.on("POST", ARM, {"error": {"code": "boom", "message": "x"}}, status=500)
    _, (message,) = check(NUMBER, {"tracking_number": NUMBER})
    assert "Status: Sedang diproses" in message["text"]
    assert "4 digit" not in message["text"]
