# ruff: noqa: E501  (a table of sentences)
"""Build the console's English catalog (helpdesk/web/console/translations/en/LC_MESSAGES).

Source strings are Indonesian (the console's default language); this file holds their
English translations. `make translations` extracts the strings, fills the .po from here and
compiles the .mo; tests/unit/test_console_i18n.py checks every string is translated.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

CONSOLE = Path(__file__).resolve().parent.parent / "helpdesk" / "web" / "console"
TRANSLATIONS = CONSOLE / "translations"

EN: dict[str, str] = {
    "Ajari bot": "Teach the bot",
    "Ajari bot: pesan yang belum dipahami": "Teach the bot: messages not understood",
    "Alasan diteruskan": "Handoff reasons",
    "Alasan diteruskan ke petugas": "Reasons for handing off to an officer",
    "Catatan": "Note",
    "Containment": "Containment",
    "Containment (dijawab bot saja)": "Containment (answered by the bot alone)",
    "Dasbor": "Dashboard",
    "Dasbor layanan": "Service dashboard",
    "Data": "Data",
    "Di luar cakupan": "Out of scope",
    "Dibuat": "Created",
    "Diterbitkan": "Published",
    "Dokumen (YAML)": "Document (YAML)",
    "Draf menunggu": "Drafts waiting",
    "Grafik IKM per unit": "Chart: IKM per unit",
    "Grafik SLA per unit": "Chart: SLA per unit",
    "Grafik alasan diteruskan": "Chart: handoff reasons",
    "Grafik containment": "Chart: containment",
    "Grafik per bahasa": "Chart: by language",
    "Grafik per kanal": "Chart: by channel",
    "Grafik percakapan per hari": "Chart: conversations per day",
    "Grafik topik gagal": "Chart: failed topics",
    "IKM per unit (25–100)": "IKM per unit (25–100)",
    "Indeks Kepuasan Masyarakat per unit dan unsur": "Community Satisfaction Index (IKM) per unit and element",
    "Katalog": "Catalog",
    "Katalog layanan": "Service catalog",
    "Kembali ke dasbor": "Back to the dashboard",
    "Kotak masuk kosong.": "The inbox is empty.",
    "Label": "Label",
    "Maksud": "Intent",
    "Menunggu supervisor lain": "Waiting for another supervisor",
    "Mutu": "Grade",
    "NRR per unsur = jumlah nilai ÷ responden; IKM = Σ(NRR × 1/9) × 25 (Permenpan-RB 14/2017). Mutu A ≥ 88,31 · B ≥ 76,61 · C ≥ 65,00 · D di bawahnya. Responden / sampel minimum (Krejcie & Morgan).": "NRR per element = sum of scores ÷ respondents; IKM = Σ(NRR × 1/9) × 25 (Permenpan-RB 14/2017). Grade A ≥ 88.31 · B ≥ 76.61 · C ≥ 65.00 · D below. Respondents / minimum sample (Krejcie & Morgan).",
    "Penyelesaian": "Resolution",
    "Per bahasa": "By language",
    "Per kanal": "By channel",
    "Percakapan per hari": "Conversations per day",
    "Periode dan unit": "Period and unit",
    "Pesan (data pribadi disamarkan)": "Message (personal data masked)",
    "Pesan warga": "Citizen's message",
    "Pulihkan": "Restore",
    "Responden": "Respondents",
    "Respons pertama": "First response",
    "SLA per unit": "SLA per unit",
    "SLA terpenuhi / terlewati per unit": "SLA met / breached per unit",
    "Semua unit": "All units",
    "Simpan label": "Save label",
    "Simpan sebagai draf": "Save as draft",
    "Sunting": "Edit",
    "Tampilkan": "Show",
    "Tebakan bot": "Bot's guess",
    "Tinjau & terbitkan": "Review & publish",
    "Topik": "Topic",
    "Topik yang gagal dijawab bot": "Topics the bot failed on",
    "Topik yang paling sering gagal dijawab bot": "Topics the bot fails on most",
    "Unduh CSV (percakapan)": "Download CSV (conversations)",
    "Unduh PDF laporan bulan %(month)s": "Download the PDF report for %(month)s",
    "Unduh ekspor (Rasa NLU YAML)": "Download the export (Rasa NLU YAML)",
    "Versi": "Version",
    "Versi aktif": "Active version",
    "Waktu dihitung dalam jam kerja unit (jam layanan pada hari kerja; akhir pekan, libur nasional dan cuti bersama tidak dihitung).": "Times are counted in the unit's working hours (service hours on working days; weekends, national holidays and cuti bersama are not counted).",
    "berjalan": "running",
    "bot saja": "bot alone",
    "dijawab bot saja": "answered by the bot alone",
    "diteruskan": "handed off",
    "diteruskan ke petugas": "handed off to an officer",
    "minimum": "minimum",
    "penyelesaian, median": "resolution, median",
    "percakapan": "conversations",
    "responden": "respondents",
    "respons pertama, median": "first response, median",
    "seed (data/catalog)": "seed (data/catalog)",
    "terlewati": "breached",
    "terpenuhi": "met",
    "versi terbaru": "latest version",
    "Akun ini dikunci sementara setelah 5 kali gagal masuk. Coba lagi nanti.": "This account is locked for a while after 5 failed sign-ins. Try again later.",
    "Nama pengguna, kata sandi, atau kode tidak cocok.": "User name, password or code does not match.",
    "Kode tidak cocok. Periksa jam ponsel Anda dan coba lagi.": "The code does not match. Check your phone's clock and try again.",
    "%(h)s j %(m)s mnt": "%(h)s h %(m)s min",
    "%(m)s mnt": "%(m)s min",
    "Warga minta petugas": "Citizen asked for an officer",
    "Pengaduan": "Complaint",
    "Bot tidak paham": "Bot did not understand",
    "Bot gangguan": "Bot failure",
    "Dilayani bot": "With the bot",
    "Menunggu petugas": "Waiting for an officer",
    "Dibuka petugas": "Open with an officer",
    "Selesai": "Resolved",
    "mengambil percakapan": "took the conversation",
    "menugaskan ke": "assigned to",
    "mengalihkan": "transferred",
    "mengembalikan ke antrean": "returned it to the queue",
    "kembali ke antrean otomatis": "back in the queue automatically",
    "catatan internal": "internal note",
    "menyelesaikan": "resolved",
    "membuka kembali": "reopened",
    "Teks tidak boleh kosong.": "The text cannot be empty.",
    "%(count)s pesan sebelumnya disembunyikan: percakapan ini mengajukan pengaduan anonim (identitas pelapor dilindungi).": "%(count)s earlier messages withheld: this conversation filed an anonymous complaint (the complainant's identity is protected).",
    "Petugas tidak dikenal.": "Unknown officer.",
    "Ringkasan": "Summary",
    "Status": "Status",
    "Unit": "Unit",
    "Alasan": "Reason",
    "Petugas": "Officer",
    "belum diambil": "not taken yet",
    "%(name)s sedang mengetik di percakapan ini.": "%(name)s is typing in this conversation.",
    "%(name)s juga sedang membuka percakapan ini.": "%(name)s has this conversation open too.",
    "Riwayat percakapan": "Conversation history",
    "Warga": "Citizen",
    "Sistem": "System",
    "Maksud yang dikenali bot dan keyakinannya": "Intent the bot recognised, and its confidence",
    "Lampiran": "Attachment",
    "Tampilkan NIK/telepon (dicatat di audit)": "Show NIK/phone (recorded in the audit trail)",
    "baru": "new",
    "Menunggu": "Waiting",
    "Kanal": "Channel",
    "Bahasa": "Language",
    "Pesan terakhir warga": "Citizen's last message",
    "Tidak ada percakapan di sini.": "No conversations here.",
    "Kelola petugas": "Manage officers",
    "Petugas dibuat: %(u)s": "Officer created: %(u)s",
    "Sampaikan data ini secara aman. Tidak akan ditampilkan lagi.": "Hand these over securely. They will not be shown again.",
    "Kata sandi": "Password",
    "Kunci TOTP": "TOTP secret",
    "Pengguna": "User",
    "Peran dan unit": "Role and units",
    "Keadaan": "State",
    "Tindakan": "Actions",
    "Peran": "Role",
    "Simpan": "Save",
    "nonaktif": "disabled",
    "aktif": "active",
    "belum daftar 2FA": "2FA not enrolled yet",
    "terkunci sampai": "locked until",
    "Nonaktifkan": "Disable",
    "Aktifkan": "Enable",
    "Atur ulang 2FA": "Reset 2FA",
    "Tambah petugas": "Add an officer",
    "Nama pengguna": "User name",
    "Nama lengkap": "Full name",
    "Buat petugas": "Create officer",
    "Audit": "Audit",
    "Jejak audit": "Audit trail",
    "Pelaku": "Actor",
    "Tindakan (awalan)": "Action (prefix)",
    "Dari": "From",
    "Sampai": "Until",
    "Saring": "Filter",
    "Unduh CSV": "Download CSV",
    "Waktu": "Time",
    "Sasaran": "Target",
    "Rincian": "Detail",
    "Konsol Petugas": "Officer console",
    "Langsung ke isi": "Skip to content",
    "Konsol": "Console",
    "Menu utama": "Main menu",
    "Antrean": "Queue",
    "Milik saya": "Mine",
    "Permohonan": "Requests",
    "Suara: mati": "Sound: off",
    "Keluar": "Sign out",
    "Percakapan": "Conversation",
    "Balas warga": "Reply to the citizen",
    "%(channel)s: sudah lebih dari %(hours)s jam sejak pesan terakhir warga. %(channel)s hanya menerima pesan template yang disetujui: balasan Anda dikirim di dalam template pemberitahuan sebagai isinya (maksimal 1024 karakter, tanpa tombol). Obrolan bebas berlanjut setelah warga membalas.": "%(channel)s: more than %(hours)s hours have passed since the citizen's last message. %(channel)s then accepts approved templates only: your reply goes out inside the notification template as its text (1024 characters at most, no buttons). Free chat resumes once the citizen answers.",
    'Pesan untuk warga (ketik "/" untuk balasan cepat)': 'Message to the citizen (type "/" for canned replies)',
    "Balasan cepat": "Canned replies",
    "Balasan cepat dalam bahasa percakapan (%(lang)s); variabel {nama_layanan} dan {nomor} "
    "sudah diisi bila diketahui.": "Canned replies in the conversation's language (%(lang)s); the variables "
    "{nama_layanan} and {nomor} are filled in when known.",
    "Kirim ke warga": "Send to the citizen",
    "Catatan internal (tidak dikirim ke warga)": "Internal note (never sent to the citizen)",
    "Simpan catatan": "Save note",
    "Ambil percakapan": "Take conversation",
    "Kembalikan ke antrean": "Return to the queue",
    "Selesaikan": "Resolve",
    "Buka kembali": "Reopen",
    "Alihkan ke unit": "Transfer to unit",
    "Alasan pengalihan": "Reason for the transfer",
    "Alihkan": "Transfer",
    "Tugaskan ke petugas": "Assign to officer",
    "Tugaskan": "Assign",
    "Aktifkan verifikasi dua langkah": "Turn on two-step verification",
    "Pindai kode QR ini dengan aplikasi autentikator (Google Authenticator, Aegis, FreeOTP, "
    "...).": "Scan this QR code with an authenticator app (Google Authenticator, Aegis, "
    "FreeOTP, ...).",
    "Masukkan kode 6 angka yang muncul.": "Enter the 6-digit code it shows.",
    "Kode QR untuk aplikasi autentikator": "QR code for the authenticator app",
    "Tidak bisa memindai? Ketik kunci ini:": "Cannot scan? Type this key:",
    "Kode": "Code",
    "Kembali ke antrean": "Back to the queue",
    "Masuk": "Sign in",
    "Masuk ke konsol petugas": "Sign in to the officer console",
    "Sesi Anda berakhir. Silakan masuk lagi.": "Your session ended. Please sign in again.",
    "Kode autentikator (6 angka) atau kode pemulihan": "Authenticator code (6 digits) or recovery code",
    "boleh diisi di langkah berikutnya": "or give it in the next step",
    "Kode verifikasi": "Verification code",
    "Verifikasi dua langkah": "Two-step verification",
    "Masukkan kode 6 angka dari aplikasi autentikator Anda, atau salah satu kode pemulihan.": "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
    "Verifikasi": "Verify",
    "Percakapan milik saya": "My conversations",
    "Antrean percakapan": "Conversation queue",
    "Anda masuk dengan kode pemulihan. Sisa kode: %(n)s.": "You signed in with a recovery code. Codes left: %(n)s.",
    "Saring antrean": "Filter the queue",
    "Menunggu + dibuka": "Waiting + open",
    "Dibuka": "Open",
    "Semua": "All",
    "Semua unit saya": "All my units",
    "Percakapan, yang paling lama menunggu di atas": "Conversations, longest waiting first",
    "Kode pemulihan": "Recovery codes",
    "Kode pemulihan Anda": "Your recovery codes",
    "Simpan 10 kode ini di tempat aman. Masing-masing hanya bisa dipakai sekali, sebagai "
    "pengganti kode autentikator bila ponsel Anda hilang. Kode ini tidak akan ditampilkan lagi.": "Keep these 10 codes somewhere safe. Each works once, instead of an authenticator "
    "code, if you lose your phone. They will not be shown again.",
    "Sudah saya simpan, lanjut ke antrean": "I have saved them, go to the queue",
    "Pemohon": "Applicant",
    "Telepon": "Phone",
    "Riwayat status": "Status history",
    "Ubah status": "Change status",
    "Status baru": "New status",
    "Catatan untuk warga": "Note for the citizen",
    "Simpan status": "Save status",
    "Permohonan layanan": "Service requests",
    "Nomor pelacakan, nama pemohon, atau angka terakhir NIK": "Tracking number, applicant's name, or the last digits of the NIK",
    "Cari": "Search",
    "Nomor": "Number",
    "Layanan": "Service",
    "Tidak ada permohonan yang cocok.": "No matching requests.",
}
EN.update(runpy.run_path(str(Path(__file__).with_name("console_translations_casedesk.py")))["EN"])

EN.update(runpy.run_path(str(Path(__file__).with_name("console_translations_apply.py")))["EN"])


def build() -> int:
    """Extract, fill and compile; returns the number of untranslated strings."""
    pot = TRANSLATIONS / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(CONSOLE / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "gettext",
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            str(CONSOLE),
        ],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        catalog = read_po(f, locale="en")
    missing = []
    for message in catalog:
        if message.id:
            message.string = EN.get(str(message.id), "")
            if not message.string:
                missing.append(str(message.id))
    out = TRANSLATIONS / "en" / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    with (out / "messages.po").open("wb") as f:
        write_po(f, catalog, omit_header=True, no_location=True)
    with (out / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    for text in missing:
        print(f"untranslated: {text}", file=sys.stderr)
    return len(missing)


if __name__ == "__main__":
    sys.exit(1 if build() else 0)
