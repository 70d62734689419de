"""The agent console in a real browser (Debian's Chromium driven by Playwright).

The helpdesk web app runs in-process under waitress on a free port, over a fresh SQLite file,
with a scripted bot engine (the console never talks to Rasa; the citizen's conversation is
handed off through the REST API exactly as the action server does). A citizen writes in the
demo page's widget; agents of two units work it in the console: TOTP sign-in, two agents
claiming at once, a reply reaching the widget, a private note that does not, a script from
the citizen shown as text, a transfer to another unit. Screenshots at 1280 and 360 px go to
docs/measurements/screenshots/. The tests share one module-scoped server and run in file order.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlalchemy import select
from waitress.server import create_server

from helpdesk.demo.seed import seed_canned_replies
from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, Conversation
from helpdesk.runtime.app import create_app
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine
from tests.console_helpers import PASSWORD, make_agent
from tests.stackutil import free_port, unavailable

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)  # a busy 2-core machine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = REPO_ROOT / "docs" / "measurements" / "screenshots"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}
SCRIPT = "<script>document.title='pwned';alert('x')</script>"
CITIZEN_TEXT = f"{SCRIPT} KTP saya hilang, NIK 3201010101900001"


@dataclass
class ParsingEngine(FakeEngine):
    """The scripted bot, plus the NLU parse the console shows next to citizen messages."""

    def parse(self, text: str) -> tuple[str, float] | None:
        return ("ask_requirements", 0.42) if "KTP" in text else ("nlu_fallback", 0.3)


@dataclass
class Desk:
    """The running console and what the tests share."""

    url: str
    app: Flask
    token: str
    secrets: dict[str, str]
    pages: dict[str, Page] = field(default_factory=dict)
    conversation_id: int = 0
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (scripts/ensure-chromium.sh)")
    folder = tmp_path_factory.mktemp("console")
    port = free_port()
    settings = Settings(database_url=f"sqlite:///{folder / 'helpdesk.db'}", port=port)
    app = create_app(settings, bot_engine=ParsingEngine())
    with app.app_context():
        upgrade(database().engine)
        with database().session() as session:
            token = create_token(session, "e2e-actions", "bot")
            seed_canned_replies(session)
            session.commit()
    secrets = {
        "agen.dukcapil": make_agent(app, "agen.dukcapil", units=("dukcapil",)),
        "agen.dukcapil2": make_agent(app, "agen.dukcapil2", units=("dukcapil",)),
        "agen.perizinan": make_agent(app, "agen.perizinan", units=("perizinan",)),
    }
    server = create_server(app, host="127.0.0.1", port=port, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Desk(f"http://127.0.0.1:{port}", app, token, secrets)
    finally:
        server.close()
        thread.join(timeout=5)
        with app.app_context():
            database().dispose()


@pytest.fixture(scope="module")
def browser(desk: Desk) -> Iterator[Browser]:
    manager: Playwright = sync_playwright().start()
    try:
        launched = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        manager.stop()


def new_page(browser: Browser, desk: Desk, name: str, viewport: dict[str, int] = WIDE) -> Page:
    context = browser.new_context(
        base_url=desk.url,
        locale="id-ID",
        viewport=viewport,  # type: ignore[arg-type]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda d: (desk.dialogs.append(d.message), d.dismiss()))
    desk.pages[name] = page
    return page


def shot(page: Page, name: str, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full)


def sign_in(page: Page, username: str, secret: str, screenshot: str | None = None) -> None:
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/console/login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("#otp").fill(pyotp.TOTP(secret).now())
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Antrean")


def test_sign_in_with_totp_and_see_the_handed_off_citizen(browser: Browser, desk: Desk) -> None:
    citizen = new_page(browser, desk, "citizen")
    citizen.goto("/")
    citizen.locator("#hw-launcher").click()
    citizen.locator("#hw-input").fill(CITIZEN_TEXT)
    citizen.locator("#hw-input").press("Enter")
    expect(citizen.locator("#hw-messages li[data-sender=bot]").first).to_be_visible()
    with desk.app.app_context(), database().session() as session:
        conversation = session.scalar(
            select(Conversation).where(Conversation.channel == Channel.WEBCHAT)
        )
        assert conversation is not None
        desk.conversation_id = conversation.id
        sender_id = conversation.engine_sender_id
    # The action server hands it off about KTP-el: it waits in Disdukcapil's queue. A bot
    # token addresses the conversation by the engine's random sender id, never by its row id.
    response = httpx.post(
        f"{desk.url}/api/v1/conversations/{sender_id}/handoff",
        json={"reason": "citizen_request", "service": "ktp_el"},
        headers={"Authorization": f"Bearer {desk.token}"},
    )
    assert response.status_code == 200 and response.json()["unit"] == "dukcapil"

    sri = new_page(browser, desk, "sri")
    sign_in(sri, "agen.dukcapil", desk.secrets["agen.dukcapil"], "console-login-1280.png")
    row = sri.locator(f"tr[data-conversation='{desk.conversation_id}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("<script>")  # shown as text
    expect(row).to_contain_text("3201********0001")
    expect(sri).to_have_title("(1) Antrean · Halo Warga", timeout=10_000)
    shot(sri, "console-queue-1280.png")

    andi = new_page(browser, desk, "andi", NARROW)
    sign_in(andi, "agen.perizinan", desk.secrets["agen.perizinan"])
    expect(andi.locator(f"tr[data-conversation='{desk.conversation_id}']")).to_have_count(0)
    response = andi.goto(f"/console/conversations/{desk.conversation_id}")
    assert response is not None and response.status == 404


def test_two_agents_claim_the_same_conversation(browser: Browser, desk: Desk) -> None:
    sri = desk.pages["sri"]
    tari = new_page(browser, desk, "tari")
    sign_in(tari, "agen.dukcapil2", desk.secrets["agen.dukcapil2"])
    path = f"/console/conversations/{desk.conversation_id}"
    sri.goto(path)
    tari.goto(path)
    # Each sees that the other has it open too (presence, refreshed by polling).
    expect(sri.locator(".presence")).to_contain_text("agen.dukcapil2", timeout=10_000)
    sri.get_by_role("button", name="Ambil percakapan").click()
    expect(sri.locator(".summary")).to_contain_text("Dibuka petugas")
    with tari.expect_response(lambda r: r.url.endswith("/claim")) as claimed:
        tari.get_by_role("button", name="Ambil percakapan").click()
    assert claimed.value.status == 409
    expect(tari.locator(".error")).to_contain_text("agen.dukcapil")


def test_citizen_script_is_shown_as_text(desk: Desk) -> None:
    sri = desk.pages["sri"]
    citizen_message = sri.locator(".msg.citizen .text").first
    expect(citizen_message).to_contain_text(SCRIPT)
    expect(sri.locator(".msg.citizen .intent").first).to_contain_text("ask_requirements 42%")
    assert sri.locator(".transcript script").count() == 0
    assert desk.dialogs == []
    assert "pwned" not in sri.title()


def test_reply_reaches_the_widget_and_a_private_note_does_not(desk: Desk) -> None:
    sri, citizen = desk.pages["sri"], desk.pages["citizen"]
    sri.get_by_label("Catatan internal (tidak dikirim ke warga)").fill("Catatan rahasia: cek SIAK")
    sri.get_by_role("button", name="Simpan catatan").click()
    expect(sri.locator(".event.note")).to_contain_text("Catatan rahasia")
    box = sri.locator("#reply-text")
    box.fill("/sal")
    expect(sri.locator("#canned-menu")).to_be_visible()
    box.press("Enter")
    assert box.input_value().startswith("Selamat datang di Halo Warga")
    box.fill("Halo, KTP-el pengganti bisa diurus di Disdukcapil dengan surat kehilangan.")
    sri.get_by_role("button", name="Kirim ke warga").click()
    expect(sri.locator(".msg.agent")).to_contain_text("KTP-el pengganti")
    shot(sri, "console-conversation-1280.png")

    agent_bubble = citizen.locator("#hw-messages li[data-sender=agent]")
    expect(agent_bubble).to_contain_text("KTP-el pengganti", timeout=15_000)
    expect(citizen.locator("#hw-messages")).not_to_contain_text("Catatan rahasia")
    shot(citizen, "console-reply-in-widget-1280.png", full=False)


def test_transfer_between_units(desk: Desk) -> None:
    sri, andi = desk.pages["sri"], desk.pages["andi"]
    sri.get_by_label("Alihkan ke unit").select_option("perizinan")
    sri.get_by_label("Alasan pengalihan").fill("Warga juga bertanya soal NIB usahanya")
    sri.get_by_role("button", name="Alihkan").click()
    expect(sri.get_by_role("heading", level=1)).to_contain_text("Antrean")
    expect(sri.locator(f"tr[data-conversation='{desk.conversation_id}']")).to_have_count(0)

    andi.goto("/console/")
    row = andi.locator(f"tr[data-conversation='{desk.conversation_id}']")
    expect(row).to_be_visible()
    shot(andi, "console-queue-360.png")
    row.get_by_role("link").click()
    expect(andi.locator(".event.transfer")).to_contain_text("NIB usahanya")
    expect(andi.locator(".event.note")).to_contain_text("Catatan rahasia")  # colleagues see it
    andi.get_by_role("button", name="Ambil percakapan").click()
    expect(andi.locator(".summary")).to_contain_text("Dibuka petugas")
    shot(andi, "console-conversation-360.png")


def test_first_sign_in_enrols_with_a_qr_code(browser: Browser, desk: Desk) -> None:
    secret = make_agent(desk.app, "agen.baru", units=("umum",), enrolled=False)
    page = new_page(browser, desk, "baru")
    page.goto("/console/login")
    page.get_by_label("Nama pengguna").fill("agen.baru")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("verifikasi dua langkah")
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    expect(page.locator("code.secret")).to_have_text(secret)
    shot(page, "console-enrol-1280.png")
    page.get_by_label("Kode").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator(".codes li")).to_have_count(10)
    page.get_by_role("link", name="Sudah saya simpan, lanjut ke antrean").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Antrean")
