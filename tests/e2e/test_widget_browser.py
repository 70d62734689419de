"""End to end in a real browser: the web chat widget on the demo page, against the real stack.

Chromium (Debian's, driven by Playwright) loads `/` from the helpdesk, the widget talks to the
web chat API, Rasa answers with the trained model, an agent answers through the REST API.
Needs /usr/bin/chromium, `.venv-rasa` and a model in `models/`; without them the tests are
skipped locally (with a NOTICE) and fail under CI=true. Screenshots go to
docs/measurements/screenshots/.

Tests 1-3 and 5 share one page (one citizen's conversation, in file order); 4 and 6 use fresh
browser contexts.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, Request, Route, expect, sync_playwright

from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.infra.config import REPO_ROOT
from helpdesk.runtime.stack import Stack
from tests.stackutil import running_stack, unavailable

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = REPO_ROOT / "docs" / "measurements" / "screenshots"
REPLY_TIMEOUT_MS = 60_000  # one engine round trip on a busy 2-core machine
AGENT_TIMEOUT_MS = 10_000  # polling every 3 s while open
MAX_CHARS = 2000
SR_PREFIX = {"citizen": "Anda: ", "bot": "Asisten: ", "agent": "Petugas: ", "system": "Info: "}

MESSAGES = "#hw-messages > li.hw-msg"
SNAPSHOT_JS = """els => els.map(e => ({
    id: e.dataset.id || null,
    sender: e.dataset.sender,
    text: (e.querySelector('.hw-text') || {}).textContent || ''
}))"""
SETTLED_JS = """n => document.querySelectorAll('#hw-messages > li.hw-msg').length > n
    && !document.querySelector('#hw-messages .hw-state')
    && document.querySelector('#hw-typing').hidden"""


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (apt-get install chromium)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real processes on free ports over a seeded SQLite database."""
    _require_chromium()  # no point in starting the stack without a browser
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    _require_chromium()
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()


