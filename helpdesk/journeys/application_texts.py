"""The online application's words in the four languages (chat form, web form, officer's
requests for documents). Indonesian is the source and the fallback; placeholders are the
same in every language (a test checks it).
"""

from __future__ import annotations

ID: dict[str, str] = {
    "start": (
        "Baik, saya bantu mengajukan {service} secara online: {fields} pertanyaan dan "
        '{documents} dokumen. Ketik "batal" untuk berhenti, atau "petugas" untuk bicara '
        "dengan petugas."
    ),
    "consent": "{consent}\nLanjutkan?",
    "button.agree": "Setuju",
    "button.cancel": "Batal",
    "button.send": "Kirim permohonan",
    "button.skip": "Lewati",
    "button.yes": "Ya",
    "button.no": "Tidak",
    "ask": "{index}/{count}. {label}",
    "hint": "({hint})",
    "optional": '(boleh dilewati: ketik "lewati")',
    "choices": "Pilih: {choices}",
    "document": "Dokumen {index}/{count}: {label}. Kirim foto atau PDF ({types}).",
    "document.received": 'Diterima untuk "{label}": {name}.',
    "document.wait": 'Kirim foto atau PDF untuk "{label}".',
    "document.type": 'File ini tidak diterima untuk "{label}": kirim {types}.',
    "updates": "Mau menerima kabar status permohonan ini di chat ini?",
    "summary": "Periksa permohonan Anda:\n{lines}\nDokumen: {documents}\nKirim sekarang?",
    "summary.invalid": 'Ketik "kirim" untuk mengirim, atau "batal" untuk membatalkan.',
    "none": "tidak ada",
    "skipped": "(dilewati)",
    "filed": (
        "Permohonan {service} Anda sudah diterima dengan nomor {number}.\n"
        "Selesai paling lambat {due} ({days} hari kerja).\n"
        "Selanjutnya: petugas {unit} memeriksa data dan dokumen Anda.{updates} "
        'Cek kapan saja dengan "cek status {number}".'
    ),
    "filed.updates": " Kabar setiap perubahan status dikirim di chat ini.",
    "cancelled": "Pengajuan dibatalkan. Data yang Anda isi tidak disimpan.",
    "which": "Layanan apa yang ingin Anda ajukan? Yang bisa diajukan online: {services}.",
    "not_online": (
        "{service} belum bisa diajukan online di sini. Yang bisa diajukan online: {services}."
    ),
    "resume": 'Kita lanjutkan pengajuan {service}. Ketik "batal" untuk berhenti.',
    "invalid.required": "Bagian ini wajib diisi.",
    "invalid.text_short": "Jawaban terlalu pendek: minimal {min} huruf.",
    "invalid.text_long": "Jawaban terlalu panjang: maksimal {max} huruf.",
    "invalid.text_letters": "Tulis dengan huruf, bukan hanya angka atau tanda baca.",
    "invalid.nik": "NIK harus 16 angka, tanpa huruf (lihat KTP-el atau KK Anda).",
    "invalid.phone": "Nomor HP harus nomor seluler Indonesia, misalnya 081234567890.",
    "invalid.date": "Tulis tanggal sebagai hari/bulan/tahun, misalnya 17/08/2024.",
    "invalid.date_future": "Tanggal itu belum lewat: tulis tanggal yang sudah lewat.",
    "invalid.date_past": "Tanggal itu sudah lewat: tulis tanggal hari ini atau nanti.",
    "invalid.choice": "Pilih salah satu: {choices}.",
    "invalid.consent": "Centang persetujuan untuk mengirim permohonan.",
    "invalid.document": 'Dokumen "{label}" wajib dilampirkan (foto atau PDF).',
    "missing": (
        "Petugas meminta dokumen tambahan untuk {number}:\n{items}\n{note}"
        "Kirim foto atau PDF-nya di chat ini, satu per satu."
    ),
    "missing.note": "Catatan petugas: {note}\n",
    "missing.done": (
        "Terima kasih, dokumen untuk {number} sudah diteruskan ke petugas. Anda akan diberi "
        "kabar di sini."
    ),
    "ready": "Siap diambil: {where}",
    # --- the web form -------------------------------------------------------------------
    "web.title": "Ajukan {service} online",
    "web.intro": (
        "Isi data di bawah, lampirkan dokumennya, lalu kirim. Selesai dalam {days} hari kerja."
    ),
    "web.required": "wajib",
    "web.optional": "boleh dikosongkan",
    "web.documents": "Dokumen (foto JPG/PNG atau PDF, seluruhnya maks. {mb} MB)",
    "web.consent": "Saya setuju",
    "web.submit": "Kirim permohonan",
    "web.errors": "Periksa lagi bagian yang ditandai.",
    "web.receipt": "Permohonan diterima",
    "web.number": "Nomor permohonan Anda",
    "web.keep": 'Simpan nomor ini untuk mengecek status di chat ("cek status {number}").',
    "web.due": "Selesai paling lambat {due} ({days} hari kerja).",
    "web.next": "Petugas {unit} memeriksa data dan dokumen Anda.",
    "web.pickup": "Tempat pengambilan: {where}",
    "web.back": "Kembali ke halaman layanan",
    "web.choose": "Pilih…",
    "web.whatsapp": "Kirim kabar perubahan status ke WhatsApp nomor HP di atas",
}

