"""The self-written held-out sets (tests/nlu_heldout/<lang>.yml) stay out of training."""

from __future__ import annotations

import yaml

from helpdesk.infra.config import REPO_ROOT
from tests.unit.test_nlu_real import normalise, training_texts

HELDOUT = REPO_ROOT / "tests" / "nlu_heldout"


def heldout_texts() -> list[str]:
    texts = []
    for path in sorted(HELDOUT.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.append(line.strip()[2:])
    return texts


def test_every_language_has_a_heldout_set() -> None:
    assert {p.stem for p in HELDOUT.glob("*.yml")} >= {"id", "jv", "su", "en"}
    assert len(heldout_texts()) >= 400


def test_no_heldout_text_is_in_the_training_data() -> None:
    training = training_texts()
    leaked = [text for text in heldout_texts() if normalise(text) in training]
    assert leaked == []
