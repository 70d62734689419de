"""The case desk in a real browser (Debian's Chromium driven by Playwright).

The helpdesk web app runs in-process under waitress on a free port over a fresh SQLite
file; its worker (run by the test between steps) talks to a fake Telegram Bot API at the
HTTP boundary. A citizen files a complaint on Telegram in Javanese, with a photo; in the
console a Disdukcapil officer verifies it, replies, asks for more (the citizen answers on
Telegram), forwards it to DPMPTSP, whose officer finishes it: the citizen reads each step
in Javanese and is offered the survey. Then the supervisor's badge after a breach, the
start page, the dashboard in English, the privacy desk. Screenshots at 1280 and 360 px go
to docs/screenshots/.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from waitress.server import create_server

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.infra.migrate import upgrade
from helpdesk.models import AgentRole, Channel
from helpdesk.runtime.app import create_app
from helpdesk.services import conversations as convs
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine
from tests.console_helpers import PASSWORD, make_agent
from tests.fakes.telegram_api import FakeBotApi, photo_update, serve, text_update
from tests.stackutil import free_port, unavailable

pytestmark = pytest.mark.e2e
expect.set_options(timeout=15_000)  # a busy 2-core machine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
SHOTS = REPO_ROOT / "docs" / "screenshots"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}
CHAT_ID = 6660001
ALERT_CHAT = "-1009998887"
WIB = ZoneInfo("Asia/Jakarta")


def off_the_loop(work: Callable[[], None]) -> None:
    """Run `work` in its own thread: Playwright's sync API keeps an event loop running in
    this one, and the channel adapters start their own (asyncio.run) to send."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # re-raised in the test's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=300)
    if failures:
        raise failures[0]
    assert not thread.is_alive(), "the worker did not finish in 300 s"


