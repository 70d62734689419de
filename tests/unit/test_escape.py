"""Issue 17: no citizen is trapped in a bot-led form; a question never starts one.

The escape check by table (`helpdesk/journeys/escape.py`), then through the web chat with
the engine faked: an officer asked for inside the complaint form hands off at once, the
cancel words of four languages leave, a service question is answered by the engine and
the form offers to go on; an unsure complaint is asked about first; unreadable messages
go to the engine's fallback in the conversation's language and reach the inbox.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.conversation.base import BotReply
from helpdesk.journeys.escape import escape_of
from helpdesk.models import Conversation, ConversationStatus, NluInboxItem
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine
from tests.unit.test_journeys import Chat, bot_auth  # noqa: F401 (fixture)


def names_a_service(text: str) -> str | None:
    words = text.lower().replace("?", " ").split()
    return "ktp_el" if {"ktp", "skck", "paspor", "passport", "kk"} & set(words) else None


@pytest.mark.parametrize(
    ("text", "free_text", "expected"),
    [
        ("saya mau bicara dengan petugas", False, "officer"),
        ("tolong sambungkan ke admin manusia", False, "officer"),
        ("panggilkan petugas saja", True, "officer"),
        ("kula kepengin matur kaliyan petugas", True, "officer"),
        ("hoyong nyarios sareng petugas", False, "officer"),
        ("I want to talk to a human", True, "officer"),
        ("petugas", False, "officer"),
        ("batal", False, "cancel"),
        ("gak jadi deh", False, "cancel"),
        ("mboten sida", False, "cancel"),
        ("teu jadi ah", False, "cancel"),
        ("never mind", False, "cancel"),
        ("cancel", True, "cancel"),
        ("syarat bikin KTP apa ya?", False, "question"),
        ("berapa biaya bikin SKCK?", False, "question"),
        ("what is the fee for a passport?", False, "question"),
        ("syarat bikin KTP apa ya?", True, "question"),
        # A complaint's own description is the form's, even when it names a service.
        ("petugas loket bicara kasar ke saya waktu urus KTP", True, None),
        ("petugas KTP lama sekali melayani, kenapa?", True, None),
        ("petugas minta uang 100 ribu untuk KTP", True, None),
        ("di kantor dukcapil jl merdeka", False, None),
        ("kemarin sore", False, None),
        ("1", False, None),
        ("/file_complaint", False, None),
    ],
)
def test_escape_by_table(text: str, free_text: bool, expected: str | None) -> None:
    assert escape_of(text, names_a_service, free_text) == expected


def _conversation(client: FlaskClient, chat: Chat) -> Conversation:
    with client.application.app_context(), database().session() as session:
        found = session.scalar(
            select(Conversation).where(Conversation.channel_user_id == chat.session_id)
        )
        assert found is not None
        session.expunge(found)
        return found


@pytest.mark.parametrize("step_answers", [[], ["1"], ["1", "Petugas loket meminta uang"]])
def test_an_officer_asked_for_inside_the_form_takes_over_at_once(
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],  # noqa: F811
    step_answers: list[str],
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    assert "jenis" in chat.say("saya mau mengadu").lower()
    for answer in step_answers:
        chat.say(answer)
    calls = len(fake_engine.calls)
    reply = chat.say("saya mau bicara dengan petugas")
    assert "sambungkan ke petugas" in reply
    assert len(fake_engine.calls) == calls  # no engine turn, no form prompt
    conversation = _conversation(client, chat)
    assert conversation.status == ConversationStatus.PENDING
    assert conversation.handoff_reason == "citizen_request"
    assert not (conversation.journey or {}).get("kind")


@pytest.mark.parametrize(
    ("language", "word", "left"),
    [
        ("id", "gak jadi deh", "dibatalkan"),
        ("jv", "mboten sida", "dipunbatalaken"),
        ("su", "teu jadi", "dibatalkeun"),
        ("en", "never mind", "cancelled"),
        ("id", "cancel", "dibatalkan"),  # another language's word works too
    ],
)
def test_cancel_words_of_four_languages_leave_the_form(
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],  # noqa: F811
    language: str,
    word: str,
    left: str,
) -> None:
    chat = Chat(client, fake_engine, bot_auth, language)
    chat.say("saya mau mengadu")
    assert left in chat.say(word).lower()
    assert not (_conversation(client, chat).journey or {}).get("kind")


def test_a_service_question_is_answered_then_the_form_offers_to_go_on(
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],  # noqa: F811
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say("saya mau mengadu")
    chat.say("1")  # category: pengaduan; now the description
    calls = len(fake_engine.calls)
    reply = chat.say("syarat bikin KTP apa ya?")
    assert len(fake_engine.calls) == calls + 1  # the engine answered it
    assert reply.splitlines() == ["Halo dari bot", "Mau melanjutkan pengisian pengaduan tadi?"]
    journey = _conversation(client, chat).journey or {}
    assert journey["kind"] == "complaint" and journey["step"] == "description"
    again = chat.say("lanjut")
    assert "ceritakan" in again.lower() or "jelaskan" in again.lower()
    assert len(fake_engine.calls) == calls + 1
    # the form reads the next answer as before
    chat.say("Petugas loket meminta uang tambahan untuk KTP saya")
    assert (_conversation(client, chat).journey or {})["step"] == "location"


def test_an_unsure_complaint_is_asked_about_first(
    client: FlaskClient,
    fake_engine: FakeEngine,
    bot_auth: dict[str, str],  # noqa: F811
) -> None:
    chat = Chat(client, fake_engine, bot_auth, "id")
    chat.say("halo")
    opened = client.post(
        f"/api/v1/conversations/{chat.sender_id}/complaint-form",
        json={"confirm": True},
        headers=bot_auth,
    ).get_json()
    (prompt,) = opened["messages"]
    assert prompt["text"] == "Anda ingin membuat pengaduan?"
    assert [b["payload"] for b in prompt["buttons"]] == ["ya", "tidak"]
    fake_engine.replies = [BotReply(prompt["text"], prompt["buttons"])]
    assert "jenis" in chat.say("ya").lower()  # the form opens on "ya"
    chat.say("batal")
    client.post(
        f"/api/v1/conversations/{chat.sender_id}/complaint-form",
        json={"confirm": True},
        headers=bot_auth,
    )
    assert "tidak jadi" in chat.say("tidak").lower()
    assert not (_conversation(client, chat).journey or {}).get("kind")


@pytest.mark.parametrize("text", ["qwzx vrrp klomt zuzu", "😂😂😂", "xkcd blorp fnord"])
def test_unreadable_messages_get_the_fallback_in_the_conversation_language(
    client: FlaskClient, fake_engine: FakeEngine, text: str
) -> None:
    session_id = client.post(
        "/webchat/sessions", json={"language": "jv", "explicit": False}
    ).get_json()["session_id"]
    fake_engine.replies = [BotReply("Nyuwun pangapunten", custom={"fallback": True})]
    client.post(f"/webchat/sessions/{session_id}/messages", json={"text": text})
    _sender, sent, metadata = fake_engine.calls[-1]
    assert sent == '/nlu_fallback{"language":"jv"}'
    assert metadata["language"] == "jv"  # noise never switches the conversation's language
    with client.application.app_context(), database().session() as session:
        texts = session.scalars(select(NluInboxItem.text)).all()
    assert text in texts


def test_a_readable_message_still_goes_to_the_engine_as_written(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    session_id = client.post("/webchat/sessions", json={"language": "id"}).get_json()["session_id"]
    client.post(f"/webchat/sessions/{session_id}/messages", json={"text": "syarat SKCK"})
    assert fake_engine.calls[-1][1] == "syarat SKCK"
