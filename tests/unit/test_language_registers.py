"""Speech levels: krama/krama inggil/ngoko and lemes/loma messages get the right language
and register, and Indonesian service questions stay Indonesian."""

from __future__ import annotations

import pytest

from helpdesk.text.language import decide, detect
from helpdesk.text.language.registers import family, register

KRAMA = [
    "Menawi badhe damel akta kelahiran punapa kemawon syaratipun?",
    "Nyuwun pirsa, pinten dinten damel KTP?",
    "nyuwun sewu, damel akta kelahiran pinten dinten",
    "biayanipun pinten kangge damel NIB",
    "KTP kula ical, kedah kados pundi nggih",
    "syarat skck menawi damel enggal menapa",
]
LEMES = [
    "Punten, bade naros syarat ngadamel KTP teh naon wae?",
    "Sabaraha dinten ngadamel paspor?",
    "Nyuhunkeun disambungkeun sareng petugas",
]


@pytest.mark.parametrize("text", KRAMA)
def test_krama_with_indonesian_service_names_is_javanese(text: str) -> None:
    assert detect(text).language == "jv"
    assert family(register(text, "jv")) == "krama"


@pytest.mark.parametrize("text", LEMES)
def test_lemes_is_sundanese(text: str) -> None:
    assert detect(text).language == "su"
    assert register(text, "su") == "lemes"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Bapak sampun rawuh wonten kantor?", "jv", "krama_inggil"),
        ("kula badhe nyuwun pirsa syaratipun", "jv", "krama_inggil"),  # pirsa is honorific
        ("kula badhe tanglet syaratipun", "jv", "krama"),
        ("aku arep takon syarate gawe kk piye", "jv", "ngoko"),
        ("kumaha carana nyieun KTP nu leungit", "su", "loma"),
        ("Abdi bade ngadamel KK enggal", "su", "lemes"),
        ("gimana cara bikin KTP", "id", None),
    ],
)
def test_register_names_the_speech_level(text: str, language: str, expected: str | None) -> None:
    assert register(text, language) == expected


def test_a_krama_question_is_answered_in_javanese() -> None:
    """The bot's jv texts are krama: a krama question must select jv, even mid-conversation."""
    text = "Nyuwun pirsa, menawi badhe damel akta kelahiran punapa kemawon syaratipun?"
    assert decide(text).reply_language == "jv"
    assert decide(text, current="id", history=["id", "id"]).reply_language == "jv"


@pytest.mark.parametrize(
    "text",
    [
        "Bagaimana cara cek tunggakan pajak motor?",
        "Apa perbedaan penerbitan SKCK di Polda dan Polres?",
        "Berapa biaya perpanjang STNK lima tahunan?",
        "siapa saja yang boleh mengajukan SKTM",
    ],
)
def test_indonesian_administrative_questions_stay_indonesian(text: str) -> None:
    assert detect(text).language == "id"
