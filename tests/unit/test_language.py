"""helpdesk.text.language: detection, the conversation policy, /bahasa, the CLI, shipped data."""

from __future__ import annotations

import filecmp
import io
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpdesk.runtime.cli import main
from helpdesk.text.language import (
    PROFILED_LANGUAGES,
    SPOKEN_LANGUAGES,
    Detection,
    decide,
    detect,
    parse_language_command,
)
from helpdesk.text.language.detector import DATA_DIR, Model

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
REGIONAL = set(PROFILED_LANGUAGES) - {"id", "en"}

CLEAR = [
    ("id", "Saya ingin mengurus kartu keluarga baru karena anak saya baru lahir bulan lalu."),
    ("id", "Mohon informasi jam buka kantor kecamatan pada hari Sabtu."),
    ("jv", "Kula badhe nyuwun pirsa, syarat kangge damel KTP punika menapa kemawon?"),
    ("jv", "Aku arep takon carane ngurus akta lair anakku, kudu nggawa apa wae?"),
    ("su", "Punten, abdi hoyong terang naon wae syarat pikeun ngadamel kartu kulawarga."),
    ("su", "Kumaha carana ngurus SKCK, kudu mawa naon wae ka kantor pulisi?"),
    ("en", "I would like to know which documents I need to renew my passport."),
    ("en", "How long does it take to get a new identity card?"),
]
CODE_MIXED = [
    ("jv", "min KTP ku wis dadi durung ya"),
    ("jv", "matur nuwun sanget nggih"),
    ("su", "punten, KTP abdi parantos beres teu?"),
    ("su", "hatur nuhun pisan kang"),
    ("id", "tolong cek status ktp saya dong"),
    ("id", "halo kak, mau nanya soal KK"),
]
INDONESIAN_QUERIES = [
    "apa syarat bikin ktp",
    "cek status KTP-2026-000123",
    "gmn cara daftar bpjs",
    "halo",
    "iya kak",
    "min mau tanya",
    "kok lama banget ya prosesnya",
    "syarat skck apa aja",
    "bisa bayar pbb online gak",
    "kantor dukcapil buka jam berapa",
    "makasih kak",
    "ok",
    "saya mau komplain pelayanan di kelurahan",
    "akta kelahiran anak saya sudah jadi belum",
    "tolong sambungkan ke petugas",
]


@pytest.mark.parametrize(("language", "text"), CLEAR + CODE_MIXED)
def test_detects_spoken_languages(language: str, text: str) -> None:
    result = detect(text)
    assert result.language == language
    assert 0.0 < result.confidence <= 1.0


@pytest.mark.parametrize("text", INDONESIAN_QUERIES)
def test_indonesian_service_queries_are_never_regional(text: str) -> None:
    assert detect(text).language not in REGIONAL


@pytest.mark.parametrize("text", ["", "   ", "😀🙏", "123 456", "08123456789", "!!!"])
def test_text_without_words_is_indonesian_with_no_confidence(text: str) -> None:
    assert detect(text) == Detection("id", 0.0)


# Short ngoko: the Javanese evidence sits in clitics (-mu, -ku, -e) and verb suffixes
# (-no, -ono, -na) on stems the word tables know, and is spread over two words.
SHORT_NGOKO = ["endi omahmu", "omahku adoh", "piye kabarmu", "resikono kamarmu", "tukokno sega"]


@pytest.mark.parametrize("text", SHORT_NGOKO)
def test_short_ngoko_with_clitics_is_javanese(text: str) -> None:
    assert detect(text).language == "jv"


def test_clitic_on_a_marker_stem_counts_as_a_marker() -> None:
    m = Model()
    assert "omahmu" not in m.markers or m.markers["omahmu"].get("jv", 0.0) < 1.0
    _, markers = m.word_vector("omahmu")
    assert dict(markers)["jv"] >= m.markers["omah"]["jv"]
    _, markers = m.word_vector("kamarmu")  # Indonesian stem: no Javanese marker
    assert "jv" not in dict(markers)


def test_regional_languages_beyond_the_spoken_ones() -> None:
    assert detect("Awak ambo ndak tau baa caronyo mangurus KTP di siko").language == "min"
    assert set(SPOKEN_LANGUAGES) < set(PROFILED_LANGUAGES)