def _photo() -> bytes:
    """A real PNG (a counter with a note on it) for the complaint's photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (150, 150, 150))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 480, 90), fill=(135, 190, 235))
    draw.ellipse((170, 160, 330, 240), fill=(60, 50, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@dataclass
class Desk:
    """The running app, its worker, the fake Telegram, the agents' secrets."""

    url: str
    app: Flask
    api: FakeBotApi
    worker: Any
    secrets: dict[str, str]
    number: str = ""
    update: int = 100
    pages: dict[str, Page] = field(default_factory=dict)

    def flush(self) -> None:
        def work() -> None:
            with self.app.app_context():
                self.worker.run_once()
                self.worker.run_once()

        off_the_loop(work)

    def citizen(self, body: dict[str, Any]) -> None:
        from helpdesk.services.inbox import store_inbound_event

        with self.app.app_context(), database().session() as session:
            store_inbound_event(session, Channel.TELEGRAM, str(body["update_id"]), body)
            session.commit()
        self.flush()

    def says(self, text: str) -> None:
        self.update += 1
        self.citizen(text_update(self.update, CHAT_ID, text))

    def telegram(self) -> list[str]:
        return [p["text"] for p in self.api.sent() if str(p["chat_id"]) == str(CHAT_ID)]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    from channels.telegram.adapter import TelegramAdapter
    from helpdesk.infra.jobs import PollingSignal
    from helpdesk.runtime.worker import Worker

    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (scripts/ensure-chromium.sh)")
    folder = tmp_path_factory.mktemp("casedesk")
    api = FakeBotApi(files={"AgADpothole": _photo()})
    with serve(api) as api_url:
        port = free_port()
        settings = Settings(
            database_url=f"sqlite:///{folder / 'helpdesk.db'}",
            port=port,
            upload_dir=folder / "uploads",
            reports_dir=folder / "reports",
            telegram_bot_token="1:token",
            telegram_api_base_url=api_url,
            security_alert_telegram_chat_id=ALERT_CHAT,
            consent_notice=False,
        )
        app = create_app(settings, bot_engine=FakeEngine())
        with app.app_context():
            upgrade(database().engine)
            adapter = TelegramAdapter("1:token", api_base_url=api_url)
            worker = Worker(
                database(), app.extensions["router"], {Channel.TELEGRAM: adapter}, PollingSignal()
            )
        secrets = {
            "agen.dukcapil": make_agent(app, "agen.dukcapil", units=("dukcapil",)),
            "agen.perizinan": make_agent(app, "agen.perizinan", units=("perizinan",)),
            "supervisor": make_agent(app, "supervisor", AgentRole.SUPERVISOR, ("dukcapil",)),
            "admin": make_agent(app, "admin", AgentRole.ADMIN, ()),
        }
        server = create_server(app, host="127.0.0.1", port=port, threads=6)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            yield Desk(f"http://127.0.0.1:{port}", app, api, worker, secrets)
        finally:
            server.close()
            thread.join(timeout=5)
            adapter.close()
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
    context = browser.new_context(base_url=desk.url, locale="id-ID", viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    desk.pages[name] = page
    return page


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def shots(page: Page, name: str) -> None:
    """The page at 1280 px and at 360 px (same session: a TOTP code is never reused)."""
    shot(page, f"{name}-1280.png")
    page.set_viewport_size(NARROW)  # type: ignore[arg-type]
    page.reload()
    shot(page, f"{name}-360.png")
    page.set_viewport_size(WIDE)  # type: ignore[arg-type]
    page.reload()


def sign_in(page: Page, username: str, secret: str) -> None:
    page.goto("/console/")
    expect(page).to_have_url(re.compile(r"/console/login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("#otp").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_complaint_filed_on_telegram_in_javanese_with_a_photo(desk: Desk) -> None:
    with desk.app.app_context(), database().session() as session:
        conversation = convs.get_or_create(session, Channel.TELEGRAM, str(CHAT_ID))
        conversation.language, conversation.language_explicit = "jv", True
        conversation.journey = {"kind": "complaint", "step": "category", "data": {}}
        session.commit()
    desk.says("1")
    desk.says("Petugas loket KTP nyuwun arta Rp50.000 supados KTP-el enggal dados, tanpa kwitansi")
    desk.says("Kantor Dukcapil, loket 3")
    desk.says("wingi sonten")
    desk.update += 1
    desk.citizen(photo_update(desk.update, CHAT_ID, "AgADpothole"))
    desk.says("publik")
    desk.says("langkungi")
    desk.says("inggih")
    match = re.search(r"\bADU-\d{4}-\d{6}\b", desk.telegram()[-1])
    assert match, desk.telegram()[-3:]
    desk.number = match.group()


def test_officer_verifies_replies_and_asks_in_the_console(browser: Browser, desk: Desk) -> None:
    sri = new_page(browser, desk, "sri")
    sign_in(sri, "agen.dukcapil", desk.secrets["agen.dukcapil"])
    sri.goto("/console/complaints")
    row = sri.locator("table.complaints tbody tr").first
    expect(row).to_contain_text(desk.number)
    expect(row).to_contain_text("verifikasi")
    shots(sri, "casedesk-complaints")

    sri.get_by_role("link", name=desk.number).click()
    expect(sri.get_by_role("heading", level=1)).to_contain_text(desk.number)
    expect(sri.locator(".files img")).to_have_count(1)
    sri.wait_for_function(
        "() => { const i = document.querySelector('.files img'); return i && i.complete"
        " && i.naturalWidth > 0; }"
    )
    loaded = sri.locator(".files img").evaluate("img => img.naturalWidth")
    assert loaded == 480  # the photo is shown inline
    shots(sri, "casedesk-complaint")

    sri.locator("#status").select_option("verified")
    sri.locator("#note").fill("Sampun kula priksa ing lokasi")
    sri.get_by_role("button", name="Simpan status").click()
    expect(sri.locator(".actions")).to_contain_text("Terverifikasi")
    desk.flush()
    assert "Sampun dipunverifikasi" in desk.telegram()[-1]

    sri.locator("#reply").fill("Petugas loket 3 sampun dipuntimbali lan dipunpriksa.")
    sri.get_by_role("button", name="Kirim balasan").click()
    expect(sri.locator(".history")).to_contain_text("balasan ke warga")
    desk.flush()
    assert "Wangsulan petugas" in desk.telegram()[-1]

    sri.locator("#ask").fill("Jam pinten lan dinten punapa kedadosanipun?")
    sri.get_by_role("button", name="Kirim pertanyaan").click()
    expect(sri.locator(".actions")).to_contain_text("dijeda: menunggu warga")
    desk.flush()
    assert "mbetahaken katrangan tambahan" in desk.telegram()[-1]
    desk.says("Senen jam sedasa enjing")
    assert "katrangan panjenengan sampun katambahaken" in desk.telegram()[-1]
    sri.reload()
    expect(sri.locator(".history")).to_contain_text("Senen jam sedasa")
    shots(sri, "casedesk-complaint-handled")


def test_forward_to_another_unit_which_finishes_it(browser: Browser, desk: Desk) -> None:
    sri = desk.pages["sri"]
    sri.locator("#unit").select_option("perizinan")
    sri.locator("#reason").fill("Loket 3 punika loket NIB (DPMPTSP), sanes Dukcapil")
    sri.get_by_role("button", name="Teruskan").click()
    expect(sri.locator(".notice")).to_contain_text(desk.number)
    response = sri.goto(f"/console/complaints/{desk.number}")
    assert response is not None and response.status == 404  # it left Disdukcapil
    desk.flush()
    assert "dipunterusaken dhateng DPMPTSP" in desk.telegram()[-1]

    andi = new_page(browser, desk, "andi", NARROW)
    sign_in(andi, "agen.perizinan", desk.secrets["agen.perizinan"])
    andi.goto("/console/complaints")
    andi.get_by_role("link", name=desk.number).click()
    for status, note in (
        ("in_follow_up", ""),
        ("finished", "Petugas sampun dipunsanksi, arta dipunwangsulaken."),
    ):
        andi.locator("#status").select_option(status)
        andi.locator("#note").fill(note)
        andi.get_by_role("button", name="Simpan status").click()
        expect(andi.locator(".actions")).to_contain_text("Selesai" if note else "Ditindaklanjuti")
        desk.flush()
    texts = desk.telegram()
    assert "Sampun rampung" in texts[-2] and "arta dipunwangsulaken" in texts[-2]
    assert "Survei Kepuasan Masyarakat" in texts[-1]
    shot(andi, "casedesk-complaint-finished-360.png")


def test_breach_on_the_supervisor_badge_start_page_and_english_dashboard(
    browser: Browser, desk: Desk
) -> None:
    from helpdesk.runtime.periodic import Periodic
    from helpdesk.security.alerts import AlertSender
    from helpdesk.services import complaints as complaint_service

    with desk.app.app_context(), database().session() as session:
        late = complaint_service.create_complaint(
            session,
            category="pengaduan",
            description="Antrean rekam KTP-el tidak dilayani sejak pagi",
            location="Kantor Dukcapil",
            occurred="hari ini",
            unit="dukcapil",
            at=datetime(2026, 10, 5, 9, tzinfo=WIB),
        ).tracking_number
        session.commit()
    settings = desk.app.extensions["settings"]
    delivered: list[int] = []

    def escalate() -> None:
        with desk.app.app_context():
            Periodic(database(), settings).tick_sla(datetime(2026, 10, 8, 15, 5, tzinfo=WIB))
            delivered.append(AlertSender(settings).deliver_pending(database()))

    off_the_loop(escalate)
    assert delivered and delivered[0] >= 1
    alerts = [p["text"] for p in desk.api.sent() if str(p["chat_id"]) == ALERT_CHAT]
    assert any(late in text and "deadline missed" in text for text in alerts)

    dewi = new_page(browser, desk, "dewi")
    sign_in(dewi, "supervisor", desk.secrets["supervisor"])
    dewi.goto("/console/start")
    expect(dewi.locator("#notice-badge")).to_contain_text("pemberitahuan")
    expect(dewi.locator("body")).to_contain_text(late)
    shots(dewi, "casedesk-start")
    dewi.locator("#notice-badge").click()
    expect(dewi.locator(".notices")).to_contain_text("Tenggat terlewati / deadline missed")
    shots(dewi, "casedesk-notices")
    dewi.goto("/console/dashboard?lang=en&from=2026-10-01&to=2026-12-31")
    expect(dewi.locator("body")).to_contain_text("Complaints by category")
    expect(dewi.locator("body")).to_contain_text("messages the bot did not understand")
    shots(dewi, "casedesk-dashboard-en")
