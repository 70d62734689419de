"""Console conversation scope (issue 21, item 1), over every conversation route and role.

The rule (SECURITY.md): a conversation is desk work only after a hand-off gave it a unit and
while it is pending, open or resolved. Agents see their units' desk work; supervisors and
admins see every unit's desk work. Nobody opens a conversation the bot alone handled (never
handed off, or back with the bot after resolution) through the console. A conversation that
filed an anonymous complaint shows nobody what the citizen said up to the filing (the form
asked for the NIK there): those messages are withheld from the page, the panel and the
audited "show", and the complaint's number never fills a canned reply.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.models import AgentRole, Channel, Conversation, ConversationStatus, Message, Sender
from helpdesk.services import complaints as complaint_service
from helpdesk.services import conversations as convs
from helpdesk.web.extensions import database
from tests.console_helpers import csrf, make_agent, sign_in

NIK = "3201010101900001"
NAME = "Budi Santosa Wiryo"
LOOKUP = "Status permohonan KTP atas nama Rahayu Lestari: Selesai (catatan staf: ambil Senin)"
ROLES = ("umum", "dukcapil", "supervisor", "admin")
GET_ROUTES = ("", "/panel", "/canned")
POST_ROUTES = ("claim", "reply", "notes", "resolve", "reopen", "release", "transfer", "assign")


@dataclass(frozen=True)
class World:
    """The conversations the test opens: id and the text that must not leak."""

    bot_only: int
    back_with_bot: int
    dukcapil: int
    resolved: int
    anonymous: int
    anonymous_number: str
    withheld_message: int


def _conversation(session, user: str, texts: list[tuple[Sender, str]]) -> Conversation:  # type: ignore[no-untyped-def]
    conversation = convs.get_or_create(session, Channel.WEBCHAT, user)
    for sender, text in texts:
        convs.add_message(session, conversation, sender, text)
    return conversation


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context(), database().session() as session:
        bot_only = _conversation(
            session,
            "bot-only",
            [(Sender.CITIZEN, f"cek KTP-2026-000001 NIK {NIK}"), (Sender.BOT, LOOKUP)],
        )
        back = _conversation(session, "back", [(Sender.CITIZEN, "tolong petugas")])
        convs.hand_off(session, back, "citizen_request", unit_code="dukcapil")
        convs.resolve(session, back)
        convs.add_message(session, back, Sender.CITIZEN, "cek status lagi")
        back.status = ConversationStatus.BOT  # what the router does on the next message
        convs.add_message(session, back, Sender.BOT, LOOKUP)
        dukcapil = _conversation(session, "duk", [(Sender.CITIZEN, "KTP saya hilang")])
        convs.hand_off(session, dukcapil, "citizen_request", unit_code="dukcapil")
        resolved = _conversation(session, "res", [(Sender.CITIZEN, "akta kelahiran")])
        convs.hand_off(session, resolved, "citizen_request", unit_code="dukcapil")
        convs.resolve(session, resolved)
        anonymous = _conversation(
            session,
            "anon",
            [
                (Sender.CITIZEN, f"nama saya {NAME}"),
                (Sender.CITIZEN, "pungutan liar di kantor kelurahan"),
                (Sender.CITIZEN, NIK),
            ],
        )
        session.flush()
        complaint = complaint_service.create_complaint(
            session,
            category="pengaduan",
            description="pungutan liar di kantor kelurahan",
            location="Kelurahan Sukamaju",
            occurred="kemarin",
            anonymous=True,
            nik=NIK,
            conversation_id=anonymous.id,
        )
        convs.add_message(
            session, anonymous, Sender.BOT, f"Pengaduan tercatat: {complaint.tracking_number}"
        )
        convs.add_message(session, anonymous, Sender.CITIZEN, "saya mau bicara dengan petugas")
        convs.hand_off(session, anonymous, "citizen_request", unit_code="umum")
        session.commit()
        withheld = session.scalar(
            select(Message.id).where(Message.conversation_id == anonymous.id, Message.text == NIK)
        )
        assert withheld is not None
        return World(
            bot_only.id,
            back.id,
            dukcapil.id,
            resolved.id,
            anonymous.id,
            complaint.tracking_number,
            withheld,
        )


ACCOUNTS = {
    "umum": ("ujang", AgentRole.AGENT, ("umum",)),
    "dukcapil": ("sri", AgentRole.AGENT, ("dukcapil",)),
    "supervisor": ("dewi", AgentRole.SUPERVISOR, ()),
    "admin": ("adi", AgentRole.ADMIN, ()),
}


class Clients(dict[str, FlaskClient]):
    """A signed-in test client per role, made on first use (signing in costs a hash)."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, role: str) -> FlaskClient:
        username, kind, units = ACCOUNTS[role]
        client = self.app.test_client()
        sign_in(client, username, make_agent(self.app, username, kind, units=units))
        self[role] = client
        return client


@pytest.fixture
def clients(app: Flask) -> Clients:
    return Clients(app)


def _post(client: FlaskClient, path: str) -> int:
    token = getattr(client, "scope_csrf", None) or csrf(client, "/console/")
    client.scope_csrf = token  # type: ignore[attr-defined]
    data = {"csrf_token": token, "text": "x", "unit": "pajak", "reason": "x", "agent_id": "1"}
    return client.post(path, data=data).status_code


