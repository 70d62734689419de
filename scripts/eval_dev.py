"""Issue 17's single-message development sets, scored on a trained model.

Parses every message of `tests/nlu_real/items.tsv` and `tests/nlu_dev/` with the model
(`scripts/parse_with_model.py` under `.venv-rasa`; no running engine) and reports:
- real questions: intent accuracy (the FallbackClassifier's `nlu_fallback` counts as wrong);
- question vs complaint: how often a question would start the complaint form at once
  (the decision of `actions.complaint_check`), how often a complaint reaches the form or the
  "do you want to complain?" check;
- fallback: for a sweep of FallbackClassifier thresholds, the share of gibberish that falls
  back and of real short messages that wrongly fall back, per split (`tune`, `test`), with
  the router's unreadable-message check (`helpdesk` language text module) applied first;
- hard chat messages (`tests/nlu_dev/hard_chat.tsv`): intent accuracy and service accuracy,
  overall and per language, and the misses. The service is decided as the bot decides it:
  the resolver (`helpdesk.text.resolver`, over the catalog) with the NLU's `service` entity
  and no current service; it is scored on the rows that name a service.

    .venv/bin/python scripts/eval_dev.py [--model models/x.tar.gz] [--parses saved.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.complaint_check import starts_form_at_once  # noqa: E402
from helpdesk.catalog.loader import default_catalog_dir, load_catalog  # noqa: E402
from helpdesk.text.language.readable import is_unreadable  # noqa: E402

DEV = ROOT / "tests" / "nlu_dev"
REAL = ROOT / "tests" / "nlu_real" / "items.tsv"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
LANGUAGES = ("id", "jv", "su", "en")


def rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Parse:
    intent: str
    confidence: float
    top_real: tuple[str, float]  # best intent other than nlu_fallback
    service: str | None = None  # the first `service` entity's value, as the actions read it

    @classmethod
    def of(cls, item: dict[str, Any]) -> Parse:
        intent = item.get("intent") or {}
        ranking = [r for r in item.get("ranking") or [] if r.get("name") != "nlu_fallback"]
        top = (ranking[0]["name"], float(ranking[0]["confidence"])) if ranking else ("", 0.0)
        services = [
            str(e["value"]) for e in item.get("entities") or [] if e.get("entity") == "service"
        ]
        return cls(
            str(intent.get("name")),
            float(intent.get("confidence") or 0.0),
            top,
            services[0] if services else None,
        )


def newest_model() -> Path:
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        sys.exit("no model in models/; run `make train` or pass --model")
    return models[-1]


def parse(texts: list[str], model: Path, saved: Path | None) -> dict[str, Parse]:
    if saved is not None and saved.exists():
        lines = saved.read_text(encoding="utf-8").splitlines()
    else:
        out = subprocess.run(
            [
                str(ROOT / ".venv-rasa/bin/python"),
                str(ROOT / "scripts/parse_with_model.py"),
                str(model),
            ],
            input="\n".join(texts) + "\n",
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = out.splitlines()
        if saved is not None:
            saved.write_text(out, encoding="utf-8")
    parsed = {}
    for line in lines:
        if line.startswith('{"text"'):
            item = json.loads(line)
            parsed[item["text"]] = Parse.of(item)
    return parsed


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.2f}" if total else "0/0"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--parses", type=Path, help="reuse (or save) the parses in this JSONL file")
    ap.add_argument("--threshold", type=float, default=None, help="the configured threshold")
    ap.add_argument(
        "--before",
        action="store_true",
        help="score the behaviour before issue 17 (no unreadable check; every file_complaint "
        "opens the form)",
    )
    args = ap.parse_args()
    opens_form = _before_form if args.before else starts_form_at_once
    unreadable = _never if args.before else is_unreadable
    real = rows(REAL)
    qvc = rows(DEV / "question_vs_complaint.tsv")
    fallback = rows(DEV / "fallback.tsv")
    hard = rows(DEV / "hard_chat.tsv")
    texts = [r[3] for r in real] + [r[2] for r in qvc] + [r[3] for r in fallback]
    texts += [r[3] for r in hard]
    parsed = parse(texts, args.model or newest_model(), args.parses)

    print("## Real questions (tests/nlu_real), intent")
    right = sum(parsed[text].intent == intent for _l, intent, _s, text, _u in real)
    print(f"accuracy {share(right, len(real))}")
    for _l, intent, _s, text, _u in real:
        p = parsed[text]
        if p.intent != intent:
            print(f"  - {text!r}: {intent} -> {p.intent} ({p.confidence:.2f})")

    print("\n## Question vs complaint (tests/nlu_dev/question_vs_complaint.tsv)")
    for label in ("question", "unsure", "complaint"):
        items = [r for r in qvc if r[1] == label]
        at_once = [r for r in items if opens_form(r[2], *_intent(parsed[r[2]]))]
        reached = [r for r in items if parsed[r[2]].intent == "file_complaint"]
        if label == "complaint":
            print(f"complaint -> form or check: {share(len(reached), len(items))}")
        else:
            print(f"{label} -> form at once (wrong): {share(len(at_once), len(items))}")
            for r in at_once:
                print(f"  - {r[2]!r} ({parsed[r[2]].intent} {parsed[r[2]].confidence:.2f})")

    print("\n## Fallback (tests/nlu_dev/fallback.tsv): gibberish caught / real messages lost")
    for split in ("tune", "test"):
        items = [r for r in fallback if r[0] == split]
        for threshold in THRESHOLDS:
            caught = lost = 0
            for _s, label, _lang, text, _src in items:
                falls = unreadable(text) or parsed[text].top_real[1] < threshold
                if label == "fallback":
                    caught += falls
                else:
                    lost += falls
            gib = sum(r[1] == "fallback" for r in items)
            ok = len(items) - gib
            mark = " (configured)" if args.threshold == threshold else ""
            print(
                f"{split} threshold {threshold:.1f}{mark}: gibberish caught {share(caught, gib)},"
                f" real lost {share(lost, ok)}"
            )
    print("\n### Per message (test split)")
    for _s, label, _lang, text, _src in [r for r in fallback if r[0] == "test"]:
        p = parsed[text]
        flag = unreadable(text)
        print(f"  {label:10} {text!r}: {p.top_real[0]} {p.top_real[1]:.2f} unreadable={flag}")

    hard_chat(hard, parsed)


def hard_chat(items: list[list[str]], parsed: dict[str, Parse]) -> None:
    """Intent and service accuracy on the hard chat messages, overall and per language."""
    resolver = load_catalog(default_catalog_dir()).resolver
    print("\n## Hard chat messages (tests/nlu_dev/hard_chat.tsv)")
    intent_misses: list[str] = []
    service_misses: list[str] = []
    for language in (*LANGUAGES, "all"):
        subset = [r for r in items if language in ("all", r[0])]
        intent_right = service_right = with_service = 0
        for lang, intent, service, text, _src in subset:
            p = parsed[text]
            intent_right += p.intent == intent
            if language == "all" and p.intent != intent:
                intent_misses.append(
                    f"  - [{lang}] {text!r}: {intent} -> {p.intent} ({p.confidence:.2f})"
                )
            if not service:
                continue
            got = resolver.resolve(text, entity=p.service, current=None)
            with_service += 1
            service_right += got.service == service
            if language == "all" and got.service != service:
                found = got.code or "none"
                service_misses.append(
                    f"  - [{lang}] {text!r}: {service} -> {got.kind}:{found}"
                    f" (via {got.source}; NLU entity {p.service!r})"
                )
        print(
            f"{language}: intent {share(intent_right, len(subset))},"
            f" service {share(service_right, with_service)}"
        )
    print("### Intent misses")
    print("\n".join(intent_misses) or "  (none)")
    print("### Service misses")
    print("\n".join(service_misses) or "  (none)")


def _before_form(_text: str, intent: str, _confidence: float) -> bool:
    return intent == "file_complaint"


def _never(_text: str) -> bool:
    return False


def _intent(p: Parse) -> tuple[str, float]:
    return p.intent, p.confidence


if __name__ == "__main__":
    main()
