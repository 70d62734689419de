"""Resolver accuracy on the names dev set (tests/nlu_dev/names.tsv), before -> after.

"before" is how the project read a service from text before issue 17: `Catalog.find` (a
code, name or alias as whole words, longest first) over the catalog YAML of the given git
revision (default c280cd3, main before the resolver). "after" is `Catalog.resolve` over the
working tree's catalog (names, former names, typo tolerance, elsewhere.yml). Pure: no engine.

    .venv/bin/python scripts/eval_resolver.py [--before REV] [--errors] [--nlu PARSED.jsonl]

`--nlu` adds the bot's view: what the NLU model alone gave as `service` entity (the bot
before the resolver: entity, else nothing) and the resolver with that entity (the bot now).
PARSED.jsonl is `scripts/parse_with_model.py MODEL < texts` output, one line per row.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpdesk.catalog.loader import default_catalog_dir, load_catalog  # noqa: E402

DEV_SET = ROOT / "tests" / "nlu_dev" / "names.tsv"
KINDS = ("old_name", "other_name", "near_miss", "off_topic")


def read_set(path: Path = DEV_SET) -> list[dict[str, str]]:
    """The rows of the dev set (comment lines skipped)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [line for line in lines if not line.startswith("#")]
    names = ["kind", "language", "text", "expected", "source"]
    return [dict(zip(names, row, strict=True)) for row in csv.reader(rows, delimiter="\t")]


def _old_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w/]+|_", " ", text.lower()).split())


def before_finder(revision: str):  # type: ignore[no-untyped-def]
    """The pre-resolver `Catalog.find` over the catalog files of `revision`."""
    archive = subprocess.run(
        ["git", "archive", revision, "data/catalog/services"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    keys: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
        for path in sorted(Path(tmp, "data", "catalog", "services").glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for name in (data["code"], data["name"], *data.get("aliases", [])):
                keys.setdefault(_old_key(name), data["code"])

    def find(text: str) -> str:
        wanted = _old_key(text)
        if wanted in keys:
            return keys[wanted]
        padded = f" {wanted} "
        hits = [(-len(k), padded.find(f" {k} "), c) for k, c in keys.items() if f" {k} " in padded]
        return min(hits)[2] if hits else "none"

    return find


def after_finder():  # type: ignore[no-untyped-def]
    catalog = load_catalog(default_catalog_dir())

    def find(text: str) -> str:
        found = catalog.resolve(text)
        if found.kind == "service":
            return str(found.code)
        if found.kind == "elsewhere":
            return f"elsewhere:{found.code}"
        return "none"

    return find


def nlu_finders(path: Path):  # type: ignore[no-untyped-def]
    """(entity alone, resolver with the entity) from a parse_with_model.py JSONL file."""
    entities: dict[str, str | None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parsed = json.loads(line)
        values = [e["value"] for e in parsed.get("entities") or [] if e.get("entity") == "service"]
        entities[parsed["text"]] = values[0] if values else None
    catalog = load_catalog(default_catalog_dir())

    def entity_only(text: str) -> str:
        value = entities.get(text)
        return value if value in catalog.services else "none"

    def resolver_with_entity(text: str) -> str:
        found = catalog.resolve(text, entity=entities.get(text))
        if found.kind == "service":
            return str(found.code)
        return f"elsewhere:{found.code}" if found.kind == "elsewhere" else "none"

    return entity_only, resolver_with_entity


def score(rows: list[dict[str, str]], find) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    """Per kind: n, accuracy (the expected answer), wrong (a catalog service that is wrong)."""
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        got, expected = find(row["text"]), row["expected"]
        counts = tally[row["kind"]]
        counts["n"] += 1
        counts["right"] += got == expected
        is_service = got != "none" and not got.startswith("elsewhere:")
        counts["wrong_service"] += is_service and got != expected
    return {
        kind: {
            "n": c["n"],
            "accuracy": c["right"] / c["n"],
            "wrong_service": c["wrong_service"] / c["n"],
        }
        for kind, c in tally.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="c280cd3", help="git revision for 'before'")
    parser.add_argument("--errors", action="store_true", help="list the rows 'after' gets wrong")
    parser.add_argument("--nlu", type=Path, help="parse_with_model.py output for the rows")
    args = parser.parse_args(argv)
    rows = read_set()
    if args.nlu:
        entity_only, with_entity = nlu_finders(args.nlu)
        before, after = score(rows, entity_only), score(rows, with_entity)
        print("Bot view: NLU entity alone (before) -> resolver with the NLU entity (after)\n")
    else:
        before, after = score(rows, before_finder(args.before)), score(rows, after_finder())
    print(f"Names dev set: {DEV_SET.relative_to(ROOT)} ({len(rows)} rows)\n")
    print(
        "| kind | n | accuracy before | accuracy after "
        "| wrong service before | wrong service after |"
    )
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        b, a = before.get(kind), after.get(kind)
        if a is None or b is None:
            continue
        print(
            f"| {kind} | {a['n']:.0f} | {b['accuracy']:.2f} | {a['accuracy']:.2f} "
            f"| {b['wrong_service']:.2f} | {a['wrong_service']:.2f} |"
        )
    if args.errors:
        find = after_finder()
        for row in rows:
            got = find(row["text"])
            if got != row["expected"]:
                print(
                    f"- {row['kind']} {row['language']} {row['text']!r}: {got}"
                    f" (want {row['expected']})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
