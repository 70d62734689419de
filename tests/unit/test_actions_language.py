"""action_change_language, action_detect_language, and that every action module registers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor

from actions.language import ActionChangeLanguage, ActionDetectLanguage, normalize_language
from tests.unit.actions_fixtures import (
    LANGUAGES,
    FakeHelpdesk,
    error_body,
    fake_helpdesk,
    make_tracker,
    run_action,
)

PATH = "/api/v1/conversations/conv-42/language"
CONFIRMATIONS = {
    "id": "Baik, kita lanjutkan dalam Bahasa Indonesia.",
    "jv": "Inggih, salajengipun kula ngladosi panjenengan mawi Basa Jawa.",
    "su": "Mangga, urang lajengkeun nganggo Basa Sunda.",
    "en": "Sure, let's continue in English.",
}
QUESTIONS = {
    "id": "Anda ingin memakai bahasa apa?",
    "jv": "Panjenengan kersa ngginakaken basa punapa?",
    "su": "Sadérék palay nganggo basa naon?",
    "en": "Which language would you like to use?",
}
MENU = [
    {"title": "Bahasa Indonesia", "payload": '/change_language{"language":"id"}'},
    {"title": "Basa Jawa", "payload": '/change_language{"language":"jv"}'},
    {"title": "Basa Sunda", "payload": '/change_language{"language":"su"}'},
    {"title": "English", "payload": '/change_language{"language":"en"}'},
]


def conversation(language: str) -> dict[str, Any]:
    """The helpdesk's answer to the language POST."""
    return {"id": 42, "channel": "webchat", "status": "bot", "language": language}


@pytest.fixture
def helpdesk() -> Iterator[FakeHelpdesk]:
    with fake_helpdesk() as fake:
        fake.on("POST", PATH, conversation("jv"))
        yield fake


# --- action_change_language -----------------------------------------------------------


@pytest.mark.parametrize("current", LANGUAGES)
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("id", "id"),
        ("jv", "jv"),
        ("su", "su"),
        ("en", "en"),
        ("Bahasa  Jawa", "jv"),
        ("sunda", "su"),
        ("inggris", "en"),
    ],
)
def test_named_language_is_set_recorded_and_confirmed_in_it(
    helpdesk: FakeHelpdesk, value: str, code: str, current: str
) -> None:
    slots = {"language": current}
    tracker = make_tracker("pakai bahasa", "change_language", {"language": value}, slots)
    events, (message,) = run_action(ActionChangeLanguage(), tracker)
    assert events == [SlotSet("language", code)]
    assert message["text"] == CONFIRMATIONS[code]  # in the NEW language
    assert message["buttons"] == []
    assert helpdesk.paths() == [f"POST {PATH}"]
    assert helpdesk.last_json() == {"language": code, "explicit": True}


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(500, json=error_body("internal_error")),
        httpx.Response(422, json=error_body("invalid_input")),
        httpx.Response(404, json=error_body("conversation_not_found")),
    ],
    ids=["down", "timeout", "500", "422", "unknown-conversation"],
)
def test_helpdesk_trouble_still_switches_the_language(
    helpdesk: FakeHelpdesk, failure: Exception | httpx.Response, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="actions.language")
    helpdesk.routes[("POST", PATH)] = failure
    tracker = make_tracker("basa sunda", "change_language", {"language": "su"})
    events, (message,) = run_action(ActionChangeLanguage(), tracker)
    assert events == [SlotSet("language", "su")]
    assert message["text"] == CONFIRMATIONS["su"]
    assert "language choice su not recorded" in caplog.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("entities", [{}, {"language": "fr"}], ids=["none", "unsupported"])
def test_without_a_usable_entity_asks_in_the_current_language(
    helpdesk: FakeHelpdesk, entities: dict[str, str], language: str
) -> None:
    tracker = make_tracker("ganti bahasa", "change_language", entities, {"language": language})
    events, (message,) = run_action(ActionChangeLanguage(), tracker)
    assert events == []
    assert message["text"] == QUESTIONS[language]
    assert message["buttons"] == MENU
    assert helpdesk.requests == []


