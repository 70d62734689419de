"""Shared helpers for the action tests: a fake helpdesk at the HTTP boundary, trackers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.client import HelpdeskClient, set_client_factory

BASE_URL = "http://helpdesk.test"
TOKEN = "test-token"
LANGUAGES = ("id", "jv", "su", "en")

SERVICE: dict[str, Any] = {
    "code": "ktp_el",
    "name": "KTP Elektronik (KTP-el)",
    "aliases": ["ktp", "e-ktp"],
    "category": "kependudukan",
    "agency": "Disdukcapil kabupaten/kota",
    "summary": "Kartu identitas penduduk.",
    "who": "WNI berusia 17 tahun atau sudah menikah",
    "requirements": [
        {"case": "Pembuatan baru", "items": ["Fotokopi KK", "Hadir untuk perekaman"]},
        {"case": "Hilang", "items": ["Surat kehilangan dari kepolisian"]},
    ],
    "procedure": [{"case": "Di kantor Disdukcapil", "steps": ["Ambil antrean", "Rekam data"]}],
    "fee": {"free": True, "amount_idr": 0, "text": "Tidak dipungut biaya (Pasal 79A)."},
    "duration": {"text": "Paling lama 14 hari kerja."},
    "validity": "Berlaku seumur hidup.",
    "legal_basis": ["UU 23/2006 jo. UU 24/2013"],
    "online": {"name": "IKD", "url": None, "text": "KTP digital di ponsel."},
    "varies_by_region": ["duration"],
    "regional_note": "Lama proses ditetapkan tiap Disdukcapil.",
    "notes": None,
    "sources": ["S4"],
    "last_verified": "2026-01",
    "office": {
        "key": "disdukcapil",
        "name": "Disdukcapil Kabupaten Contoh",
        "address": "Jl. Merdeka No. 1",
        "hours": ["Senin–Kamis 08.00–15.00 WIB", "Jumat 08.00–11.00 WIB"],
        "phone": "(0123) 456789",
        "website": None,
    },
    "region": "Kabupaten Contoh",
}

SERVICE_LIST: dict[str, Any] = {
    "region": "Kabupaten Contoh",
    "items": [
        {"code": "skck", "name": "SKCK", "category": "kepolisian", "summary": "..."},
        {"code": "ktp_el", "name": "KTP-el", "category": "kependudukan", "summary": "..."},
        {"code": "kartu_keluarga", "name": "Kartu Keluarga", "category": "kependudukan"},
        {"code": "nib", "name": "NIB", "category": "perizinan_usaha", "summary": "..."},
    ],
}


def error_body(code: str) -> dict[str, Any]:
    """The helpdesk's error envelope."""
    return {"error": {"code": code, "message": code.replace("_", " ")}}


class FakeHelpdesk:
    """Canned answers per (method, path); records every request the client sends."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], httpx.Response | Exception] = {}
        self.requests: list[httpx.Request] = []
        self.failure: Exception | None = None

    def on(
        self, method: str, path: str, body: Any = None, *, status: int = 200, text: str = ""
    ) -> None:
        """Answer `method path` with JSON `body` (or raw `text`) and `status`."""
        if body is None:
            self.routes[(method, path)] = httpx.Response(status, text=text)
        else:
            self.routes[(method, path)] = httpx.Response(status, json=body)

    def fail(self, method: str, path: str, error: Exception) -> None:
        """Raise `error` (e.g. `httpx.ConnectError`) for `method path`."""
        self.routes[(method, path)] = error

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer by method and raw path; the query string (`?lang=`) does not select a route."""
        self.requests.append(request)
        if self.failure is not None:
            raise self.failure
        path = request.url.raw_path.decode().partition("?")[0]
        answer = self.routes.get((request.method, path))
        if isinstance(answer, Exception):
            raise answer
        return answer if answer is not None else httpx.Response(404, json=error_body("not_found"))

    def client(self) -> HelpdeskClient:
        return HelpdeskClient(BASE_URL, TOKEN, transport=httpx.MockTransport(self.handle))

    def paths(self) -> list[str]:
        """`METHOD /raw/path?query` of every request, in order."""
        return [f"{r.method} {r.url.raw_path.decode()}" for r in self.requests]

    def last_json(self) -> Any:
        return json.loads(self.requests[-1].content)


@contextmanager
def fake_helpdesk() -> Iterator[FakeHelpdesk]:
    """Make `actions.client.get_client()` return a client talking to a fake helpdesk."""
    fake = FakeHelpdesk()
    set_client_factory(fake.client)
    try:
        yield fake
    finally:
        set_client_factory(None)


def make_tracker(
    text: str = "",
    intent: str | None = None,
    entities: Mapping[str, str] | Sequence[tuple[str, str]] = (),
    slots: Mapping[str, Any] | None = None,
    earlier: Sequence[dict[str, Any]] = (),
    sender_id: str = "conv-42",
    metadata: Mapping[str, Any] | None = None,
) -> Tracker:
    """A real tracker whose latest user message has `text`, `intent`, `entities`, `metadata`."""
    pairs = list(entities.items()) if isinstance(entities, Mapping) else list(entities)
    parse_data: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.98} if intent else {},
        "intent_ranking": [{"name": intent, "confidence": 0.98}] if intent else [],
        "entities": [{"entity": name, "value": value} for name, value in pairs],
        "metadata": dict(metadata or {}),
    }
    events = [
        *earlier,
        {"event": "user", "text": text, "parse_data": parse_data},
    ]
    return Tracker(sender_id, dict(slots or {}), parse_data, events, False, None, {}, None)


def user_event(text: str, intent: str) -> dict[str, Any]:
    """An earlier user message, for trackers with history."""
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def run_action(
    action: Action, tracker: Tracker
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action with a real dispatcher; the events it returned and the messages sent."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return events, dispatcher.messages


def texts(messages: list[dict[str, Any]]) -> str:
    """All message texts joined, for substring assertions."""
    return "\n".join(str(m.get("text") or "") for m in messages)
