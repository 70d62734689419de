"""Basa Jawa (krama): every text the actions send. Same keys as `messages_id`."""

from __future__ import annotations

MONTHS: tuple[str, ...] = tuple(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
)
DAYS: tuple[str, ...] = ("Senen", "Selasa", "Rebo", "Kemis", "Jumuwah", "Setu", "Minggu")

MESSAGES: dict[str, str] = {
    # --- shared -------------------------------------------------------------------------
    "helpdesk_busy": (
        "Nyuwun pangapunten, sistem kula saweg repot saengga dereng saged mendhet data. "
        "Mangga dipuncoba malih sakedhap engkas, utawi langsung hubungi kantor layanan "
        "ingkang celak."
    ),
    "this_service": "layanan punika",
    # --- service answers (formatting.py) ------------------------------------------------
    "intent.ask_requirements": "Sarat-sarat",
    "intent.ask_procedure": "Tata cara",
    "intent.ask_fee": "Wragad",
    "intent.ask_duration": "Dangunipun proses",
    "intent.ask_location_hours": "Papan & jam",
    "intent.ask_eligibility": "Sinten ingkang saged ngajengaken",
    "regional.note": "Cathetan: {note}",
    "regional.generic": "pranatan punika saged benten ing saben dhaerah.",
    "requirements.title": "Sarat-sarat {name}:",
    "requirements.who": "Kangge: {who}",
    "requirements.none": (
        "Nyuwun pangapunten, daftar sarat {name} dereng wonten. "
        "Mangga dipunpitakenaken dhateng kantor."
    ),
    "procedure.title": "Tata cara ngurus {name}:",
    "procedure.none": (
        "Nyuwun pangapunten, tata cara ngurus {name} dereng wonten. "
        "Mangga dipunpitakenaken dhateng kantor."
    ),
    "fee.free": "Wragad {name}: Gratis.",
    "fee.amount": "Wragad {name}: {amount}.",
    "fee.title": "Wragad {name}:",
    "fee.none": (
        "Nyuwun pangapunten, informasi wragad {name} dereng wonten. "
        "Mangga dipunpitakenaken dhateng kantor."
    ),
    "fee.report": (
        "Menawi wonten ingkang nyuwun arta, panjenengan saged nglaporaken wonten ing ngriki."
    ),
    "duration.title": "Dangunipun proses {name}:",
    "eligibility.title": "Sinten ingkang saged ngajengaken {name}:",
    "eligibility.none": (
        "Nyuwun pangapunten, katrangan sinten ingkang saged ngajengaken {name} dereng "
        "wonten. Mangga nyuwun pirsa dhateng kantor layanan setempat."
    ),
    "duration.none": (
        "Nyuwun pangapunten, informasi dangunipun proses {name} dereng wonten. "
        "Mangga dipunpitakenaken dhateng kantor."
    ),
    "duration.validity": "Wekdal lumampah: {validity}",
    "location.title": "Papan ngurus {name}:",
    "location.address": "Alamat: {address}",
    "location.hours": "Jam layanan:",
    "location.phone": "Telpon: {phone}",
    "location.website": "Situs: {website}",
    "location.none": "Nyuwun pangapunten, data kantoripun dereng wonten.",
    "location.online": "Saged ugi online: {online}",
    "location.region": "Data kantor punika kangge {region}.",
    "contact.phone": "telpon {phone}",
    "follow_up": "Wonten malih ingkang panjenengan kersakaken pirsa babagan {name}?",
    # --- catalog actions ----------------------------------------------------------------
    "catalog.ask_which": "Layanan punapa ingkang panjenengan karsakaken?",
    "catalog.type_hint": (
        "Mangga ketik nami layananipun, upaminipun KTP, Kartu Keluarga, utawi SKCK."
    ),
    "catalog.unknown": (
        "Nyuwun pangapunten, layanan punika dereng wonten ing katalog kula. "
        "Punapa panjenengan kersa pirsa daftar layanan ingkang wonten?"
    ),
    "catalog.show_list": "Pirsani daftar layanan",
    "catalog.empty": "Nyuwun pangapunten, daftar layanan dereng wonten samangke.",
    "catalog.more": "Layanan sanesipun",
    "catalog.list_title": "Layanan ingkang saged kula biyantu:",
    "catalog.list_title_region": "Layanan ingkang saged kula biyantu ing {region}:",
    "catalog.list_footer": (
        "Mangga pilih layanan kangge mirsani saratipun, utawi langsung dipunpitakenaken."
    ),
    "category.kependudukan": "Kependudukan",
    "category.kepolisian": "Kapolisian",
    "category.perizinan": "Perizinan",
    "category.pajak": "Pajak",
    "category.kesehatan": "Kasarasan",
    "category.sosial": "Sosial",
    "category.ketenagakerjaan": "Padamelan",
    "category.keimigrasian": "Imigrasi",
    "category.other": "Sanesipun",
    # --- the resolver: other agencies, refusals, case answers, the service page ---------
    "elsewhere.answer": (
        "{title} boten dipunurus ing layanan kula, nanging dening {agency}.\nCara nyambet: {reach}"
    ),
    "elsewhere.officer": "Nyuwun pirsa petugas",
    "catalog.refused": (
        "Nyuwun pangapunten, kula namung saged mbiyantu pitakenan babagan layanan umum, "
        'upaminipun "syarat KTP" utawi "biaya SKCK".'
    ),
    "case.others": "Keperluan sanesipun: pilih ing ngandhap, utawi pirsani sedaya ing {url}",
    "case.choose": (
        "Wangsulan kangge {name} benten miturut keperluan panjenengan. Pilih salah satunggal:"
    ),
    "case.others_no_url": "Keperluan sanesipun: pilih ing ngandhap.",
    "page.link": "Langkung jangkep: {url}",
    # --- request status -----------------------------------------------------------------
    "next.needs_documents": (
        "Lajengipun: mangga jangkepi dokumen ingkang dipunsuwun ing cathetan petugas, "
        "lajeng bekta dhateng kantor layanan kanthi nyebataken nomer panyuwunan punika."
    ),
    "next.ready": (
        "Lajengipun: mangga mendhet dokumen panjenengan ing kantor layanan ing jam kerja. "
        "Bekta bukti panyuwunan lan kertu identitas panjenengan."
    ),
    "next.rejected": (
        "Lajengipun: mangga waos alesan panolakan ing cathetan petugas. Panjenengan saged "
        "ngaturaken malih sasampunipun ndandosi, utawi nyuwun pirsa langsung dhateng petugas."
    ),
    "tracking.format_hint": (
        "Formatipun: kode layanan (2–5 aksara), taun, lajeng 6 angka, upaminipun {example}."
    ),
    "tracking.ask": "Nyuwun pirsa, pinten nomer panyuwunan panjenengan?",
    "tracking.malformed": (
        "Nyuwun pangapunten, nomer panyuwunan punika dereng jumbuh kaliyan formatipun."
    ),
    "tracking.where": "Nomeripun wonten ing bukti panyuwunan panjenengan.",
    "tracking.nik": (
        "Kangge kaamanan data panjenengan, nyuwun sampun ngintun NIK wonten ing ngriki. "
        "Kangge mriksa status cekap ngintun nomer panyuwunan."
    ),
    "tracking.not_found": (
        "Nyuwun pangapunten, panyuwunan kanthi nomer {number} boten kapanggih. Mangga "
        "dipunpriksa malih nomeripun ing bukti panyuwunan panjenengan. Menawi sampun leres, "
        "panjenengan saged nyuwun pirsa dhateng petugas."
    ),
    "tracking.ask_officer": "Hubungi petugas",
    "request.heading": "Status panyuwunan {number}",
    "request.service": "Layanan: {name}",
    "request.status": "Status: {label}",
    "request.submitted": "Dipunaturaken: {date}",
    "request.updated": "Dipunanyari pungkasan: {date}",
    "request.note": "Cathetan petugas: {note}",
    "redacted.nik": "[NIK dipunsingidaken]",
    "redacted.phone": "[nomer telpon dipunsingidaken]",
    # --- handoff and complaints ---------------------------------------------------------
    "handoff.connected": "Inggih, panjenengan saweg kula sambungaken kaliyan petugas.",
    "handoff.already_open": "Obrolan panjenengan sampun dipunladosi petugas.",
    "handoff.replies_here": (
        "Petugas badhe mangsuli wonten ing obrolan punika; boten perlu ngintun pesen malih."
    ),
    "handoff.failed": (
        "Nyuwun pangapunten, samangke kula dereng saged nyambungaken panjenengan kaliyan petugas."
    ),
    "handoff.queue_position": "Urutan antrean panjenengan: {position}.",
    "handoff.expected_wait": "Kinten-kinten wekdal ngentosi: {wait}.",
    "complaint.forwarded": (
        "Matur nuwun, pangaduan panjenengan sampun kula aturaken dhateng petugas."
    ),
    "complaint.failed": (
        "Nyuwun pangapunten, pangaduan panjenengan dereng saged kula aturaken samangke, "
        "dados dereng kacathet."
    ),
    "complaint.lapor": "Pangaduan ugi saged dipunaturaken lumantar SP4N-LAPOR! ing lapor.go.id.",
    "complaint.details_intro": "Supados enggal dipuntindaklanjuti, nyuwun ugi kakintun:",
    "complaint.detail.details": "punapa ingkang kedadosan, kanthi cekak",
    "complaint.detail.location": "papanipun (alamat, desa/kelurahan)",
    "complaint.detail.time": "wekdal kedadosanipun (tanggal lan jam)",
    "contact.office": "Mangga dipuncoba malih mangke, utawi langsung hubungi kantor layanan",
    "wait.under_minute": "kirang saking 1 menit",
    "wait.about": "watawis {duration}",
    "wait.minute_one": "1 menit",
    "wait.minutes": "{n} menit",
    "wait.hour_one": "1 jam",
    "wait.hours": "{n} jam",
    # --- language -----------------------------------------------------------------------
    "language.ask": "Panjenengan kersa ngginakaken basa punapa?",
    "language.confirm": "Inggih, salajengipun kula ngladosi panjenengan mawi Basa Jawa.",
    "verify.armed": (
        "Kangge mirsani cathetan petugas lan data panjenengan, mugi ngintun 4 angka pungkasan "
        "NIK pemohon minangka pesen salajengipun."
    ),
    "verify.locked": (
        "Rincian nomer punika saweg dipunkunci 1 jam amargi kathah sanget coba ingkang lepat."
    ),
    "verify.no_identity": "Rincian sanesipun namung saged dipuntakenaken dhateng petugas.",
    "complaint.heading": "Status laporan {number}",
}
