"""Citizen journeys end to end: the real engine and model, action server, helpdesk and
worker as processes; the widget's API and Telegram (through the local fake Bot API).

Complaint form (with validation failures, abandoned half-way, and filed), the safe status
lookup (last 4 NIK digits, wrong tries lock it), updates reaching the citizen's channel
in their language within a minute, opting out, erasure leaving no trace of the NIK and
phone in var/ (helpdesk DB + WAL, engine tracker store, logs), data access, uploads
(oversized, disguised, a photo in the form), the consent notice and the help answer.
A transcript of one run is written to docs/measurements/journeys-transcript.md.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpdesk.infra.config import REPO_ROOT
from helpdesk.runtime.stack import Stack
from tests.fakes.telegram_api import FakeBotApi, photo_update, serve, text_update
from tests.stackutil import engine_missing, seeded_stack, unavailable

pytestmark = pytest.mark.e2e

TOKEN = "7012345678:AAF-journeys-token"
SECRET = "journeys-webhook-secret"
SEEDED = "KTP-2026-000001"  # Budi Santoso, NIK 3201010101900001, processing
SEEDED_LAST4 = "0001"
NIK = "3374015505910007"
PHONE = "085712349876"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 256
TRANSCRIPT: list[str] = []


@pytest.fixture(scope="module")
def fake_api() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with serve(api) as url:
        yield api, url


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, fake_api: tuple[FakeBotApi, str]
) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("journeys")
    env = {
        "RASA_TIMEOUT_SECONDS": "120",  # a loaded shared machine answers slowly at first
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake_api[1],
    }
    env["UPLOAD_DIR"] = str(var / "uploads")
    missing = engine_missing()
    if missing:
        unavailable(f"the engine is not built ({missing}); run `make train`")
    running = seeded_stack(var, env=env)
    running.start()
    try:
        running.wait_ready(timeout=900)  # a loaded shared machine can take minutes
        _warm_up(running)
        yield running
    finally:
        running.stop()


def _warm_up(stack: Stack) -> None:
    """The engine's first parse builds its graphs; do it before the journeys are timed."""
    token = stack.config.env.get("RASA_TOKEN", "")
    url = f"{stack.config.rasa_url}/model/parse" + (f"?token={token}" if token else "")
    httpx.post(url, json={"text": "halo"}, timeout=300)


@pytest.fixture(scope="module")
def staff(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{stack.config.helpdesk_url}/api/v1",
        headers={"Authorization": f"Bearer {stack.staff_token}"},
        timeout=60,
    ) as client:
        yield client


