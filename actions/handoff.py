"""Hand the conversation to a human officer: on request, or to file a complaint."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.client import Handoff, HandoffReason, HelpdeskClient, HelpdeskUnavailable, get_client
from actions.formatting import BULLET, office_contact
from actions.parsing import is_command, missing_complaint_details, normalize_service_code

log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 2000
CONNECTED = "Baik, Anda sedang kami hubungkan dengan petugas."
ALREADY_WITH_OFFICER = "Percakapan Anda sudah ditangani petugas."
OFFICER_REPLIES_HERE = "Petugas akan membalas di percakapan ini; tidak perlu mengirim ulang pesan."
HANDOFF_FAILED = "Maaf, saat ini kami belum bisa menghubungkan Anda dengan petugas."
COMPLAINT_FORWARDED = "Terima kasih, pengaduan Anda sudah kami teruskan ke petugas."
COMPLAINT_FAILED = "Maaf, pengaduan Anda belum bisa kami teruskan saat ini, jadi belum tercatat."
CONTACT_OFFICE = "Silakan coba lagi nanti, atau hubungi langsung kantor layanan"
LAPOR = "Pengaduan juga bisa disampaikan lewat SP4N-LAPOR! di lapor.go.id."
DETAILS_INTRO = "Agar cepat ditindaklanjuti, mohon kirim juga:"
DETAIL_PROMPTS = {
    "details": "apa yang terjadi, secara singkat",
    "location": "lokasinya (alamat, desa/kelurahan)",
    "time": "waktu kejadiannya (tanggal dan jam)",
}


def queue_lines(handoff: Handoff) -> list[str]:
    """Queue position and expected wait, when the helpdesk knows them."""
    if handoff.status == "open":
        return [ALREADY_WITH_OFFICER]
    lines = []
    if handoff.queue_position is not None:
        lines.append(f"Posisi antrean Anda: {handoff.queue_position}.")
    minutes = handoff.expected_wait_minutes
    if minutes is not None:
        lines.append(f"Perkiraan waktu tunggu: {format_wait(minutes)}.")
    return lines


def format_wait(minutes: int) -> str:
    """`15` → `sekitar 15 menit`; `90` → `sekitar 1 jam 30 menit`."""
    if minutes <= 1:
        return "kurang dari 1 menit" if minutes < 1 else "sekitar 1 menit"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"sekitar {minutes} menit"
    return f"sekitar {hours} jam" + (f" {rest} menit" if rest else "")


def complaint_note(tracker: Tracker) -> str | None:
    """The latest message as the complaint's note (None for a bare button/command)."""
    text = str(tracker.latest_message.get("text") or "").strip()
    if not text or is_command(text):
        return None
    return text[:MAX_NOTE_CHARS]


def detail_request(note: str | None) -> str | None:
    """Ask for the details a complaint does not seem to give yet."""
    missing = missing_complaint_details(note or "")
    if not missing:
        return None
    return "\n".join([DETAILS_INTRO, *(f"{BULLET} {DETAIL_PROMPTS[key]}" for key in missing)])


async def _request_handoff(
    client: HelpdeskClient, tracker: Tracker, reason: HandoffReason, note: str | None = None
) -> Handoff | None | HelpdeskUnavailable:
    """The handoff, None for an unknown conversation, or the error when the helpdesk is down."""
    try:
        return await asyncio.to_thread(client.handoff, tracker.sender_id, reason, note)
    except HelpdeskUnavailable as exc:
        log.warning("handoff (%s) unavailable: %s", reason, exc.reason)
        return exc


async def _contact_line(client: HelpdeskClient, tracker: Tracker) -> str:
    """How to reach the office: the one for the service being discussed, if known."""
    code = normalize_service_code(tracker.get_slot("service"))
    contact = None
    if code:
        try:
            service = await asyncio.to_thread(client.get_service, code)
        except HelpdeskUnavailable:
            service = None
        contact = office_contact(service) if service else None
    return f"{CONTACT_OFFICE}: {contact}." if contact else f"{CONTACT_OFFICE}."


class ActionRequestHuman(Action):
    """Put the conversation in the officers' queue at the citizen's request."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        client = get_client()
        result = await _request_handoff(client, tracker, "citizen_request")
        if isinstance(result, Handoff):
            lines = [CONNECTED, *queue_lines(result), OFFICER_REPLIES_HERE]
        elif result is None:
            lines = [HANDOFF_FAILED, await _contact_line(client, tracker)]
        else:
            lines = [HANDOFF_FAILED, f"{CONTACT_OFFICE}."]
        dispatcher.utter_message(text="\n".join(lines))
        return []


class ActionFileComplaint(Action):
    """Forward the citizen's complaint (their latest message) to an officer."""

    def name(self) -> str:
        return "action_file_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        note = complaint_note(tracker)
        result = await _request_handoff(get_client(), tracker, "complaint", note)
        if not isinstance(result, Handoff):
            lines = [COMPLAINT_FAILED, f"{CONTACT_OFFICE}.", LAPOR]
            dispatcher.utter_message(text="\n".join(lines))
            return []
        lines = [COMPLAINT_FORWARDED, *queue_lines(result), OFFICER_REPLIES_HERE]
        dispatcher.utter_message(text="\n".join(lines))
        details = detail_request(note)
        if details:
            dispatcher.utter_message(text=details)
        return []
