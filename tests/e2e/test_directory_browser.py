"""The public service directory in a real browser (Debian's Chromium driven by Playwright).

The helpdesk web app runs in-process under waitress on a free port, over a fresh SQLite file.
A citizen on a 360 px phone searches "imb" (the building permit's former name), finds PBG
first, opens its page; neither page runs a script or scrolls sideways. Screenshots go to
docs/screenshots/.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright
from waitress.server import create_server

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.infra.migrate import upgrade
from helpdesk.runtime.app import create_app
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine
from tests.stackutil import free_port, unavailable

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
SHOTS = REPO_ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (scripts/ensure-chromium.sh)")
    folder = tmp_path_factory.mktemp("directory")
    port = free_port()
    settings = Settings(database_url=f"sqlite:///{folder / 'helpdesk.db'}", port=port)
    app = create_app(settings, bot_engine=FakeEngine())
    with app.app_context():
        upgrade(database().engine)
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        thread.join(timeout=5)
        with app.app_context():
            database().dispose()


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Browser]:
    manager: Playwright = sync_playwright().start()
    try:
        launched = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        manager.stop()


def test_search_imb_on_a_phone_finds_pbg_first(site: str, browser: Browser) -> None:
    context = browser.new_context(base_url=site, locale="id-ID", viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/layanan")
    page.get_by_role("searchbox").fill("imb")
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(r"/layanan/?\?q=imb$"))
    first = page.locator(".card h3 a").first
    expect(first).to_have_text("Persetujuan Bangunan Gedung (PBG, dulu IMB)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("document.scripts.length") == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "layanan-imb-360.png"), full_page=False)
    first.click()
    expect(page).to_have_url(re.compile(r"/layanan/pbg$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Persetujuan Bangunan Gedung (PBG, dulu IMB)"
    )
    expect(page.get_by_role("heading", name="Dasar hukum")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "layanan-pbg-360.png"), full_page=False)
    assert errors == []
    context.close()
