"""A small, quick NLU training before and after adding examples (runs in .venv-rasa).

Used by tests/integration/test_nlu_loop.py to show the teach-the-bot loop end to end
without the cost of the full model: trains a tiny NLU pipeline (whitespace tokens, char
n-grams, logistic regression; seconds) on `--base` alone, parses `--text`, trains again on
`--base` plus `--extra` (the inbox export), parses again, and prints one JSON object:
{"before": {"intent", "confidence"}, "after": {...}}.

    .venv-rasa/bin/python scripts/nlu_loop_check.py --base base.yml --extra export.yml \
        --text "minta surat kelakuan baik" --work /tmp/loop
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

CONFIG = """\
recipe: default.v1
language: id
assistant_id: nlu-loop-check
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: CountVectorsFeaturizer
    analyzer: word
  - name: LogisticRegressionClassifier
    random_state: 0
policies: []
"""


def train_and_parse(config: Path, data: list[Path], out: Path, name: str, text: str) -> Any:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    folder = out / f"{name}-data"
    folder.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(data):
        shutil.copy(path, folder / f"{i}-{path.name}")
    model = train_nlu(str(config), str(folder), str(out), fixed_model_name=name)
    if model is None:
        raise SystemExit(f"training {name} produced no model")
    agent = Agent.load(model)
    result = asyncio.run(agent.parse_message(text))
    intent = result.get("intent") or {}
    return {"intent": intent.get("name"), "confidence": float(intent.get("confidence") or 0.0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--extra", type=Path, required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    logging.disable(logging.WARNING)
    args.work.mkdir(parents=True, exist_ok=True)
    config = args.work / "config.yml"
    config.write_text(CONFIG, encoding="utf-8")
    before = train_and_parse(config, [args.base], args.work, "before", args.text)
    after = train_and_parse(config, [args.base, args.extra], args.work, "after", args.text)
    print(json.dumps({"before": before, "after": after}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
