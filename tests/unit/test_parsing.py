"""Parsing what citizens type: tracking numbers, NIKs, service codes, complaint details."""

from __future__ import annotations

import pytest

from actions.parsing import (
    contains_nik,
    find_tracking_number,
    is_command,
    looks_like_tracking_attempt,
    missing_complaint_details,
    normalize_service_code,
    normalize_tracking_number,
    redact_personal_data,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KTP-2026-000123", "KTP-2026-000123"),
        ("ktp-2026-000123", "KTP-2026-000123"),
        ("ktp 2026 000123", "KTP-2026-000123"),
        ("KTP2026000123", "KTP-2026-000123"),
        ("  skck/2025/004567 ", "SKCK-2025-004567"),
        ("Ab-2026-000001", "AB-2026-000001"),
        ("PAJAK 2026-123456", "PAJAK-2026-123456"),
        ("KTP-26-123", None),
        ("KTP-2026-00123", None),
        ("KTP-2026-0001234", None),
        ("K-2026-000123", None),
        ("PASPOR-2026-000123", None),
        ("cek KTP-2026-000123", None),
        ("", None),
    ],
)
def test_normalize_tracking_number(text: str, expected: str | None) -> None:
    assert normalize_tracking_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status permohonan saya KTP-2026-000123 ya", "KTP-2026-000123"),
        ("cek ktp 2026 000123 dong", "KTP-2026-000123"),
        ("nomornya: kk2026000045.", "KK-2026-000045"),
        ("nomor 2026 000123", None),
        ("saya 2026-000123", None),
        ("NIK 3201234567890123", None),
        ("KTP-2026-0001234", None),
        ("mau cek status", None),
    ],
)
def test_find_tracking_number(text: str, expected: str | None) -> None:
    assert find_tracking_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KTP-26-123", True),
        ("nomor saya ktp 2026 123", True),
        ("2026-000123", True),
        ("mau cek status permohonan", False),
        ("tanggal 20 jam 10", False),
    ],
)
def test_looks_like_tracking_attempt(text: str, expected: bool) -> None:
    assert looks_like_tracking_attempt(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK saya 3201234567890123", True),
        ("3201 2345 6789 0123", True),
        ("KTP-2026-000123", False),
        ("32012345678901234", False),
    ],
)
def test_contains_nik(text: str, expected: bool) -> None:
    assert contains_nik(text) is expected


def test_redact_personal_data() -> None:
    text = "Hubungi 0812-3456-7890 atau +62 812 3456 789, NIK 3201234567890123, nomor KK-2026-1"
    redacted = redact_personal_data(text)
    assert "3201234567890123" not in redacted
    assert "0812" not in redacted and "812 3456" not in redacted
    assert redacted.count("disembunyikan") == 3
    assert redacted.endswith("nomor KK-2026-1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ktp_el", "ktp_el"),
        ("KTP-el", "ktp_el"),
        (" Kartu Keluarga ", "kartu_keluarga"),
        ("../etc", None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_normalize_service_code(value: object, expected: str | None) -> None:
    assert normalize_service_code(value) == expected


def test_is_command() -> None:
    assert is_command('/file_complaint{"x":1}')
    assert not is_command("jalan rusak")


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("jalan rusak", ["details", "location", "time"]),
        (
            "Jalan di depan SD Negeri 2 Desa Sukamaju berlubang besar sejak kemarin pagi",
            [],
        ),
        ("Petugas loket meminta uang tambahan untuk mempercepat KTP saya", ["location", "time"]),
        ("Lampu jalan mati semua di Jl. Melati RT 03 sudah lama sekali tidak diperbaiki", ["time"]),
    ],
)
def test_missing_complaint_details(text: str, missing: list[str]) -> None:
    assert missing_complaint_details(text) == missing
