"""Parse messages with a trained model (run with the engine's interpreter, `.venv-rasa`).

Reads one message per line on stdin and prints one JSON object per line: the text, the
intent (after the FallbackClassifier), the top of the intent ranking and the entities.
`scripts/eval_dev.py` calls it; it never trains and needs no running engine.

    .venv-rasa/bin/python scripts/parse_with_model.py models/halo-warga-x.tar.gz < texts
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

# The model's custom components (bot/components/) import from the repository root, as
# `rasa` itself arranges by putting the working directory on the path.
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
logging.disable(logging.WARNING)


async def parse_all(model: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    for line in sys.stdin:
        text = line.rstrip("\n")
        result = await agent.parse_message(text)
        print(
            json.dumps(
                {
                    "text": text,
                    "intent": result.get("intent") or {},
                    "ranking": (result.get("intent_ranking") or [])[:4],
                    "entities": [
                        {"entity": e.get("entity"), "value": e.get("value")}
                        for e in result.get("entities") or []
                    ],
                },
                ensure_ascii=False,
            ),
            flush=True,
        )


if __name__ == "__main__":
    asyncio.run(parse_all(sys.argv[1]))