def _every_route(client: FlaskClient, cid: int, message_id: int) -> dict[str, int]:
    codes = {
        f"GET{r}": client.get(f"/console/conversations/{cid}{r}").status_code for r in GET_ROUTES
    }
    for route in POST_ROUTES:
        codes[route] = _post(client, f"/console/conversations/{cid}/{route}")
    codes["reveal"] = _post(client, f"/console/conversations/{cid}/messages/{message_id}/reveal")
    return codes


def _first_message(app: Flask, cid: int) -> int:
    with app.app_context(), database().session() as session:
        found = session.scalar(select(Message.id).where(Message.conversation_id == cid))
        assert found is not None
        return found


def _status(app: Flask, cid: int) -> ConversationStatus:
    with app.app_context(), database().session() as session:
        conversation = session.get(Conversation, cid)
        assert conversation is not None
        return conversation.status


@pytest.mark.parametrize("role", ROLES)
def test_bot_only_conversations_are_nobodys_desk_work(
    app: Flask, world: World, clients: Clients, role: str
) -> None:
    client = clients[role]
    for cid in (world.bot_only, world.back_with_bot):
        codes = _every_route(client, cid, _first_message(app, cid))
        assert set(codes.values()) == {404}, (role, cid, codes)
        assert _status(app, cid) == ConversationStatus.BOT
    for page in ("/console/?status=all", "/console/queue/rows?status=all"):
        text = client.get(page).get_data(as_text=True)
        assert "Rahayu" not in text and "cek status lagi" not in text and "cek KTP" not in text


@pytest.mark.parametrize("role", ROLES)
def test_desk_work_is_seen_by_its_unit_and_by_supervisors(
    app: Flask, world: World, clients: Clients, role: str
) -> None:
    client = clients[role]
    allowed = role != "umum"
    for cid in (world.dukcapil, world.resolved):
        for route in GET_ROUTES:
            status = client.get(f"/console/conversations/{cid}{route}").status_code
            assert status == (200 if allowed else 404), (role, cid, route)
    listed = client.get("/console/?status=all").get_data(as_text=True)
    assert ("KTP saya hilang" in listed) == allowed
    if not allowed:
        codes = _every_route(client, world.dukcapil, _first_message(app, world.dukcapil))
        assert set(codes.values()) == {404}, codes
        assert _status(app, world.dukcapil) == ConversationStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_an_anonymous_complaints_identity_reaches_no_agent(
    app: Flask, world: World, clients: Clients, role: str
) -> None:
    client = clients[role]
    if role == "dukcapil":
        codes = _every_route(client, world.anonymous, world.withheld_message)
        assert set(codes.values()) == {404}, codes
        return
    cid = world.anonymous
    seen = [
        client.get(f"/console/conversations/{cid}{route}").get_data(as_text=True)
        for route in GET_ROUTES
    ]
    seen.append(client.get("/console/?status=all").get_data(as_text=True))
    seen.append(client.get("/console/queue/rows?status=all").get_data(as_text=True))
    assert "saya mau bicara dengan petugas" in seen[0]  # the desk work itself is shown
    for text in seen:
        assert NAME not in text and "Budi" not in text
        assert NIK not in text and NIK[:6] + "******" not in text
        assert world.anonymous_number not in text
        assert "pungutan liar" not in text
    revealed = client.post(
        f"/console/conversations/{cid}/messages/{world.withheld_message}/reveal",
        data={"csrf_token": csrf(client, "/console/")},
    )
    assert revealed.status_code == 404
    assert NIK not in revealed.get_data(as_text=True)


def test_exports_leave_out_anonymous_identity(app: Flask, world: World, clients: Clients) -> None:
    assert clients["umum"].get("/console/dashboard/conversations.csv").status_code == 403
    assert clients["umum"].get("/console/admin/audit.csv").status_code == 403
    for role in ("supervisor", "admin"):
        exported = clients[role].get("/console/dashboard/conversations.csv")
        assert exported.status_code == 200
        text = exported.get_data(as_text=True)
        assert NAME not in text and "Budi" not in text and NIK not in text
    audit = clients["admin"].get("/console/admin/audit.csv").get_data(as_text=True)
    assert NIK not in audit and NAME not in audit


def test_every_conversation_route_of_the_console_is_in_this_test(app: Flask) -> None:
    """A route added under /console/conversations/ must join the scope tests above."""
    prefix = "/console/conversations/<int:conversation_id>"
    found = {
        rule.rule.removeprefix(prefix)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(prefix)
    }
    covered = set(GET_ROUTES) | {f"/{r}" for r in POST_ROUTES}
    covered.add("/messages/<int:message_id>/reveal")
    assert found == covered


def test_the_staff_apis_transcript_withholds_what_the_console_withholds(
    app: Flask, world: World, auth: dict[str, str]
) -> None:
    """The REST API's staff transcript of an anonymous complaint's conversation: the
    citizen's name, NIK and the complaint number up to the filing are left out, the desk
    work after it is there."""
    client = app.test_client()
    body = client.get(f"/api/v1/conversations/{world.anonymous}", headers=auth)
    assert body.status_code == 200
    texts = [str(m.get("text")) for m in body.get_json()["messages"]]
    assert texts == ["saya mau bicara dengan petugas"]
    shown = body.get_data(as_text=True)
    assert NAME not in shown and NIK[:6] + "******" not in shown
    assert world.anonymous_number not in shown
    whole = client.get(f"/api/v1/conversations/{world.dukcapil}", headers=auth).get_json()
    assert [m["text"] for m in whole["messages"]][0] == "KTP saya hilang"
