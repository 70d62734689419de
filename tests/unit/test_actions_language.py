"""action_change_language, and that every action module registers with rasa-sdk."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor

from actions.language import ActionChangeLanguage
from tests.unit.actions_fixtures import make_tracker, run_action


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        ("id", "id", "Baik, kita lanjutkan dalam Bahasa Indonesia."),
        ("jv", "jv", "pilihan Basa Jawa sudah kami catat"),
        ("su", "su", "pilihan Basa Sunda sudah kami catat"),
        ("en", "en", "pilihan English sudah kami catat"),
        ("Bahasa  Jawa", "jv", "pilihan Basa Jawa sudah kami catat"),
        ("inggris", "en", "pilihan English sudah kami catat"),
    ],
)
def test_language_with_entity(value: str, code: str, expected: str) -> None:
    tracker = make_tracker("pakai bahasa", "change_language", {"language": value})
    events, (message,) = run_action(ActionChangeLanguage(), tracker)
    assert events == [SlotSet("language", code)]
    assert expected in message["text"]
    if code != "id":
        assert "menjawab dalam Bahasa Indonesia" in message["text"]
    assert message["buttons"] == []


@pytest.mark.parametrize("entities", [{}, {"language": "fr"}], ids=["none", "unsupported"])
def test_language_without_a_usable_entity_asks(entities: dict[str, str]) -> None:
    tracker = make_tracker("ganti bahasa", "change_language", entities)
    events, (message,) = run_action(ActionChangeLanguage(), tracker)
    assert events == []
    assert message["text"] == "Anda ingin memakai bahasa apa?"
    assert message["buttons"] == [
        {"title": "Bahasa Indonesia", "payload": '/change_language{"language":"id"}'},
        {"title": "Basa Jawa", "payload": '/change_language{"language":"jv"}'},
        {"title": "Basa Sunda", "payload": '/change_language{"language":"su"}'},
        {"title": "English", "payload": '/change_language{"language":"en"}'},
    ]


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
    } <= set(executor.actions)