JV: dict[str, str] = {
    "start": (
        "Sumangga, kula biyantu ngajokaken {service} kanthi online: {fields} pitakenan lan "
        '{documents} dokumen. Ketik "batal" kangge mandheg, utawi "petugas" kangge '
        "ngendika kaliyan petugas."
    ),
    "consent": "{consent}\nDipun-lajengaken?",
    "button.agree": "Sarujuk",
    "button.cancel": "Batal",
    "button.send": "Kintun panyuwunan",
    "button.skip": "Liwati",
    "button.yes": "Inggih",
    "button.no": "Mboten",
    "optional": '(saged dipun-liwati: ketik "lewati")',
    "choices": "Pilih: {choices}",
    "document": "Dokumen {index}/{count}: {label}. Kintun foto utawi PDF ({types}).",
    "document.received": 'Sampun katampi kangge "{label}": {name}.',
    "document.wait": 'Kintun foto utawi PDF kangge "{label}".',
    "document.type": 'File punika mboten katampi kangge "{label}": kintun {types}.',
    "updates": "Punapa kersa nampi kabar status panyuwunan punika ing chat punika?",
    "summary": (
        "Priksa panyuwunan panjenengan:\n{lines}\nDokumen: {documents}\nDipun-kintun sakmenika?"
    ),
    "summary.invalid": 'Ketik "kirim" kangge ngintun, utawi "batal" kangge mbatalaken.',
    "none": "mboten wonten",
    "skipped": "(dipun-liwati)",
    "filed": (
        "Panyuwunan {service} panjenengan sampun katampi kanthi nomer {number}.\n"
        "Rampung paling dangu {due} ({days} dinten kerja).\n"
        "Salajengipun: petugas {unit} mriksa data lan dokumen panjenengan.{updates} "
        'Cek sawanci-wanci kanthi "cek status {number}".'
    ),
    "filed.updates": " Kabar saben owah-owahan status dipun-kintun ing chat punika.",
    "cancelled": "Pangajuan dipun-batalaken. Data ingkang dipun-isi mboten dipun-simpen.",
    "which": "Layanan punapa ingkang badhe dipun-ajokaken? Ingkang saged online: {services}.",
    "not_online": "{service} dereng saged dipun-ajokaken online. Ingkang saged: {services}.",
    "resume": 'Kita lajengaken pangajuan {service}. Ketik "batal" kangge mandheg.',
    "invalid.required": "Bagian punika kedah dipun-isi.",
    "invalid.text_short": "Wangsulan kirang panjang: paling sekedhik {min} aksara.",
    "invalid.text_long": "Wangsulan kepanjangen: paling kathah {max} aksara.",
    "invalid.text_letters": "Serat nganggo aksara, sanes namung angka utawi tandha.",
    "invalid.nik": "NIK kedah 16 angka, tanpa aksara (pirsani KTP-el utawi KK).",
    "invalid.phone": "Nomer HP kedah nomer seluler Indonesia, tuladhanipun 081234567890.",
    "invalid.date": "Serat tanggal dados dinten/wulan/taun, tuladhanipun 17/08/2024.",
    "invalid.date_future": "Tanggal punika dereng kalampahan: serat tanggal ingkang sampun.",
    "invalid.date_past": (
        "Tanggal punika sampun kalampahan: serat tanggal dinten punika utawi mangke."
    ),
    "invalid.choice": "Pilih setunggal: {choices}.",
    "invalid.consent": "Centang sarujuk kangge ngintun panyuwunan.",
    "invalid.document": 'Dokumen "{label}" kedah dipun-lampiraken (foto utawi PDF).',
    "missing": (
        "Petugas nyuwun dokumen tambahan kangge {number}:\n{items}\n{note}"
        "Kintun foto utawi PDF-ipun ing chat punika, setunggal-setunggal."
    ),
    "missing.note": "Cathetan petugas: {note}\n",
    "missing.done": (
        "Matur nuwun, dokumen kangge {number} sampun dipun-terasaken dhateng petugas."
    ),
    "ready": "Saged dipun-pendhet: {where}",
    "web.title": "Ajokaken {service} online",
    "web.intro": (
        "Isi data ing ngandhap, lampiraken dokumen, lajeng kintun. Rampung {days} dinten kerja."
    ),
    "web.required": "kedah",
    "web.optional": "saged dipun-kosongaken",
    "web.consent": "Kula sarujuk",
    "web.submit": "Kintun panyuwunan",
    "web.errors": "Priksa malih bagian ingkang dipun-tandhani.",
    "web.receipt": "Panyuwunan katampi",
    "web.number": "Nomer panyuwunan panjenengan",
    "web.due": "Rampung paling dangu {due} ({days} dinten kerja).",
    "web.next": "Petugas {unit} mriksa data lan dokumen panjenengan.",
    "web.pickup": "Papan mendhet: {where}",
    "web.back": "Wangsul dhateng kaca layanan",
}

