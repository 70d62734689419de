"""Tracking numbers: `SVC-YYYY-NNNNNN`, random (not sequential) and unique across kinds."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

_TRACKING_RE = re.compile(r"^\s*([A-Za-z]{2,5})[\s-]*(\d{4})[\s-]*(\d{6})\s*$")
ATTEMPTS = 20


def normalize_tracking_number(text: str) -> str | None:
    """`ktp 2026 000123` → `KTP-2026-000123`; None when it is not a tracking number."""
    match = _TRACKING_RE.match(text)
    if match is None:
        return None
    letters, year, serial = match.groups()
    return f"{letters.upper()}-{year}-{serial}"


def new_tracking_number(prefix: str, year: int, taken: Callable[[str], bool]) -> str:
    """A fresh number with a random serial, so numbers cannot be enumerated by counting."""
    for _ in range(ATTEMPTS):
        number = f"{prefix}-{year}-{secrets.randbelow(1_000_000):06d}"
        if not taken(number):
            return number
    raise RuntimeError(f"no free tracking number for {prefix}-{year} after {ATTEMPTS} tries")
