"""Audit both pinned environments for known vulnerabilities (`make audit`, part of `make test`).

Runs pip-audit over `requirements/project.txt` and `requirements/rasa.txt` (pins only: no
resolution, no installs) against PyPI's JSON vulnerability data, the only advisory source
reachable from machines that can reach nothing but PyPI. Offline-safe and honest:
- advisory source unreachable, or it answers for none of the pins (a PyPI mirror without
  the per-version JSON API): prints `skipped: no advisory source (...)` and exits 0;
- advisories found: each one must be listed in `requirements/audit-ignore.txt` (known and
  unfixable in the engine's pinned stack, explained in SECURITY.md), else exit 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = {
    "project": ROOT / "requirements/project.txt",
    "engine": ROOT / "requirements/rasa.txt",
}
IGNORE_FILE = ROOT / "requirements/audit-ignore.txt"
TIMEOUT = 300


def ignored_ids() -> set[str]:
    """Advisory ids (first word of each non-comment line) accepted as known and unfixable."""
    ids = set()
    for line in IGNORE_FILE.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            ids.add(line.split()[0])
    return ids


def audit(name: str, requirements: Path, ignore: set[str]) -> tuple[str, list[str]]:
    """('ok' | 'skipped' | 'failed', report lines) for one environment."""
    command = [
        str(Path(sys.executable).parent / "pip-audit"),
        "--requirement",
        str(requirements),
        "--no-deps",
        "--disable-pip",
        "--vulnerability-service",
        "pypi",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "30",
    ]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return "skipped", [f"{name}: skipped: no advisory source (pip-audit timed out)"]
    try:
        report = json.loads(run.stdout or "null")
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict):
        reason = (run.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return "skipped", [f"{name}: skipped: no advisory source ({reason})"]
    deps = report.get("dependencies", [])
    looked_up = [d for d in deps if "skip_reason" not in d]
    if not looked_up:
        return "skipped", [
            f"{name}: skipped: no advisory source (PyPI answered for none of the {len(deps)} "
            "pins; its per-version JSON API is not reachable from here)"
        ]
    lines, failed = [], False
    for dep in looked_up:
        for vuln in dep.get("vulns", []):
            ids = {vuln.get("id", ""), *vuln.get("aliases", [])}
            known = bool(ids & ignore)
            failed |= not known
            tag = "known, see SECURITY.md" if known else "NEW"
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none"
            lines.append(
                f"  {dep['name']}=={dep['version']} {vuln.get('id')} ({tag}; fixed in {fixes})"
            )
    skipped = len(deps) - len(looked_up)
    summary = (
        f"{name}: {len(looked_up)} pins audited, {skipped} not found at the source, "
        f"{len(lines)} advisories"
    )
    return ("failed" if failed else "ok"), [summary, *lines]


def main() -> int:
    ignore = ignored_ids()
    worst = 0
    for name, requirements in ENVIRONMENTS.items():
        state, lines = audit(name, requirements, ignore)
        print("\n".join(lines), flush=True)
        if state == "failed":
            worst = 1
    if worst:
        print("pip-audit: advisories not listed in requirements/audit-ignore.txt (see SECURITY.md)")
    return worst


if __name__ == "__main__":
    sys.exit(main())
