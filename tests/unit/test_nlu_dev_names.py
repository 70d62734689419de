"""The names dev set (tests/nlu_dev/names.tsv) stays evaluation-only and well-formed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from helpdesk.catalog import Catalog
from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.text.resolver import normalize
from scripts.eval_resolver import KINDS, read_set

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(default_catalog_dir())


def _training_texts() -> set[str]:
    """Every intent example in data/nlu, normalised, entity markup removed (synonym lists
    map entity values and are not utterances: a bare "imb" there is not an example)."""
    texts: set[str] = set()
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if isinstance(item, dict) and "intent" in item:
                for line in str(item.get("examples") or "").splitlines():
                    example = re.sub(
                        r"\]\([^)]*\)|\]\{[^}]*\}", "", line.strip().removeprefix("- ")
                    )
                    texts.add(normalize(example.replace("[", "")))
    return texts


def test_no_dev_text_is_training_data() -> None:
    training = _training_texts()
    leaked = [row["text"] for row in read_set() if normalize(row["text"]) in training]
    assert leaked == []


def test_rows_are_well_formed(catalog: Catalog) -> None:
    rows = read_set()
    assert len(rows) >= 60
    for row in rows:
        assert row["kind"] in KINDS and row["language"] in ("id", "jv", "su", "en")
        assert row["source"], row
        expected = row["expected"]
        if expected.startswith("elsewhere:"):
            assert expected.removeprefix("elsewhere:") in catalog.elsewhere
        elif expected != "none":
            assert expected in catalog.services
