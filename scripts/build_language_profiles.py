"""Build helpdesk/text/language/data/ from the shared corpora (`make profiles`).

Deterministic: the same corpora give byte-identical files. Reads only train splits
(and the NusaX lexicons); see helpdesk/text/language/corpora.py for what is excluded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from helpdesk.text.language.build import build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument(
        "--out", type=Path, default=REPO / "helpdesk" / "text" / "language" / "data"
    )
    args = parser.parse_args(argv)
    if not (args.shared / "data").is_dir():
        parser.error(f"no corpora under {args.shared / 'data'}")
    sizes = build(args.shared, args.out)
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
