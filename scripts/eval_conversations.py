"""Play issue 17's conversation sets against a fresh seeded stack and report the figures.

Starts the embedded stack (newest model in models/, this checkout's code) on free ports,
plays tests/nlu_dev/ through the web chat API (tests/understanding.py) and writes the
report (default docs/measurements/nlu-conversations.md). Run it under the heavy lock:

    flock /work/.heavy.lock .venv/bin/python scripts/eval_conversations.py --title "after"
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stackutil import start_embedded_stack, use_throwaway_secrets  # noqa: E402
from tests.understanding import (  # noqa: E402
    Harness,
    report,
    run_digressions,
    run_fallback,
    run_followups,
    run_questions,
    write,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--title", default="Issue 17 sets")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "measurements" / "nlu-conversations.md"
    )
    args = ap.parse_args()
    use_throwaway_secrets()
    with tempfile.TemporaryDirectory() as var:
        stack, stop = start_embedded_stack(Path(var), env={"RASA_TIMEOUT_SECONDS": "120"})
        try:
            harness = Harness(
                stack.config.helpdesk_url, stack.config.database_url, stack.staff_token
            )
            text = report(
                run_followups(harness),
                run_digressions(harness),
                run_fallback(harness),
                run_questions(harness),
                args.title,
            )
        finally:
            stop()
    write(text, args.out)
    print(text)


if __name__ == "__main__":
    main()
