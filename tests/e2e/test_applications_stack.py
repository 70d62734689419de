"""Online applications end to end: the real engine and model, action server, helpdesk and
worker as processes; the widget's API, Telegram and WhatsApp (local fakes of their cloud
APIs, with photos and PDFs fetched like the real ones).

The domicile letter in the widget (Indonesian) is worked to its end: the number, the
officer of its unit finds it first in the console, asks for a missing document, the
citizen uploads it in the same chat, the officer completes it, the citizen is told and
offered the survey. The yellow card on Telegram (Javanese) and the SKTM on WhatsApp
(Sundanese, English) with photos and a PDF. The transcript of the domicile letter is
written to docs/measurements/applications-transcript.md.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pyotp
import pytest

from channels.whatsapp.signature import sign
from helpdesk.infra.config import REPO_ROOT
from helpdesk.infra.db import Database
from helpdesk.models import AgentRole, utcnow
from helpdesk.runtime.stack import Stack
from helpdesk.services import agents as agent_service
from tests.fakes import whatsapp_api
from tests.fakes.telegram_api import FakeBotApi, photo_update, serve, text_update
from tests.stackutil import engine_missing, seeded_stack, unavailable

pytestmark = pytest.mark.e2e

TOKEN = "7012345678:AAF-applications-token"
SECRET = "applications-webhook-secret"
WA_SECRET = "applications-app-secret"
WA_PHONE_ID = "106540352242922"
NIK = "3374015505910007"
PASSWORD = "correct horse battery"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 512
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TRANSCRIPT: list[str] = []


@pytest.fixture(scope="module")
def telegram() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()
    with serve(api) as url:
        yield api, url


@pytest.fixture(scope="module")
def whatsapp() -> Iterator[whatsapp_api.FakeCloudApi]:
    api = whatsapp_api.FakeCloudApi()
    with whatsapp_api.serve(api):
        yield api


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    telegram: tuple[FakeBotApi, str],
    whatsapp: whatsapp_api.FakeCloudApi,
) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("applications")
    env = {
        "RASA_TIMEOUT_SECONDS": "120",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": telegram[1],
        "WHATSAPP_ACCESS_TOKEN": "fake-access-token",
        "WHATSAPP_APP_SECRET": WA_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "verify",
        "WHATSAPP_PHONE_NUMBER_ID": WA_PHONE_ID,
        "WHATSAPP_API_BASE_URL": whatsapp.base_url,
        "UPLOAD_DIR": str(var / "uploads"),
        "CONSENT_NOTICE": "false",
    }
    missing = engine_missing()
    if missing:
        unavailable(f"the engine is not built ({missing}); run `make train`")
    running = seeded_stack(var, env=env)
    running.start()
    try:
        running.wait_ready(timeout=900)
        token = running.config.env.get("RASA_TOKEN", "")
        url = f"{running.config.rasa_url}/model/parse" + (f"?token={token}" if token else "")
        httpx.post(url, json={"text": "halo"}, timeout=300)
        yield running
    finally:
        running.stop()


def wait_for(condition: Callable[[], Any], timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.3)


def record(who: str, text: str, reply: str) -> None:
    TRANSCRIPT.append(f"**{who}:** {text}\n\n> " + reply.replace("\n", "\n> ") + "\n")


class Widget:
    def __init__(self, stack: Stack, language: str) -> None:
        self.http = httpx.Client(base_url=stack.config.helpdesk_url, timeout=120)
        body = {"language": language, "explicit": language != "id"}
        self.sid: str = self.http.post("/webchat/sessions", json=body).json()["session_id"]

    def say(self, text: str, log: bool = True) -> str:
        response = self.http.post(f"/webchat/sessions/{self.sid}/messages", json={"text": text})
        assert response.status_code == 200, response.text
        reply = "\n".join(m["text"] for m in response.json()["messages"])
        if log:
            record("Warga", text, reply)
        return reply

    def upload(self, data: bytes, name: str, content_type: str) -> str:
        files = {"file": (name, data, content_type)}
        response = self.http.post(f"/webchat/sessions/{self.sid}/attachments", files=files)
        assert response.status_code == 201, response.text
        reply = "\n".join(m["text"] for m in response.json()["messages"])
        record("Warga", f"📎 {name}", reply)
        return reply

    def history(self) -> str:
        response = self.http.get(f"/webchat/sessions/{self.sid}/messages?after=0")
        return "\n".join(m["text"] for m in response.json()["messages"])

    def close(self) -> None:
        self.http.close()


class TelegramChat:
    next_update = 810_000

    def __init__(self, stack: Stack, api: FakeBotApi, chat_id: int) -> None:
        self.http = httpx.Client(base_url=stack.config.helpdesk_url, timeout=30)
        self.api, self.chat_id = api, chat_id

    def replies(self) -> list[str]:
        return [p["text"] for p in self.api.sent() if int(p["chat_id"]) == self.chat_id]

    def _post(self, update: dict[str, Any], expect: int) -> str:
        before = len(self.replies())
        response = self.http.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert response.status_code == 200, response.text
        wait_for(lambda: len(self.replies()) >= before + expect, timeout=120)
        time.sleep(0.5)
        return "\n".join(self.replies()[before:])

    def say(self, text: str, expect: int = 1) -> str:
        TelegramChat.next_update += 1
        return self._post(text_update(TelegramChat.next_update, self.chat_id, text), expect)

    def photo(self, file_id: str, expect: int = 2) -> str:
        TelegramChat.next_update += 1
        return self._post(photo_update(TelegramChat.next_update, self.chat_id, file_id), expect)

    def close(self) -> None:
        self.http.close()


class WhatsAppChat:
    next_id = 0

    def __init__(self, stack: Stack, api: whatsapp_api.FakeCloudApi, wa_id: str) -> None:
        self.http = httpx.Client(base_url=stack.config.helpdesk_url, timeout=30)
        self.api, self.wa_id = api, wa_id

    def _post(self, body: dict[str, Any], expect: int) -> str:
        import json

        before = len(self.api.texts(self.wa_id))
        raw = json.dumps(body).encode()
        response = self.http.post(
            "/webhooks/whatsapp",
            content=raw,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(WA_SECRET, raw),
            },
        )
        assert response.status_code == 200, response.text
        wait_for(lambda: len(self.api.texts(self.wa_id)) >= before + expect, timeout=120)
        time.sleep(0.5)
        return "\n".join(self.api.texts(self.wa_id)[before:])

    def say(self, text: str, expect: int = 1) -> str:
        WhatsAppChat.next_id += 1
        body = whatsapp_api.text_event(self.wa_id, f"wamid.app{WhatsAppChat.next_id}", text)
        return self._post(body, expect)

    def close(self) -> None:
        self.http.close()

    def send_file(self, data: bytes, mime: str, name: str, expect: int = 2) -> str:
        WhatsAppChat.next_id += 1
        media_id = f"media{WhatsAppChat.next_id}"
        self.api.media[media_id] = (data, mime)
        body = whatsapp_api.media_event(
            self.wa_id, f"wamid.app{WhatsAppChat.next_id}", media_id, mime, name
        )
        return self._post(body, expect)


def officer_session(stack: Stack) -> httpx.Client:
    """An agent of the general unit, signed in to the console over HTTP."""
    secret = pyotp.random_base32()
    database = Database(stack.config.database_url)
    with database.session() as session:
        created = agent_service.create_agent(
            session,
            "petugas.umum",
            AgentRole.AGENT,
            ("umum",),
            frozenset({"umum", "dukcapil", "perizinan", "pajak"}),
            password=PASSWORD,
            totp_secret=secret,
        )
        created.agent.totp_confirmed_at = utcnow()
        session.commit()
    database.dispose()
    client = httpx.Client(base_url=stack.config.helpdesk_url, timeout=60, follow_redirects=True)
    page = client.get("/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    signed = client.post(
        "/console/login",
        data={
            "csrf_token": token.group(1),
            "username": "petugas.umum",
            "password": PASSWORD,
            "otp": pyotp.TOTP(secret).now(),
        },
    )
    assert signed.status_code == 200 and "/console/login" not in str(signed.url), signed.text[:300]
    return client


def csrf_of(client: httpx.Client, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_domicile_letter_in_the_widget_worked_to_its_end(
    stack: Stack, request: pytest.FixtureRequest
) -> None:
    citizen = Widget(stack, "id")
    request.addfinalizer(citizen.close)
    opened = citizen.say("saya mau mengajukan surat domisili")
    assert "Surat Keterangan Domisili" in opened and "UU 27/2022" in opened, opened
    assert "1/6" in citizen.say("setuju")
    assert "2/6" in citizen.say("Siti Aminah")
    assert "16 angka" in citizen.say("3374 0155 0591")
    assert "3/6" in citizen.say(NIK)
    assert "4/6" in citizen.say("lewati")
    assert "5/6" in citizen.say("Jl. Melati 5 RT 02/RW 03, Sukamaju")
    assert "hari/bulan/tahun" in citizen.say("tahun lalu")
    assert "6/6" in citizen.say("17/08/2024")
    assert "Dokumen 1/4" in citizen.say("melamar kerja")
    assert "Dokumen 2/4" in citizen.upload(JPEG, "pengantar-rt.jpg", "image/jpeg")
    assert "Dokumen 3/4" in citizen.upload(PDF, "ktp.pdf", "application/pdf")
    assert "Dokumen 4/4" in citizen.upload(JPEG, "kk.jpg", "image/jpeg")
    assert "kabar status" in citizen.say("lewati")
    summary = citizen.say("ya")
    assert "3374********0007" in summary and NIK not in summary
    filed = citizen.say("kirim")
    number = re.search(r"SKD-\d{4}-\d{6}", filed)
    assert number is not None, filed
    tracking = number.group(0)
    officer = officer_session(stack)
    request.addfinalizer(officer.close)
    queue = officer.get("/console/requests").text
    assert re.findall(r"(SKD-\d{4}-\d{6})</a>", queue)[0] == tracking  # found first
    page = officer.get(f"/console/requests/{tracking}").text
    assert "Siti Aminah" in page and "3374********0007" in page
    token = csrf_of(officer, f"/console/requests/{tracking}")
    officer.post(
        f"/console/requests/{tracking}/ask-documents",
        data={"csrf_token": token, "documents": "kk", "note": "Foto KK terpotong."},
    )
    asked = wait_for(lambda: "Foto KK terpotong" in citizen.history() and citizen.history())
    assert "Kartu Keluarga (KK)" in asked
    record(
        "Petugas",
        'minta dokumen: Kartu Keluarga (KK), "Foto KK terpotong."',
        asked.split("\n\n")[-1],
    )
    uploaded = citizen.upload(JPEG, "kk-lengkap.jpg", "image/jpeg")
    assert "diteruskan ke petugas" in uploaded
    page = officer.get(f"/console/requests/{tracking}").text
    assert "kk-lengkap.jpg" in page and "verifying" in page
    for status in ("processing",):
        officer.post(
            f"/console/requests/{tracking}/status", data={"csrf_token": token, "status": status}
        )
    officer.post(
        f"/console/requests/{tracking}/ready",
        data={"csrf_token": token, "where": "Loket 2 Kelurahan Sukamaju, Senin–Jumat 08.00–15.00"},
    )
    officer.post(
        f"/console/requests/{tracking}/status", data={"csrf_token": token, "status": "completed"}
    )
    final = wait_for(lambda: "survei" in citizen.history().lower() and citizen.history())
    assert "Loket 2 Kelurahan Sukamaju" in final
    record("Petugas", "proses → siap diambil → selesai", final[-900:])
    survey = citizen.say("ya")
    assert "1" in survey  # the first SKM question
    out = REPO_ROOT / "docs" / "measurements" / "applications-transcript.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "# Transcript: a domicile letter applied for in the widget (real engine, e2e)\n\n"
        + "\n".join(TRANSCRIPT),
        encoding="utf-8",
    )


def test_yellow_card_on_telegram_in_javanese_with_photos(
    stack: Stack, telegram: tuple[FakeBotApi, str], request: pytest.FixtureRequest
) -> None:
    api = telegram[0]
    chat = TelegramChat(stack, api, 55_501)
    request.addfinalizer(chat.close)
    opened = chat.say("kula badhe ngajokaken kartu kuning", expect=2)
    assert "UU 27/2022" in opened, opened
    assert "1/6" in chat.say("inggih")
    chat.say("Rina Wulandari")
    assert "16 angka" in chat.say("12345")
    chat.say(NIK)
    chat.say("081298765432")
    chat.say("21/04/2001")
    chat.say("3")
    assert "Dokumen 1/6" in chat.say("lewati")
    for index, name in enumerate(("ktp", "kk", "ijazah", "akta", "foto"), start=1):
        api.files[f"file-{name}"] = JPEG
        assert f"{index + 1}/6" in chat.photo(f"file-{name}") or index == 5
    chat.say("lewati")
    chat.say("inggih")
    filed = chat.say("kirim", expect=2)
    assert re.search(r"AK-\d{4}-\d{6}", filed) and "katampi" in filed, filed


@pytest.mark.parametrize(
    ("language", "wa_id", "opening", "agree", "legal"),
    [
        ("su", "6281300000011", "abdi hoyong ngajukeun SKTM", "sumuhun", "bantuan hukum"),
        ("en", "6281300000012", "I want to apply for SKTM online", "yes", "legal aid"),
    ],
)
def test_sktm_on_whatsapp_with_a_photo_and_a_pdf(
    stack: Stack,
    whatsapp: whatsapp_api.FakeCloudApi,
    request: pytest.FixtureRequest,
    language: str,
    wa_id: str,
    opening: str,
    agree: str,
    legal: str,
) -> None:
    chat = WhatsAppChat(stack, whatsapp, wa_id)
    request.addfinalizer(chat.close)
    opened = chat.say(opening, expect=2)
    assert "UU 27/2022" in opened, opened
    assert "1/6" in chat.say(agree)
    chat.say("Budi Santoso")
    chat.say(NIK)
    chat.say("skip" if language == "en" else "lewati")
    chat.say("Jl. Kenanga 7 RT 01/RW 02, Sukamaju")
    chat.say(legal)
    assert "1/5" in chat.say("LBH Contoh")
    chat.send_file(JPEG, "image/jpeg", "rt.jpg")
    chat.send_file(JPEG, "image/jpeg", "ktp.jpg")
    chat.send_file(PDF, "application/pdf", "kk.pdf")
    chat.send_file(PDF, "application/pdf", "pernyataan.pdf")
    chat.say("skip" if language == "en" else "lewati")
    chat.say(agree)
    filed = chat.say("kirim", expect=2)
    assert re.search(r"SKTM-\d{4}-\d{6}", filed), filed
