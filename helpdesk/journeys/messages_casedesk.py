"""What the case desk tells a citizen about their complaint, in the bot's four languages
(merged into the journeys' table by `helpdesk.journeys.i18n`)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "id": {
        "casedesk.ask": (
            "Petugas memerlukan keterangan tambahan untuk laporan {number}: {question}\n"
            "Silakan balas pesan ini dengan jawaban Anda (foto juga boleh)."
        ),
        "casedesk.answer_received": (
            "Terima kasih, keterangan Anda sudah ditambahkan ke laporan {number}. "
            "Petugas akan melanjutkan penanganannya."
        ),
        "casedesk.reply": "Balasan petugas untuk laporan {number}:\n{text}",
        "casedesk.forwarded_to": "diteruskan ke {unit}",
    },
    "jv": {
        "casedesk.ask": (
            "Petugas mbetahaken katrangan tambahan kangge laporan {number}: {question}\n"
            "Mangga wangsuli pesen punika kanthi wangsulan panjenengan (foto ugi saged)."
        ),
        "casedesk.answer_received": (
            "Matur nuwun, katrangan panjenengan sampun katambahaken ing laporan {number}. "
            "Petugas badhe nglajengaken penanganipun."
        ),
        "casedesk.reply": "Wangsulan petugas kangge laporan {number}:\n{text}",
        "casedesk.forwarded_to": "dipunterusaken dhateng {unit}",
    },
    "su": {
        "casedesk.ask": (
            "Petugas meryogikeun katerangan tambihan kanggo laporan {number}: {question}\n"
            "Mangga waler pesen ieu ku jawaban anjeun (poto ogé tiasa)."
        ),
        "casedesk.answer_received": (
            "Hatur nuhun, katerangan anjeun parantos ditambihkeun kana laporan {number}. "
            "Petugas badé neraskeun penangananana."
        ),
        "casedesk.reply": "Waleran petugas kanggo laporan {number}:\n{text}",
        "casedesk.forwarded_to": "diteraskeun ka {unit}",
    },
    "en": {
        "casedesk.ask": (
            "The officer needs more information about report {number}: {question}\n"
            "Please reply to this message with your answer (photos are welcome)."
        ),
        "casedesk.answer_received": (
            "Thank you, your information has been added to report {number}. "
            "The officer will continue handling it."
        ),
        "casedesk.reply": "The officer's reply about report {number}:\n{text}",
        "casedesk.forwarded_to": "forwarded to {unit}",
    },
}
