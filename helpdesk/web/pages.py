"""Two light public pages: the privacy policy (id, en) and the citizen's guide (id, jv, su, en).

Plain HTML with a few lines of inline CSS and no scripts or images, for slow phone
connections. Linked from the consent notice, the bot's help answer and the widget.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for

bp = Blueprint("pages", __name__, template_folder="templates")

LANGUAGE_NAMES = (
    ("id", "Bahasa Indonesia"),
    ("jv", "Basa Jawa"),
    ("su", "Basa Sunda"),
    ("en", "English"),
)

PRIVACY: dict[str, dict[str, Any]] = {
    "id": {
        "title": "Kebijakan privasi Halo Warga",
        "languages_label": "Bahasa",
        "intro": (
            "Halo Warga adalah layanan tanya-jawab dan pengaduan pemerintah daerah. Halaman ini "
            "menjelaskan data pribadi apa yang kami proses, untuk apa, dan hak Anda menurut "
            "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi."
        ),
        "sections": [
            (
                "Data yang kami simpan",
                [
                    "Pesan yang Anda kirim dan balasan kami, kanal yang Anda pakai (web chat, "
                    "Telegram, WhatsApp) beserta nomor atau ID akun kanal itu, bahasa percakapan, "
                    "laporan/pengaduan yang Anda ajukan, lampiran (foto, PDF), serta NIK bila "
                    "Anda memberikannya untuk verifikasi.",
                ],
            ),
            (
                "Untuk apa",
                [
                    "Untuk menjawab pertanyaan Anda, menindaklanjuti permohonan dan pengaduan, "
                    "mengirim kabar status yang Anda minta, dan menyusun statistik layanan tanpa "
                    "identitas. Dasar pemrosesannya adalah pelaksanaan pelayanan publik dan "
                    "persetujuan Anda.",
                ],
            ),
            (
                "Siapa yang dapat melihatnya",
                [
                    "Hanya petugas yang berwenang di unit yang menangani. NIK dan nomor telepon "
                    "ditampilkan tersamar kepada petugas. Laporan anonim disembunyikan "
                    "identitasnya; laporan rahasia tidak dipublikasikan. Setiap akses data "
                    "pribadi dicatat.",
                ],
            ),
            (
                "Hak Anda",
                [
                    'Ketik "data saya apa saja?" di chat untuk melihat data yang kami simpan '
                    '(dijawab dalam 3×24 jam, UU PDP Pasal 32). Ketik "hapus data saya" untuk '
                    "meminta penghapusan; petugas memutuskan dan Anda diberi tahu hasilnya. "
                    'Ketik "berhenti" untuk berhenti menerima kabar status.',
                    "Sebagian data administrasi kependudukan wajib disimpan menurut undang-undang "
                    "(UU PDP Pasal 15); bila permintaan tidak dapat dipenuhi, alasannya kami "
                    "sampaikan.",
                ],
            ),
        ],
        "other_link": "Panduan penggunaan layanan",
    },
    "en": {
        "title": "Halo Warga privacy policy",
        "languages_label": "Language",
        "intro": (
            "Halo Warga is a local government's question and complaint service. This page "
            "explains which personal data we process, why, and your rights under Indonesia's "
            "Personal Data Protection Act (UU 27/2022)."
        ),
        "sections": [
            (
                "What we keep",
                [
                    "Your messages and our replies, the channel you use (web chat, Telegram, "
                    "WhatsApp) with its number or account ID, the conversation's language, the "
                    "reports you file, attachments (photos, PDFs), and your NIK when you give it "
                    "for verification.",
                ],
            ),
            (
                "Why",
                [
                    "To answer your questions, follow up requests and complaints, send the status "
                    "updates you ask for, and compile service statistics without identities. The "
                    "basis is the provision of public services and your consent.",
                ],
            ),
            (
                "Who can see it",
                [
                    "Only authorised officers of the unit handling it. NIK and phone numbers are "
                    "shown masked to officers. Anonymous reports hide your identity; confidential "
                    "reports are never published. Every access to personal data is logged.",
                ],
            ),
            (
                "Your rights",
                [
                    'Type "what data do you hold" in the chat to see your data (answered within '
                    '3×24 hours, article 32). Type "delete my data" to ask for erasure; an '
                    'officer decides and you are told the outcome. Type "stop" to stop status '
                    "updates.",
                    "Some population-administration records must be kept by law (article 15); "
                    "when a request cannot be granted we tell you why.",
                ],
            ),
        ],
        "other_link": "How to use the service",
    },
}

HELP: dict[str, dict[str, Any]] = {
    "id": {
        "title": "Panduan Halo Warga",
        "languages_label": "Bahasa",
        "intro": "Tanya layanan publik, cek status, dan kirim pengaduan lewat chat.",
        "sections": [
            (
                "Di mana",
                [
                    "Web chat di situs pemerintah daerah, Telegram, atau WhatsApp. Ketik saja "
                    "pertanyaan Anda dalam Bahasa Indonesia, Jawa, Sunda, atau Inggris.",
                ],
            ),
            (
                "Apa yang bisa dibantu",
                [
                    'Syarat, alur, biaya, lama proses dan lokasi layanan (mis. "syarat KTP").',
                    'Cek status: "cek status KTP-2026-000001". Untuk melihat catatan petugas, '
                    "kirim 4 digit terakhir NIK sesudahnya; lalu Anda bisa minta dikabari.",
                    'Pengaduan, aspirasi atau permintaan informasi: "saya mau mengadu". Anda '
                    'mendapat nomor laporan; ketik "batal" untuk berhenti kapan saja.',
                ],
            ),
            (
                "Bicara dengan petugas",
                ['Ketik "bicara dengan petugas". Petugas membalas di percakapan yang sama.'],
            ),
            (
                "Data Anda",
                [
                    '"data saya apa saja?" menampilkan data yang kami simpan; "hapus data '
                    'saya" meminta penghapusan; "berhenti" menghentikan kabar status.',
                ],
            ),
        ],
        "other_link": "Kebijakan privasi",
    },
    "jv": {
        "title": "Pitedah Halo Warga",
        "languages_label": "Basa",
        "intro": "Nyuwun pirsa layanan umum, ngecek status, lan ngintun pangaduan lumantar chat.",
        "sections": [
            (
                "Wonten pundi",
                [
                    "Web chat ing situs pamarentah dhaerah, Telegram, utawi WhatsApp. Serat "
                    "pitakenan panjenengan ing basa Indonesia, Jawi, Sunda, utawi Inggris.",
                ],
            ),
            (
                "Ingkang saged dipunbiyantu",
                [
                    "Syarat, tata cara, biaya, dangunipun proses lan papan layanan (tuladha "
                    '"syarat KTP").',
                    'Cek status: "cek status KTP-2026-000001". Kangge mirsani cathetan petugas, '
                    "kintun 4 angka pungkasan NIK; lajeng panjenengan saged nyuwun dipunkabari.",
                    'Pangaduan, aspirasi utawi panyuwunan informasi: "kula badhe ngadu". '
                    'Panjenengan pikantuk nomer laporan; serat "batal" kangge kendel.',
                ],
            ),
            (
                "Matur kaliyan petugas",
                ['Serat "matur kaliyan petugas". Petugas mangsuli ing obrolan ingkang sami.'],
            ),
            (
                "Data panjenengan",
                [
                    '"data kula punapa kemawon?" nedahaken data ingkang dipunsimpen; "busak '
                    'data kula" nyuwun pambusakan; "mandheg" mandhegaken kabar status.',
                ],
            ),
        ],
        "other_link": "Kawicaksanan privasi",
    },
    "su": {
        "title": "Pituduh Halo Warga",
        "languages_label": "Basa",
        "intro": "Naroskeun layanan umum, mariksa status, sareng ngintun pangaduan ngalangkungan "
        "chat.",
        "sections": [
            (
                "Di mana",
                [
                    "Web chat dina situs pamaréntah daérah, Telegram, atanapi WhatsApp. Serat "
                    "patarosan Sadérék dina basa Indonésia, Jawa, Sunda, atanapi Inggris.",
                ],
            ),
            (
                "Nu tiasa dibantos",
                [
                    "Sarat, tata cara, biaya, lami prosés sareng lokasi layanan (contona "
                    '"sarat KTP").',
                    'Cék status: "cék status KTP-2026-000001". Kanggo ningali catetan petugas, '
                    "kintun 4 angka pamungkas NIK; teras Sadérék tiasa menta dibéjaan.",
                    'Pangaduan, aspirasi atanapi pamundut informasi: "abdi hoyong ngadu". '
                    'Sadérék kéngingan nomer laporan; serat "batal" kanggo eureun.',
                ],
            ),
            (
                "Nyarios sareng petugas",
                ['Serat "nyarios sareng petugas". Petugas ngawaler dina obrolan nu sami.'],
            ),
            (
                "Data Sadérék",
                [
                    '"data abdi naon waé?" némbongkeun data nu disimpen; "hapus data abdi" '
                    'menta dihapus; "eureun" ngeureunkeun béja status.',
                ],
            ),
        ],
        "other_link": "Kawijakan privasi",
    },
    "en": {
        "title": "Halo Warga guide",
        "languages_label": "Language",
        "intro": "Ask about public services, check a status and file complaints by chat.",
        "sections": [
            (
                "Where",
                [
                    "The web chat on the local government's site, Telegram, or WhatsApp. Just "
                    "type your question in Indonesian, Javanese, Sundanese or English.",
                ],
            ),
            (
                "What the bot can do",
                [
                    "Requirements, procedure, fees, processing time and office of a service "
                    '(e.g. "ID card requirements").',
                    'Status: "check status KTP-2026-000001". To see the officer\'s note, send '
                    "the last 4 digits of the NIK next; then you can ask for updates.",
                    'Complaints, aspirations or information requests: "I want to complain". '
                    'You get a report number; type "cancel" to stop at any time.',
                ],
            ),
            (
                "Talk to an officer",
                ['Type "talk to an officer". The officer replies in the same conversation.'],
            ),
            (
                "Your data",
                [
                    '"what data do you hold" shows what we keep; "delete my data" asks for '
                    'erasure; "stop" stops status updates.',
                ],
            ),
        ],
        "other_link": "Privacy policy",
    },
}


def _language(available: dict[str, dict[str, Any]]) -> str:
    lang = request.args.get("lang", "id")
    return lang if lang in available else "id"


@bp.get("/privacy")
def privacy() -> str:
    """The privacy policy (Indonesian and English; Javanese and Sundanese read Indonesian)."""
    lang = _language(PRIVACY)
    languages = [(c, n) for c, n in LANGUAGE_NAMES if c in PRIVACY]
    other = url_for("pages.help_page", lang=request.args.get("lang", lang))
    return render_template(
        "pages/page.html", page=PRIVACY[lang], lang=lang, languages=languages, other_url=other
    )


@bp.get("/help")
def help_page() -> str:
    """The citizen's guide in the four languages the bot speaks."""
    lang = _language(HELP)
    other = url_for("pages.privacy", lang=lang)
    return render_template(
        "pages/page.html", page=HELP[lang], lang=lang, languages=LANGUAGE_NAMES, other_url=other
    )
