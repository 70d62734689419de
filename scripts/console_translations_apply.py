# ruff: noqa: E501  (a table of sentences)
"""English for the online applications' console strings (the request queue and the request
page's answers, documents and actions); merged into `console_translations.EN`."""

from __future__ import annotations

EN: dict[str, str] = {
    "Alasan penolakan (dikirim ke pemohon)": "Reason for the rejection (sent to the applicant)",
    "Catatan untuk pemohon": "Note for the applicant",
    "Dokumen": "Documents",
    "Isian formulir": "Form answers",
    "Kirim permintaan dokumen": "Send the request for documents",
    "Lewat tenggat": "Overdue",
    "Minta dokumen": "Ask for documents",
    "Proses": "Process",
    "Semua yang terbuka": "All open",
    "Siap diambil": "Ready for pick-up",
    "Siap diambil: di mana dan kapan": "Ready for pick-up: where and when",
    "Tenggat": "Deadline",
    "Tolak": "Reject",
    "Ubah status lain": "Another status change",
    "belum ada": "none yet",
    "diminta": "asked for",
    "lewat tenggat": "overdue",
    "menunggu dokumen": "waiting for documents",
    "tidak wajib": "optional",
    "Saring antrean": "Filter the queue",
}
EN.update(
    {
        "Permohonan online": "Online applications",
        "Permohonan online per unit dan layanan": "Online applications per unit and service",
        "masuk": "received",
        "selesai": "completed",
        "tepat waktu": "in time",
        "median hari kerja": "median working days",
        "Belum ada permohonan online pada periode ini.": "No online applications in this period.",
    }
)
