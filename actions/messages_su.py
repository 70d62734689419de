"""Basa Sunda (lemes): every text the actions send. Same keys as `messages_id`."""

from __future__ import annotations

MONTHS: tuple[str, ...] = tuple(
    "Januari Fébruari Maret April Méi Juni Juli Agustus Séptémber Oktober Nopémber Désémber".split()
)
DAYS: tuple[str, ...] = ("Senén", "Salasa", "Rebo", "Kemis", "Jumaah", "Saptu", "Minggu")

MESSAGES: dict[str, str] = {
    # --- shared -------------------------------------------------------------------------
    "helpdesk_busy": (
        "Hapunten, sistem kami nuju sibuk janten teu acan tiasa nyandak data. "
        "Mangga cobian deui sakedap deui, atanapi langsung hubungi kantor layanan "
        "anu pangcaketna."
    ),
    "this_service": "layanan ieu",
    # --- service answers (formatting.py) ------------------------------------------------
    "intent.ask_requirements": "Sarat-sarat",
    "intent.ask_procedure": "Tata cara",
    "intent.ask_fee": "Waragad",
    "intent.ask_duration": "Lami prosés",
    "intent.ask_location_hours": "Tempat & jam",
    "intent.ask_eligibility": "Saha nu tiasa ngajukeun",
    "regional.note": "Catetan: {note}",
    "regional.generic": "katangtuan ieu tiasa bénten di unggal daérah.",
    "requirements.title": "Sarat-sarat {name}:",
    "requirements.who": "Kanggo: {who}",
    "requirements.none": (
        "Hapunten, daptar sarat {name} teu acan aya. Mangga taroskeun ka kantor."
    ),
    "procedure.title": "Tata cara ngurus {name}:",
    "procedure.none": "Hapunten, tata cara ngurus {name} teu acan aya. Mangga taroskeun ka kantor.",
    "fee.free": "Waragad {name}: Gratis.",
    "fee.amount": "Waragad {name}: {amount}.",
    "fee.title": "Waragad {name}:",
    "fee.none": ("Hapunten, inpormasi waragad {name} teu acan aya. Mangga taroskeun ka kantor."),
    "fee.report": "Upami aya anu ménta bayaran, Sadérék tiasa ngalaporkeunana di dieu.",
    "duration.title": "Lamina prosés {name}:",
    "eligibility.title": "Saha waé anu tiasa ngajukeun {name}:",
    "eligibility.none": (
        "Hapunten, katerangan saha anu tiasa ngajukeun {name} teu acan aya. "
        "Mangga taroskeun ka kantor layanan satempat."
    ),
    "duration.none": (
        "Hapunten, inpormasi lamina prosés {name} teu acan aya. Mangga taroskeun ka kantor."
    ),
    "duration.validity": "Masa berlaku: {validity}",
    "location.title": "Tempat ngurus {name}:",
    "location.address": "Alamat: {address}",
    "location.hours": "Jam layanan:",
    "location.phone": "Telepon: {phone}",
    "location.website": "Situs: {website}",
    "location.none": "Hapunten, data kantorna teu acan aya.",
    "location.online": "Tiasa ogé online: {online}",
    "location.region": "Data kantor ieu kanggo {region}.",
    "contact.phone": "telepon {phone}",
    "follow_up": "Aya deui anu palay diuninga ngeunaan {name}?",
    # --- catalog actions ----------------------------------------------------------------
    "catalog.ask_which": "Layanan naon anu dimaksad ku Sadérék?",
    "catalog.type_hint": "Mangga ketik nami layananana, contona KTP, Kartu Keluarga, atanapi SKCK.",
    "catalog.unknown": (
        "Hapunten, layanan éta teu acan aya dina katalog kami. "
        "Palay ditingalikeun daptar layanan anu aya?"
    ),
    "catalog.show_list": "Tingali daptar layanan",
    "catalog.empty": "Hapunten, daptar layanan teu acan aya ayeuna.",
    "catalog.more": "Layanan sanésna",
    "catalog.list_title": "Layanan anu tiasa dibantos ku abdi:",
    "catalog.list_title_region": "Layanan anu tiasa dibantos ku abdi di {region}:",
    "catalog.list_footer": (
        "Mangga pilih layanan kanggo ningali saratna, atanapi taroskeun langsung."
    ),
    "category.kependudukan": "Kapendudukan",
    "category.kepolisian": "Kapulisian",
    "category.perizinan": "Perizinan",
    "category.pajak": "Pajeg",
    "category.kesehatan": "Kaséhatan",
    "category.sosial": "Sosial",
    "category.ketenagakerjaan": "Padamelan",
    "category.keimigrasian": "Imigrasi",
    "category.other": "Sanésna",
    # --- the resolver: other agencies, refusals, case answers, the service page ---------
    "elsewhere.answer": (
        "{title} henteu diurus di layanan kami, nanging ku {agency}.\nCara ngahubungan: {reach}"
    ),
    "elsewhere.officer": "Naroskeun ka patugas",
    "catalog.refused": (
        "Hapunten, abdi ngan ukur tiasa ngabantos patarosan ngeunaan layanan umum, contona "
        '"sarat KTP" atanapi "biaya SKCK".'
    ),
    "case.others": "Kaperluan sanésna: pilih di handap, atanapi tingali sadayana di {url}",
    "case.choose": "Waleran pikeun {name} béda numutkeun kaperluan Sadérék. Pilih salah sahiji:",
    "case.others_no_url": "Kaperluan sanésna: pilih di handap.",
    "page.link": "Langkung lengkep: {url}",
    # --- request status -----------------------------------------------------------------
    "next.needs_documents": (
        "Léngkah salajengna: mangga lengkepan dokumén anu dipénta dina catetan patugas, "
        "teras candak ka kantor layanan bari nyebatkeun nomer permohonan ieu."
    ),
    "next.ready": (
        "Léngkah salajengna: mangga candak dokumén Sadérék di kantor layanan dina jam damel. "
        "Candak ogé bukti permohonan sareng kartu idéntitas Sadérék."
    ),
    "next.rejected": (
        "Léngkah salajengna: mangga aos alesan panolakan dina catetan patugas. Sadérék tiasa "
        "ngajukeun deui saatos ngalereskeunana, atanapi naroskeun langsung ka patugas."
    ),
    "tracking.format_hint": (
        "Formatna: kode layanan (2–5 hurup), taun, teras 6 angka, contona {example}."
    ),
    "tracking.ask": "Tiasa disebatkeun nomer permohonan Sadérék?",
    "tracking.malformed": "Hapunten, nomer permohonan éta teu acan luyu sareng formatna.",
    "tracking.where": "Nomerna aya dina bukti permohonan Sadérék.",
    "tracking.nik": (
        "Kanggo kaamanan data Sadérék, punten ulah ngintunkeun NIK di dieu. "
        "Kanggo mariksa status cekap ngintunkeun nomer permohonan."
    ),
    "tracking.not_found": (
        "Hapunten, permohonan kalayan nomer {number} teu kapendak. Mangga parios deui "
        "nomerna dina bukti permohonan Sadérék. Upami parantos leres, Sadérék tiasa "
        "naroskeun ka patugas."
    ),
    "tracking.ask_officer": "Hubungi patugas",
    "request.heading": "Status permohonan {number}",
    "request.service": "Layanan: {name}",
    "request.status": "Status: {label}",
    "request.submitted": "Diajukeun: {date}",
    "request.updated": "Pembaharuan pamungkas: {date}",
    "request.note": "Catetan patugas: {note}",
    "redacted.nik": "[NIK disumputkeun]",
    "redacted.phone": "[nomer telepon disumputkeun]",
    # --- handoff and complaints ---------------------------------------------------------
    "handoff.connected": "Mangga, Sadérék nuju disambungkeun sareng patugas.",
    "handoff.already_open": "Obrolan Sadérék parantos diladénan ku patugas.",
    "handoff.replies_here": (
        "Patugas badé ngawaler dina obrolan ieu; teu kedah ngintun deui pesen."
    ),
    "handoff.failed": "Hapunten, ayeuna kami teu acan tiasa nyambungkeun Sadérék sareng patugas.",
    "handoff.queue_position": "Posisi antrian Sadérék: {position}.",
    "handoff.expected_wait": "Perkiraan waktos ngantosan: {wait}.",
    "complaint.forwarded": "Hatur nuhun, pangaduan Sadérék parantos kami teraskeun ka patugas.",
    "complaint.failed": (
        "Hapunten, pangaduan Sadérék teu acan tiasa diteraskeun ayeuna, janten teu acan kacatet."
    ),
    "complaint.lapor": (
        "Pangaduan ogé tiasa disanggakeun ngalangkungan SP4N-LAPOR! di lapor.go.id."
    ),
    "complaint.details_intro": "Supados gancang ditindaklajutan, mangga kintunkeun ogé:",
    "complaint.detail.details": "naon anu kajantenan, sacara singget",
    "complaint.detail.location": "lokasina (alamat, désa/kelurahan)",
    "complaint.detail.time": "waktos kajadianana (tanggal sareng jam)",
    "contact.office": "Mangga cobian deui engké, atanapi langsung hubungi kantor layanan",
    "wait.under_minute": "kirang ti 1 menit",
    "wait.about": "sakitar {duration}",
    "wait.minute_one": "1 menit",
    "wait.minutes": "{n} menit",
    "wait.hour_one": "1 jam",
    "wait.hours": "{n} jam",
    # --- language -----------------------------------------------------------------------
    "language.ask": "Sadérék palay nganggo basa naon?",
    "language.confirm": "Mangga, urang lajengkeun nganggo Basa Sunda.",
    "verify.armed": (
        "Kanggo ningali catetan petugas sareng data Sadérék, mangga kintun 4 angka pamungkas "
        "NIK pemohon salaku pesen salajengna."
    ),
    "verify.locked": "Rinci nomer ieu nuju dikonci 1 jam kusabab seueur teuing cobian nu lepat.",
    "verify.no_identity": "Rinci sanésna ngan tiasa ditaroskeun langsung ka petugas.",
    "complaint.heading": "Status laporan {number}",
}
