"""Snapshot the project's own Javanese (krama), Sundanese (lemes) and Indonesian text.

Writes `helpdesk/text/language/corpus/project_<lang>.txt` (one text per line) from what the
project itself says and understands in those languages: the catalog translations
(`data/catalog/i18n/<lang>/`), the actions' and router's messages, the bot's responses
(`bot/domain.yml`) and the NLU examples (`data/nlu/<lang>/`, without the code-mixed and
language-switch files). For Indonesian, the same administrative text (the catalog's
`services/`, messages and responses; not the NLU examples, which the evaluation uses)
so that official terms kept untranslated in the jv/su texts ("pajak", "penerbitan")
are not taken for Javanese or Sundanese evidence.

Run it by hand when those texts change a lot, then `make profiles`; the profile build
reads only the committed snapshot, so other edits never make the shipped profiles stale.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("jv", "su", "id")
SKIPPED_NLU = {"language.yml", "mixed.yml"}
TRANSLATED = set(
    "name summary who eligibility requirements procedure fee duration validity online"
    " regional_note notes agency legal_basis".split()
)
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_ENTITY = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")


def strings(value: Any) -> Iterator[str]:
    """Every string inside a YAML value, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def python_dict_strings(path: Path, lang: str | None) -> Iterator[str]:
    """String constants of a module's dict literals (only the `lang` keys when given)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if lang is not None and not (isinstance(key, ast.Constant) and key.value == lang):
                continue
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                yield value.value


def domain_texts(lang: str) -> Iterator[str]:
    """Response texts for `lang` (for "id": the variants without a language condition)."""
    domain = yaml.safe_load((REPO / "bot" / "domain.yml").read_text(encoding="utf-8"))
    for variants in (domain.get("responses") or {}).values():
        for variant in variants:
            conditions = variant.get("condition") or []
            values = {c.get("value") for c in conditions if c.get("name") == "language"}
            if lang in values or (lang == "id" and not values):
                yield str(variant.get("text", ""))


def nlu_texts(lang: str) -> Iterator[str]:
    for path in sorted((REPO / "data" / "nlu" / lang).glob("*.yml")):
        if path.name in SKIPPED_NLU:
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    yield _ENTITY.sub(r"\1", line.strip()[2:])


def collect(lang: str) -> list[str]:
    texts: list[str] = []
    catalog = REPO / "data" / "catalog"
    folder = catalog / "services" if lang == "id" else catalog / "i18n" / lang
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if lang == "id":  # only the texts a translation carries (no codes, tags, aliases)
            data = {k: v for k, v in data.items() if k in TRANSLATED}
        texts += strings(data)
    texts += python_dict_strings(REPO / "actions" / f"messages_{lang}.py", None)
    texts += python_dict_strings(REPO / "helpdesk" / "conversation" / "messages.py", lang)
    texts += domain_texts(lang)
    if lang != "id":
        texts += nlu_texts(lang)
    cleaned = (" ".join(_PLACEHOLDER.sub(" ", t).split()) for t in texts)
    return list(dict.fromkeys(t for t in cleaned if len(t.split()) >= 2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "helpdesk" / "text" / "language" / "corpus"
    )
    args = parser.parse_args(argv)
    for lang in LANGUAGES:
        texts = collect(lang)
        (args.out / f"project_{lang}.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
        print(f"{lang}: {len(texts)} texts, {sum(map(len, texts))} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
