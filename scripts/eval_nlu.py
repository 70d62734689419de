"""Evaluate the NLU model on the held-out sets; write docs/measurements/nlu.md.

Two kinds of held-out set, reported side by side:
- self-written: `tests/nlu_heldout/<lang>.yml`, written with the training data (same
  authors, same habits), never trained on;
- real: `tests/nlu_real/items.tsv`, questions and complaints quoted from public pages
  (agency FAQs, complaint pages, news, forums; URL per item), never trained on
  (tests/unit/test_nlu_real.py checks that none is in data/nlu).

Runs `rasa test nlu` (from .venv-rasa) once per held-out language file and once for the
real set against the newest model in models/ (or --model), keeps Rasa's reports in
docs/measurements/nlu/<lang>/ and docs/measurements/nlu/real/, and summarises intent accuracy,
intent macro F1 and entity F1, with the misclassified examples. Plain Python: runs from the
project's .venv, which has no Rasa.

    .venv/bin/python scripts/eval_nlu.py
    .venv/bin/python scripts/eval_nlu.py --model /tmp/models/x.tar.gz --lang jv --lang su
    .venv/bin/python scripts/eval_nlu.py --check   # exit 1 when a language misses its target
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
HELDOUT = ROOT / "tests" / "nlu_heldout"
REAL_ITEMS = ROOT / "tests" / "nlu_real" / "items.tsv"
REAL_TARGET = 0.80
LANGUAGES = ("id", "jv", "su", "en")
# Minimum held-out intent accuracy per language.
TARGETS = {"id": 0.92, "jv": 0.88, "su": 0.88, "en": 0.88}
ENTITIES = ("service", "tracking_number", "language")
ENTITY_REPORT = "DIETClassifier_report.json"
REGEX_REPORT = "RegexEntityExtractor_report.json"


@dataclass
class LanguageResult:
    lang: str
    examples: int
    accuracy: float
    macro_f1: float
    entity_f1: float | None
    per_entity_f1: dict[str, float | None]
    regex_tracking_f1: float | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def target(self) -> float:
        return TARGETS.get(self.lang, 0.0)

    @property
    def meets_target(self) -> bool:
        return self.accuracy >= self.target


def newest_model(models_dir: Path) -> Path:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        sys.exit(f"no model in {models_dir}; run `make train` or pass --model")
    return models[-1]


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def f1(report: dict[str, Any] | None, label: str) -> float | None:
    if not report or label not in report:
        return None
    return float(report[label]["f1-score"])


def run_rasa(model: Path, lang: str, out_dir: Path, nlu: Path | None = None) -> float:
    """`rasa test nlu` on one language (or the file `nlu`); returns the wall time in seconds."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(RASA),
        "test",
        "nlu",
        "--model",
        str(model),
        "--nlu",
        str(nlu or HELDOUT / f"{lang}.yml"),
        "--out",
        str(out_dir),
        "--successes",
    ]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    print(f">> {lang}: {' '.join(cmd)}", flush=True)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        sys.exit(f"rasa test nlu failed for {lang} (exit {proc.returncode})")
    return time.monotonic() - start


def collect(lang: str, out_dir: Path, seconds: float) -> LanguageResult:
    intents = read_json(out_dir / "intent_report.json")
    if not intents:
        sys.exit(f"{out_dir}/intent_report.json missing: did rasa test nlu run?")
    entities = read_json(out_dir / ENTITY_REPORT)
    regex = read_json(out_dir / REGEX_REPORT)
    errors = read_json(out_dir / "intent_errors.json") or []
    return LanguageResult(
        lang=lang,
        examples=int(intents["macro avg"]["support"]),
        accuracy=float(intents["accuracy"]),
        macro_f1=float(intents["macro avg"]["f1-score"]),
        entity_f1=f1(entities, "micro avg"),
        per_entity_f1={name: f1(entities, name) for name in ENTITIES},
        regex_tracking_f1=f1(regex, "tracking_number"),
        errors=errors,
        seconds=seconds,
    )


@dataclass
class RealItem:
    language: str
    intent: str
    service: str
    text: str
    url: str


def real_items(path: Path = REAL_ITEMS) -> list[RealItem]:
    rows = path.read_text(encoding="utf-8").splitlines()
    return [RealItem(*r.split("\t")) for r in rows if r.strip() and not r.startswith("#")]


