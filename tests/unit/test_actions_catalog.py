"""action_service_info and action_list_services against a fake helpdesk."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rasa_sdk.events import SlotSet

from actions.catalog import ActionListServices, ActionServiceInfo
from actions.formatting import ASK_INTENTS, HELPDESK_BUSY, format_service_answer
from tests.unit.actions_fixtures import (
    SERVICE,
    SERVICE_LIST,
    FakeHelpdesk,
    error_body,
    fake_helpdesk,
    make_tracker,
    run_action,
    texts,
    user_event,
)

SERVICE_PATH = "/api/v1/services/ktp_el"
LIST_PATH = "/api/v1/services"


@pytest.fixture
def helpdesk() -> Iterator[FakeHelpdesk]:
    with fake_helpdesk() as fake:
        fake.on("GET", SERVICE_PATH, SERVICE)
        fake.on("GET", LIST_PATH, SERVICE_LIST)
        yield fake


@pytest.mark.parametrize("intent", ASK_INTENTS)
@pytest.mark.parametrize(
    ("entities", "slots"),
    [
        ({"service": "ktp_el"}, {}),
        ({}, {"service": "ktp_el"}),
        ({"service": "ktp_el"}, {"service": "kartu_keluarga"}),  # the entity wins
        ({"service": "KTP-el"}, {}),  # normalised to the catalog code
    ],
    ids=["entity", "slot", "entity-over-slot", "unnormalised-entity"],
)
def test_answers_each_intent_for_the_service(
    helpdesk: FakeHelpdesk, intent: str, entities: dict[str, str], slots: dict[str, str]
) -> None:
    tracker = make_tracker("tanya ktp", intent, entities, slots)
    events, messages = run_action(ActionServiceInfo(), tracker)
    assert events == [SlotSet("service", "ktp_el")]
    assert helpdesk.paths() == [f"GET {SERVICE_PATH}"]
    answer, offer = messages
    assert answer["text"] == format_service_answer(intent, SERVICE)
    assert answer["buttons"] == []
    assert offer["text"] == "Ada lagi yang ingin Anda ketahui tentang KTP Elektronik (KTP-el)?"
    payloads = [b["payload"] for b in offer["buttons"]]
    assert len(payloads) == 4
    assert f'/{intent}{{"service":"ktp_el"}}' not in payloads


@pytest.mark.parametrize("intent", ASK_INTENTS)
def test_without_a_service_asks_which_one_with_buttons(helpdesk: FakeHelpdesk, intent: str) -> None:
    events, messages = run_action(ActionServiceInfo(), make_tracker("berapa biayanya", intent))
    assert events == []
    assert helpdesk.paths() == [f"GET {LIST_PATH}"]
    (message,) = messages
    assert message["text"] == "Layanan apa yang Anda maksud?"
    assert message["buttons"] == [  # the common services first, in the catalog's names
        {"title": "KTP-el", "payload": f'/{intent}{{"service":"ktp_el"}}'},
        {"title": "Kartu Keluarga", "payload": f'/{intent}{{"service":"kartu_keluarga"}}'},
        {"title": "SKCK", "payload": f'/{intent}{{"service":"skck"}}'},
        {"title": "NIB", "payload": f'/{intent}{{"service":"nib"}}'},
    ]


def test_many_services_offer_the_full_list(helpdesk: FakeHelpdesk) -> None:
    items = [
        {"code": f"svc_{n}", "name": f"Layanan {n}", "category": "lain", "summary": ""}
        for n in range(9)
    ]
    helpdesk.on("GET", LIST_PATH, {"region": "X", "items": items})
    _, (message,) = run_action(ActionServiceInfo(), make_tracker("syaratnya?", "ask_fee"))
    assert len(message["buttons"]) == 7
    assert message["buttons"][-1] == {"title": "Layanan lainnya", "payload": "/list_services"}


def test_without_a_service_and_helpdesk_down_still_asks(helpdesk: FakeHelpdesk) -> None:
    helpdesk.fail("GET", LIST_PATH, httpx.ConnectError("refused"))
    events, (message,) = run_action(ActionServiceInfo(), make_tracker("syarat?", "ask_fee"))
    assert events == []
    assert message["text"].startswith("Layanan apa yang Anda maksud?\nKetik nama layanannya")
    assert message["buttons"] == []


def test_intent_comes_from_the_latest_ask_message(helpdesk: FakeHelpdesk) -> None:
    tracker = make_tracker(
        "yang KTP",
        "inform",
        {"service": "ktp_el"},
        earlier=[user_event("biayanya berapa", "ask_fee")],
    )
    _, messages = run_action(ActionServiceInfo(), tracker)
    assert messages[0]["text"] == format_service_answer("ask_fee", SERVICE)


def test_no_ask_intent_anywhere_defaults_to_requirements(helpdesk: FakeHelpdesk) -> None:
    tracker = make_tracker("/ask_x", None, {"service": "ktp_el"})
    _, messages = run_action(ActionServiceInfo(), tracker)
    assert messages[0]["text"].startswith("Persyaratan KTP Elektronik")


def test_unknown_service_is_politely_refused(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("GET", "/api/v1/services/sim", error_body("service_not_found"), status=404)
    tracker = make_tracker("syarat sim", "ask_requirements", {"service": "sim"})
    events, (message,) = run_action(ActionServiceInfo(), tracker)
    assert events == [SlotSet("service", None)]
    assert "belum ada di katalog" in message["text"]
    assert message["buttons"] == [{"title": "Lihat daftar layanan", "payload": "/list_services"}]


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(500, json=error_body("internal_error")),
        httpx.Response(401, json=error_body("unauthorized")),
    ],
    ids=["down", "timeout", "500", "401"],
)
def test_helpdesk_trouble_gives_the_busy_reply(
    helpdesk: FakeHelpdesk, failure: Exception | httpx.Response
) -> None:
    helpdesk.routes[("GET", SERVICE_PATH)] = failure
    tracker = make_tracker("syarat ktp", "ask_requirements", {"service": "ktp_el"})
    events, messages = run_action(ActionServiceInfo(), tracker)
    assert events == []
    assert texts(messages) == HELPDESK_BUSY


def test_list_services_grouped_by_category(helpdesk: FakeHelpdesk) -> None:
    events, (message,) = run_action(
        ActionListServices(), make_tracker("layanan apa saja", "list_services")
    )
    assert events == []
    assert message["text"].splitlines() == [
        "Layanan yang bisa saya bantu di Kabupaten Contoh:",
        "",
        "Kepolisian",
        "• SKCK",
        "",
        "Kependudukan",
        "• KTP-el",
        "• Kartu Keluarga",
        "",
        "Perizinan usaha",
        "• NIB",
        "",
        "Pilih layanan untuk melihat persyaratannya, atau tanyakan langsung.",
    ]
    assert message["buttons"] == [
        {"title": "SKCK", "payload": '/ask_requirements{"service":"skck"}'},
        {"title": "KTP-el", "payload": '/ask_requirements{"service":"ktp_el"}'},
        {"title": "Kartu Keluarga", "payload": '/ask_requirements{"service":"kartu_keluarga"}'},
        {"title": "NIB", "payload": '/ask_requirements{"service":"nib"}'},
    ]


def test_list_services_empty_and_down(helpdesk: FakeHelpdesk) -> None:
    helpdesk.on("GET", LIST_PATH, {"region": "X", "items": []})
    _, messages = run_action(ActionListServices(), make_tracker("daftar", "list_services"))
    assert texts(messages) == "Maaf, daftar layanan belum tersedia saat ini."
    helpdesk.fail("GET", LIST_PATH, httpx.ConnectError("refused"))
    _, messages = run_action(ActionListServices(), make_tracker("daftar", "list_services"))
    assert texts(messages) == HELPDESK_BUSY
