"""Pure parsing helpers for what citizens type: tracking numbers, NIKs, service codes."""

from __future__ import annotations

import re

from helpdesk.text import personal

TRACKING_EXAMPLE = "KTP-2026-000123"

_SEP = r"[\s\-_/.]"
_FULL = re.compile(rf"([A-Za-z]{{2,5}}){_SEP}*(\d{{4}}){_SEP}*(\d{{6}})")
_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9])([A-Za-z]{{2,5}}){_SEP}{{0,3}}(\d{{4}}){_SEP}{{0,3}}(\d{{6}})(?![A-Za-z0-9])"
)
# Words people put in front of a number that are not a service prefix ("nomor 2026 000123").
_NOT_PREFIXES = frozenset({"NO", "NOMOR", "NOMER", "NMR", "SAYA", "CEK", "KODE", "RESI", "YA"})
# Something that looks like a tracking number typed wrong: an optional prefix, then digits.
_ATTEMPT = re.compile(rf"(?<![A-Za-z0-9])(?:[A-Za-z]{{2,6}}{_SEP}{{0,2}})?\d[\d\s\-_/.]*\d")
_ATTEMPT_MIN_DIGITS = 5
_SERVICE_CODE = re.compile(r"[a-z0-9_]{2,40}")

_LOCATION_HINTS = re.compile(
    r"\b(?:jl|jln|jalan\s+(?-i:[A-Z])|gang|gg|rt|rw|desa|kelurahan|kel|kecamatan|kec|"
    r"dusun|kampung|alamat|lokasi|dekat|depan|samping|belakang|kantor|pasar|sekolah|puskesmas|rsud|"
    r"di\s+[a-z]{3,})\b",
    re.IGNORECASE,
)
_TIME_HINTS = re.compile(
    r"\b(?:tanggal|tgl|jam|pukul|kemarin|tadi|hari ini|semalam|lalu|pagi|siang|sore|malam|"
    r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|januari|februari|maret|april|mei|"
    r"juni|juli|agustus|september|oktober|november|desember)\b"
    r"|\b\d{1,2}[/\-.:]\d{1,2}\b",
    re.IGNORECASE,
)
_DETAIL_MIN_WORDS = 8


def _canonical(letters: str, year: str, number: str) -> str:
    return f"{letters.upper()}-{year}-{number}"


def normalize_tracking_number(text: str) -> str | None:
    """`"ktp 2026 000123"`, `"KTP2026000123"` → `"KTP-2026-000123"`; None if not one."""
    match = _FULL.fullmatch(text.strip())
    return _canonical(*match.groups()) if match else None


def find_tracking_number(text: str) -> str | None:
    """The first tracking number written anywhere in a message, normalised."""
    for match in _IN_TEXT.finditer(text):
        letters, year, number = match.groups()
        if letters.upper() not in _NOT_PREFIXES:
            return _canonical(letters, year, number)
    return None


def looks_like_tracking_attempt(text: str) -> bool:
    """True when the text holds a number that might be a mistyped tracking number."""
    return any(
        sum(ch.isdigit() for ch in match.group()) >= _ATTEMPT_MIN_DIGITS
        for match in _ATTEMPT.finditer(text)
    )


def contains_nik(text: str) -> bool:
    """True when the text holds a 16-digit number (a NIK), possibly grouped with spaces."""
    return personal.contains_nik(text)


def normalize_service_code(value: object) -> str | None:
    """An entity or slot value as a catalog code (`"KTP-el"` → `"ktp_el"`), or None."""
    if not isinstance(value, str):
        return None
    code = re.sub(r"[\s\-]+", "_", value.strip().lower())
    return code if _SERVICE_CODE.fullmatch(code) else None


def is_command(text: str) -> bool:
    """True for a button payload or command such as `/file_complaint`."""
    return text.lstrip().startswith("/")


def missing_complaint_details(text: str) -> list[str]:
    """Which of `details`, `location`, `time` a complaint does not seem to give yet."""
    missing = []
    if len(text.split()) < _DETAIL_MIN_WORDS:
        missing.append("details")
    if not _LOCATION_HINTS.search(text):
        missing.append("location")
    if not _TIME_HINTS.search(text):
        missing.append("time")
    return missing


def redact_personal_data(
    text: str,
    nik_mask: str = "[NIK disembunyikan]",
    phone_mask: str = "[nomor telepon disembunyikan]",
) -> str:
    """Hide NIKs and phone numbers before a text is shown back in the chat."""
    return personal.replace_personal_data(text, nik_mask, phone_mask)
