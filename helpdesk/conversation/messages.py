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
    "please_wait": {
        "id": "Mohon tunggu sebentar, Anda sedang dalam antrean. Pesan Anda sudah kami terima; "
        "jawabannya akan muncul di sini.",
        "jv": "Nyuwun sekedhap, panjenengan saweg wonten ing antrian. Pesen panjenengan "
        "sampun katampi; wangsulanipun badhe medal wonten ing ngriki.",
        "su": "Mangga antosan sakedap, anjeun nuju dina antrian. Pesen anjeun parantos "
        "katampi; waleran ti kami badé muncul di dieu.",
        "en": "Please wait a moment, you are in line. We have received your message; the "
        "answer will appear here.",
    },
    "engine_slow": {
        "id": "Mohon maaf, jawaban untuk pesan Anda belum selesai karena antrean sedang "
        "panjang. Silakan kirim ulang pesan Anda sebentar lagi.",
        "jv": "Nyuwun pangapunten, wangsulan kangge pesen panjenengan dereng rampung amargi "
        "antrianipun saweg panjang. Mangga kintun malih pesen panjenengan sakedhap malih.",
        "su": "Hapunten, waleran kanggo pesen anjeun teu acan réngsé kusabab antrian nuju "
        "panjang. Mangga kintun deui pesen anjeun sakedap deui.",
        "en": "Sorry, the answer to your message is not ready yet because the queue is long. "
        "Please send your message again in a moment.",
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
