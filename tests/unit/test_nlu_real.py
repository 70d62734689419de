"""The real-question evaluation set (tests/nlu_real/items.tsv) stays out of training."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from helpdesk.catalog import CONTRACT_SERVICE_CODES
from helpdesk.infra.config import REPO_ROOT

ITEMS = REPO_ROOT / "tests" / "nlu_real" / "items.tsv"
ENTITY = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")


def normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", ENTITY.sub(r"\1", text).lower()))


def items() -> list[list[str]]:
    lines = ITEMS.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def training_texts() -> set[str]:
    texts = set()
    for path in sorted((REPO_ROOT / "data" / "nlu").rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.add(normalise(line.strip()[2:]))
    return texts


def test_every_item_is_labelled_and_cited() -> None:
    domain = yaml.safe_load((REPO_ROOT / "bot" / "domain.yml").read_text(encoding="utf-8"))
    rows = items()
    assert len(rows) >= 40
    for language, intent, service, text, url in rows:
        assert language in {"id", "jv", "su", "en"}
        assert intent in domain["intents"], intent
        assert not service or service in CONTRACT_SERVICE_CODES, service
        assert text.strip()
        assert url.startswith(("http://", "https://")), url


def test_no_evaluation_item_is_in_the_training_data() -> None:
    training = training_texts()
    leaked = [text for *_, text, _url in items() if normalise(text) in training]
    assert leaked == []


def test_the_check_catches_a_leak(tmp_path: Path) -> None:
    """The normalisation above sees through entity markup, case and punctuation."""
    text = items()[0][3]
    marked = ENTITY.sub(r"\1", f"[{text.split()[0]}](service) " + " ".join(text.split()[1:]))
    assert normalise(marked.upper() + " ?") == normalise(text)