def write_real_nlu(items: list[RealItem], path: Path) -> None:
    """The real items as Rasa NLU YAML (intents only; the items carry no entity markup)."""
    by_intent: dict[str, list[str]] = {}
    for item in items:
        by_intent.setdefault(item.intent, []).append(item.text)
    blocks = [
        {"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
        for intent, texts in sorted(by_intent.items())
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )


@dataclass
class RealResult:
    per_language: dict[str, tuple[int, int]]  # language -> (right, total)
    errors: list[tuple[RealItem, str, float]]
    seconds: float

    @property
    def accuracy(self) -> float:
        right = sum(r for r, _ in self.per_language.values())
        total = sum(t for _, t in self.per_language.values())
        return right / total if total else 0.0


def collect_real(items: list[RealItem], out_dir: Path, seconds: float) -> RealResult:
    errors = read_json(out_dir / "intent_errors.json") or []
    predicted = {
        str(e.get("text")): (
            str((e.get("intent_prediction") or {}).get("name")),
            float((e.get("intent_prediction") or {}).get("confidence") or 0.0),
        )
        for e in errors
    }
    per_language: dict[str, tuple[int, int]] = {}
    wrong: list[tuple[RealItem, str, float]] = []
    for item in items:
        right, total = per_language.get(item.language, (0, 0))
        miss = predicted.get(item.text)
        per_language[item.language] = (right + (miss is None), total + 1)
        if miss is not None:
            wrong.append((item, *miss))
    return RealResult(per_language, wrong, seconds)


def render_real(real: RealResult) -> list[str]:
    lines = [
        "## Real questions from public sources (held out)",
        "",
        "Questions and complaints quoted from agency FAQ pages, public complaint pages, news "
        "and forums (`tests/nlu_real/items.tsv`, one URL per item), labelled by hand, never "
        f"trained on. Target: intent accuracy >= {REAL_TARGET:.2f}.",
        "",
        "| language | examples | intent accuracy |",
        "|---|---:|---:|",
    ]
    for lang, (right, total) in sorted(real.per_language.items()):
        lines.append(f"| {lang} | {total} | {right / total:.3f} |")
    total = sum(t for _, t in real.per_language.values())
    mark = "✅" if real.accuracy >= REAL_TARGET else "❌"
    lines += [f"| **all** | {total} | {real.accuracy:.3f} {mark} |", ""]
    if real.errors:
        lines += ["| text | expected | predicted | confidence | source |", "|---|---|---|---:|---|"]
        for item, name, confidence in real.errors:
            text = item.text.replace("|", "\\|")
            lines.append(f"| {text} | {item.intent} | {name} | {confidence:.2f} | <{item.url}> |")
        lines.append("")
    return lines


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def render(model: Path, results: list[LanguageResult], real: RealResult | None = None) -> str:
    lines = [
        "# NLU held-out evaluation",
        "",
        f"Model: `{model.name}`. Generated by `scripts/eval_nlu.py`; Rasa's own reports are "
        "in `docs/measurements/nlu/<lang>/` and `docs/measurements/nlu/real/`.",
        "",
        *(render_real(real) if real else []),
        "## Self-written held-out sets",
        "",
        "`tests/nlu_heldout/<lang>.yml`: written by the project alongside the training data, "
        "never in it.",
        "",
        "Entity F1 is DIET's micro average over `service`, `tracking_number` and `language`; "
        "`tracking_number` is also extracted by the regex (last column), which fills the slot.",
        "",
        "| language | examples | intent accuracy | target | intent macro F1 | entity F1 "
        "| service F1 | tracking_number F1 | language F1 | tracking_number F1 (regex) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        mark = "✅" if r.meets_target else "❌"
        lines.append(
            f"| {r.lang} | {r.examples} | {r.accuracy:.3f} {mark} | {r.target:.2f} "
            f"| {r.macro_f1:.3f} | {fmt(r.entity_f1)} "
            + " ".join(f"| {fmt(r.per_entity_f1[name])}" for name in ENTITIES)
            + f" | {fmt(r.regex_tracking_f1)} |"
        )
    lines += ["", "## Misclassified intents", ""]
    for r in results:
        lines.append(f"### {r.lang} ({len(r.errors)})")
        lines.append("")
        if not r.errors:
            lines += ["None.", ""]
            continue
        lines += ["| text | expected | predicted | confidence |", "|---|---|---|---:|"]
        for err in r.errors:
            predicted = err.get("intent_prediction") or {}
            text = str(err.get("text", "")).replace("|", "\\|")
            lines.append(
                f"| {text} | {err.get('intent')} | {predicted.get('name')} "
                f"| {float(predicted.get('confidence') or 0.0):.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: newest in models/)")
    parser.add_argument(
        "--lang",
        action="append",
        choices=LANGUAGES,
        help="language to evaluate (repeatable; default: every held-out file)",
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "measurements", help="report directory"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a language misses its accuracy target"
    )
    parser.add_argument(
        "--real-only", action="store_true", help="only the real-question set (tests/nlu_real)"
    )
    args = parser.parse_args(argv)

    if not RASA.exists():
        sys.exit(f"{RASA} missing; run `make venv-rasa`")
    out: Path = args.out.resolve()
    model = (args.model or newest_model(ROOT / "models")).resolve()
    if not model.exists():
        sys.exit(f"model {model} not found")
    langs = args.lang or [lang for lang in LANGUAGES if (HELDOUT / f"{lang}.yml").exists()]
    if args.real_only:
        langs = []

    results = []
    for lang in langs:
        out_dir = out / "nlu" / lang
        seconds = run_rasa(model, lang, out_dir)
        results.append(collect(lang, out_dir, seconds))
    real = None
    if REAL_ITEMS.exists():
        items = real_items()
        nlu_file = out / "tmp" / "nlu_real.yml"
        write_real_nlu(items, nlu_file)
        seconds = run_rasa(model, "real", out / "nlu" / "real", nlu_file)
        real = collect_real(items, out / "nlu" / "real", seconds)

    report = render(model, results, real)
    out.mkdir(parents=True, exist_ok=True)
    (out / "nlu.md").write_text(report + "\n", encoding="utf-8")
    table_end = report.index("## Misclassified")
    if real is not None:
        print(f">> real questions: intent accuracy {real.accuracy:.3f} (target {REAL_TARGET})")
    print(report[:table_end].rstrip())
    print(f">> report written to {out / 'nlu.md'}")
    failed = [r.lang for r in results if not r.meets_target]
    if real is not None and real.accuracy < REAL_TARGET:
        failed.append("real")
    if failed:
        print(f">> below target: {', '.join(failed)}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
