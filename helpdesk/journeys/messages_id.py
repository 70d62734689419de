"""Bahasa Indonesia: every text of the router-side journeys (the source and the fallback).

Keys are shared by `messages_jv`, `messages_su` and `messages_en`; placeholders must stay
the same in every language (a test checks both).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- words the citizen types --------------------------------------------------------
    "words.yes": "ya|iya|y|ok|oke|benar|betul|setuju|kirim|lanjut",
    "words.no": "tidak|tdk|nggak|gak|enggak|bukan|jangan",
    "words.skip": "lewati|skip|tidak ada|tidak|gak ada|nggak ada|-",
    "words.cancel": "batal|batalkan|berhenti|stop|keluar|tidak jadi|gak jadi",
    "button.yes": "Ya",
    "button.no": "Tidak",
    "button.skip": "Lewati",
    "button.send": "Kirim laporan",
    "button.cancel": "Batal",
    # --- consent and help -----------------------------------------------------------------
    "consent.notice": (
        "Info privasi: pesan Anda disimpan untuk melayani permintaan Anda dan hanya dibuka "
        "petugas yang berwenang. Jangan kirim data yang tidak diperlukan. Kebijakan privasi: "
        '{privacy_url} · Panduan: {help_url}. Ketik "data saya apa saja?" untuk melihat '
        'data Anda atau "hapus data saya" untuk menghapusnya.'
    ),
    "help.answer": (
        "Saya bisa menjelaskan syarat, alur, biaya dan lokasi layanan, mengecek status "
        '(ketik "cek status" dan nomornya), menerima pengaduan (ketik "saya mau mengadu"), '
        'atau menyambungkan Anda ke petugas (ketik "bicara dengan petugas"). '
        "Panduan lengkap: {help_url} · Kebijakan privasi: {privacy_url}"
    ),
    # --- complaint form -----------------------------------------------------------------
    "complaint.start": (
        "Baik, saya bantu mencatat laporan Anda. Anda bisa berhenti kapan saja dengan "
        'mengetik "batal".\nLaporan Anda termasuk jenis apa?'
    ),
    "complaint.category_invalid": (
        "Maaf, pilih salah satu jenis: 1 Pengaduan, 2 Aspirasi, atau 3 Permintaan informasi."
    ),
    "complaint.ask_description": "Ceritakan apa yang terjadi (paling sedikit {min} huruf).",
    "complaint.description_short": (
        "Ceritanya masih terlalu singkat. Mohon jelaskan lebih lengkap apa yang terjadi "
        "(paling sedikit {min} huruf)."
    ),
    "complaint.ask_location": "Di mana kejadiannya? (nama tempat, jalan, kelurahan atau desa)",
    "complaint.location_invalid": "Mohon tuliskan lokasinya (paling sedikit 3 huruf).",
    "complaint.ask_when": "Kapan kejadiannya? (misalnya: hari ini, kemarin, atau 20/11/2026)",
    "complaint.when_invalid": (
        "Maaf, waktunya belum bisa saya pahami atau masih di masa depan. Tuliskan misalnya: "
        "hari ini, kemarin, 3 hari lalu, atau 20/11/2026."
    ),
    "complaint.ask_photo": (
        "Ada foto atau dokumen pendukung? Kirim sekarang (JPG, PNG atau PDF, paling besar "
        '10 MB), atau ketik "lewati".'
    ),
    "complaint.photo_received": "Lampiran diterima: {name}.",
    "complaint.photo_invalid": 'Silakan kirim fotonya, atau ketik "lewati".',
    "complaint.ask_handling": (
        "Bagaimana laporan ini ditangani?\n"
        "• Publik: isi laporan boleh ditampilkan.\n"
        "• Rahasia: isi laporan tidak dipublikasikan.\n"
        "• Anonim: identitas Anda disembunyikan dari petugas dan laporan."
    ),
    "complaint.handling_invalid": "Pilih salah satu: Publik, Rahasia, atau Anonim.",
    "complaint.ask_nik": (
        "Agar nanti Anda bisa melihat detail laporan, kirim NIK Anda (16 digit). NIK dijaga "
        'kerahasiaannya. Ketik "lewati" bila tidak ingin.'
    ),
    "complaint.nik_invalid": 'NIK harus 16 digit angka. Kirim lagi, atau ketik "lewati".',
    "complaint.summary": (
        "Ringkasan laporan Anda:\n• Jenis: {category}\n• Kejadian: {description}\n"
        "• Lokasi: {location}\n• Waktu: {occurred}\n• Lampiran: {photo}\n"
        "• Penanganan: {handling}\n• NIK: {nik}\n"
        'Sudah benar? Balas "ya" untuk mengirim, atau "batal".'
    ),
    "complaint.confirm_invalid": (
        'Balas "ya" untuk mengirim laporan, atau "batal" untuk membatalkannya.'
    ),
    "complaint.filed": (
        "Laporan Anda sudah kami terima dengan nomor {number}. Simpan nomor ini; cek "
        'perkembangannya dengan mengetik "cek status {number}". Laporan diteruskan ke unit '
        "{unit} dan diverifikasi paling lambat 3 hari kerja. Kabar perubahan status akan "
        'dikirim ke sini (ketik "berhenti" untuk berhenti menerima kabar).'
    ),
    "complaint.cancelled": (
        "Baik, laporan dibatalkan dan isinya tidak disimpan. Ada lagi yang bisa saya bantu?"
    ),
    "complaint.failed": (
        "Maaf, laporan belum bisa disimpan karena gangguan sistem. Silakan coba lagi nanti "
        "atau laporkan lewat lapor.go.id."
    ),
    "none": "tidak ada",
    "nik.given": "diberikan (disembunyikan)",
    "handling.public": "Publik",
    "handling.rahasia": "Rahasia",
    "handling.anonim": "Anonim",
    # --- the safe status lookup ------------------------------------------------------------
    "lookup.verified": "Identitas cocok. Detail {number}:",
    "lookup.name": "• Nama: {name}",
    "lookup.nik": "• NIK: {nik}",
    "lookup.phone": "• Telepon: {phone}",
    "lookup.note": "• Catatan petugas: {note}",
    "lookup.no_note": "• Belum ada catatan petugas.",
    "lookup.complaint": "• Laporan: {description}",
    "lookup.wrong": "Maaf, 4 digit itu tidak cocok. Sisa percobaan: {n}.",
    "lookup.locked": (
        "Terlalu banyak percobaan yang salah. Detail nomor {number} dikunci selama 1 jam. "
        "Status umumnya tetap bisa dicek."
    ),
    # --- notifications --------------------------------------------------------------------
    "notify.offer": 'Mau dikabari di sini saat status {number} berubah? Balas "ya".',
    "notify.subscribed": (
        'Baik, Anda akan dikabari di sini saat status {number} berubah. Ketik "berhenti" '
        "kapan saja untuk berhenti."
    ),
    "notify.declined": "Baik, tidak ada kabar otomatis.",
    "notify.update": (
        'Kabar terbaru untuk {number}: status sekarang "{label}".{note} Ketik "berhenti" '
        "untuk berhenti menerima kabar."
    ),
    "notify.update_note": " Catatan: {note}.",
    "notify.stopped": "Baik, Anda tidak akan menerima kabar otomatis lagi.",
    "notify.nothing": "Anda tidak sedang berlangganan kabar status apa pun.",
    # --- data rights (UU 27/2022) -----------------------------------------------------------
    "erasure.filed": (
        "Permintaan penghapusan data Anda sudah dicatat (nomor permintaan {id}). Petugas "
        "memeriksanya paling lambat {due} WIB; hasilnya kami sampaikan di sini."
    ),
    "erasure.already": (
        "Permintaan penghapusan data Anda (nomor {id}) sudah tercatat dan sedang diperiksa."
    ),
    "erasure.approved": (
        "Permintaan penghapusan data Anda disetujui. Pesan, identitas (NIK, nomor telepon), "
        "lampiran dan laporan Anda di layanan ini sudah dihapus atau dianonimkan."
    ),
    "erasure.refused": "Permintaan penghapusan data Anda tidak dapat dipenuhi. Alasan: {reason}",
    "access.answer": (
        "Data Anda yang kami simpan di layanan ini (permintaan nomor {id}, dijawab sesuai UU "
        "27/2022 Pasal 32):\n• Percakapan ini: {messages} pesan sejak {since} (kanal {channel}, "
        "bahasa {chat_language})\n• Laporan: {complaints}\n"
        "• Nomor yang Anda verifikasi: {verified}\n"
        "• Langganan kabar: {subscriptions}\n• Lampiran: {attachments}\n"
        "NIK dan nomor telepon hanya ditampilkan tersamar. Anda bisa meminta perbaikan atau "
        'penghapusan (ketik "hapus data saya").'
    ),
    # --- attachments ------------------------------------------------------------------------
    "upload.received": "Lampiran diterima: {name}. Petugas dapat melihatnya.",
    # --- document checklist -----------------------------------------------------------------
    "docs.start": "Dokumen untuk {number} ({count} butir). Kirim foto atau PDF untuk tiap butir; "
    'ketik "lewati" untuk melewati satu butir, "batal" untuk berhenti.',
    "docs.item": "{index}/{count}: {item}",
    "docs.stored": 'Diterima untuk "{item}": {name}.',
    "docs.invalid": 'Kirim foto atau PDF untuk butir ini, atau ketik "lewati".',
    "docs.done": "Terima kasih: {stored} dokumen terlampir pada {number}; petugas akan "
    "memeriksanya.",
    "docs.need_verified": 'Untuk mengirim dokumen, cek status permohonan Anda dulu ("cek status" '
    "dan nomornya) lalu kirim 4 digit terakhir NIK.",
    "docs.none": "Katalog belum mencantumkan persyaratan untuk {number}.",
    "words.documents": "kirim dokumen|unggah dokumen|kirim berkas|lengkapi dokumen|upload dokumen",
    # --- issue 17: ask before a complaint; the way out of every form ---
    "complaint.check": "Anda ingin membuat pengaduan?",
    "complaint.check_declined": "Baik, tidak jadi membuat pengaduan. Ada yang bisa saya bantu?",
    "form.complaint": "pengisian pengaduan",
    "form.documents": "pengiriman dokumen",
    "form.survey": "survei kepuasan",
    "form.application": "pengajuan permohonan",
    "form.verify": "pemeriksaan identitas",
    "form.resume": "Mau melanjutkan {form} tadi?",
    "form.left": "Baik, {form} dihentikan. Ada yang bisa saya bantu?",
    "button.continue": "Lanjutkan",
    "lookup.ask_last4": "Kirim 4 digit terakhir NIK pemohon untuk melihat detail {number}.",
    "words.resume": "lanjut|lanjutkan|terus|teruskan|ya|iya|ok|oke",
}