SU: dict[str, str] = {
    "start": (
        "Mangga, abdi ngabantos ngajukeun {service} sacara online: {fields} patarosan sareng "
        '{documents} dokumén. Ketik "batal" pikeun eureun, atanapi "petugas" pikeun nyarios '
        "sareng petugas."
    ),
    "consent": "{consent}\nDiteraskeun?",
    "button.agree": "Satuju",
    "button.cancel": "Batal",
    "button.send": "Kintun panyuhunan",
    "button.skip": "Lewati",
    "button.yes": "Sumuhun",
    "button.no": "Henteu",
    "optional": '(tiasa dilewati: ketik "lewati")',
    "choices": "Pilih: {choices}",
    "document": "Dokumén {index}/{count}: {label}. Kintun poto atanapi PDF ({types}).",
    "document.received": 'Katampi kanggo "{label}": {name}.',
    "document.wait": 'Kintun poto atanapi PDF kanggo "{label}".',
    "document.type": 'File ieu teu katampi kanggo "{label}": kintun {types}.',
    "updates": "Hoyong nampi wartos status panyuhunan ieu di chat ieu?",
    "summary": "Parios panyuhunan anjeun:\n{lines}\nDokumén: {documents}\nKintun ayeuna?",
    "summary.invalid": 'Ketik "kirim" pikeun ngintun, atanapi "batal" pikeun ngabatalkeun.',
    "none": "teu aya",
    "skipped": "(dilewati)",
    "filed": (
        "Panyuhunan {service} anjeun parantos katampi kalayan nomer {number}.\n"
        "Réngsé paling lami {due} ({days} dinten damel).\n"
        "Salajengna: petugas {unit} mariksa data sareng dokumén anjeun.{updates} "
        'Cék iraha waé ku "cek status {number}".'
    ),
    "filed.updates": " Wartos unggal parobihan status dikintun di chat ieu.",
    "cancelled": "Pangajuan dibatalkeun. Data anu dieusian teu disimpen.",
    "which": "Layanan naon anu badé diajukeun? Anu tiasa online: {services}.",
    "not_online": "{service} teu acan tiasa diajukeun online. Anu tiasa: {services}.",
    "resume": 'Urang teraskeun pangajuan {service}. Ketik "batal" pikeun eureun.',
    "invalid.required": "Bagian ieu kedah dieusian.",
    "invalid.text_short": "Waleran kakirangan: sahenteuna {min} hurup.",
    "invalid.text_long": "Waleran kapanjangan: paling seueur {max} hurup.",
    "invalid.text_letters": "Serat ku hurup, sanés ngan ukur angka atanapi tanda.",
    "invalid.nik": "NIK kedah 16 angka, tanpa hurup (tingali KTP-el atanapi KK).",
    "invalid.phone": "Nomer HP kedah nomer sélulér Indonésia, contona 081234567890.",
    "invalid.date": "Serat tanggal janten dinten/sasih/taun, contona 17/08/2024.",
    "invalid.date_future": "Tanggal éta teu acan kalangkung: serat tanggal anu parantos.",
    "invalid.date_past": "Tanggal éta parantos kalangkung: serat tanggal dinten ieu atanapi engké.",
    "invalid.choice": "Pilih salah sahiji: {choices}.",
    "invalid.consent": "Céntang satuju pikeun ngintun panyuhunan.",
    "invalid.document": 'Dokumén "{label}" kedah dilampirkeun (poto atanapi PDF).',
    "missing": (
        "Petugas nyuhunkeun dokumén tambahan kanggo {number}:\n{items}\n{note}"
        "Kintun poto atanapi PDF-na di chat ieu, hiji-hiji."
    ),
    "missing.note": "Catetan petugas: {note}\n",
    "missing.done": "Hatur nuhun, dokumén kanggo {number} parantos diteruskeun ka petugas.",
    "ready": "Tiasa dicandak: {where}",
    "web.title": "Ajukeun {service} online",
    "web.intro": (
        "Eusian data di handap, lampirkeun dokumén, teras kintun. Réngsé {days} dinten damel."
    ),
    "web.required": "kedah",
    "web.optional": "tiasa dikosongkeun",
    "web.consent": "Abdi satuju",
    "web.submit": "Kintun panyuhunan",
    "web.errors": "Parios deui bagian anu ditandaan.",
    "web.receipt": "Panyuhunan katampi",
    "web.number": "Nomer panyuhunan anjeun",
    "web.due": "Réngsé paling lami {due} ({days} dinten damel).",
    "web.next": "Petugas {unit} mariksa data sareng dokumén anjeun.",
    "web.pickup": "Tempat nyandak: {where}",
    "web.back": "Uih ka kaca layanan",
}

