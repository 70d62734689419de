"""Issue 17: a question never opens the complaint form by itself (`actions.complaint_check`
by table; `action_file_complaint` asks first or answers the question), and a later turn
of a service talk taken for a complaint or a lookup is answered (`actions.followup`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa_sdk.events import SlotSet

from actions.complaint_check import complaint_decision
from actions.followup import follow_up_question, question_in
from actions.handoff import ActionFileComplaint
from actions.status import ActionCheckStatus
from tests.unit.actions_fixtures import (
    SERVICE,
    FakeHelpdesk,
    fake_helpdesk,
    make_tracker,
    run_action,
)

FORM = "/api/v1/conversations/conv-42/complaint-form"


@pytest.mark.parametrize(
    ("text", "confidence", "expected"),
    [
        ("KTP saya hilang kemarin", 0.99, "question"),
        ("I lost my ID card yesterday", 0.99, "question"),
        ("KTP abdi leungit kamari", 0.83, "question"),
        ("KK saya rusak kena banjir, bisa?", 0.9, "question"),
        ("bisa?", 0.99, "ask"),
        ("berapa?", 0.99, "ask"),
        ("gimana?", 0.99, "ask"),
        ("kenapa pelayanannya lama?", 0.92, "ask"),
        ("ktp saya kok belum jadi ya", 0.7, "ask"),
        ("saya mau komplain", 0.99, "form"),
        ("mau ngadu", 0.95, "form"),
        ("petugas dukcapil minta uang 100 ribu biar KTP cepat jadi", 0.97, "form"),
        ("data di kk saya salah ketik, ini kesalahan petugas, saya kecewa", 0.9, "form"),
        ("/file_complaint", 1.0, "form"),
    ],
)
def test_complaint_decision_by_table(text: str, confidence: float, expected: str) -> None:
    assert complaint_decision(text, "file_complaint", confidence) == expected


@pytest.fixture
def helpdesk() -> Iterator[FakeHelpdesk]:
    with fake_helpdesk() as fake:
        yield fake


def test_a_lost_document_is_answered_as_a_question(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("GET", "/api/v1/services/ktp_el", SERVICE)
    tracker = make_tracker("KTP saya hilang kemarin", "file_complaint", {"service": "ktp_el"})
    events, messages = run_action(ActionFileComplaint(), tracker)
    assert events == [SlotSet("service", "ktp_el"), SlotSet("question", "ask_requirements")]
    assert messages[0]["text"].startswith("Persyaratan KTP Elektronik")
    assert all("complaint-form" not in path for path in helpdesk.paths())


def test_an_unsure_message_asks_before_the_form(helpdesk: FakeHelpdesk) -> None:
    prompt = {"text": "Anda ingin membuat pengaduan?", "buttons": [{"title": "Ya"}]}
    helpdesk.on("POST", FORM, {"messages": [prompt]})
    tracker = make_tracker("gimana?", "file_complaint")
    events, messages = run_action(ActionFileComplaint(), tracker)
    assert events == []
    assert helpdesk.last_json() == {"confirm": True}
    assert [m["text"] for m in messages] == ["Anda ingin membuat pengaduan?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("itu ada pungutannya ga min?", "ask_fee"),
        ("kapan jadinya?", "ask_duration"),
        ("berkasnya apa?", "ask_requirements"),
        ("kantornya dimana?", "ask_location_hours"),
        ("cek status permohonan saya kapan jadinya", None),
        ("halo", None),
    ],
)
def test_question_in_by_table(text: str, expected: str | None) -> None:
    assert question_in(text) == expected


@pytest.mark.parametrize(
    ("text", "answered", "read", "expected"),
    [
        # the case without a question of its own: the question answered last
        (
            "kalau untuk anak yang sudah umur 8 tahun?",
            "ask_requirements",
            "ask_eligibility",
            "ask_requirements",
        ),
        ("kalau KK?", "ask_fee", "ask_requirements", "ask_fee"),
        ("nek kanggo lansia?", "ask_procedure", "ask_eligibility", "ask_procedure"),
        ("what about for a child?", "ask_duration", "ask_eligibility", "ask_duration"),
        # its own keywords ask another question
        ("kalau telat bayar gimana?", "ask_requirements", "ask_requirements", "ask_fee"),
        # several: the NLU's reading when it is one of them
        ("kalau syarat dan biayanya?", "ask_procedure", "ask_fee", "ask_fee"),
        ("kalau syarat dan biayanya?", "ask_procedure", "greet", "ask_fee"),
        # not a follow-up, or nothing answered yet: the NLU decides
        ("untuk anak umur 8 tahun bisa?", "ask_requirements", "ask_eligibility", None),
        ("what is the fee?", "ask_requirements", "ask_fee", None),
        ("kalau untuk anak?", None, "ask_eligibility", None),
        ("kalau mau cek status permohonan?", "ask_fee", "check_status", None),
    ],
)
def test_follow_up_question_by_table(
    text: str, answered: str | None, read: str, expected: str | None
) -> None:
    assert follow_up_question(text, answered, read) == expected


def test_a_fee_question_taken_for_a_complaint_is_answered_in_a_service_talk(
    helpdesk: FakeHelpdesk,
) -> None:
    helpdesk.on("GET", "/api/v1/services/ktp_el", SERVICE)
    slots = {"service": "ktp_el", "question": "ask_requirements"}
    tracker = make_tracker("itu ada pungutannya ga min?", "file_complaint", slots=slots)
    events, messages = run_action(ActionFileComplaint(), tracker)
    assert events == [SlotSet("service", "ktp_el"), SlotSet("question", "ask_fee")]
    assert all("complaint-form" not in path for path in helpdesk.paths())


def test_a_duration_question_taken_for_a_status_lookup_is_answered_in_a_service_talk(
    helpdesk: FakeHelpdesk,
) -> None:
    helpdesk.on("GET", "/api/v1/services/ktp_el", SERVICE)
    slots = {"service": "ktp_el", "question": "ask_fee"}
    tracker = make_tracker("kapan jadinya?", "check_status", slots=slots)
    events, messages = run_action(ActionCheckStatus(), tracker)
    assert events == [SlotSet("service", "ktp_el"), SlotSet("question", "ask_duration")]
    # without a service talk it is a status lookup that asks for the number
    events, messages = run_action(
        ActionCheckStatus(), make_tracker("kapan jadinya?", "check_status")
    )
    assert events == [] and "nomor permohonan" in messages[0]["text"]
