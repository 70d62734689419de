"""The supervisor dashboard and the monthly PDF in a real headless Chromium.

A real `helpdesk serve` process over a SQLite database holding a demo month (November 2026,
`helpdesk.demo.history`); a supervisor signs in with password and TOTP through the form,
reads the dashboard, follows a chart to its list, downloads the CSV and the PDF. The PDF's
pages are rendered to PNG with poppler's pdftoppm (Chromium's headless mode has no PDF
viewer). Screenshots go to docs/measurements/screenshots/ (dashboard.png, dashboard-drilldown.png,
monthly-pdf-page-1.png, monthly-pdf-page-2.png). No Rasa engine needed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from helpdesk.demo.history import seed_history
from helpdesk.infra.config import REPO_ROOT
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.models import AgentRole, utcnow
from helpdesk.services import agents as agent_service
from tests.e2e.test_widget_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS
from tests.stackutil import free_port, unavailable

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia-supervisor-123"
SECRET = pyotp.random_base32()
UNITS = frozenset({"umum", "dukcapil", "perizinan", "pajak"})
PERIOD = "from=2026-11-01&to=2026-11-30"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`helpdesk serve` on a free port over a database with the demo month."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("dashboard")
    url = f"sqlite:///{folder / 'helpdesk.db'}"
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        assert seed_history(session, date(2026, 11, 1), 30) > 100
        created = agent_service.create_agent(
            session, "dewi", AgentRole.SUPERVISOR, (), UNITS, password=PASSWORD, totp_secret=SECRET
        )
        created.agent.totp_confirmed_at = utcnow()
        session.commit()
    database.dispose()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HELPDESK_PORT": str(port),
        "RASA_URL": "http://127.0.0.1:9",
        "REPORTS_DIR": str(folder / "reports"),
    }
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("helpdesk")), "serve", "--threads", "4"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/console/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, (folder / "serve.log").read_text()
            assert time.monotonic() < deadline, "helpdesk did not start"
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    """A signed-in supervisor's page."""
    manager = sync_playwright().start()
    browser: Browser = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    context = browser.new_context(
        base_url=server, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(120_000)  # eight charts rendered on a busy 2-core machine
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/console/login")
    tab.fill("input[name=username]", "dewi")
    tab.fill("input[name=password]", PASSWORD)
    if tab.locator("input[name=otp]").count() == 0:
        tab.click("button[type=submit]")
    tab.fill("input[name=otp]", pyotp.TOTP(SECRET).now())
    tab.click("button[type=submit]")
    tab.wait_for_url("**/console/**")
    try:
        yield tab
    finally:
        context.close()
        browser.close()
        manager.stop()
        assert not errors, errors


def test_dashboard_renders_with_every_chart(page: Page) -> None:
    page.goto(f"/console/dashboard?{PERIOD}")
    assert page.locator("h1").first.inner_text() == "Dasbor layanan"
    images = page.locator(".card img")
    assert images.count() == 8
    for index in range(images.count()):  # every chart decoded and laid out by the browser
        width = images.nth(index).evaluate("img => img.complete ? img.naturalWidth : 0")
        assert width > 300
    kpis = page.locator(".kpi .v").all_inner_texts()
    assert kpis[0].strip().isdigit() and int(kpis[0]) > 100
    assert "%" in kpis[1]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)


def test_a_chart_drills_down_to_its_list(page: Page) -> None:
    page.goto(f"/console/dashboard?{PERIOD}")
    page.click("a[href*='kind=sla'][href*='breached']")
    page.wait_for_url("**/dashboard/list**")
    rows = page.locator("table.dash-list tbody tr")
    assert rows.count() >= 1
    assert page.locator("td.sla-breached").count() == rows.count()
    page.screenshot(path=str(SHOTS / "dashboard-drilldown.png"), full_page=True)


def test_csv_and_pdf_downloads(page: Page, tmp_path: Path) -> None:
    csv_file = page.request.get(f"/console/dashboard/conversations.csv?{PERIOD}")
    assert csv_file.ok and csv_file.body().startswith(b"\xef\xbb\xbf")
    assert csv_file.body().count(b"\r\n") > 100
    pdf = page.request.get("/console/dashboard/monthly.pdf?month=2026-11")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    target = tmp_path / "monthly.pdf"
    target.write_bytes(pdf.body())
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        unavailable("pdftoppm not found (apt-get install poppler-utils): PDF pages not rendered")
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "2", str(target), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    for number in (1, 2):
        rendered = sorted(tmp_path.glob(f"page-*{number}.png"))
        assert rendered, list(tmp_path.iterdir())
        shutil.copy(rendered[0], SHOTS / f"monthly-pdf-page-{number}.png")
    fonts = shutil.which("pdffonts")
    if fonts:
        listing = subprocess.run([fonts, str(target)], capture_output=True, text=True, check=True)
        assert "DejaVuSans" in listing.stdout
        assert all(" yes " in line for line in listing.stdout.splitlines()[2:] if line.strip())


def test_agents_cannot_open_it(server: str) -> None:
    assert REPO_ROOT.exists()
    response = httpx.get(f"{server}/console/dashboard", follow_redirects=False, timeout=10)
    assert response.status_code in (302, 303)  # signed out -> sign-in page