def _open_context(browser: Browser, stack: Stack) -> tuple[Page, list[str]]:
    """A page in a new browser context, and the uncaught JavaScript errors it will collect."""
    context = browser.new_context(base_url=stack.config.helpdesk_url, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def _close(page: Page, errors: list[str]) -> None:
    page.context.close()
    assert not errors, f"uncaught JavaScript errors: {errors}"


@pytest.fixture(scope="module")
def chat(browser: Browser, stack: Stack) -> Iterator[Page]:
    """One citizen's page, shared by the conversation tests (1-3, 5) in file order."""
    page, errors = _open_context(browser, stack)
    yield page
    _close(page, errors)


@pytest.fixture
def fresh(browser: Browser, stack: Stack) -> Iterator[Page]:
    """A page in a new browser context: no session, nothing in localStorage."""
    page, errors = _open_context(browser, stack)
    yield page
    _close(page, errors)


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    """The helpdesk REST API as an agent would use it."""
    with httpx.Client(
        base_url=f"{stack.config.helpdesk_url}/api/v1",
        headers={"Authorization": f"Bearer {stack.staff_token}"},
        timeout=30,
    ) as client:
        yield client


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def snapshot(page: Page) -> list[dict[str, Any]]:
    """The messages in the log: data-id (or None), sender, text."""
    rows: list[dict[str, Any]] = page.locator(MESSAGES).evaluate_all(SNAPSHOT_JS)
    return rows


def active_id(page: Page) -> str:
    active: str = page.evaluate("() => (document.activeElement && document.activeElement.id) || ''")
    return active


def open_widget(page: Page) -> None:
    """Load the demo page and open the panel with the launcher."""
    page.goto("/")
    launcher = page.locator("#hw-launcher")
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#hw-panel")).to_be_hidden()
    launcher.click()
    expect(page.locator("#hw-panel")).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")


def wait_settled(page: Page, before: int) -> list[dict[str, Any]]:
    """Wait until the message sent last is delivered and answered; return the new messages."""
    page.wait_for_function(SETTLED_JS, arg=before, timeout=REPLY_TIMEOUT_MS)
    rows = snapshot(page)[before:]
    failed = page.locator(f"{MESSAGES}.hw-failed")
    assert failed.count() == 0, failed.first.inner_text()
    return rows


def say(page: Page, text: str) -> list[dict[str, Any]]:
    """Type a message, press Enter, wait for the reply; return the new messages (own first)."""
    before = page.locator(MESSAGES).count()
    box = page.locator("#hw-input")
    box.fill(text)
    box.press("Enter")
    rows = wait_settled(page, before)
    assert rows[0]["sender"] == "citizen" and rows[0]["text"] == text, rows
    expect(box).to_have_value("")
    return rows


def test_send_and_receive_a_catalog_answer(chat: Page) -> None:
    ktp = load_catalog(default_catalog_dir()).get("ktp_el")
    assert ktp is not None
    requirement = ktp.requirements[0].items[0]
    open_widget(chat)
    expect(chat.locator("#hw-input")).to_be_focused()

    rows = say(chat, "Apa saja syarat membuat KTP?")

    # The answer comes as several bubbles: a heading naming the service, one per case, a
    # follow-up offer with quick replies.
    answers = [r for r in rows if r["sender"] == "bot"]
    assert answers and "KTP" in answers[0]["text"], answers
    assert any(requirement in r["text"] for r in answers), answers
    assert all(r["id"] for r in answers), answers  # server ids on every reply
    buttons = chat.locator(f"{MESSAGES}[data-sender=bot] .hw-buttons[role=group] > button.hw-btn")
    expect(buttons.first).to_be_visible()
    for button in buttons.all():
        assert button.evaluate("b => b.tagName + ':' + b.type") == "BUTTON:button"
        assert (button.get_attribute("data-payload") or "").startswith("/")
        name = button.inner_text().strip()
        assert name
        expect(chat.get_by_role("button", name=name, exact=True).first).to_be_enabled()
    ids = [r["id"] for r in snapshot(chat) if r["id"]]
    assert len(ids) == len(set(ids)), ids
    stored = json.loads(chat.evaluate("() => localStorage.getItem('haloWarga.session')"))
    assert stored["session_id"]
    shot(chat, "widget-answer.png")


def test_own_message_gets_its_server_id(chat: Page) -> None:
    assert any(r["sender"] == "citizen" for r in snapshot(chat))
    with chat.expect_response(lambda r: "/messages?after=" in r.url, timeout=AGENT_TIMEOUT_MS):
        pass  # give the widget one poll to learn it
    own = [r for r in snapshot(chat) if r["sender"] == "citizen"]
    assert all(r["id"] for r in own), own


def test_reload_shows_the_same_messages_once(chat: Page) -> None:
    before = snapshot(chat)
    assert before, "nothing to reload: the first test did not leave a conversation"

    chat.reload()
    expect(chat.locator("#hw-launcher")).to_be_visible()
    expect(chat.locator("#hw-panel")).to_be_hidden()  # closed after a reload
    expect(chat.locator(MESSAGES)).to_have_count(len(before), timeout=10_000)
    expect(chat.locator("#hw-badge")).to_be_hidden()  # history already seen: nothing unread
    with chat.expect_response(lambda r: "/messages?after=" in r.url) as polled:
        chat.locator("#hw-launcher").click()  # opening polls at once
    assert polled.value.ok
    after = snapshot(chat)

    assert [(r["sender"], r["text"]) for r in after] == [(r["sender"], r["text"]) for r in before]
    ids = [r["id"] for r in after]
    assert all(ids) and len(set(ids)) == len(ids), after
    assert [int(i) for i in ids] == sorted(int(i) for i in ids), ids
    known = [(a["id"], b["id"]) for a, b in zip(after, before, strict=True) if b["id"]]
    assert known and all(a == b for a, b in known), known  # the same ids as before the reload


def _conversation_holding(api: httpx.Client, message_id: int) -> dict[str, Any]:
    """The pending web chat conversation that holds a given message."""
    response = api.get("/conversations", params={"status": "pending"})
    assert response.status_code == 200, response.text
    for item in response.json()["items"]:
        if item["channel"] != "webchat":
            continue
        detail = api.get(f"/conversations/{item['id']}").json()
        if any(m["id"] == message_id for m in detail["messages"]):
            found: dict[str, Any] = detail
            return found
    raise AssertionError(f"no pending webchat conversation holds message {message_id}")


def test_agent_reply_arrives_without_reload(chat: Page, api: httpx.Client) -> None:
    if not chat.locator("#hw-panel").is_visible():
        chat.locator("#hw-launcher").click()
    chat.evaluate("() => { window.__hwSamePage = true; }")

    rows = say(chat, "saya mau bicara dengan petugas")
    handoff = [r for r in rows if r["sender"] == "bot"]
    assert handoff and "petugas" in " ".join(r["text"] for r in handoff).lower(), rows
    conversation = _conversation_holding(api, int(handoff[-1]["id"]))
    assert conversation["status"] == "pending"
    assert conversation["handoff_reason"] == "citizen_request"

    text = f"Halo, saya Sri dari Disdukcapil. Ada yang bisa dibantu? ({uuid.uuid4().hex[:6]})"
    posted = api.post(f"/conversations/{conversation['id']}/messages", json={"text": text})
    assert posted.status_code == 201, posted.text
    started = time.monotonic()
    agent = chat.locator(f"{MESSAGES}[data-sender=agent]", has_text=text)
    expect(agent).to_have_count(1, timeout=AGENT_TIMEOUT_MS)
    waited = time.monotonic() - started
    assert agent.get_attribute("data-id") == str(posted.json()["id"])
    expect(agent.locator(".hw-sr")).to_have_text(SR_PREFIX["agent"])
    assert chat.evaluate("() => window.__hwSamePage === true"), "the page was reloaded"
    with chat.expect_response(lambda r: "/messages?after=" in r.url, timeout=AGENT_TIMEOUT_MS):
        pass  # one more poll: the reply must not be shown twice
    expect(agent).to_have_count(1)
    ids = [r["id"] for r in snapshot(chat) if r["id"]]
    assert len(ids) == len(set(ids)), ids
    assert waited < AGENT_TIMEOUT_MS / 1000


def test_keyboard_only(fresh: Page) -> None:
    page = fresh
    page.goto("/")
    launcher = page.locator("#hw-launcher")
    expect(launcher).to_be_visible()
    path: list[str] = []
    for _ in range(15):
        page.keyboard.press("Tab")
        path.append(active_id(page) or page.evaluate("() => document.activeElement.tagName"))
        if path[-1] == "hw-launcher":
            break
    assert path[-1] == "hw-launcher", f"Tab never reached the launcher: {path}"

    page.keyboard.press("Enter")
    expect(page.locator("#hw-panel")).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    assert active_id(page) == "hw-input"

    before = page.locator(MESSAGES).count()
    page.keyboard.type("Berapa biaya membuat KTP?")
    page.keyboard.press("Enter")
    rows = wait_settled(page, before)
    assert rows[0] == {
        "id": rows[0]["id"],
        "sender": "citizen",
        "text": "Berapa biaya membuat KTP?",
    }
    assert any(r["sender"] == "bot" for r in rows), rows
    assert active_id(page) == "hw-input"  # focus stays in the box after sending
    expect(page.locator("#hw-input")).to_have_value("")

    page.keyboard.press("Tab")
    assert active_id(page) == "hw-send"
    backwards: list[str] = []
    for _ in range(20):  # back through the box, the answer's buttons, the log, close, language
        page.keyboard.press("Shift+Tab")
        inside = page.evaluate(
            "() => document.getElementById('hw-panel').contains(document.activeElement)"
        )
        backwards.append(active_id(page) or "(unnamed)")
        assert inside, f"focus left the open panel: {backwards}"
        if backwards[-1] == "hw-lang":
            break
    assert backwards[-1] == "hw-lang", f"Shift+Tab never reached the language menu: {backwards}"
    assert "hw-close" in backwards and "hw-log" in backwards, backwards

    page.keyboard.press("Escape")
    expect(page.locator("#hw-panel")).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert active_id(page) == "hw-launcher"


def test_accessibility_basics_and_small_screen(chat: Page) -> None:
    page = chat
    if not page.locator("#hw-panel").is_visible():
        page.locator("#hw-launcher").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_have_count(1)
    expect(dialog).to_have_accessible_name(re.compile(r"Halo Warga\s*\S"))
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_have_accessible_name(re.compile(r"\S"))
    expect(page.get_by_role("textbox")).to_have_accessible_name(re.compile(r"\S"))
    expect(page.get_by_role("combobox")).to_have_accessible_name(re.compile(r"\S"))

    messages = page.locator(MESSAGES)
    senders = set(messages.evaluate_all("els => els.map(e => e.dataset.sender)"))
    assert {"citizen", "bot", "agent"} <= senders, senders
    for message in messages.all():
        prefix = message.locator(":scope > span.hw-sr")
        expect(prefix).to_have_count(1)
        expect(prefix).to_have_text(SR_PREFIX[message.get_attribute("data-sender") or "?"])
        box = prefix.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1, box  # not visible

    buttons = page.locator("#hw-root button:visible")
    assert buttons.count() >= 3
    for button in buttons.all():
        expect(button).to_have_accessible_name(re.compile(r"\S"))
    expect(page.locator("#hw-launcher")).to_have_accessible_name(re.compile(r"Halo Warga"))

    page.set_viewport_size({"width": 320, "height": 640})
    panel = page.locator("#hw-panel")
    expect(panel).to_be_visible()
    page.locator("#hw-log").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"horizontal scroll on a 320 px screen: scrollWidth={width}"
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('#hw-panel, #hw-log, #hw-form')]
            .filter(e => e.scrollWidth > e.clientWidth).map(e => e.id)"""
    )
    assert not overflow, f"horizontal overflow inside the panel: {overflow}"
    for selector in ("#hw-input", "#hw-send", "#hw-close", "#hw-lang"):
        control = page.locator(selector).bounding_box()
        assert control is not None and control["x"] >= 0, selector
        assert control["x"] + control["width"] <= 320 and control["y"] + control["height"] <= 640
    shot(page, "widget-mobile.png")


def test_errors_keep_the_text(fresh: Page) -> None:
    page = fresh
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    open_widget(page)
    box = page.locator("#hw-input")
    notice = page.locator("#hw-notice")
    expect(notice).to_be_hidden()

    # Too long for the widget: the textarea's maxlength stops typing, so set the value directly
    # (as a paste via script or an old browser would) and press Enter.
    long_text = ("Saya ingin bertanya tentang syarat KTP dan KK. " * 50)[: MAX_CHARS + 1]
    box.fill("x")
    box.evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        long_text,
    )
    box.press("Enter")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "alert")
    expect(notice).to_contain_text("terlalu panjang")
    expect(box).to_have_value(long_text)
    expect(page.locator("#hw-count")).to_have_text(f"{MAX_CHARS + 1}/{MAX_CHARS}")
    expect(page.locator(MESSAGES)).to_have_count(0)
    assert posts == [], f"an over-long message was sent: {posts}"

    # Too long for the server (a client that does not check): the real API answers 413 and
    # the widget puts what the citizen typed back in the box.
    def lengthen(route: Route, request: Request) -> None:
        body = json.loads(request.post_data or "{}")
        body["text"] = long_text
        route.continue_(post_data=json.dumps(body))

    page.route("**/webchat/sessions/*/messages", lengthen)
    typed = "Pesan ini akan ditolak server"
    box.fill(typed)
    with page.expect_response(lambda r: r.request.method == "POST" and "/messages" in r.url) as r:
        box.press("Enter")
    assert r.value.status == 413
    assert r.value.json()["error"]["code"] == "message_too_long"
    expect(box).to_have_value(typed)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("terlalu panjang")
    expect(page.locator(MESSAGES)).to_have_count(0)
    page.unroute("**/webchat/sessions/*/messages", lengthen)

    # Shortened, it goes through and the notice goes away.
    rows = say(page, "Apa saja syarat membuat KTP?")
    assert any(r["sender"] == "bot" for r in rows), rows
    expect(notice).to_be_hidden()
