"""Merge the teach-the-bot export into the training data (`make nlu-review`).

Reads the labelled examples exported by the helpdesk (`GET /api/v1/nlu/export`, from a
file or fetched with a token), drops those the training data already has, masks personal
data once more, and merges the rest into `data/nlu/inbox/reviewed.yml` (one block per
intent, sorted, stable), which the next `make train` reads with the rest of data/nlu.
Review the change with `git diff data/nlu/inbox/` before committing it.

    .venv/bin/python scripts/review_nlu_export.py --file export.yml
    .venv/bin/python scripts/review_nlu_export.py --url http://127.0.0.1:8000 --token $TOKEN
    .venv/bin/python scripts/review_nlu_export.py --file export.yml --dry-run
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from helpdesk.services.nlu_inbox import dump_nlu, known_intents, mask  # noqa: E402

TARGET = REPO / "data" / "nlu" / "inbox" / "reviewed.yml"
HEADER = (
    "# Examples labelled in the teach-the-bot inbox, reviewed into the training data by\n"
    "# scripts/review_nlu_export.py (make nlu-review). Personal data is masked.\n"
)
_ENTITY = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")


def key(example: str) -> str:
    return " ".join(re.findall(r"\w+", _ENTITY.sub(r"\1", example).lower()))


def examples_of(document: dict[str, Any] | None) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for block in (document or {}).get("nlu", []) or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            if line.strip().startswith("- "):
                result.setdefault(str(block["intent"]), []).append(line.strip()[2:])
    return result


def existing_keys(nlu_dir: Path, skip: Path) -> set[str]:
    keys: set[str] = set()
    for path in sorted(nlu_dir.rglob("*.yml")):
        if path.resolve() == skip.resolve():
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for examples in examples_of(document).values():
            keys.update(key(e) for e in examples)
    return keys


def fetch(url: str, token: str) -> str:
    request = urllib.request.Request(
        url.rstrip("/") + "/api/v1/nlu/export", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body: bytes = response.read()
    return body.decode("utf-8")


def merge(export_text: str, nlu_dir: Path, target: Path) -> tuple[dict[str, list[str]], int]:
    """The merged reviewed examples per intent, and how many were new."""
    incoming = examples_of(yaml.safe_load(export_text))
    intents = set(known_intents())
    unknown = sorted(set(incoming) - intents)
    if unknown:
        raise SystemExit(f"unknown intents in the export: {', '.join(unknown)}")
    current = (
        examples_of(yaml.safe_load(target.read_text(encoding="utf-8"))) if target.exists() else {}
    )
    seen = existing_keys(nlu_dir, target) | {key(e) for ex in current.values() for e in ex}
    added = 0
    for intent, examples in incoming.items():
        for example in examples:
            example = mask(example)
            if key(example) in seen or not key(example):
                continue
            seen.add(key(example))
            current.setdefault(intent, []).append(example)
            added += 1
    return current, added


def render(merged: dict[str, list[str]]) -> str:
    return HEADER + dump_nlu({intent: sorted(ex) for intent, ex in merged.items()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", type=Path, help="an export saved from GET /api/v1/nlu/export")
    source.add_argument("--url", help="the helpdesk's base URL (fetch the export with --token)")
    parser.add_argument("--token", help="API token (staff) for --url")
    parser.add_argument("--nlu-dir", type=Path, default=REPO / "data" / "nlu")
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--dry-run", action="store_true", help="show, do not write")
    args = parser.parse_args(argv)
    if args.url and not args.token:
        parser.error("--url needs --token")
    text = args.file.read_text(encoding="utf-8") if args.file else fetch(args.url, args.token)
    merged, added = merge(text, args.nlu_dir, args.target)
    rendered = render(merged)
    if args.dry_run:
        print(rendered)
    else:
        args.target.parent.mkdir(parents=True, exist_ok=True)
        args.target.write_text(rendered, encoding="utf-8")
    print(f"{added} new example(s); {args.target} now holds {sum(map(len, merged.values()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
