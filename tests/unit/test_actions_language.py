"""action_change_language, the conversation language the actions use, and that every action
module registers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor

from actions.i18n import language_of
from actions.language import ActionChangeLanguage, normalize_language
from helpdesk.infra.config import REPO_ROOT
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


# --- the conversation language the actions answer in ------------------------------------


@pytest.mark.parametrize(
    ("metadata", "slot", "expected"),
    [
        # The router's decision in the latest message's metadata wins.
        ({"language": "en"}, "id", "en"),
        ({"language": "jv", "channel": "webchat"}, None, "jv"),
        # Unusable metadata: the slot (which the engine fills from the same metadata).
        ({"language": "fr"}, "su", "su"),
        ({}, "en", "en"),
        (None, "jv", "jv"),
        ("jv", "su", "su"),
        # Nothing usable at all: Indonesian.
        ({"language": None}, None, "id"),
        ({}, "xx", "id"),
    ],
)
def test_language_of_prefers_the_routers_decision(metadata: Any, slot: Any, expected: str) -> None:
    slots = {"language": slot} if slot is not None else {}
    tracker = make_tracker("halo", "greet", slots=slots)
    tracker.latest_message["metadata"] = metadata
    assert language_of(tracker) == expected


def test_no_action_runs_per_turn_for_the_language() -> None:
    """The slot fills from the `language` entity inside the engine, not by a custom action."""
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    assert domain["slots"]["language"]["mappings"] == [
        {"type": "from_entity", "entity": "language"}
    ]
    assert {"language": {"influence_conversation": False}} in domain["entities"]
    config = yaml.safe_load((REPO_ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    component = "bot.components.conversation_language.ConversationLanguage"
    assert names.index(component) > names.index("EntitySynonymMapper")


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
        "action_apply_service",
    } <= set(executor.actions)
