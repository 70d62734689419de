"""action_service_info and action_list_services against a fake helpdesk."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from rasa_sdk.events import SlotSet

from actions.catalog import ActionListServices, ActionServiceInfo
from actions.formatting import ASK_INTENTS, format_service_answer
from actions.i18n import t
from tests.unit.actions_fixtures import (
    LANGUAGES,
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
HELPDESK_BUSY = t("helpdesk_busy", "id")


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
    assert events == [SlotSet("service", "ktp_el"), SlotSet("question", intent)]
    assert helpdesk.paths() == [f"GET {LIST_PATH}?lang=id", f"GET {SERVICE_PATH}?lang=id"]
    # one message with its buttons: the engine's REST channel splits a text-only message at
    # every blank line, so the answer travels with the offer's buttons
    (answer,) = messages
    offer = "Ada lagi yang ingin Anda ketahui tentang KTP Elektronik (KTP-el)?"
    assert answer["text"] == f"{format_service_answer(intent, SERVICE)}\n\n{offer}"
    payloads = [b["payload"] for b in answer["buttons"]]
    assert len(payloads) == len(ASK_INTENTS) - 1
    assert f'/{intent}{{"service":"ktp_el"}}' not in payloads


@pytest.mark.parametrize("intent", ASK_INTENTS)
def test_without_a_service_asks_which_one_with_buttons(helpdesk: FakeHelpdesk, intent: str) -> None:
    events, messages = run_action(ActionServiceInfo(), make_tracker("berapa biayanya", intent))
    assert events == []
    assert helpdesk.paths() == [f"GET {LIST_PATH}?lang=id"] * 2  # names, then the choices
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
    assert messages[0]["text"].startswith(format_service_answer("ask_fee", SERVICE) + "\n\n")


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


def test_a_word_wrongly_tagged_as_a_service_keeps_the_conversation_service(
    helpdesk: FakeHelpdesk,
) -> None:
    """Issue 17: "syaratnya yang harus disiapkan apa?" in a talk about KTP (the NLU tagged
    "syaratnya"; without the resolver nothing says it is no service) answers for KTP."""
    helpdesk.on("GET", "/api/v1/services/syaratnya", error_body("service_not_found"), status=404)
    slots = {"service": "ktp_el", "question": "ask_fee"}
    tracker = make_tracker(
        "syaratnya yang harus disiapkan apa?", "ask_requirements", {"service": "syaratnya"}, slots
    )
    events, messages = run_action(ActionServiceInfo(), tracker)
    assert events == [SlotSet("service", "ktp_el"), SlotSet("question", "ask_requirements")]
    assert messages[0]["text"].startswith(
        format_service_answer("ask_requirements", SERVICE) + "\n\n"
    )


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


# --- every action answers in the conversation's language ------------------------------

FOLLOW_UP = {
    "id": "Ada lagi yang ingin Anda ketahui tentang KTP Elektronik (KTP-el)?",
    "jv": "Wonten malih ingkang panjenengan kersakaken pirsa babagan KTP Elektronik (KTP-el)?",
    "su": "Aya deui anu palay diuninga ngeunaan KTP Elektronik (KTP-el)?",
    "en": "Is there anything else you would like to know about the KTP Elektronik (KTP-el)?",
}
FEE_HEADING = {
    "id": "Biaya KTP Elektronik (KTP-el): Gratis.",
    "jv": "Wragad KTP Elektronik (KTP-el): Gratis.",
    "su": "Waragad KTP Elektronik (KTP-el): Gratis.",
    "en": "Fee for the KTP Elektronik (KTP-el): free.",
}
ASK_WHICH = {
    "id": "Layanan apa yang Anda maksud?",
    "jv": "Layanan punapa ingkang panjenengan karsakaken?",
    "su": "Layanan naon anu dimaksad ku Sadérék?",
    "en": "Which service do you mean?",
}
UNKNOWN = {
    "id": "belum ada di katalog kami",
    "jv": "dereng wonten ing katalog kula",
    "su": "teu acan aya dina katalog kami",
    "en": "not in our catalogue yet",
}
LIST_TITLE = {
    "id": "Layanan yang bisa saya bantu di Kabupaten Contoh:",
    "jv": "Layanan ingkang saged kula biyantu ing Kabupaten Contoh:",
    "su": "Layanan anu tiasa dibantos ku abdi di Kabupaten Contoh:",
    "en": "Services I can help you with in Kabupaten Contoh:",
}
POLICE = {"id": "Kepolisian", "jv": "Kapolisian", "su": "Kapulisian", "en": "Police"}
BUSY = {
    "id": "sistem kami sedang sibuk",
    "jv": "sistem kula saweg repot",
    "su": "sistem kami nuju sibuk",
    "en": "our system is busy",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_answer_in_the_conversation_language(helpdesk: FakeHelpdesk, language: str) -> None:
    tracker = make_tracker("biaya ktp", "ask_fee", {"service": "ktp_el"}, {"language": language})
    events, (answer,) = run_action(ActionServiceInfo(), tracker)
    assert events == [SlotSet("service", "ktp_el"), SlotSet("question", "ask_fee")]
    assert helpdesk.paths() == [
        f"GET {LIST_PATH}?lang={language}",
        f"GET {SERVICE_PATH}?lang={language}",
    ]
    assert answer["text"].startswith(FEE_HEADING[language])
    fee = format_service_answer("ask_fee", SERVICE, language)
    assert answer["text"] == f"{fee}\n\n{FOLLOW_UP[language]}"
    titles = {b["title"] for b in answer["buttons"]}
    assert titles == {t(f"intent.{i}", language) for i in ASK_INTENTS if i != "ask_fee"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_asks_which_service_in_the_conversation_language(
    helpdesk: FakeHelpdesk, language: str
) -> None:
    tracker = make_tracker("syaratnya?", "ask_requirements", slots={"language": language})
    _, (message,) = run_action(ActionServiceInfo(), tracker)
    assert helpdesk.paths() == [f"GET {LIST_PATH}?lang={language}"] * 2  # names, then choices
    assert message["text"] == ASK_WHICH[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_service_and_busy_in_the_conversation_language(
    helpdesk: FakeHelpdesk, language: str
) -> None:
    helpdesk.on("GET", "/api/v1/services/sim", error_body("service_not_found"), status=404)
    slots = {"language": language}
    tracker = make_tracker("syarat sim", "ask_requirements", {"service": "sim"}, slots)
    _, (message,) = run_action(ActionServiceInfo(), tracker)
    assert UNKNOWN[language] in message["text"]
    assert message["buttons"][0]["title"] == t("catalog.show_list", language)
    helpdesk.fail("GET", SERVICE_PATH, httpx.ConnectError("refused"))
    tracker = make_tracker("syarat ktp", "ask_requirements", {"service": "ktp_el"}, slots)
    _, messages = run_action(ActionServiceInfo(), tracker)
    assert BUSY[language] in texts(messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_services_in_the_conversation_language(helpdesk: FakeHelpdesk, language: str) -> None:
    tracker = make_tracker("layanan apa saja", "list_services", slots={"language": language})
    _, (message,) = run_action(ActionListServices(), tracker)
    assert helpdesk.paths() == [f"GET {LIST_PATH}?lang={language}"]
    lines = message["text"].splitlines()
    assert lines[0] == LIST_TITLE[language]
    assert lines[2] == POLICE[language]
    assert lines[-1] == t("catalog.list_footer", language)


def test_unknown_slot_language_falls_back_to_indonesian(helpdesk: FakeHelpdesk) -> None:
    tracker = make_tracker("biaya ktp", "ask_fee", {"service": "ktp_el"}, {"language": "fr"})
    _, (answer,) = run_action(ActionServiceInfo(), tracker)
    assert helpdesk.paths() == [f"GET {LIST_PATH}?lang=id", f"GET {SERVICE_PATH}?lang=id"]
    assert answer["text"].endswith("\n\n" + FOLLOW_UP["id"])


def test_a_follow_up_keeps_the_question_answered_last_whatever_the_nlu_read(
    helpdesk: FakeHelpdesk,
) -> None:
    """Issue 17: "kalau untuk anak ...?" after the requirements asks the requirements again
    (the NLU read eligibility); "kalau ... bayar gimana?" asks the fee by its own word."""
    slots = {"service": "ktp_el", "question": "ask_requirements"}
    tracker = make_tracker(
        "kalau untuk anak yang sudah umur 8 tahun?", "ask_eligibility", slots=slots
    )
    events, messages = run_action(ActionServiceInfo(), tracker)
    assert SlotSet("question", "ask_requirements") in events
    assert messages[0]["text"].startswith("Persyaratan KTP Elektronik")
    tracker = make_tracker("kalau telat bayar gimana?", "ask_requirements", slots=slots)
    events, messages = run_action(ActionServiceInfo(), tracker)
    assert SlotSet("question", "ask_fee") in events
    assert messages[0]["text"].startswith(format_service_answer("ask_fee", SERVICE) + "\n\n")
