"""Start `rasa run` with `--auth-token $RASA_TOKEN` without putting the token on the
command line (where `ps` shows it to every local user). Runs in .venv-rasa.

Usage: .venv-rasa/bin/python scripts/rasa_run.py run --enable-api ...
"""

import os
import sys

from rasa.__main__ import main

if __name__ == "__main__":
    token = os.environ.get("RASA_TOKEN", "").strip()
    if not token:
        sys.exit("RASA_TOKEN is not set: the engine's HTTP API would be open to anyone")
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    main()
