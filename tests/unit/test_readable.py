"""Issue 17: what the router takes as unreadable (gibberish, emoji only), by table, and
that no training example, held-out or real evaluation message is taken so."""

from __future__ import annotations

import re

import pytest
import yaml

from helpdesk.infra.config import REPO_ROOT
from helpdesk.text.language.readable import is_unreadable

ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@pytest.mark.parametrize(
    ("text", "unreadable"),
    [
        ("qwzx vrrp klomt zuzu", True),
        ("xkcd blorp fnord", True),
        ("😂😂😂", True),
        ("🙏", True),
        ("???", True),
        ("...", True),
        ("asdfgh jkl", True),
        ("syarat KTP", False),
        ("brp biaya skck", False),
        ("matur nuwun", False),
        ("hatur nuhun", False),
        ("passport fee", False),
        ("KTP-2026-000123", False),
        ("0001", False),
        ("p", False),
        ("ok 👍", False),
    ],
)
def test_unreadable_by_table(text: str, unreadable: bool) -> None:
    assert is_unreadable(text) is unreadable


def _examples() -> list[str]:
    texts = []
    paths = sorted((REPO_ROOT / "data" / "nlu").rglob("*.yml"))
    paths += sorted((REPO_ROOT / "tests" / "nlu_heldout").glob("*.yml"))
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.append(ENTITY.sub(r"\1", line.strip()[2:]))
    real = (REPO_ROOT / "tests" / "nlu_real" / "items.tsv").read_text(encoding="utf-8")
    texts += [row.split("\t")[3] for row in real.splitlines() if row and row[0] != "#"]
    return texts


def test_no_training_or_evaluation_message_is_unreadable() -> None:
    """After adding training examples made only of new words, run
    `.venv/bin/python scripts/build_chat_words.py` (helpdesk/text/language/chat_words.txt)."""
    assert [text for text in _examples() if is_unreadable(text)] == []
