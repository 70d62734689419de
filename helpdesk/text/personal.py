"""The one NIK and phone-number pattern and the one masked form (`3201********0001`).

Everything that looks for, checks or masks a NIK or an Indonesian mobile number uses this
module: the API, the console, notifications, the journeys, privacy exports, the NLU inbox,
log redaction and the action server. A second NIK pattern elsewhere fails
tests/unit/test_architecture.py.
"""

from __future__ import annotations

import re

# A NIK: 16 digits, possibly grouped with spaces, dots or dashes.
NIK_RE = re.compile(r"(?<!\d)(?:\d[\s.\-]?){15}\d(?!\d)")
# An Indonesian mobile number: +62 / 62 / 0, then 8 and 7-12 more digits, maybe grouped.
PHONE_RE = re.compile(r"(?<![\d+])(?:\+?62|0)[\s.\-]?8\d(?:[\s.\-]?\d){6,11}(?!\d)")


def is_nik(value: str) -> bool:
    """Exactly 16 digits, nothing else (what a form field accepts as a NIK)."""
    return value.isdigit() and NIK_RE.fullmatch(value) is not None


def is_mobile_number(compact: str) -> bool:
    """An Indonesian mobile number with no separators (`0812…`, `62812…`, `+62812…`)."""
    return not re.search(r"[\s.\-]", compact) and PHONE_RE.fullmatch(compact) is not None


def mask_nik(nik: str) -> str:
    """Only the region code and the last four digits: `3201********0001`."""
    digits = re.sub(r"\D", "", nik)
    return digits[:4] + "*" * 8 + digits[-4:]


def mask_phone(phone: str | None) -> str | None:
    """Only the first four and the last three characters: `0812*****801`."""
    if not phone:
        return None
    return phone[:4] + "*" * (len(phone) - 7) + phone[-3:]


def _mask_nik(match: re.Match[str]) -> str:
    return mask_nik(match.group())


def _mask_phone(match: re.Match[str]) -> str:
    return mask_phone(re.sub(r"[^\d+]", "", match.group())) or ""


def mask_personal_data(text: str) -> str:
    """`NIK 3201010101900001, HP 081234567801` → `NIK 3201********0001, HP 0812*****801`."""
    return PHONE_RE.sub(_mask_phone, NIK_RE.sub(_mask_nik, text))


def replace_personal_data(text: str, nik_mask: str, phone_mask: str) -> str:
    """Every NIK replaced by `nik_mask`, every phone number by `phone_mask`."""
    return PHONE_RE.sub(lambda _: phone_mask, NIK_RE.sub(lambda _: nik_mask, text))


def contains_nik(text: str) -> bool:
    """Whether `text` holds a 16-digit number (a NIK), possibly grouped."""
    return NIK_RE.search(text) is not None


def contains_personal_data(text: str) -> bool:
    """Whether `text` holds something that looks like a NIK or a phone number."""
    return bool(NIK_RE.search(text) or PHONE_RE.search(text))
