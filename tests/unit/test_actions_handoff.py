"""action_request_human and action_file_complaint against a fake helpdesk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from actions.handoff import ActionFileComplaint, ActionRequestHuman, format_wait
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

PATH = "/api/v1/conversations/conv-42/handoff"


def handoff_payload(
    position: int | None = 3, wait: int | None = 15, status: str = "pending"
) -> Any:
    return {"id": 12, "status": status, "queue_position": position, "expected_wait_minutes": wait}


@pytest.fixture
def helpdesk() -> Iterator[FakeHelpdesk]:
    with fake_helpdesk() as fake:
        fake.on("POST", PATH, handoff_payload())
        yield fake


def test_request_human_joins_the_queue(helpdesk: FakeHelpdesk) -> None:
    events, (message,) = run_action(
        ActionRequestHuman(), make_tracker("mau bicara dengan petugas", "request_human")
    )
    assert events == []
    request = helpdesk.requests[0]
    assert (request.method, request.url.path) == ("POST", PATH)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert helpdesk.last_json() == {"reason": "citizen_request"}
    assert message["text"].splitlines() == [
        "Baik, Anda sedang kami hubungkan dengan petugas.",
        "Posisi antrean Anda: 3.",
        "Perkiraan waktu tunggu: sekitar 15 menit.",
        "Petugas akan membalas di percakapan ini; tidak perlu mengirim ulang pesan.",
    ]


@pytest.mark.parametrize(
    ("payload", "shown", "hidden"),
    [
        (handoff_payload(wait=None), "Posisi antrean Anda: 3.", "Perkiraan waktu tunggu"),
        (handoff_payload(position=None, wait=None), "hubungkan dengan petugas", "antrean"),
        (handoff_payload(status="open"), "sudah ditangani petugas", "antrean"),
    ],
    ids=["no-wait", "nothing-known", "already-open"],
)
def test_request_human_shows_only_what_is_known(
    helpdesk: FakeHelpdesk, payload: Any, shown: str, hidden: str
) -> None:
    helpdesk.on("POST", PATH, payload)
    _, messages = run_action(ActionRequestHuman(), make_tracker("petugas", "request_human"))
    assert shown in texts(messages)
    assert hidden not in texts(messages)


def test_unknown_conversation_offers_the_office_of_the_current_service(
    helpdesk: FakeHelpdesk,
) -> None:
    helpdesk.on("POST", PATH, error_body("conversation_not_found"), status=404)
    helpdesk.on("GET", "/api/v1/services/ktp_el", SERVICE)  # also answers `?lang=id`
    tracker = make_tracker("petugas", "request_human", slots={"service": "ktp_el"})
    _, (message,) = run_action(ActionRequestHuman(), tracker)
    assert message["text"].splitlines() == [
        "Maaf, saat ini kami belum bisa menghubungkan Anda dengan petugas.",
        "Silakan coba lagi nanti, atau hubungi langsung kantor layanan: "
        "Disdukcapil Kabupaten Contoh, telepon (0123) 456789.",
    ]


def test_unknown_conversation_without_a_service(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("POST", PATH, error_body("not_found"), status=404)
    _, messages = run_action(ActionRequestHuman(), make_tracker("petugas", "request_human"))
    assert texts(messages).endswith("hubungi langsung kantor layanan.")
    assert helpdesk.paths() == [f"POST {PATH}"]


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.Response(503, json=error_body("unavailable")),
        httpx.Response(401, json=error_body("unauthorized")),
    ],
    ids=["down", "503", "401"],
)
def test_helpdesk_trouble_does_not_retry_and_points_to_the_office(
    helpdesk: FakeHelpdesk, failure: Exception | httpx.Response
) -> None:
    helpdesk.routes[("POST", PATH)] = failure
    tracker = make_tracker("petugas", "request_human", slots={"service": "ktp_el"})
    events, messages = run_action(ActionRequestHuman(), tracker)
    assert events == []
    assert texts(messages).startswith("Maaf, saat ini kami belum bisa menghubungkan")
    assert "kantor layanan" in texts(messages)
    assert helpdesk.paths() == [f"POST {PATH}"]


COMPLETE = "Jalan di depan SD Negeri 2 Desa Sukamaju berlubang besar sejak kemarin pagi"


FORM = "/api/v1/conversations/conv-42/complaint-form"


def test_complaint_opens_the_helpdesk_form(helpdesk: FakeHelpdesk) -> None:
    prompt = {"text": "Laporan Anda termasuk jenis apa?", "buttons": [{"title": "Aspirasi"}]}
    helpdesk.on("POST", FORM, {"messages": [prompt]})
    events, messages = run_action(ActionFileComplaint(), make_tracker(COMPLETE, "file_complaint"))
    assert events == []
    assert helpdesk.paths() == [f"POST {FORM}"]
    assert [(m["text"], m["buttons"]) for m in messages] == [(prompt["text"], prompt["buttons"])]


def test_complaint_forwards_the_message_as_note(helpdesk: FakeHelpdesk) -> None:
    """When the helpdesk cannot open the form, the complaint goes to an officer."""
    events, messages = run_action(ActionFileComplaint(), make_tracker(COMPLETE, "file_complaint"))
    assert events == []
    assert helpdesk.paths() == [f"POST {FORM}", f"POST {PATH}"]
    assert helpdesk.last_json() == {"reason": "complaint", "note": COMPLETE}
    (message,) = messages
    assert message["text"].splitlines() == [
        "Terima kasih, pengaduan Anda sudah kami teruskan ke petugas.",
        "Posisi antrean Anda: 3.",
        "Perkiraan waktu tunggu: sekitar 15 menit.",
        "Petugas akan membalas di percakapan ini; tidak perlu mengirim ulang pesan.",
    ]


@pytest.mark.parametrize(
    ("text", "note", "asked"),
    [
        ("saya mau mengadu", "saya mau mengadu", ["apa yang terjadi", "lokasinya", "waktu"]),
        ("/file_complaint", None, ["apa yang terjadi", "lokasinya", "waktu"]),
        (
            "Petugas loket meminta uang tambahan untuk mempercepat KTP saya",
            "Petugas loket meminta uang tambahan untuk mempercepat KTP saya",
            ["lokasinya", "waktu"],
        ),
    ],
)
def test_complaint_asks_for_missing_details(
    helpdesk: FakeHelpdesk, text: str, note: str | None, asked: list[str]
) -> None:
    _, (confirmation, details) = run_action(
        ActionFileComplaint(), make_tracker(text, "file_complaint")
    )
    sent = {"reason": "complaint"} | ({"note": note} if note else {})
    assert helpdesk.last_json() == sent
    assert "sudah kami teruskan" in confirmation["text"]
    lines = details["text"].splitlines()
    assert lines[0] == "Agar cepat ditindaklanjuti, mohon kirim juga:"
    assert len(lines) == 1 + len(asked)
    for line, prompt in zip(lines[1:], asked, strict=True):
        assert line.startswith("• ") and prompt in line


def test_long_complaint_note_is_capped(helpdesk: FakeHelpdesk) -> None:
    run_action(ActionFileComplaint(), make_tracker("x" * 5000, "file_complaint"))
    assert len(helpdesk.last_json()["note"]) == 2000


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.Response(404, json=error_body("not_found"))],
    ids=["down", "unknown-conversation"],
)
def test_complaint_failure_says_it_was_not_recorded(
    helpdesk: FakeHelpdesk, failure: Exception | httpx.Response
) -> None:
    helpdesk.routes[("POST", PATH)] = failure
    _, (message,) = run_action(ActionFileComplaint(), make_tracker(COMPLETE, "file_complaint"))
    assert message["text"].startswith("Maaf, pengaduan Anda belum bisa kami teruskan")
    assert "belum tercatat" in message["text"]
    assert "lapor.go.id" in message["text"]


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "kurang dari 1 menit"),
        (1, "sekitar 1 menit"),
        (15, "sekitar 15 menit"),
        (60, "sekitar 1 jam"),
        (135, "sekitar 2 jam 15 menit"),
    ],
)
def test_format_wait(minutes: int, text: str) -> None:
    assert format_wait(minutes) == text


CONNECTED = {
    "id": ["Baik, Anda sedang kami hubungkan dengan petugas.", "Posisi antrean Anda: 3."],
    "jv": [
        "Inggih, panjenengan saweg kula sambungaken kaliyan petugas.",
        "Urutan antrean panjenengan: 3.",
    ],
    "su": ["Mangga, Sadérék nuju disambungkeun sareng patugas.", "Posisi antrian Sadérék: 3."],
    "en": ["All right, we are connecting you with an officer.", "Your place in the queue: 3."],
}
WAIT = {
    "id": "sekitar 15 menit",
    "jv": "watawis 15 menit",
    "su": "sakitar 15 menit",
    "en": "about 15 minutes",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_human_in_the_conversation_language(helpdesk: FakeHelpdesk, language: str) -> None:
    tracker = make_tracker("petugas", "request_human", slots={"language": language})
    _, (message,) = run_action(ActionRequestHuman(), tracker)
    lines = message["text"].splitlines()
    assert lines[:2] == CONNECTED[language]
    assert WAIT[language] in lines[2]


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_conversation_names_the_office_in_the_language(
    helpdesk: FakeHelpdesk, language: str
) -> None:
    helpdesk.on("POST", PATH, error_body("conversation_not_found"), status=404)
    helpdesk.on("GET", "/api/v1/services/ktp_el", SERVICE)
    slots = {"service": "ktp_el", "language": language}
    _, (message,) = run_action(
        ActionRequestHuman(), make_tracker("petugas", "request_human", slots=slots)
    )
    assert f"GET /api/v1/services/ktp_el?lang={language}" in helpdesk.paths()
    phone = {"id": "telepon", "jv": "telpon", "su": "telepon", "en": "phone"}[language]
    assert f"Disdukcapil Kabupaten Contoh, {phone} (0123) 456789." in message["text"]


COMPLAINT = {
    "id": ("sudah kami teruskan", "Agar cepat ditindaklanjuti", "lokasinya"),
    "jv": ("sampun kula aturaken", "Supados enggal dipuntindaklanjuti", "papanipun"),
    "su": ("parantos kami teraskeun", "Supados gancang ditindaklajutan", "lokasina"),
    "en": ("passed your complaint on", "So that we can follow it up quickly", "where it happened"),
}
COMPLAINT_FAILED = {
    "id": "belum tercatat",
    "jv": "dereng kacathet",
    "su": "teu acan kacatet",
    "en": "has not been recorded",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_complaint_in_the_conversation_language(helpdesk: FakeHelpdesk, language: str) -> None:
    tracker = make_tracker("saya mau mengadu", "file_complaint", slots={"language": language})
    _, (confirmation, details) = run_action(ActionFileComplaint(), tracker)
    forwarded, intro, location = COMPLAINT[language]
    assert forwarded in confirmation["text"]
    assert details["text"].startswith(intro) and location in details["text"]
    helpdesk.fail("POST", PATH, httpx.ConnectError("refused"))
    _, (message,) = run_action(ActionFileComplaint(), tracker)
    assert COMPLAINT_FAILED[language] in message["text"] and "lapor.go.id" in message["text"]


@pytest.mark.parametrize(
    ("language", "texts_by_minutes"),
    [
        ("jv", {0: "kirang saking 1 menit", 1: "watawis 1 menit", 135: "watawis 2 jam 15 menit"}),
        ("su", {0: "kirang ti 1 menit", 60: "sakitar 1 jam", 61: "sakitar 1 jam 1 menit"}),
        ("en", {0: "less than 1 minute", 1: "about 1 minute", 60: "about 1 hour"}),
        ("en", {75: "about 1 hour 15 minutes", 121: "about 2 hours 1 minute"}),
    ],
)
def test_format_wait_in_other_languages(language: str, texts_by_minutes: dict[int, str]) -> None:
    for minutes, text in texts_by_minutes.items():
        assert format_wait(minutes, language) == text
