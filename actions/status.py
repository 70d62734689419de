"""Status of a citizen's service request, looked up by its tracking number."""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.client import HelpdeskUnavailable, ServiceRequestStatus, get_client
from actions.formatting import HELPDESK_BUSY, button, format_date
from actions.parsing import (
    TRACKING_EXAMPLE,
    contains_nik,
    find_tracking_number,
    looks_like_tracking_attempt,
    normalize_tracking_number,
    redact_personal_data,
)

log = logging.getLogger(__name__)

STATUS_LABELS = {
    "submitted": "Diterima",
    "verifying": "Sedang diverifikasi",
    "processing": "Sedang diproses",
    "needs_documents": "Perlu melengkapi dokumen",
    "ready": "Sudah jadi, siap diambil",
    "completed": "Selesai",
    "rejected": "Ditolak",
}
NEXT_STEPS = {
    "needs_documents": (
        "Langkah berikutnya: lengkapi dokumen yang diminta di catatan petugas, lalu bawa "
        "ke kantor layanan dengan menyebutkan nomor permohonan ini."
    ),
    "ready": (
        "Langkah berikutnya: ambil dokumen Anda di kantor layanan pada jam kerja. "
        "Bawa bukti permohonan dan kartu identitas Anda."
    ),
    "rejected": (
        "Langkah berikutnya: baca alasan penolakan di catatan petugas. Anda bisa mengajukan "
        "ulang setelah memperbaikinya, atau bertanya langsung ke petugas."
    ),
}
FORMAT_HINT = (
    f"Formatnya: kode layanan (2–5 huruf), tahun, lalu 6 angka, misalnya {TRACKING_EXAMPLE}."
)
ASK_NUMBER = f"Boleh sebutkan nomor permohonan Anda?\n{FORMAT_HINT}"
MALFORMED_NUMBER = (
    f"Maaf, nomor permohonan itu belum sesuai format.\n{FORMAT_HINT}\n"
    "Nomornya ada di bukti permohonan Anda."
)
NIK_GIVEN = (
    "Demi keamanan data Anda, mohon jangan mengirim NIK di sini. "
    f"Untuk cek status cukup kirim nomor permohonan.\n{FORMAT_HINT}"
)
NOT_FOUND = (
    "Maaf, permohonan dengan nomor {number} tidak ditemukan. Mohon cek kembali nomornya "
    "pada bukti permohonan Anda. Jika sudah benar, Anda bisa bertanya ke petugas."
)
ASK_OFFICER = "Hubungi petugas"


class NoNumber(Enum):
    """Why no tracking number could be taken from the conversation."""

    MISSING = "missing"
    MALFORMED = "malformed"
    NIK = "nik"


NO_NUMBER_REPLIES = {
    NoNumber.MISSING: ASK_NUMBER,
    NoNumber.MALFORMED: MALFORMED_NUMBER,
    NoNumber.NIK: NIK_GIVEN,
}


def resolve_tracking_number(tracker: Tracker) -> str | NoNumber:
    """The tracking number from the entity, the message text, or the slot; else why not."""
    entities = [v for v in tracker.get_latest_entity_values("tracking_number") if v]
    for value in entities:
        number = normalize_tracking_number(str(value)) or find_tracking_number(str(value))
        if number:
            return number
    text = str(tracker.latest_message.get("text") or "")
    number = find_tracking_number(text)
    if number:
        return number
    if contains_nik(text):
        return NoNumber.NIK
    if entities or looks_like_tracking_attempt(text):
        return NoNumber.MALFORMED
    slot = tracker.get_slot("tracking_number")
    remembered = normalize_tracking_number(slot) if isinstance(slot, str) else None
    return remembered or NoNumber.MISSING


def format_status(request: ServiceRequestStatus) -> str:
    """The request's status in plain Indonesian, with the latest note and what to do next."""
    # Oldest first; a stable sort keeps the API's order for entries with equal timestamps.
    history = sorted(request.history, key=lambda change: change.created_at)
    latest = history[-1] if history else None
    updated = latest.created_at if latest else request.updated_at
    lines = [f"Status permohonan {request.tracking_number}"]
    if request.service_name:
        lines.append(f"Layanan: {request.service_name}")
    lines += [
        f"Status: {STATUS_LABELS.get(request.status, request.status)}",
        f"Diajukan: {format_date(request.created_at)}",
        f"Pembaruan terakhir: {format_date(updated)}",
    ]
    if latest and latest.note:
        lines.append(f"Catatan petugas: {redact_personal_data(latest.note)}")
    next_step = NEXT_STEPS.get(request.status)
    if next_step:
        lines += ["", next_step]
    return "\n".join(lines)


class ActionCheckStatus(Action):
    """Tell the citizen where their service request stands."""

    def name(self) -> str:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        number = resolve_tracking_number(tracker)
        if isinstance(number, NoNumber):
            dispatcher.utter_message(text=NO_NUMBER_REPLIES[number])
            return []
        try:
            request = await asyncio.to_thread(get_client().get_request, number)
        except HelpdeskUnavailable as exc:
            log.warning("status lookup unavailable: %s", exc.reason)
            dispatcher.utter_message(text=HELPDESK_BUSY)
            return [SlotSet("tracking_number", number)]
        if request is None:
            dispatcher.utter_message(
                text=NOT_FOUND.format(number=number),
                buttons=[button(ASK_OFFICER, "request_human")],
            )
            return [SlotSet("tracking_number", None)]
        dispatcher.utter_message(text=format_status(request))
        return [SlotSet("tracking_number", request.tracking_number)]
