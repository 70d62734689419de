"""Basa Sunda (lemes): every text of the router-side journeys (keys as in `messages_id`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "words.yes": "muhun|sumuhun|leres|kintun|lajengkeun|mangga",
    "words.no": "henteu|teu|sanés|ulah",
    "words.skip": "lengkepan|liwat|teu aya|henteu aya|henteu",
    "words.cancel": "batal|batalkeun|eureun|kaluar|teu jadi",
    "button.yes": "Muhun",
    "button.no": "Henteu",
    "button.skip": "Lengkepan",
    "button.send": "Kintun laporan",
    "button.cancel": "Batal",
    "consent.notice": (
        "Katerangan privasi: pesen Sadérék disimpen kanggo ngalayanan pamundut Sadérék sareng "
        "ngan dibuka ku petugas nu wenang. Punten ulah ngintun data nu teu diperyogikeun. "
        'Kawijakan privasi: {privacy_url} · Pituduh: {help_url}. Serat "data abdi naon '
        'waé?" kanggo ningali data Sadérék atanapi "hapus data abdi" kanggo ngahapus.'
    ),
    "help.answer": (
        "Abdi tiasa ngajelaskeun sarat, tata cara, biaya sareng lokasi layanan, mariksa "
        'status (serat "cék status" sareng nomerna), nampi pangaduan (serat "abdi hoyong '
        'ngadu"), atanapi nyambungkeun ka petugas (serat "nyarios sareng petugas"). '
        "Pituduh lengkep: {help_url} · Kawijakan privasi: {privacy_url}"
    ),
    "complaint.start": (
        "Mangga, abdi bantos nyatet laporan Sadérék. Sadérék tiasa eureun iraha waé ku "
        'nyerat "batal".\nLaporan Sadérék kalebet jinis naon?'
    ),
    "complaint.category_invalid": (
        "Hapunten, mangga pilih salah sahiji: 1 Pangaduan, 2 Aspirasi, atanapi 3 Pamundut "
        "informasi."
    ),
    "complaint.ask_description": "Mangga carioskeun naon nu kajantenan (sahenteuna {min} hurup).",
    "complaint.description_short": (
        "Caritana masih pondok teuing. Mangga jelaskeun langkung lengkep naon nu kajantenan "
        "(sahenteuna {min} hurup)."
    ),
    "complaint.ask_location": "Di mana kajadianana? (nami tempat, jalan, kelurahan atanapi désa)",
    "complaint.location_invalid": "Mangga serat lokasina (sahenteuna 3 hurup).",
    "complaint.ask_when": "Iraha kajadianana? (contona: dinten ieu, kamari, atanapi 20/11/2026)",
    "complaint.when_invalid": (
        "Hapunten, waktosna teu acan kahartos atanapi masih di payun. Serat contona: dinten "
        "ieu, kamari, 3 dinten kapengker, atanapi 20/11/2026."
    ),
    "complaint.ask_photo": (
        "Aya poto atanapi dokumén pangrojong? Mangga kintun ayeuna (JPG, PNG atanapi PDF, "
        'panggedéna 10 MB), atanapi serat "lengkepan".'
    ),
    "complaint.photo_received": "Lampiran parantos katampi: {name}.",
    "complaint.photo_invalid": 'Mangga kintun potona, atanapi serat "lengkepan".',
    "complaint.ask_handling": (
        "Laporan ieu badé diurus kumaha?\n"
        "• Publik: eusina tiasa dipidangkeun.\n"
        "• Rahasia: eusina henteu dipublikasikeun.\n"
        "• Anonim: idéntitas Sadérék disumputkeun ti petugas sareng laporan."
    ),
    "complaint.handling_invalid": "Mangga pilih salah sahiji: Publik, Rahasia, atanapi Anonim.",
    "complaint.ask_nik": (
        "Supados engké Sadérék tiasa ningali rinci laporan, mangga kintun NIK Sadérék "
        '(16 angka). NIK dijaga rusiahna. Serat "lengkepan" upami teu kersa.'
    ),
    "complaint.nik_invalid": 'NIK kedah 16 angka. Mangga kintun deui, atanapi serat "lengkepan".',
    "complaint.summary": (
        "Ringkesan laporan Sadérék:\n• Jinis: {category}\n• Kajadian: {description}\n"
        "• Lokasi: {location}\n• Waktos: {occurred}\n• Lampiran: {photo}\n"
        "• Penanganan: {handling}\n• NIK: {nik}\n"
        'Parantos leres? Waler "muhun" kanggo ngintun, atanapi "batal".'
    ),
    "complaint.confirm_invalid": (
        'Waler "muhun" kanggo ngintun laporan, atanapi "batal" kanggo ngabatalkeun.'
    ),
    "complaint.filed": (
        "Laporan Sadérék parantos katampi kalayan nomer {number}. Mangga simpen nomer ieu; "
        'kamajenganana tiasa dipariksa ku nyerat "cék status {number}". Laporan '
        "diteraskeun ka unit {unit} sareng diverifikasi paling lami 3 dinten damel. Béja "
        'robihna status badé dikintun ka dieu (serat "eureun" kanggo ngeureunkeun béja).'
    ),
    "complaint.cancelled": (
        "Mangga, laporan dibatalkeun sareng eusina henteu disimpen. Aya deui nu tiasa dibantos?"
    ),
    "complaint.failed": (
        "Hapunten, laporan teu acan tiasa disimpen kusabab aya gangguan. Mangga cobian deui "
        "engké atanapi laporkeun ngalangkungan lapor.go.id."
    ),
    "none": "teu aya",
    "nik.given": "parantos dipasihkeun (disumputkeun)",
    "handling.public": "Publik",
    "handling.rahasia": "Rahasia",
    "handling.anonim": "Anonim",
    "lookup.verified": "Idéntitas cocog. Rinci {number}:",
    "lookup.name": "• Nami: {name}",
    "lookup.nik": "• NIK: {nik}",
    "lookup.phone": "• Telepon: {phone}",
    "lookup.note": "• Catetan petugas: {note}",
    "lookup.no_note": "• Teu acan aya catetan petugas.",
    "lookup.complaint": "• Laporan: {description}",
    "lookup.wrong": "Hapunten, 4 angka éta henteu cocog. Sésa kasempetan: {n}.",
    "lookup.locked": (
        "Seueur teuing cobian nu lepat. Rinci nomer {number} dikonci 1 jam. Status umumna "
        "tetep tiasa dipariksa."
    ),
    "notify.offer": 'Hoyong dibéjaan di dieu upami status {number} robih? Waler "muhun".',
    "notify.subscribed": (
        'Mangga, Sadérék badé dibéjaan di dieu upami status {number} robih. Serat "eureun" '
        "iraha waé kanggo ngeureunkeun."
    ),
    "notify.declined": "Mangga, henteu aya béja otomatis.",
    "notify.update": (
        'Béja énggal kanggo {number}: statusna ayeuna "{label}".{note} Serat "eureun" '
        "kanggo ngeureunkeun béja."
    ),
    "notify.update_note": " Catetan: {note}.",
    "notify.stopped": "Mangga, Sadérék moal nampi béja otomatis deui.",
    "notify.nothing": "Sadérék nuju henteu ngalanggan béja status naon waé.",
    "erasure.filed": (
        "Pamundut ngahapus data Sadérék parantos dicatet (nomer pamundut {id}). Petugas "
        "mariksa paling lami {due} WIB; hasilna dibéjakeun di dieu."
    ),
    "erasure.already": (
        "Pamundut ngahapus data Sadérék (nomer {id}) parantos dicatet sareng nuju dipariksa."
    ),
    "erasure.approved": (
        "Pamundut ngahapus data Sadérék disatujuan. Pesen, idéntitas (NIK, nomer telepon), "
        "lampiran sareng laporan Sadérék dina layanan ieu parantos dihapus atanapi "
        "dianonimkeun."
    ),
    "erasure.refused": "Pamundut ngahapus data Sadérék teu tiasa dicumponan. Alesanana: {reason}",
    "access.answer": (
        "Data Sadérék nu disimpen dina layanan ieu (pamundut nomer {id}, numutkeun UU 27/2022 "
        "Pasal 32):\n• Obrolan ieu: {messages} pesen ti saprak {since} (kanal {channel}, "
        "basa {chat_language})\n• Laporan: {complaints}\n• Nomer nu ku Sadérék diverifikasi: "
        "{verified}\n• Langganan béja: {subscriptions}\n• Lampiran: {attachments}\n"
        "NIK sareng nomer telepon ngan ditémbongkeun disamarkeun. Sadérék tiasa menta "
        'dibenerkeun atanapi dihapus (serat "hapus data abdi").'
    ),
    "upload.received": "Lampiran parantos katampi: {name}. Petugas tiasa ningalina.",
    "docs.start": "Dokumén kanggo {number} ({count} butir). Kintun poto atanapi PDF kanggo "
    'unggal butir; serat "lengkepan" kanggo ngalangkungan, "batal" kanggo eureun.',
    "docs.item": "{index}/{count}: {item}",
    "docs.stored": 'Katampi kanggo "{item}": {name}.',
    "docs.invalid": 'Mangga kintun poto atanapi PDF kanggo butir ieu, atanapi serat "lengkepan".',
    "docs.done": "Hatur nuhun: {stored} dokumén parantos dilampirkeun dina {number}; petugas "
    "badé mariksa.",
    "docs.need_verified": 'Kanggo ngintun dokumén, mangga cék status pamundut heula ("cék '
    'status" sareng nomerna) teras kintun 4 angka pamungkas NIK.',
    "docs.none": "Katalog teu acan nyerat sarat kanggo {number}.",
    "words.documents": "kintun dokumen|kintun berkas|lengkepan dokumen",
    # --- issue 17: ask before a complaint; the way out of every form ---
    "complaint.check": "Sadérék hoyong ngadamel pangaduan?",
    "complaint.check_declined": "Muhun, teu jadi ngadamel pangaduan. Aya nu tiasa dibantos?",
    "form.complaint": "ngeusian pangaduan",
    "form.documents": "ngirim dokumén",
    "form.survey": "survéi kapuasan",
    "form.application": "ngajukeun permohonan",
    "form.verify": "mariksa idéntitas",
    "form.resume": "Badé neraskeun {form} tadi?",
    "form.left": "Muhun, {form} dieureunkeun. Aya nu tiasa dibantos?",
    "button.continue": "Teraskeun",
    "lookup.ask_last4": "Kirim 4 angka pamungkas NIK pemohon pikeun ningali detil {number}.",
    "words.resume": "teraskeun|lajengkeun|terus|muhun|mangga",
}
