"""What the router itself says (not the bot), in every language the bot speaks."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "engine_down": {
        "id": "Mohon maaf, asisten otomatis kami sedang tidak dapat menjawab. Pesan Anda sudah "
        "kami terima dan diteruskan ke petugas{position}. Petugas akan membalas di sini.",
        "jv": "Nyuwun pangapunten, asisten otomatis kawula saweg boten saged mangsuli. Pesen "
        "panjenengan sampun katampi lan dipunterusaken dhateng petugas{position}. Petugas "
        "badhe mangsuli wonten ing ngriki.",
        "su": "Hapunten, asisten otomatis kami nuju teu tiasa ngawaler. Pesen anjeun parantos "
        "katampi sareng diteraskeun ka petugas{position}. Petugas badé ngawaler di dieu.",
        "en": "Sorry, our automated assistant cannot answer right now. We have received your "
        "message and passed it to an officer{position}. An officer will reply here.",
    },
    "position": {
        "id": " (antrean ke-{n}, perkiraan tunggu {minutes} menit)",
        "jv": " (antrian kaping-{n}, kinten-kinten ngentosi {minutes} menit)",
        "su": " (antrian ka-{n}, kinten-kinten ngantosan {minutes} menit)",
        "en": " (you are number {n} in the queue, about {minutes} minutes)",
    },
    "fallback_handoff": {
        "id": "Maaf, saya belum dapat memahami pertanyaan Anda. Percakapan ini saya teruskan ke "
        "petugas{position}; petugas akan membalas di sini.",
        "jv": "Nyuwun pangapunten, kawula dereng saged mangertosi pitakenan panjenengan. "
        "Obrolan punika kawula terasaken dhateng petugas{position}; petugas badhe mangsuli "
        "wonten ing ngriki.",
        "su": "Hapunten, abdi teu acan tiasa ngartos patarosan anjeun. Obrolan ieu ku abdi "
        "diteraskeun ka petugas{position}; petugas badé ngawaler di dieu.",
        "en": "Sorry, I could not understand your question. I am passing this conversation "
        "to an officer{position}; an officer will reply here.",
    },
    "unsupported_language": {
        "id": "Mohon maaf, saya belum bisa berbahasa {name}; saya jawab dalam Bahasa Indonesia, "
        "ya.",
    },
}

LANGUAGE_NAMES_ID: dict[str, str] = {
    "ace": "Aceh",
    "ban": "Bali",
    "bjn": "Banjar",
    "bug": "Bugis",
    "mad": "Madura",
    "min": "Minang",
    "nij": "Ngaju",
    "bbc": "Batak Toba",
}


def text(key: str, language: str, **values: object) -> str:
    """The router's text `key` in `language` (Indonesian when missing), formatted."""
    variants = TEXTS[key]
    return variants.get(language, variants["id"]).format(**values)
