"""End to end: web chat → helpdesk → Rasa (real trained model) → action server → helpdesk API.

Every process is real and talks over HTTP on localhost. Needs `.venv-rasa` and a model in
`models/` (`make test` builds both); without them the tests are skipped locally and fail
under CI=true.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from actions.status import STATUS_LABELS
from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.runtime.stack import Stack
from tests.stackutil import running_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The processes on free ports, a seeded SQLite database in a temp folder."""
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


OPEN_CLIENTS: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    """Close every HTTP client a test opened."""
    yield
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()


def http_client(**kwargs: Any) -> httpx.Client:
    """An httpx client closed after the test."""
    client = httpx.Client(timeout=60, **kwargs)
    OPEN_CLIENTS.append(client)
    return client


class Citizen:
    """A web-chat user talking to the running helpdesk."""

    def __init__(self, base_url: str) -> None:
        self.http = http_client(base_url=base_url)
        response = self.http.post("/webchat/sessions", json={"language": "id"})
        assert response.status_code == 201
        self.session_id: str = response.json()["session_id"]

    def say(self, text: str) -> list[dict[str, Any]]:
        response = self.http.post(
            f"/webchat/sessions/{self.session_id}/messages", json={"text": text}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        messages: list[dict[str, Any]] = body["messages"]
        if body.get("pending"):  # "please wait": the answer follows by polling
            return self.answer_after(messages[-1]["id"])
        return messages

    def answer_after(self, notice_id: int, timeout: float = 60.0) -> list[dict[str, Any]]:
        """The bot's messages after the "please wait" notice, polled like the widget does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            url = f"/webchat/sessions/{self.session_id}/messages?after={notice_id}"
            later: list[dict[str, Any]] = self.http.get(url).json()["messages"]
            if later:
                return later
            time.sleep(0.2)
        raise AssertionError(f"no answer after the notice {notice_id} within {timeout} s")

    def history(self) -> list[dict[str, Any]]:
        response = self.http.get(f"/webchat/sessions/{self.session_id}/messages?after=0")
        messages: list[dict[str, Any]] = response.json()["messages"]
        return messages


def joined(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m["text"] for m in messages)


def test_how_to_question_is_answered_from_the_catalog(stack: Stack) -> None:
    citizen = Citizen(stack.config.helpdesk_url)
    replies = citizen.say("Apa saja syarat membuat KTP?")
    text = joined(replies)
    ktp = load_catalog(default_catalog_dir()).get("ktp_el")
    assert ktp is not None
    first_case = ktp.requirements[0]
    assert all(item in text for item in first_case.items), text
    follow_up = joined(citizen.say("biayanya berapa?"))
    assert "79A" in follow_up or "Gratis" in follow_up or "gratis" in follow_up, follow_up


def test_status_of_a_seeded_request(stack: Stack) -> None:
    citizen = Citizen(stack.config.helpdesk_url)
    text = joined(citizen.say("cek status KTP-2026-000001"))
    assert "KTP-2026-000001" in text
    assert STATUS_LABELS["processing"] in text, text
    lower = joined(citizen.say("kk 2026 000002 sudah jadi belum?"))
    assert STATUS_LABELS["ready"] in lower, lower
    unknown = joined(citizen.say("cek status KTP-2026-999999"))
    assert "KTP-2026-999999" in unknown
    assert STATUS_LABELS["processing"] not in unknown


def test_escalation_reaches_the_queue_and_an_agent_reply_reaches_the_citizen(
    stack: Stack,
) -> None:
    citizen = Citizen(stack.config.helpdesk_url)
    replies = citizen.say("saya mau bicara dengan petugas")
    assert "petugas" in joined(replies).lower()
    api = http_client(
        base_url=f"{stack.config.helpdesk_url}/api/v1",
        headers={"Authorization": f"Bearer {stack.staff_token}"},
    )
    pending = api.get("/conversations", params={"status": "pending"}).json()["items"]
    mine = [c for c in pending if c["channel"] == "webchat"]
    assert mine and mine[-1]["handoff_reason"] == "citizen_request"
    conversation_id = mine[-1]["id"]
    assert citizen.say("halo, masih menunggu") == []  # the bot stays silent in the queue
    reply = api.post(
        f"/conversations/{conversation_id}/messages",
        json={"text": "Halo, saya Sri dari Disdukcapil. Ada yang bisa dibantu?"},
    )
    assert reply.status_code == 201
    assert citizen.history()[-1]["sender"] == "agent"
    assert api.post(f"/conversations/{conversation_id}/resolve").json()["status"] == "resolved"
    back = citizen.say("terima kasih")
    assert back and all(m["sender"] == "bot" for m in back)


def test_processes_logged_no_tracebacks(stack: Stack) -> None:
    for name in ("helpdesk", "actions"):
        log = Path(stack.logs / f"{name}.log").read_text(errors="replace")
        assert "Traceback" not in log, stack.log_tail(name, 80)


CONVERSATIONS = {
    "jv": (
        "Nuwun sewu, kados pundi syaratipun ndamel KTP enggal?",
        "menawi badhe mriksa status KTP-2026-000001 pripun?",
        "kula badhe matur kaliyan petugas mawon",
    ),
    "su": (
        "Punten, naon waé sarat pikeun ngadamel KTP énggal?",
        "abdi hoyong mariksa status KTP-2026-000001 kumaha?",
        "abdi hoyong nyarios sareng petugas waé",
    ),
}


@pytest.mark.parametrize("language", ["jv", "su"])
def test_a_regional_language_conversation_end_to_end(stack: Stack, language: str) -> None:
    """How-to, status check and escalation, each answered in the citizen's language."""
    from actions.i18n import t
    from helpdesk.conversation.messages import text

    how_to, status, escalate = CONVERSATIONS[language]
    citizen = Citizen(stack.config.helpdesk_url)
    payload = load_catalog(default_catalog_dir()).service_payload("ktp_el", language)
    assert payload is not None
    answer = joined(citizen.say(how_to))
    assert payload["requirements"][0]["items"][0] in answer, answer
    status_reply = joined(citizen.say(status))
    assert t("status.processing", language) in status_reply, status_reply
    handoff = joined(citizen.say(escalate))
    # The status reply left the identity check open, and asking for an officer inside a
    # bot-led form hands off at once (issue 17), in the router's words, not the engine's.
    officer = text("officer_handoff", language, position="").split("{")[0]
    assert officer.split(".")[0] in handoff, handoff
    api = http_client(
        base_url=f"{stack.config.helpdesk_url}/api/v1",
        headers={"Authorization": f"Bearer {stack.staff_token}"},
    )
    pending = api.get("/conversations", params={"status": "pending"}).json()["items"]
    assert any(c["language"] == language for c in pending)


def test_concurrent_citizens_all_get_real_answers(stack: Stack) -> None:
    """Many citizens at once, while the actions call back into the helpdesk: no apologies.

    Before the internal listener and the catalog cache, each waiting web chat request held
    a helpdesk thread the actions needed, and citizens got "sistem kami sedang sibuk".
    """
    from concurrent.futures import ThreadPoolExecutor

    from actions.i18n import t
    from helpdesk.conversation.messages import TEXTS

    questions = [
        "Apa saja syarat membuat KTP?",
        "cek status KTP-2026-000001",
        "berapa biaya paspor",
        "Nopo syaratipun damel KTP?",
    ]
    citizens = [Citizen(stack.config.helpdesk_url) for _ in range(24)]

    def talk(n: int) -> list[str]:
        answers = citizens[n].say(questions[n % len(questions)])
        answers += citizens[n].say(questions[(n + 1) % len(questions)])
        return [m["text"] for m in answers]

    with ThreadPoolExecutor(max_workers=len(citizens)) as pool:
        answers = [text for texts in pool.map(talk, range(len(citizens))) for text in texts]
    busy = [t("helpdesk_busy", language) for language in ("id", "jv", "su", "en")]
    failures = [
        a
        for a in answers
        if any(b in a for b in busy)
        or any(v in a for v in TEXTS["engine_down"].values())
        or any(v in a for v in TEXTS["engine_slow"].values())
    ]
    assert len(answers) >= 2 * len(citizens) and failures == []
    staff = http_client(
        base_url=f"{stack.config.helpdesk_url}/api/v1",
        headers={"Authorization": f"Bearer {stack.staff_token}"},
    )
    pending = staff.get("/conversations", params={"status": "pending"}).json()["items"]
    assert [c for c in pending if c["handoff_reason"] == "engine_error"] == []