def wait_for(condition: Callable[[], Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.3)


class Widget:
    """A citizen on the web chat API (what the widget calls)."""

    def __init__(self, stack: Stack, language: str, record: bool = False) -> None:
        self.http = httpx.Client(base_url=stack.config.helpdesk_url, timeout=60)
        body = {"language": language, "explicit": language != "id"}
        self.sid: str = self.http.post("/webchat/sessions", json=body).json()["session_id"]
        self.record = record

    def say(self, text: str) -> str:
        response = self.http.post(f"/webchat/sessions/{self.sid}/messages", json={"text": text})
        assert response.status_code == 200, response.text
        reply = "\n".join(m["text"] for m in response.json()["messages"])
        if self.record:
            TRANSCRIPT.append(f"**Warga:** {text}\n\n**Bot:** {reply}\n".replace("\n", "\n> "))
        return reply

    def history(self) -> list[dict[str, Any]]:
        response = self.http.get(f"/webchat/sessions/{self.sid}/messages?after=0")
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages

    def upload(self, data: bytes, name: str, content_type: str) -> httpx.Response:
        files = {"file": (name, io.BytesIO(data), content_type)}
        return self.http.post(f"/webchat/sessions/{self.sid}/attachments", files=files)

    def close(self) -> None:
        self.http.close()


class TelegramChat:
    """A citizen on Telegram: updates posted to the webhook, replies read from the fake API."""

    next_update = 700_000

    def __init__(self, stack: Stack, api: FakeBotApi, chat_id: int) -> None:
        self.http = httpx.Client(base_url=stack.config.helpdesk_url, timeout=30)
        self.api = api
        self.chat_id = chat_id
        self.first = True  # the first answer comes with the consent notice

    def replies(self) -> list[str]:
        return [p["text"] for p in self.api.sent() if int(p["chat_id"]) == self.chat_id]

    def say(self, text: str, expect: int = 1) -> str:
        before = len(self.replies())
        expect += int(self.first)
        self.first = False
        TelegramChat.next_update += 1
        update = text_update(TelegramChat.next_update, self.chat_id, text)
        response = self.http.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert response.status_code == 200, response.text
        wait_for(lambda: len(self.replies()) >= before + expect, timeout=90)
        time.sleep(0.3)  # a second reply of the same turn
        return "\n".join(self.replies()[before:])

    def photo(self, file_id: str) -> str:
        """Send a photo (the worker fetches it from the fake Bot API's getFile)."""
        before = len(self.replies())
        TelegramChat.next_update += 1
        update = photo_update(TelegramChat.next_update, self.chat_id, file_id)
        response = self.http.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert response.status_code == 200, response.text
        wait_for(lambda: len(self.replies()) >= before + 2, timeout=90)
        return "\n".join(self.replies()[before:])

    def close(self) -> None:
        self.http.close()


def number_in(text: str) -> str:
    match = re.search(r"\b(ADU|ASP|INF)-\d{4}-\d{6}\b", text)
    assert match, text
    return match.group()


def test_complaint_status_check_and_update_on_the_widget_in_indonesian(
    stack: Stack, staff: httpx.Client
) -> None:
    citizen = Widget(stack, "id", record=True)
    try:
        opened = citizen.say("saya mau buat pengaduan")
        assert "termasuk jenis apa" in opened, opened
        assert "/privacy?lang=id" in opened  # the consent notice at first contact
        assert "pilih salah satu jenis" in citizen.say("entahlah")
        assert "Ceritakan" in citizen.say("pengaduan")
        assert "terlalu singkat" in citizen.say("pungli")
        story = "Petugas loket meminta uang Rp50.000 agar KTP saya cepat jadi"
        assert "Di mana" in citizen.say(story)
        assert "Kapan" in citizen.say("Kantor Kecamatan Sukamaju, loket 2")
        assert "masa depan" in citizen.say("besok lusa")
        assert "foto" in citizen.say("kemarin pagi").lower()
        assert "ditangani" in citizen.say("lewati")
        assert "NIK Anda" in citizen.say("rahasia")
        summary = citizen.say(NIK)
        assert story in summary and NIK not in summary
        filed = citizen.say("ya")
        number = number_in(filed)
        assert number.startswith("ADU-")
        status = citizen.say(f"cek status {number}")
        assert number in status and "Diterima" in status and "Status laporan" in status, status
        assert "4 digit terakhir NIK" in status and "Rp50.000" not in status
        details = citizen.say(NIK[-4:])
        assert "Identitas cocok" in details and "Rp50.000" in details
        assert "Mau dikabari" in details
        assert "akan dikabari" in citizen.say("ya")
        moved = staff.post(
            f"/complaints/{number}/status",
            json={"status": "verified", "note": "Laporan diverifikasi, diteruskan ke Inspektorat"},
        )
        assert moved.status_code == 200, moved.text
        update = wait_for(
            lambda: [m for m in citizen.history() if "Kabar terbaru" in m["text"]], timeout=60
        )
        assert "Terverifikasi" in update[-1]["text"]
        pushed = update[-1]["text"]
        entry = f"*(petugas: status → verified)*\n\n**Bot:** {pushed}\n"
        TRANSCRIPT.append(entry.replace("\n", "\n> "))
        complaint = staff.get(f"/complaints/{number}").json()
        assert complaint["unit"] == "dukcapil" and complaint["confidential"]  # KTP → its unit
    finally:
        citizen.close()


def test_javanese_widget_form_abandoned_and_wrong_tries_lock_the_lookup(stack: Stack) -> None:
    citizen = Widget(stack, "jv")
    try:
        assert "jinis punapa" in citizen.say("kula badhe ngaturaken keluhan")
        assert "kacariyosaken" in citizen.say("1")
        assert "kirang cekap" in citizen.say("suwe")
        assert "Wonten pundi" in citizen.say("Antrenipun dawa sanget, kula ngentosi 5 jam")
        assert "dipunbatalaken" in citizen.say("batal")
        status = citizen.say(f"piye status {SEEDED}")
        assert SEEDED in status and "Saweg dipunproses" in status, status
        assert "4 angka pungkasan" in status
        assert "Kantun 2" in citizen.say("1234")
        citizen.say(f"piye status {SEEDED}")
        assert "Kantun 1" in citizen.say("5678")
        citizen.say(f"piye status {SEEDED}")
        assert "dipunkunci 1 jam" in citizen.say("9999")
        again = citizen.say(f"piye status {SEEDED}")
        assert "dipunkunci 1 jam" in again and "Perekaman biometrik" not in again
        assert "Perekaman biometrik" not in citizen.say(SEEDED_LAST4)
    finally:
        citizen.close()


def test_telegram_complaint_in_javanese_and_update_within_a_minute(
    stack: Stack, staff: httpx.Client, fake_api: tuple[FakeBotApi, str]
) -> None:
    chat = TelegramChat(stack, fake_api[0], 8_100_001)
    try:
        chat.say("/bahasa jawa")
        assert "jinis punapa" in chat.say("kula badhe ngaturaken keluhan")
        chat.say("2")
        chat.say("Lampu margi ing prapatan desa pejah sampun sewulan, peteng sanget")
        chat.say("Prapatan Desa Sukamaju")
        chat.say("wingi dalu")
        fake_api[0].files["AgADlampu"] = PNG
        taken = chat.photo("AgADlampu")  # fetched from the platform by the worker
        assert "Lampiran sampun katampi" in taken and "dipuntangani" in taken, taken
        chat.say("anonim")
        assert "Ringkesan laporan" in chat.say("langkungi")
        number = number_in(chat.say("inggih"))
        assert number.startswith("ASP-")
        started = time.monotonic()
        staff.post(f"/complaints/{number}/status", json={"status": "verified"})
        staff.post(f"/complaints/{number}/status", json={"status": "forwarded"})
        wait_for(lambda: any("Dipunterusaken" in r for r in chat.replies()), timeout=60)
        assert time.monotonic() - started < 60
        complaint = staff.get(f"/complaints/{number}").json()
        assert complaint["anonymous"] and complaint["conversation_id"] is None
        assert [a["content_type"] for a in complaint["attachments"]] == ["image/png"]
        assert "mboten badhe nampi kabar" in chat.say("mandheg")
    finally:
        chat.close()


def test_telegram_verified_lookup_subscribes_and_the_worker_delivers(
    stack: Stack, staff: httpx.Client, fake_api: tuple[FakeBotApi, str]
) -> None:
    chat = TelegramChat(stack, fake_api[0], 8_100_002)
    try:
        created = staff.post(
            "/requests",
            json={
                "service": "kartu_keluarga",
                "applicant_name": "Ani Lestari",
                "nik": "3201014708930011",
                "phone": "081355557777",
                "note": "Berkas lengkap.",
            },
        ).json()
        number = created["tracking_number"]
        status = chat.say(f"cek status {number}")
        assert "Diterima" in status and "4 digit" in status, status
        details = chat.say("0011", expect=2)
        assert "Ani Lestari" in details and "Berkas lengkap." in details
        assert "081355557777" not in details and "Mau dikabari" in details
        assert "akan dikabari" in chat.say("ya")
        staff.post(f"/requests/{number}/status", json={"status": "verifying"})
        wait_for(lambda: any("Sedang diverifikasi" in r for r in chat.replies()), timeout=60)
    finally:
        chat.close()


def test_uploads_on_the_widget(stack: Stack, staff: httpx.Client) -> None:
    citizen = Widget(stack, "id")
    try:
        citizen.say("halo")
        big = citizen.upload(
            b"\xff\xd8\xff\xe0" + b"\x00" * (10 * 1024 * 1024 + 10), "b.jpg", "image/jpeg"
        )
        assert big.status_code == 413 and big.json()["error"]["code"] == "file_too_large"
        fake = citizen.upload(b"#!/bin/sh\necho pwned\n", "ktp.jpg", "image/jpeg")
        assert fake.status_code == 422 and fake.json()["error"]["code"] == "unsupported_type"
        assert "termasuk jenis apa" in citizen.say("saya mau buat pengaduan")
        for answer in (
            "aspirasi",
            "Mohon taman kota diberi lampu agar aman malam hari",
            "Taman Kota Sukamaju",
            "minggu lalu",
        ):
            citizen.say(answer)
        photo = citizen.upload(PNG, "taman.png", "image/png")
        assert photo.status_code == 201, photo.text
        assert "ditangani" in photo.json()["messages"][-1]["text"]
        citizen.say("publik")
        citizen.say("lewati")
        number = number_in(citizen.say("ya"))
        (attachment,) = staff.get(f"/complaints/{number}").json()["attachments"]
        assert attachment["content_type"] == "image/png"
        assert staff.get(attachment["url"].removeprefix("/api/v1")).content == PNG
        stored = list(Path(stack.config.env["UPLOAD_DIR"]).iterdir())
        assert stored and all("static" not in str(p) for p in stored)
    finally:
        citizen.close()


def test_help_and_data_access(stack: Stack) -> None:
    citizen = Widget(stack, "id")
    try:
        citizen.say("halo")
        assert "/help?lang=id" in citizen.say("bantuan")
        answer = citizen.say("data saya apa saja?")
        assert "Pasal 32" in answer and "pesan sejak" in answer
        page = httpx.get(f"{stack.config.helpdesk_url}/help?lang=jv", timeout=10)
        assert page.status_code == 200 and "Pitedah" in page.text
    finally:
        citizen.close()


def _var_files(stack: Stack) -> list[Path]:
    return [p for p in stack.config.var_dir.rglob("*") if p.is_file()]


def _holding(stack: Stack, needles: list[bytes]) -> list[str]:
    found = []
    for path in _var_files(stack):
        data = path.read_bytes()
        found += [f"{path.name}: {n.decode()}" for n in needles if n in data]
    return found


@pytest.mark.parametrize("channel", ["widget", "telegram"])
def test_erasure_leaves_no_trace_in_var(
    stack: Stack, staff: httpx.Client, fake_api: tuple[FakeBotApi, str], channel: str
) -> None:
    nik = "3374016001880099" if channel == "widget" else "3374016001880077"
    phone = "085611112222" if channel == "widget" else "085633334444"
    needles = [nik.encode(), phone.encode(), phone[1:].encode()]
    if channel == "widget":
        citizen: Widget | TelegramChat = Widget(stack, "id")
    else:
        citizen = TelegramChat(stack, fake_api[0], 8_100_003)
    try:
        citizen.say(f"NIK saya {nik}, nomor HP {phone}. KTP saya sudah jadi belum?")
        citizen.say("saya mau buat pengaduan")
        for answer in (
            "pengaduan",
            f"Data saya {nik} salah ketik di KK, hubungi {phone}",
            "Disdukcapil",
            "hari ini",
            "lewati",
            "publik",
            nik,
            "ya",
        ):
            citizen.say(answer)
        assert _holding(stack, needles), "the citizen's data should be stored before erasure"
        filed = citizen.say("tolong hapus data saya")
        assert "penghapusan data Anda sudah dicatat" in filed
        pending = staff.get("/erasure-requests", params={"status": "pending"}).json()["items"]
        assert pending and "id" in pending[-1]
        approved = staff.post(f"/erasure-requests/{pending[-1]['id']}/approve")
        assert approved.status_code == 200, approved.text
        assert approved.json()["summary"]["tracker_events"] > 0
        if isinstance(citizen, TelegramChat):
            wait_for(lambda: any("disetujui" in r for r in citizen.replies()), timeout=60)
        else:
            assert "disetujui" in citizen.history()[-1]["text"]
        assert _holding(stack, needles) == []
    finally:
        citizen.close()


def test_processes_logged_no_tracebacks_and_no_personal_data(stack: Stack) -> None:
    for name in ("helpdesk", "actions", "worker"):
        log = (stack.logs / f"{name}.log").read_text(errors="replace")
        assert "Traceback" not in log, stack.log_tail(name, 80)
        assert NIK not in log and PHONE not in log


def test_write_the_transcript(stack: Stack) -> None:
    assert TRANSCRIPT, "the Indonesian widget journey records its transcript"
    header = (
        "# One real run: complaint, status check, identity check, update (widget, id)\n\n"
        "Recorded by `tests/e2e/test_journeys_stack.py` against the real model and processes.\n\n"
    )
    out = REPO_ROOT / "docs" / "measurements" / "journeys-transcript.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(header + "\n".join("> " + entry for entry in TRANSCRIPT))
