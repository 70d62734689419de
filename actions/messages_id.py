"""Bahasa Indonesia: every text the actions send (the source and the fallback of the others).

Keys are shared by `messages_jv`, `messages_su` and `messages_en`; `{name}`-style
placeholders must stay the same in every language (a test checks both).
"""

from __future__ import annotations

MONTHS: tuple[str, ...] = tuple(
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
)
DAYS: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

MESSAGES: dict[str, str] = {
    # --- shared -------------------------------------------------------------------------
    "helpdesk_busy": (
        "Maaf, sistem kami sedang sibuk sehingga belum bisa mengambil data. "
        "Silakan coba lagi beberapa saat lagi, atau hubungi langsung kantor layanan terdekat."
    ),
    "this_service": "layanan ini",
    # --- service answers (formatting.py) ------------------------------------------------
    "intent.ask_requirements": "Persyaratan",
    "intent.ask_procedure": "Alur pengurusan",
    "intent.ask_fee": "Biaya",
    "intent.ask_duration": "Lama proses",
    "intent.ask_location_hours": "Lokasi & jam",
    "intent.ask_eligibility": "Siapa yang boleh mengajukan",
    "regional.note": "Catatan: {note}",
    "regional.generic": "ketentuan ini bisa berbeda di tiap daerah.",
    "requirements.title": "Persyaratan {name}:",
    "requirements.who": "Untuk: {who}",
    "requirements.none": (
        "Maaf, daftar persyaratan {name} belum tersedia. Silakan tanyakan ke kantor."
    ),
    "procedure.title": "Alur pengurusan {name}:",
    "procedure.none": "Maaf, alur pengurusan {name} belum tersedia. Silakan tanyakan ke kantor.",
    "fee.free": "Biaya {name}: Gratis.",
    "fee.amount": "Biaya {name}: {amount}.",
    "fee.title": "Biaya {name}:",
    "fee.none": "Maaf, informasi biaya {name} belum tersedia. Silakan tanyakan ke kantor.",
    "fee.report": "Jika ada yang meminta bayaran, Anda bisa melaporkannya di sini.",
    "duration.title": "Lama proses {name}:",
    "eligibility.title": "Siapa yang boleh mengajukan {name}:",
    "eligibility.none": (
        "Maaf, ketentuan siapa yang boleh mengajukan {name} belum tersedia. "
        "Silakan tanyakan ke kantor layanan setempat."
    ),
    "duration.none": "Maaf, lama proses {name} belum tersedia. Silakan tanyakan ke kantor.",
    "duration.validity": "Masa berlaku: {validity}",
    "location.title": "Tempat pengurusan {name}:",
    "location.address": "Alamat: {address}",
    "location.hours": "Jam layanan:",
    "location.phone": "Telepon: {phone}",
    "location.website": "Situs: {website}",
    "location.none": "Maaf, data kantornya belum tersedia.",
    "location.online": "Bisa juga online: {online}",
    "location.region": "Data kantor ini untuk {region}.",
    "contact.phone": "telepon {phone}",
    "follow_up": "Ada lagi yang ingin Anda ketahui tentang {name}?",
    # --- catalog actions ----------------------------------------------------------------
    "catalog.ask_which": "Layanan apa yang Anda maksud?",
    "catalog.type_hint": "Ketik nama layanannya, misalnya KTP, Kartu Keluarga, atau SKCK.",
    "catalog.unknown": (
        "Maaf, layanan itu belum ada di katalog kami. Mau saya tampilkan daftar layanan yang ada?"
    ),
    "catalog.show_list": "Lihat daftar layanan",
    "catalog.empty": "Maaf, daftar layanan belum tersedia saat ini.",
    "catalog.more": "Layanan lainnya",
    "catalog.list_title": "Layanan yang bisa saya bantu:",
    "catalog.list_title_region": "Layanan yang bisa saya bantu di {region}:",
    "catalog.list_footer": "Pilih layanan untuk melihat persyaratannya, atau tanyakan langsung.",
    "category.kependudukan": "Kependudukan",
    "category.kepolisian": "Kepolisian",
    "category.perizinan": "Perizinan",
    "category.pajak": "Pajak",
    "category.kesehatan": "Kesehatan",
    "category.sosial": "Sosial",
    "category.ketenagakerjaan": "Ketenagakerjaan",
    "category.keimigrasian": "Keimigrasian",
    "category.other": "Lainnya",
    # --- the resolver: other agencies, refusals, case answers, the service page ---------
    "elsewhere.answer": (
        "{title} tidak diurus di layanan kami, tetapi oleh {agency}.\nCara menghubungi: {reach}"
    ),
    "elsewhere.officer": "Tanya petugas kami",
    "catalog.refused": (
        "Maaf, saya hanya bisa membantu pertanyaan tentang layanan publik, misalnya "
        '"syarat KTP" atau "biaya SKCK".'
    ),
    "case.others": "Keperluan lain: pilih di bawah, atau lihat semuanya di {url}",
    "case.choose": "Jawaban untuk {name} berbeda menurut keperluan Anda. Pilih salah satu:",
    "case.others_no_url": "Keperluan lain: pilih di bawah.",
    "page.link": "Selengkapnya: {url}",
    # --- request status -----------------------------------------------------------------
    "next.needs_documents": (
        "Langkah berikutnya: lengkapi dokumen yang diminta di catatan petugas, lalu bawa "
        "ke kantor layanan dengan menyebutkan nomor permohonan ini."
    ),
    "next.ready": (
        "Langkah berikutnya: ambil dokumen Anda di kantor layanan pada jam kerja. "
        "Bawa bukti permohonan dan kartu identitas Anda."
    ),
    "next.rejected": (
        "Langkah berikutnya: baca alasan penolakan di catatan petugas. Anda bisa mengajukan "
        "ulang setelah memperbaikinya, atau bertanya langsung ke petugas."
    ),
    "tracking.format_hint": (
        "Formatnya: kode layanan (2–5 huruf), tahun, lalu 6 angka, misalnya {example}."
    ),
    "tracking.ask": "Boleh sebutkan nomor permohonan Anda?",
    "tracking.malformed": "Maaf, nomor permohonan itu belum sesuai format.",
    "tracking.where": "Nomornya ada di bukti permohonan Anda.",
    "tracking.nik": (
        "Demi keamanan data Anda, mohon jangan mengirim NIK di sini. "
        "Untuk cek status cukup kirim nomor permohonan."
    ),
    "tracking.not_found": (
        "Maaf, permohonan dengan nomor {number} tidak ditemukan. Mohon cek kembali nomornya "
        "pada bukti permohonan Anda. Jika sudah benar, Anda bisa bertanya ke petugas."
    ),
    "tracking.ask_officer": "Hubungi petugas",
    "request.heading": "Status permohonan {number}",
    "request.service": "Layanan: {name}",
    "request.status": "Status: {label}",
    "request.submitted": "Diajukan: {date}",
    "request.updated": "Pembaruan terakhir: {date}",
    "request.note": "Catatan petugas: {note}",
    "redacted.nik": "[NIK disembunyikan]",
    "redacted.phone": "[nomor telepon disembunyikan]",
    # --- handoff and complaints ---------------------------------------------------------
    "handoff.connected": "Baik, Anda sedang kami hubungkan dengan petugas.",
    "handoff.already_open": "Percakapan Anda sudah ditangani petugas.",
    "handoff.replies_here": (
        "Petugas akan membalas di percakapan ini; tidak perlu mengirim ulang pesan."
    ),
    "handoff.failed": "Maaf, saat ini kami belum bisa menghubungkan Anda dengan petugas.",
    "handoff.queue_position": "Posisi antrean Anda: {position}.",
    "handoff.expected_wait": "Perkiraan waktu tunggu: {wait}.",
    "complaint.forwarded": "Terima kasih, pengaduan Anda sudah kami teruskan ke petugas.",
    "complaint.failed": (
        "Maaf, pengaduan Anda belum bisa kami teruskan saat ini, jadi belum tercatat."
    ),
    "complaint.lapor": "Pengaduan juga bisa disampaikan lewat SP4N-LAPOR! di lapor.go.id.",
    "complaint.details_intro": "Agar cepat ditindaklanjuti, mohon kirim juga:",
    "complaint.detail.details": "apa yang terjadi, secara singkat",
    "complaint.detail.location": "lokasinya (alamat, desa/kelurahan)",
    "complaint.detail.time": "waktu kejadiannya (tanggal dan jam)",
    "contact.office": "Silakan coba lagi nanti, atau hubungi langsung kantor layanan",
    "wait.under_minute": "kurang dari 1 menit",
    "wait.about": "sekitar {duration}",
    "wait.minute_one": "1 menit",
    "wait.minutes": "{n} menit",
    "wait.hour_one": "1 jam",
    "wait.hours": "{n} jam",
    # --- language -----------------------------------------------------------------------
    "language.ask": "Anda ingin memakai bahasa apa?",
    "language.confirm": "Baik, kita lanjutkan dalam Bahasa Indonesia.",
    "verify.armed": (
        "Untuk melihat catatan petugas dan data Anda, kirim 4 digit terakhir NIK pemohon "
        "sebagai pesan berikutnya."
    ),
    "verify.locked": (
        "Detail nomor ini sedang dikunci 1 jam karena terlalu banyak percobaan yang salah."
    ),
    "verify.no_identity": "Detail lain hanya dapat ditanyakan langsung kepada petugas.",
    "complaint.heading": "Status laporan {number}",
}