@pytest.mark.parametrize(
    ("value", "code"),
    [("JV", "jv"), (" basa  sunda ", "su"), ("Javanese", "jv"), ("fr", None), (3, None)],
)
def test_normalize_language(value: object, code: str | None) -> None:
    assert normalize_language(value) == code


# --- action_detect_language ------------------------------------------------------------


def detect(
    intent: str | None = "greet",
    entities: dict[str, str] | None = None,
    metadata: dict[str, Any] | None = None,
    slot: Any = None,
) -> list[dict[str, Any]]:
    """Run action_detect_language; it must never send a message."""
    slots = {"language": slot} if slot is not None else {}
    tracker = make_tracker("halo", intent, entities or {}, slots, metadata=metadata)
    events, messages = run_action(ActionDetectLanguage(), tracker)
    assert messages == []
    return events


@pytest.mark.parametrize(
    ("intent", "entities", "metadata", "slot", "expected"),
    [
        # 1. The language the citizen just asked for wins over everything.
        ("change_language", {"language": "su"}, {"language": "jv"}, "en", "su"),
        ("change_language", {"language": "Bahasa Jawa"}, {"language": "id"}, None, "jv"),
        # ... but only a supported one, and only with the change_language intent.
        ("change_language", {"language": "fr"}, {"language": "jv"}, "en", "jv"),
        ("greet", {"language": "su"}, {"language": "jv"}, "en", "jv"),
        # 2. The helpdesk router's decision in the message metadata.
        ("greet", {}, {"language": "en"}, "id", "en"),
        ("ask_fee", {}, {"language": "jv", "channel": "webchat"}, None, "jv"),
        # 3. Unusable metadata: keep the current slot value.
        ("greet", {}, {"language": "fr"}, "su", "su"),
        ("greet", {}, {}, "en", "en"),
        (None, {}, None, "jv", "jv"),
        # 4. Nothing usable at all: Indonesian.
        ("greet", {}, {"language": None}, None, "id"),
        ("greet", {}, {}, "xx", "id"),
    ],
)
def test_detect_language_precedence(
    intent: str | None,
    entities: dict[str, str],
    metadata: dict[str, Any] | None,
    slot: Any,
    expected: str,
) -> None:
    assert detect(intent, entities, metadata, slot) == [SlotSet("language", expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nuwun sewu, kados pundi syaratipun ndamel KTP enggal?", "jv"),
        ("Punten, kumaha carana ngadamel kartu kulawarga anu énggal?", "su"),
        ("How do I apply for a new family card and what do I need?", "en"),
        ("Apa saja syarat membuat akta kelahiran untuk anak saya?", "id"),
    ],
)
def test_without_the_router_the_shared_detector_decides(text: str, expected: str) -> None:
    """Messages that did not pass the helpdesk router (rasa shell, other channels)."""
    tracker = make_tracker(text, "ask_requirements", slots={"language": "id"})
    events, _ = run_action(ActionDetectLanguage(), tracker)
    assert events == [SlotSet("language", expected)]


def test_detect_language_tolerates_metadata_that_is_not_a_mapping() -> None:
    tracker = make_tracker("halo", "greet", slots={"language": "su"})
    tracker.latest_message["metadata"] = "jv"
    events, _ = run_action(ActionDetectLanguage(), tracker)
    assert events == [SlotSet("language", "su")]


def test_detect_language_touches_no_helpdesk() -> None:
    with fake_helpdesk() as fake:
        detect("change_language", {"language": "en"})
        assert fake.requests == []


def test_action_server_registers_every_action() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    assert {
        "action_service_info",
        "action_list_services",
        "action_check_status",
        "action_request_human",
        "action_file_complaint",
        "action_change_language",
        "action_detect_language",
        "action_apply_service",
    } <= set(executor.actions)
