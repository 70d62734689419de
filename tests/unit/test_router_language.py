"""The router's language policy and fallback handoff, through the web chat API."""

from __future__ import annotations

from flask.testing import FlaskClient

from helpdesk.conversation.base import BotReply
from tests.conftest import FakeEngine


def new_session(client: FlaskClient, **body: object) -> str:
    session_id: str = client.post("/webchat/sessions", json=body).get_json()["session_id"]
    return session_id


def say(client: FlaskClient, session_id: str, text: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.post(f"/webchat/sessions/{session_id}/messages", json={"text": text})
    assert response.status_code == 200, response.get_json()
    messages: list[dict] = response.get_json()["messages"]  # type: ignore[type-arg]
    return messages


def languages_sent(engine: FakeEngine) -> list[str]:
    return [metadata["language"] for _, _, metadata in engine.calls]


def test_regional_language_is_detected_and_kept_for_short_follow_ups(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    session_id = new_session(client)
    say(client, session_id, "Sugeng enjing, kula badhe nyuwun pirsa syarat damel KTP menika punapa")
    say(client, session_id, "ok")
    say(client, session_id, "matur nuwun sanget")
    assert languages_sent(fake_engine) == ["jv", "jv", "jv"]


def test_sundanese_and_english_switch_the_reply_language(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    session_id = new_session(client)
    say(client, session_id, "Punten, kumaha carana ngadamel kartu kulawarga anu énggal?")
    other = new_session(client)
    say(client, other, "How do I apply for a new family card and what documents do I need?")
    assert languages_sent(fake_engine) == ["su", "en"]


def test_an_explicit_choice_beats_detection(client: FlaskClient, fake_engine: FakeEngine) -> None:
    session_id = new_session(client)
    say(client, session_id, "/bahasa sunda")
    assert fake_engine.calls[0][1] == '/change_language{"language":"su"}'
    say(client, session_id, "Apa saja syarat membuat akta kelahiran untuk anak saya?")
    assert languages_sent(fake_engine) == ["su", "su"]
    say(client, session_id, "/bahasa")
    assert fake_engine.calls[-1][1] == "/change_language"


def test_widget_menu_choice_is_explicit(client: FlaskClient, fake_engine: FakeEngine) -> None:
    session_id = new_session(client, language="en", explicit=True)
    say(client, session_id, "Apa saja syarat membuat akta kelahiran untuk anak saya?")
    response = client.post(f"/webchat/sessions/{session_id}/language", json={"language": "jv"})
    assert response.status_code == 200
    say(client, session_id, "Apa saja syarat membuat akta kelahiran untuk anak saya?")
    assert languages_sent(fake_engine) == ["en", "jv"]
    bad = client.post(f"/webchat/sessions/{session_id}/language", json={"language": "fr"})
    assert bad.status_code == 422


def test_unspoken_regional_language_gets_indonesian_and_one_polite_note(
    client: FlaskClient, fake_engine: FakeEngine
) -> None:
    session_id = new_session(client)
    first = say(
        client, session_id, "Om swastiastu, tiang jagi nunas informasi indik ngae KTP ring dija?"
    )
    assert "belum bisa berbahasa Bali" in first[0]["text"]
    assert languages_sent(fake_engine) == ["id"]
    second = say(
        client, session_id, "Tiang sampun ngae surat pengantar saking kelian banjar, napi malih?"
    )
    assert not any("belum bisa berbahasa" in m["text"] for m in second)


def test_two_fallbacks_in_a_row_hand_off_to_an_agent(
    client: FlaskClient, fake_engine: FakeEngine, auth: dict[str, str]
) -> None:
    fake_engine.replies = [
        BotReply("Maaf, saya kurang paham."),
        BotReply("", custom={"fallback": True}),
    ]
    session_id = new_session(client)
    first = say(client, session_id, "asdf qwer")
    assert [m["sender"] for m in first] == ["bot"]
    second = say(client, session_id, "zxcv uiop")
    assert "petugas" in second[-1]["text"] and "antrean ke-1" in second[-1]["text"]
    pending = client.get("/api/v1/conversations?status=pending", headers=auth).get_json()
    assert [c["handoff_reason"] for c in pending["items"]] == ["fallback"]
    assert say(client, session_id, "halo?") == []


def test_a_fallback_followed_by_an_answer_resets_the_count(
    client: FlaskClient, fake_engine: FakeEngine, auth: dict[str, str]
) -> None:
    session_id = new_session(client)
    fallback = [BotReply("Maaf, saya kurang paham."), BotReply("", custom={"fallback": True})]
    fake_engine.replies = fallback
    say(client, session_id, "asdf")
    fake_engine.replies = [BotReply("Syarat KTP-el: ...")]
    say(client, session_id, "syarat ktp")
    fake_engine.replies = fallback
    say(client, session_id, "qwer")
    assert (
        client.get("/api/v1/conversations?status=pending", headers=auth).get_json()["items"] == []
    )
