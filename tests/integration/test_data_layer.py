"""Data layer on SQLite and on PostgreSQL: migrations, constraints, queue order.

PostgreSQL comes from TEST_POSTGRES_URL (or a postgresql DATABASE_URL). Without one the
PostgreSQL cases are skipped with a notice, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from helpdesk.infra.db import make_engine
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, ConversationStatus, Sender
from helpdesk.services import conversations as convs
from helpdesk.services import requests as service_requests
from helpdesk.services.errors import Conflict

SERVICES = frozenset({"ktp_el", "skck"})


def postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="module")
def postgres_schema_engine() -> Iterator[Engine]:
    """A throw-away schema in the configured PostgreSQL database."""
    url = postgres_url()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL configured (TEST_POSTGRES_URL)")
        pytest.skip(
            "NOTICE: no PostgreSQL configured (TEST_POSTGRES_URL); PostgreSQL data-layer "
            "tests skipped"
        )
    schema = f"hw_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is unreachable: {exc}")
        pytest.skip(f"NOTICE: PostgreSQL unreachable ({exc.orig}); tests skipped")
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    """A migrated database of each kind, emptied after the test."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/data.db")  # type: ignore[str-bytes-safe]
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("postgres_schema_engine")
    upgrade(eng)
    yield eng
    with eng.begin() as connection:
        for table in (
            "status_changes",
            "service_requests",
            "messages",
            "conversations",
            "api_tokens",
            "audit_events",
            "agents",
        ):
            connection.execute(text(f"DELETE FROM {table}"))


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {
        "service_requests",
        "status_changes",
        "conversations",
        "messages",
        "agents",
        "api_tokens",
        "audit_events",
        "alembic_version",
    } <= tables


def test_request_lifecycle_round_trips(engine: Engine) -> None:
    with Session(engine) as session:
        request = service_requests.create_request(
            session,
            service_code="skck",
            applicant_name="Dewi",
            nik="3201016706950004",
            phone="081234567804",
            known_services=SERVICES,
            created_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        number = request.tracking_number
        service_requests.change_status(session, number, "processing", "Sidik jari diambil")
        session.commit()
    with Session(engine) as session:
        loaded = service_requests.get_request(session, number.lower())
        assert re.fullmatch(r"SKCK-2026-\d{6}", loaded.tracking_number)  # random, not the id
        assert [c.status.value for c in loaded.history] == ["submitted", "processing"]
        assert loaded.phone == "+6281234567804"
        assert loaded.created_at.tzinfo is not None


def test_tracking_numbers_are_unique(engine: Engine) -> None:
    with Session(engine) as session:
        numbers = {
            service_requests.create_request(
                session,
                service_code="ktp_el",
                applicant_name=f"Warga {i}",
                nik=f"32010101019000{i:02d}",
                phone=None,
                known_services=SERVICES,
            ).tracking_number
            for i in range(5)
        }
        session.commit()
    assert len(numbers) == 5


def test_status_check_constraint_rejects_unknown_values(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO service_requests (tracking_number, service_code, applicant_name, nik, "
                "status, created_at, updated_at) VALUES ('X-2026-000001', 'ktp_el', 'A', "
                "'3201010101900001', 'lost', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        session.flush()


def test_queue_order_and_duplicate_client_ids(engine: Engine) -> None:
    with Session(engine) as session:
        base = datetime(2026, 11, 1, 8, tzinfo=UTC)
        conversations = []
        for i in range(3):
            conversation = convs.get_or_create(session, Channel.WEBCHAT, f"s-{i}")
            convs.hand_off(session, conversation, "citizen_request")
            conversation.pending_since = base - timedelta(minutes=i)  # later ones waited longer
            conversations.append(conversation)
        session.commit()
        queue = convs.list_conversations(session, ConversationStatus.PENDING)
        assert [c.channel_user_id for c in queue] == ["s-2", "s-1", "s-0"]
        assert convs.queue_info(session, conversations[0], 5).position == 3
        convs.add_message(
            session, conversations[0], Sender.CITIZEN, "halo", client_message_id="m-1"
        )
        session.commit()
        with pytest.raises(Conflict):
            convs.add_message(
                session, conversations[0], Sender.CITIZEN, "halo", client_message_id="m-1"
            )
        session.rollback()
        same = convs.get_or_create(session, Channel.WEBCHAT, "s-0")
        assert same.id == conversations[0].id
