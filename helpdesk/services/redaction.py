"""Masking NIKs and phone numbers that citizens type, before agents (or logs) see them."""

from __future__ import annotations

import re

# A NIK: 16 digits, possibly grouped with spaces, dots or dashes.
NIK_RE = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")
# An Indonesian mobile number: +62 / 62 / 0, then 8 and 8-12 more digits, maybe grouped.
PHONE_RE = re.compile(r"(?<![\d+])(?:\+?62|0)[\s\-]?8\d(?:[\s\-]?\d){6,10}(?!\d)")


def _mask_nik(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return digits[:4] + "*" * 8 + digits[-4:]


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"[^\d+]", "", match.group())
    return digits[:4] + "*" * (len(digits) - 7) + digits[-3:]


def mask_personal_data(text: str) -> str:
    """`NIK 3201010101900001, HP 081234567801` → `NIK 3201********0001, HP 0812*****801`."""
    return PHONE_RE.sub(_mask_phone, NIK_RE.sub(_mask_nik, text))


def contains_personal_data(text: str) -> bool:
    """Whether `text` holds something that looks like a NIK or a phone number."""
    return bool(NIK_RE.search(text) or PHONE_RE.search(text))
