"""Basa Jawa (krama): every text of the router-side journeys (keys as in `messages_id`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "words.yes": "inggih|nggih|enggih|leres|sampun leres|kintun|lajeng|saged",
    "words.no": "mboten|boten|sanes|ampun",
    "words.skip": "langkungi|liwati|mboten wonten|boten wonten|mboten",
    "words.cancel": "batal|batalaken|mandheg|kendel|mboten sida|boten sida",
    "button.yes": "Inggih",
    "button.no": "Mboten",
    "button.skip": "Langkungi",
    "button.send": "Kintun laporan",
    "button.cancel": "Batal",
    "consent.notice": (
        "Katrangan privasi: pesen panjenengan dipunsimpen kangge ngladosi panyuwunan "
        "panjenengan lan namung dipunbikak petugas ingkang wenang. Nyuwun sampun ngintun data "
        "ingkang mboten prelu. Kawicaksanan privasi: {privacy_url} · Pitedah: {help_url}. "
        'Serat "data kula punapa kemawon?" kangge mirsani data panjenengan utawi '
        '"busak data kula" kangge mbusak.'
    ),
    "help.answer": (
        "Kula saged ngaturaken syarat, tata cara, biaya lan papan layanan, ngecek status "
        '(serat "cek status" lan nomeripun), nampi pangaduan (serat "kula badhe ngadu"), '
        'utawi nyambungaken panjenengan kaliyan petugas (serat "matur kaliyan petugas"). '
        "Pitedah jangkep: {help_url} · Kawicaksanan privasi: {privacy_url}"
    ),
    "complaint.start": (
        "Sumangga, kula biyantu nyathet laporan panjenengan. Panjenengan saged kendel "
        'sawanci-wanci kanthi nyerat "batal".\nLaporan panjenengan punika jinis punapa?'
    ),
    "complaint.category_invalid": (
        "Nyuwun pangapunten, mugi milih setunggal: 1 Pangaduan, 2 Aspirasi, utawi "
        "3 Panyuwunan informasi."
    ),
    "complaint.ask_description": (
        "Mugi kacariyosaken punapa ingkang kedadosan (paling sekedhik {min} aksara)."
    ),
    "complaint.description_short": (
        "Cariyosipun taksih kirang cekap. Mugi dipunandharaken langkung jangkep punapa "
        "ingkang kedadosan (paling sekedhik {min} aksara)."
    ),
    "complaint.ask_location": (
        "Wonten pundi kedadosanipun? (nami papan, margi, kelurahan utawi desa)"
    ),
    "complaint.location_invalid": "Mugi kaserat papanipun (paling sekedhik 3 aksara).",
    "complaint.ask_when": (
        "Kapan kedadosanipun? (tuladhanipun: dinten punika, wingi, utawi 20/11/2026)"
    ),
    "complaint.when_invalid": (
        "Nyuwun pangapunten, wekdalipun dereng saged kula mangertosi utawi taksih ing "
        "wekdal ingkang badhe dhateng. Serat tuladhanipun: dinten punika, wingi, 3 dinten "
        "kepengker, utawi 20/11/2026."
    ),
    "complaint.ask_photo": (
        "Wonten foto utawi dokumen panyengkuyung? Mugi dipunkintun sapunika (JPG, PNG utawi "
        'PDF, paling ageng 10 MB), utawi serat "langkungi".'
    ),
    "complaint.photo_received": "Lampiran sampun katampi: {name}.",
    "complaint.photo_invalid": 'Mugi ngintun fotonipun, utawi serat "langkungi".',
    "complaint.ask_handling": (
        "Laporan punika badhe dipuntangani kados pundi?\n"
        "• Publik: isinipun kenging dipuntampilaken.\n"
        "• Rahasia: isinipun mboten dipunpublikasikaken.\n"
        "• Anonim: jati dhiri panjenengan dipundhelikaken saking petugas lan laporan."
    ),
    "complaint.handling_invalid": "Mugi milih setunggal: Publik, Rahasia, utawi Anonim.",
    "complaint.ask_nik": (
        "Supados mangke panjenengan saged mirsani rincian laporan, mugi ngintun NIK "
        'panjenengan (16 angka). NIK dipunjagi wewadosipun. Serat "langkungi" menawi '
        "mboten kersa."
    ),
    "complaint.nik_invalid": (
        'NIK punika kedah 16 angka. Mugi dipunkintun malih, utawi serat "langkungi".'
    ),
    "complaint.summary": (
        "Ringkesan laporan panjenengan:\n• Jinis: {category}\n• Kedadosan: {description}\n"
        "• Papan: {location}\n• Wekdal: {occurred}\n• Lampiran: {photo}\n"
        "• Penanganan: {handling}\n• NIK: {nik}\n"
        'Punapa sampun leres? Wangsuli "inggih" kangge ngintun, utawi "batal".'
    ),
    "complaint.confirm_invalid": (
        'Wangsuli "inggih" kangge ngintun laporan, utawi "batal" kangge mbatalaken.'
    ),
    "complaint.filed": (
        "Laporan panjenengan sampun katampi kanthi nomer {number}. Mugi nomer punika "
        'dipunsimpen; perkembanganipun saged dipunpriksa kanthi nyerat "cek status '
        '{number}". Laporan dipunterusaken dhateng unit {unit} lan dipunverifikasi paling '
        "dangu 3 dinten makarya. Kabar owah-owahan status badhe dipunkintun mriki (serat "
        '"mandheg" kangge mandhegaken kabar).'
    ),
    "complaint.cancelled": (
        "Inggih, laporan dipunbatalaken lan isinipun mboten dipunsimpen. Wonten malih "
        "ingkang saged kula biyantu?"
    ),
    "complaint.failed": (
        "Nyuwun pangapunten, laporan dereng saged dipunsimpen amargi wonten gangguan. Mugi "
        "dipuncoba malih mangke utawi lapuraken lumantar lapor.go.id."
    ),
    "none": "mboten wonten",
    "nik.given": "sampun dipunparingaken (dipundhelikaken)",
    "handling.public": "Publik",
    "handling.rahasia": "Rahasia",
    "handling.anonim": "Anonim",
    "lookup.verified": "Jati dhiri cocog. Rincian {number}:",
    "lookup.name": "• Nami: {name}",
    "lookup.nik": "• NIK: {nik}",
    "lookup.phone": "• Telepon: {phone}",
    "lookup.note": "• Cathetan petugas: {note}",
    "lookup.no_note": "• Dereng wonten cathetan petugas.",
    "lookup.complaint": "• Laporan: {description}",
    "lookup.wrong": "Nyuwun pangapunten, 4 angka punika mboten cocog. Kantun {n} kesempatan.",
    "lookup.locked": (
        "Kathah sanget coba ingkang lepat. Rincian nomer {number} dipunkunci 1 jam. Status "
        "umumipun taksih saged dipunpriksa."
    ),
    "notify.offer": (
        'Punapa panjenengan kersa dipunkabari mriki menawi status {number} ewah? Wangsuli "inggih".'
    ),
    "notify.subscribed": (
        "Inggih, panjenengan badhe dipunkabari mriki menawi status {number} ewah. Serat "
        '"mandheg" sawanci-wanci kangge mandhegaken.'
    ),
    "notify.declined": "Inggih, mboten wonten kabar otomatis.",
    "notify.update": (
        'Kabar enggal kangge {number}: statusipun sapunika "{label}".{note} Serat '
        '"mandheg" kangge mandhegaken kabar.'
    ),
    "notify.update_note": " Cathetan: {note}.",
    "notify.stopped": "Inggih, panjenengan mboten badhe nampi kabar otomatis malih.",
    "notify.nothing": "Panjenengan saweg mboten langganan kabar status punapa kemawon.",
    "erasure.filed": (
        "Panyuwunan mbusak data panjenengan sampun kacathet (nomer panyuwunan {id}). Petugas "
        "mriksa paling dangu {due} WIB; asilipun kawula aturaken mriki."
    ),
    "erasure.already": (
        "Panyuwunan mbusak data panjenengan (nomer {id}) sampun kacathet lan saweg dipunpriksa."
    ),
    "erasure.approved": (
        "Panyuwunan mbusak data panjenengan dipunsarujuki. Pesen, jati dhiri (NIK, nomer "
        "telepon), lampiran lan laporan panjenengan ing layanan punika sampun dipunbusak "
        "utawi dipunanonimaken."
    ),
    "erasure.refused": "Panyuwunan mbusak data panjenengan mboten saged dipunleksanani. "
    "Alasanipun: {reason}",
    "access.answer": (
        "Data panjenengan ingkang kawula simpen ing layanan punika (panyuwunan nomer {id}, "
        "miturut UU 27/2022 Pasal 32):\n• Obrolan punika: {messages} pesen wiwit {since} "
        "(kanal {channel}, basa {chat_language})\n• Laporan: {complaints}\n"
        "• Nomer ingkang panjenengan verifikasi: {verified}\n• Langganan kabar: "
        "{subscriptions}\n• Lampiran: {attachments}\n"
        "NIK lan nomer telepon namung dipuntampilaken kasamar. Panjenengan saged nyuwun "
        'pandandosan utawi pambusakan (serat "busak data kula").'
    ),
    "upload.received": "Lampiran sampun katampi: {name}. Petugas saged mirsani.",
    "docs.start": "Dokumen kangge {number} ({count} butir). Kintun foto utawi PDF kangge "
    'saben butir; serat "langkungi" kangge nglangkungi, "batal" kangge kendel.',
    "docs.item": "{index}/{count}: {item}",
    "docs.stored": 'Katampi kangge "{item}": {name}.',
    "docs.invalid": 'Mugi ngintun foto utawi PDF kangge butir punika, utawi serat "langkungi".',
    "docs.done": "Matur nuwun: {stored} dokumen sampun kalampiraken ing {number}; petugas badhe "
    "mriksa.",
    "docs.need_verified": 'Kangge ngintun dokumen, mugi ngecek status panyuwunan rumiyin ("cek '
    'status" lan nomeripun) lajeng ngintun 4 angka pungkasan NIK.',
    "docs.none": "Katalog dereng nyerat syarat kangge {number}.",
    "words.documents": "kintun dokumen|kintun berkas|jangkepi dokumen",
    # --- issue 17: ask before a complaint; the way out of every form ---
    "complaint.check": "Panjenengan kersa ndamel pengaduan?",
    "complaint.check_declined": (
        "Inggih, mboten sida ndamel pengaduan. Wonten ingkang saged kula biyantu?"
    ),
    "form.complaint": "ngisi pengaduan",
    "form.documents": "ngintun dokumen",
    "form.survey": "survei kepuasan",
    "form.application": "ngajokaken permohonan",
    "form.verify": "mriksa identitas",
    "form.resume": "Badhe nglajengaken {form} wau?",
    "form.left": "Inggih, {form} dipunkendelaken. Wonten ingkang saged kula biyantu?",
    "button.continue": "Lajengaken",
    "lookup.ask_last4": "Kintunaken 4 angka pungkasan NIK pemohon kangge mirsani detail {number}.",
    "words.resume": "lajeng|lajengaken|terus|inggih|nggih",
}