def test_long_message_is_judged_quickly() -> None:
    assert detect("Saya mau tanya syarat KTP. " * 2_000).language == "id"


def test_deterministic_and_thread_safe() -> None:
    texts = [t for _, t in CLEAR + CODE_MIXED] + INDONESIAN_QUERIES
    first = [detect(t) for t in texts]
    assert [detect(t) for t in texts] == first
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(detect, texts * 3)) == first * 3
    fresh = Model()
    assert [fresh.detect(t) for t in texts] == first


def test_explicit_choice_always_wins() -> None:
    text = "I would like to know which documents I need to renew my passport."
    decision = decide(text, current="jv", explicit=True)
    assert decision.reply_language == "jv"
    assert decision.detected.language == "en"
    assert decision.unsupported is None


def test_short_or_ambiguous_message_keeps_current_language() -> None:
    for text in ("ok", "KTP", "makasih", "😀", "12345"):
        assert decide(text, current="su").reply_language == "su"
    assert decide("ok", current="en").reply_language == "en"


def test_confident_spoken_language_switches() -> None:
    decision = decide("Kula badhe nyuwun pirsa, syarat kangge damel KTP punika menapa kemawon?")
    assert (decision.reply_language, decision.unsupported) == ("jv", None)
    back = decide(
        "Saya ingin mengurus kartu keluarga baru karena anak saya baru lahir bulan lalu.",
        current="jv",
        history=["jv", "jv"],
    )
    assert back.reply_language == "id"


def test_unsupported_regional_language_gets_indonesian_and_a_note() -> None:
    decision = decide("Awak ambo ndak tau baa caronyo mangurus KTP di siko")
    assert decision.reply_language == "id"
    assert decision.unsupported == "min"
    assert decision.detected.language == "min"


def test_history_carries_an_ambiguous_message() -> None:
    text = "terus syaratnya apa"
    assert decide(text, current="id").reply_language == "id"
    assert decide(text, current="jv", history=["jv", "jv", "jv"]).reply_language == "jv"


def test_indonesian_is_the_default() -> None:
    decision = decide("")
    assert decision.reply_language == "id"
    assert decision.unsupported is None
    assert decide("halo", current="xx").reply_language == "id"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/bahasa jv", "jv"),
        ("/bahasa jawa", "jv"),
        ("/bahasa Sunda", "su"),
        ("/bahasa english", "en"),
        ("/bahasa id", "id"),
        ("/bahasa indonesia", "id"),
        ("/BAHASA  Basa Jawa", "jv"),
        ("/bahasa inggris", "en"),
        ("/bahasa@HaloWargaBot jawa", "jv"),
        ("/bahasa", "ask"),
        ("  /bahasa  ", "ask"),
        ("/bahasa klingon", "ask"),
        ("bahasa jawa", None),
        ("ganti bahasa ke jawa", None),
        ("/bahasajawa", None),
        ("/start", None),
        ("", None),
    ],
)
def test_parse_language_command(text: str, expected: str | None) -> None:
    assert parse_language_command(text) == expected


def test_cli_prints_one_line_per_input_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["apa syarat bikin ktp", "", "hatur nuhun pisan kang", "Where is the office?"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["langid"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(lines)
    parsed = [row.split("\t") for row in out]
    assert all(len(p) == 2 and p[0] in PROFILED_LANGUAGES for p in parsed)
    assert all(0.0 <= float(conf) <= 1.0 for _, conf in parsed)
    assert [lang for lang, _ in parsed] == ["id", "id", "su", "en"]
    assert parsed[1][1] == "0.0000"


def test_shipped_profiles_are_up_to_date(tmp_path: Path) -> None:
    if not (SHARED / "data").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED / 'data'} is missing under CI")
        pytest.skip("../shared/data is not here")
    from helpdesk.text.language.build import build

    build(SHARED, tmp_path)
    shipped = sorted(p.relative_to(DATA_DIR) for p in DATA_DIR.rglob("*") if p.is_file())
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in shipped if p.name != "NOTICE.md"] == built
    stale = [str(p) for p in built if not filecmp.cmp(DATA_DIR / p, tmp_path / p, shallow=False)]
    assert not stale, f"run `make profiles`: {stale} differ from a fresh build"
