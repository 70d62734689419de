"""Issue 17's development sets (tests/nlu_dev/) are well-formed and stay out of training."""

from __future__ import annotations

import yaml

from helpdesk.catalog import CONTRACT_SERVICE_CODES
from helpdesk.infra.config import REPO_ROOT
from tests.unit.test_nlu_real import normalise, training_texts

DEV = REPO_ROOT / "tests" / "nlu_dev"
QUESTIONS = (
    "ask_requirements",
    "ask_procedure",
    "ask_fee",
    "ask_duration",
    "ask_location_hours",
    "ask_eligibility",
)


def tsv(name: str) -> list[list[str]]:
    lines = (DEV / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def dev_texts() -> list[str]:
    texts = [row[2] for row in tsv("question_vs_complaint.tsv")]
    texts += [row[3] for row in tsv("fallback.tsv")]
    followups = yaml.safe_load((DEV / "followups.yml").read_text(encoding="utf-8"))
    texts += [turn["say"] for c in followups["conversations"] for turn in c["turns"]]
    digressions = yaml.safe_load((DEV / "digressions.yml").read_text(encoding="utf-8"))
    texts += [case["say"] for case in digressions["cases"]]
    texts += [row[3] for row in tsv("hard_chat.tsv")]
    return texts


def test_no_development_text_is_in_the_training_data() -> None:
    training = training_texts()
    leaked = [text for text in dev_texts() if normalise(text) in training]
    assert leaked == []


def test_hard_chat_messages_are_labelled_and_cited() -> None:
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    rows = tsv("hard_chat.tsv")
    assert len(rows) >= 80
    for language, intent, service, text, source in rows:
        assert language in {"id", "jv", "su", "en"}, text
        assert intent in domain["intents"], intent
        assert not service or service in CONTRACT_SERVICE_CODES, service
        assert text.strip() == text and text, text
        assert source == "written" or source.startswith(("http://", "https://")), source
    assert {row[0] for row in rows} == {"id", "jv", "su", "en"}
    assert len({row[3] for row in rows}) == len(rows)


def test_followup_conversations_are_labelled() -> None:
    data = yaml.safe_load((DEV / "followups.yml").read_text(encoding="utf-8"))
    conversations = data["conversations"]
    assert len(conversations) >= 20
    for conversation in conversations:
        assert conversation["language"] in {"id", "jv", "su", "en"}
        assert conversation["source"] == "written" or conversation["source"].startswith("http")
        assert len(conversation["turns"]) >= 2
        for turn in conversation["turns"]:
            assert turn["service"] in CONTRACT_SERVICE_CODES, turn
            assert turn["question"] in QUESTIONS, turn


def test_digressions_and_single_message_sets_are_labelled() -> None:
    cases = yaml.safe_load((DEV / "digressions.yml").read_text(encoding="utf-8"))["cases"]
    assert {c["form"] for c in cases} == {"complaint", "lookup", "survey"}
    for case in cases:
        assert case["expect"] in {"handoff", "left", "answered"}, case
        assert case["expect"] != "answered" or case["service"] in CONTRACT_SERVICE_CODES
    assert {row[1] for row in tsv("question_vs_complaint.tsv")} == {
        "question",
        "complaint",
        "unsure",
    }
    fallback = tsv("fallback.tsv")
    assert {(row[0], row[1]) for row in fallback} == {
        (split, label) for split in ("tune", "test") for label in ("fallback", "understood")
    }
