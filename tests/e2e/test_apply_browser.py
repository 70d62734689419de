"""The online application in a real browser (Debian's Chromium driven by Playwright): the
web form at 360 px (no scripts needed), a refused try that keeps what was typed and the
files already sent, the receipt with the tracking number; then the unit's officer finds
it first in the console, sees the answers and the photo inline and asks for a document.

The helpdesk runs in-process under waitress on a free port over a fresh SQLite file.
Screenshots go to docs/screenshots/ (apply-form-360.png, apply-errors-360.png,
apply-receipt-360.png, console-request-1280.png).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from waitress.server import create_server

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.infra.migrate import upgrade
from helpdesk.runtime.app import create_app
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine
from tests.console_helpers import PASSWORD, make_agent
from tests.stackutil import free_port, unavailable

pytestmark = pytest.mark.e2e
expect.set_options(timeout=20_000)  # a busy 2-core machine

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
SHOTS = REPO_ROOT / "docs" / "screenshots"
NARROW = {"width": 360, "height": 780}
WIDE = {"width": 1280, "height": 900}
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object, str]]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (scripts/ensure-chromium.sh)")
    folder = tmp_path_factory.mktemp("apply")
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{folder / 'helpdesk.db'}",
        port=port,
        upload_dir=folder / "uploads",
    )
    app = create_app(settings, bot_engine=FakeEngine())
    with app.app_context():
        upgrade(database().engine)
    secret = make_agent(app, "petugas.umum", units=("umum",))
    httpd = create_server(app, host="127.0.0.1", port=port, threads=6)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", app, secret
    finally:
        httpd.close()
        thread.join(timeout=5)
        with app.app_context():
            database().dispose()


@pytest.fixture(scope="module")
def browser(server: tuple[str, object, str]) -> Iterator[Browser]:
    manager: Playwright = sync_playwright().start()
    try:
        launched = manager.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()
    finally:
        manager.stop()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for name, data in (("pengantar.jpg", JPEG), ("ktp.pdf", PDF), ("kk.jpg", JPEG)):
        (folder / name).write_bytes(data)
        made[name] = folder / name
    return made


def test_the_web_form_at_360_px_then_the_console(
    browser: Browser, server: tuple[str, object, str], tmp_path: Path
) -> None:
    url, _app, secret = server
    sent = files(tmp_path)
    context = browser.new_context(
        base_url=url,
        viewport=NARROW,
        java_script_enabled=False,
        locale="id-ID",  # type: ignore[arg-type]
    )
    page = context.new_page()
    response = page.goto("/layanan/surat_domisili/ajukan")
    assert response is not None and response.status == 200
    assert len(response.body()) < 30 * 1024
    expect(page.get_by_role("heading", level=1)).to_contain_text("Surat Keterangan Domisili")
    page.get_by_label("Nama lengkap sesuai KTP-el").fill("Siti Aminah")
    page.get_by_label("NIK (16 digit").fill("3201 0198 7654")  # too short
    page.get_by_label("Alamat tempat tinggal sekarang").fill("Jl. Melati 5 RT 02/RW 03, Sukamaju")
    page.get_by_label("Tanggal mulai tinggal").fill("2024-08-17")
    page.get_by_label("Keperluan surat ini").fill("melamar kerja")
    page.get_by_label("Surat pengantar RT/RW").set_input_files(str(sent["pengantar.jpg"]))
    page.get_by_label("KTP-el", exact=True).set_input_files(str(sent["ktp.pdf"]))
    page.get_by_label("Kartu Keluarga (KK)").set_input_files(str(sent["kk.jpg"]))
    page.get_by_label("Saya setuju").check()
    shot(page, "apply-form-360.png")
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.locator(".error").first).to_be_visible()
    expect(page.get_by_text("NIK harus 16 angka")).to_be_visible()
    expect(page.get_by_label("Nama lengkap sesuai KTP-el")).to_have_value("Siti Aminah")
    assert page.locator('input[name="k_ktp"]').count() == 1  # the files are kept
    shot(page, "apply-errors-360.png")
    page.get_by_label("NIK (16 digit").fill("3201019876540042")
    page.get_by_label("Saya setuju").check()
    page.get_by_role("button", name="Kirim permohonan").click()
    number = page.locator("#tracking-number")
    expect(number).to_have_text(re.compile(r"SKD-\d{4}-\d{6}"))
    tracking = number.inner_text()
    shot(page, "apply-receipt-360.png")
    context.close()
    measuring = browser.new_context(base_url=url, viewport=NARROW)  # type: ignore[arg-type]
    probe = measuring.new_page()
    probe.goto("/layanan/surat_domisili/ajukan")
    assert probe.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    measuring.close()

    officer = browser.new_context(base_url=url, viewport=WIDE, locale="id-ID")  # type: ignore[arg-type]
    desk = officer.new_page()
    desk.goto("/console/")
    desk.get_by_label("Nama pengguna").fill("petugas.umum")
    desk.get_by_label("Kata sandi").fill(PASSWORD)
    desk.locator("#otp").fill(pyotp.TOTP(secret).now())
    desk.get_by_role("button", name="Masuk").click()
    desk.goto("/console/requests")
    first = desk.locator("#request-queue tbody tr").first
    expect(first).to_contain_text(tracking)
    first.get_by_role("link", name=tracking).click()
    expect(desk.locator("#answers")).to_contain_text("Siti Aminah")
    expect(desk.locator("#answers")).to_contain_text("3201********0042")
    preview = desk.locator("img.preview").first
    expect(preview).to_be_visible()
    assert desk.evaluate("document.querySelector('img.preview').naturalWidth") > 0
    desk.locator("#ask-documents").get_by_label("Kartu Keluarga (KK)").check()
    desk.locator("#ask-note").fill("Foto KK kurang jelas.")
    desk.get_by_role("button", name="Kirim permintaan dokumen").click()
    expect(desk.locator("#request-status")).to_have_text("needs_documents")
    shot(desk, "console-request-1280.png")
    officer.close()