EN: dict[str, str] = {
    "start": (
        "Sure, I will help you apply for {service} online: {fields} questions and {documents} "
        'documents. Type "cancel" to stop at any time, or "officer" to talk to an officer.'
    ),
    "consent": "{consent}\nContinue?",
    "button.agree": "I agree",
    "button.cancel": "Cancel",
    "button.send": "Send application",
    "button.skip": "Skip",
    "button.yes": "Yes",
    "button.no": "No",
    "optional": '(optional: type "skip")',
    "choices": "Choose: {choices}",
    "document": "Document {index}/{count}: {label}. Send a photo or PDF ({types}).",
    "document.received": 'Received for "{label}": {name}.',
    "document.wait": 'Please send a photo or PDF for "{label}".',
    "document.type": 'This file is not accepted for "{label}": send {types}.',
    "updates": "Would you like updates on this application in this chat?",
    "summary": "Please check your application:\n{lines}\nDocuments: {documents}\nSend it now?",
    "summary.invalid": 'Type "send" to send it, or "cancel" to cancel.',
    "none": "none",
    "skipped": "(skipped)",
    "filed": (
        "Your {service} application has been received with number {number}.\n"
        "It will be done by {due} ({days} working days).\n"
        "Next: an officer of {unit} checks your data and documents.{updates} "
        'Check any time with "check status {number}".'
    ),
    "filed.updates": " You will be told of every status change in this chat.",
    "cancelled": "The application was cancelled. Nothing you typed was kept.",
    "which": "Which service would you like to apply for? Online you can apply for: {services}.",
    "not_online": "{service} cannot be applied for online here yet. Online: {services}.",
    "resume": 'Let us continue your {service} application. Type "cancel" to stop.',
    "invalid.required": "This is required.",
    "invalid.text_short": "That is too short: at least {min} characters.",
    "invalid.text_long": "That is too long: at most {max} characters.",
    "invalid.text_letters": "Please write it in letters, not only digits or punctuation.",
    "invalid.nik": "A NIK is 16 digits, no letters (see your KTP-el or KK).",
    "invalid.phone": "Please give an Indonesian mobile number, e.g. 081234567890.",
    "invalid.date": "Please write the date as day/month/year, e.g. 17/08/2024.",
    "invalid.date_future": "That date has not come yet: give a date in the past.",
    "invalid.date_past": "That date has passed: give today or a later date.",
    "invalid.choice": "Please choose one of: {choices}.",
    "invalid.consent": "Please tick the consent box to send the application.",
    "invalid.document": 'The document "{label}" is required (photo or PDF).',
    "missing": (
        "The officer asks for more documents for {number}:\n{items}\n{note}"
        "Send the photos or PDFs in this chat, one at a time."
    ),
    "missing.note": "Officer's note: {note}\n",
    "missing.done": "Thank you, the documents for {number} went to the officer.",
    "ready": "Ready for pick-up: {where}",
    "web.title": "Apply for {service} online",
    "web.intro": (
        "Fill in the form, attach the documents, then send. Done within {days} working days."
    ),
    "web.required": "required",
    "web.optional": "optional",
    "web.documents": "Documents (JPG/PNG photos or PDFs, at most {mb} MB in all)",
    "web.consent": "I agree",
    "web.submit": "Send application",
    "web.errors": "Please check the marked fields.",
    "web.receipt": "Application received",
    "web.number": "Your application number",
    "web.keep": 'Keep this number to check the status in the chat ("check status {number}").',
    "web.due": "Done by {due} ({days} working days).",
    "web.next": "An officer of {unit} checks your data and documents.",
    "web.pickup": "Where to collect it: {where}",
    "web.back": "Back to the service page",
    "web.choose": "Choose…",
    "web.whatsapp": "Send status updates to the WhatsApp of the mobile number above",
}

TEXTS: dict[str, dict[str, str]] = {"id": ID, "jv": JV, "su": SU, "en": EN}


def at(key: str, language: str, **values: object) -> str:
    """The application text `key` in `language` (Indonesian if missing), filled in."""
    text = TEXTS.get(language, {}).get(key) or ID[key]
    return text.format(**values)
