"""Open the helpdesk's online application form ("saya mau mengajukan SKTM").

The form runs in the helpdesk beside the engine (helpdesk/journeys/application.py):
questions checked one by one, documents as photos or PDFs, a summary, a tracking number.
The action only opens it for the service the message (or the conversation) is about.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.client import HelpdeskUnavailable, get_client
from actions.i18n import language_of
from actions.parsing import normalize_service_code

log = logging.getLogger(__name__)

UNAVAILABLE = {
    "id": "Maaf, formulir pengajuan online sedang tidak bisa dibuka. Coba lagi sebentar lagi, "
    'atau ketik "bicara dengan petugas".',
    "jv": "Nyuwun pangapunten, formulir pangajuan online saweg mboten saged dipun-bikak. "
    'Mangga dipun-cobi malih, utawi ketik "petugas".',
    "su": "Hapunten, formulir pangajuan online nuju teu tiasa dibuka. Mangga cobian deui, "
    'atanapi ketik "petugas".',
    "en": "Sorry, the online application form cannot be opened right now. Please try again "
    'shortly, or type "talk to an officer".',
}


def service_of(tracker: Tracker) -> str | None:
    """The service this message names, else the conversation's current one."""
    for value in tracker.get_latest_entity_values("service"):
        code = normalize_service_code(value)
        if code:
            return code
    return normalize_service_code(tracker.get_slot("service"))


class ActionApplyService(Action):
    """Open the application form of the service the citizen wants to apply for."""

    def name(self) -> str:
        return "action_apply_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = language_of(tracker)
        client = get_client()
        try:
            prompts = await asyncio.to_thread(
                client.start_application_form, tracker.sender_id, service_of(tracker)
            )
        except HelpdeskUnavailable as exc:
            log.warning("application form unavailable: %s", exc.reason)
            prompts = None
        if not prompts:
            dispatcher.utter_message(text=UNAVAILABLE.get(language, UNAVAILABLE["id"]))
            return []
        for prompt in prompts:
            dispatcher.utter_message(
                text=str(prompt.get("text") or ""), buttons=list(prompt.get("buttons") or [])
            )
        return []
