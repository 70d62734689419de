"""End to end: the SKM survey after an agent resolves a web-chat conversation, on the real
stack (engine, action server, helpdesk, worker), in Indonesian and in Sundanese, and the
IKM the API computes from the answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from helpdesk.runtime.stack import Stack
from tests.e2e.test_webchat_stack import Citizen, close_clients, http_client, joined
from tests.stackutil import running_stack

pytestmark = pytest.mark.e2e
__all__ = ["close_clients"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One stack for the module."""
    with running_stack(tmp_path_factory.mktemp("survey-stack")) as running:
        yield running


def staff_api(stack: Stack) -> httpx.Client:
    return http_client(
        base_url=f"{stack.config.helpdesk_url}/api/v1",
        headers={"Authorization": f"Bearer {stack.staff_token}"},
    )


def served_and_resolved(stack: Stack, citizen: Citizen, escalate: str, language: str) -> str:
    """Escalate, let an agent answer and resolve; return the survey offer's text."""
    assert citizen.say(escalate)
    api = staff_api(stack)
    pending = api.get("/conversations", params={"status": "pending"}).json()["items"]
    mine = [c for c in pending if c["channel"] == "webchat"][-1]
    assert mine["language"] == language
    assert api.post(f"/conversations/{mine['id']}/messages", json={"text": "Sudah beres."})
    assert api.post(f"/conversations/{mine['id']}/resolve").json()["status"] == "resolved"
    offer = citizen.history()[-1]
    assert offer["sender"] == "bot" and offer["buttons"]
    text: str = offer["text"]
    return text


def answer_all(citizen: Citizen, scores: list[int], question_word: str) -> str:
    """Say "ya", answer the nine questions; return the comment prompt."""
    first = joined(citizen.say("ya"))
    assert f"{question_word} 1/9" in first, first
    reply = ""
    for n, score in enumerate(scores, 1):
        reply = joined(citizen.say(str(score)))
        if n < 9:
            assert f"{question_word} {n + 1}/9" in reply, reply
    return reply


def ikm_today(stack: Stack) -> dict[str, object]:
    today = datetime.now(UTC).date()
    span = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}
    body: dict[str, object] = staff_api(stack).get("/reports/ikm", params=span).json()
    return body


def test_survey_in_indonesian(stack: Stack) -> None:
    citizen = Citizen(stack.config.helpdesk_url)
    offer = served_and_resolved(stack, citizen, "saya mau bicara dengan petugas", "id")
    assert "Survei Kepuasan Masyarakat" in offer
    prompt = answer_all(citizen, [4, 4, 3, 4, 3, 4, 4, 3, 3], "Pertanyaan")
    assert "lewati" in prompt
    assert "Terima kasih atas penilaian" in joined(citizen.say("Petugasnya ramah sekali"))
    # back to the bot: a catalog answer from the real engine
    assert "KTP" in joined(citizen.say("Apa saja syarat membuat KTP?"))
    body = ikm_today(stack)
    assert body["respondents"] == 1
    # 32 / 9 x 25 = 88.888... -> 88.89, A
    assert body["ikm"] == 88.89 and body["mutu"] == "A"


def test_survey_in_sundanese(stack: Stack) -> None:
    citizen = Citizen(stack.config.helpdesk_url)
    citizen.say("Punten, naon waé sarat pikeun ngadamel KTP énggal?")
    offer = served_and_resolved(stack, citizen, "abdi hoyong nyarios sareng petugas waé", "su")
    assert "Naha anjeun kersa ngeusian" in offer, offer
    prompt = answer_all(citizen, [2, 3, 2, 4, 3, 3, 3, 2, 2], "Patarosan")
    assert "Pamungkas" in prompt
    assert "Hatur nuhun" in joined(citizen.say("lewati"))
    body = ikm_today(stack)
    # two respondents now: 32 + 24 = 56 points over 2 x 9 answers -> mean 3.111 x 25 = 77.78
    assert body["respondents"] == 2
    assert body["ikm"] == 77.78 and body["mutu"] == "B"
