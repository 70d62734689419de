"""Console services on SQLite and PostgreSQL: unit scope per role, the atomic claim between
two sessions, transfer, the return sweep, lockout, and migration 0006 down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from helpdesk.infra.db import make_engine
from helpdesk.infra.migrate import alembic_config, upgrade
from helpdesk.models import Agent, AgentRole, Channel, Conversation, ConversationStatus, utcnow
from helpdesk.services import agents as agent_service
from helpdesk.services import conversations as convs
from helpdesk.services import desk
from helpdesk.services.errors import Conflict, NotFound
from tests.integration.test_data_layer import postgres_schema_engine  # noqa: F401 (fixture)

UNITS = frozenset({"umum", "dukcapil", "perizinan"})


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of each kind (a throw-away schema on PostgreSQL)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/console.db")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("postgres_schema_engine")
    _downgrade(eng, "base")
    upgrade(eng)
    yield eng


def _downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _people(session: Session) -> dict[str, Agent]:
    people = {}
    for name, role, units in (
        ("sri", AgentRole.AGENT, ("dukcapil",)),
        ("tari", AgentRole.AGENT, ("dukcapil",)),
        ("andi", AgentRole.AGENT, ("perizinan",)),
        ("dewi", AgentRole.SUPERVISOR, ()),
    ):
        people[name] = agent_service.create_agent(
            session, name, role, units, UNITS, password="pw-long-enough"
        ).agent
    return people


def _waiting(session: Session, user: str, unit: str | None) -> Conversation:
    conversation = convs.get_or_create(session, Channel.WEBCHAT, user)
    convs.hand_off(session, conversation, "citizen_request", unit_code=unit)
    return conversation


def test_scope_per_role_and_unit(engine: Engine) -> None:
    with Session(engine) as session:
        people = _people(session)
        ktp = _waiting(session, "a", "dukcapil")
        nib = _waiting(session, "b", "perizinan")
        general = _waiting(session, "c", None)
        session.commit()
        assert general.unit_code == "umum"
        seen = {
            name: {row.conversation.id for row in desk.queue(session, agent, desk.QueueFilter())}
            for name, agent in people.items()
        }
        assert seen["sri"] == {ktp.id} and seen["andi"] == {nib.id}
        assert seen["dewi"] == {ktp.id, nib.id, general.id}
        with pytest.raises(NotFound):
            desk.get_for_agent(session, people["andi"], ktp.id)
        assert desk.get_for_agent(session, people["dewi"], ktp.id).id == ktp.id


def test_claim_from_two_sessions_only_one_wins(engine: Engine) -> None:
    with Session(engine) as session:
        _people(session)
        cid = _waiting(session, "a", "dukcapil").id
        session.commit()
    with Session(engine) as one, Session(engine) as two:
        sri = agent_service.find_agent(one, "sri")
        tari = agent_service.find_agent(two, "tari")
        assert sri is not None and tari is not None
        sri_id = sri.id
        first = desk.get_for_agent(one, sri, cid)
        second = desk.get_for_agent(two, tari, cid)  # both loaded it while pending
        desk.claim(one, sri, first)
        one.commit()
        with pytest.raises(Conflict):
            desk.claim(two, tari, second)
        two.rollback()
    with Session(engine) as session:
        conversation = session.get(Conversation, cid)
        assert conversation is not None and conversation.assigned_agent_id == sri_id


def test_transfer_and_sweep(engine: Engine) -> None:
    with Session(engine) as session:
        people = _people(session)
        conversation = _waiting(session, "a", "dukcapil")
        desk.claim(session, people["sri"], conversation)
        desk.transfer(
            session, people["sri"], conversation, "perizinan", "izin usaha", known_units=UNITS
        )
        session.commit()
        assert conversation.status == ConversationStatus.PENDING
        assert desk.can_see(people["andi"], conversation)
        assert not desk.can_see(people["sri"], conversation)
        desk.claim(session, people["andi"], conversation)
        now = utcnow()
        conversation.last_agent_activity_at = now - timedelta(minutes=30)
        conversation.last_inbound_at = now - timedelta(minutes=20)
        session.commit()
        assert desk.sweep(session, unclaimed_minutes=5, silent_minutes=15, at=now) == [
            conversation.id
        ]
        session.commit()
        assert conversation.status == ConversationStatus.PENDING
        kinds = [e.kind for e in desk.events(session, conversation)]
        assert kinds == ["claim", "transfer", "claim", "timeout"]


def test_lockout(engine: Engine) -> None:
    with Session(engine) as session:
        _people(session)
        for _ in range(4):
            outcome = agent_service.authenticate(session, "sri", "nope", None).outcome
            assert outcome == agent_service.SignInOutcome.FAILED
        outcome = agent_service.authenticate(session, "sri", "nope", None).outcome
        assert outcome == agent_service.SignInOutcome.LOCKED
        right = agent_service.authenticate(session, "sri", "pw-long-enough", None)
        assert right.outcome == agent_service.SignInOutcome.LOCKED
        session.commit()


def test_console_migration_downgrades_and_upgrades(engine: Engine) -> None:
    with Session(engine) as session:
        _people(session)
        session.commit()
    _downgrade(engine, "0005_account_skm")
    tables = set(inspect(engine).get_table_names())
    assert "agent_units" not in tables and "conversation_events" not in tables
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"agent_units", "recovery_codes", "conversation_events", "canned_replies"} <= tables
