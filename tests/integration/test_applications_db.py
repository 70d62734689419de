"""Online applications on SQLite and on PostgreSQL: the migration down and up, a request
filed with its encrypted answers and documents, the queue nearest deadline first, the
clock paused while waiting for documents, completion and the figures.

PostgreSQL comes from TEST_POSTGRES_URL; without it those cases are skipped with a notice
(under CI=true they fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from helpdesk.catalog.loader import load_catalog
from helpdesk.infra.config import Settings
from helpdesk.infra.db import make_engine
from helpdesk.infra.migrate import alembic_config, upgrade
from helpdesk.models import Attachment, RequestStatus
from helpdesk.services import application_report, applications
from helpdesk.services import requests as service_requests
from tests.integration.test_data_layer import postgres_schema_engine  # noqa: F401

__all__ = ["postgres_schema_engine"]

CATALOG = load_catalog(Path(__file__).resolve().parents[2] / "data" / "catalog")
NIK = "3201019876540042"
TUESDAY = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)  # 10:00 WIB, before Nyepi and Lebaran


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/data.db")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    eng = request.getfixturevalue("postgres_schema_engine")
    upgrade(eng)
    yield eng
    with eng.begin() as connection:
        for table in ("sla_clocks", "subscriptions", "attachments", "status_changes"):
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("DELETE FROM service_requests"))


def test_the_migration_goes_down_and_up(engine: Engine) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011_load_audit_index")
    columns = {c["name"] for c in inspect(engine).get_columns("service_requests")}
    assert not {"channel", "unit", "due_at", "answers", "missing_documents"} & columns
    upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("service_requests")}
    assert {"channel", "unit", "due_at", "language", "answers", "conversation_id"} <= columns


def _files(session: Session, tag: str) -> dict[str, list[Attachment]]:
    files = {}
    for key in ("pengantar_rt", "ktp", "kk"):
        attachment = Attachment(
            storage_key=f"{tag}-{key}",
            filename=f"{key}.jpg",
            content_type="image/jpeg",
            size=1,
            sha256="0" * 64,
        )
        session.add(attachment)
        files[key] = [attachment]
    session.flush()
    return files


def _domicile(session: Session, tag: str, now: datetime) -> str:
    request = applications.submit(
        session,
        CATALOG,
        Settings(),
        service_code="surat_domisili",
        answers={
            "name": "Siti Aminah",
            "nik": NIK,
            "address": "Jl. Melati 5 RT 02/RW 03, Sukamaju",
            "since": "17/08/2024",
            "purpose": "melamar kerja",
        },
        documents=_files(session, tag),
        channel="telegram",
        language="jv",
        now=now,
    )
    return request.tracking_number


def test_an_application_is_worked_to_its_end(engine: Engine) -> None:
    with Session(engine) as session:
        first = _domicile(session, "a", TUESDAY)
        later = _domicile(session, "b", TUESDAY + timedelta(days=1))
        session.commit()
    with Session(engine) as session:
        raw = session.execute(text("SELECT answers FROM service_requests")).scalars().all()
        assert all(NIK not in str(value) and "Siti" not in str(value) for value in raw)
        queue = applications.queue(session, units=["umum"])
        assert [r.tracking_number for r in queue] == [first, later]
        assert queue[0].due_at == datetime(2026, 3, 25, 9, 0, tzinfo=UTC)  # after the break
        assert queue[0].answers is not None and queue[0].answers["since"] == "2024-08-17"
        moment = TUESDAY + timedelta(days=3)  # Friday 20 March: cuti bersama
        service_requests.update_status(
            session, first, "needs_documents", "KK buram", actor="tests", at=moment
        )
        back = datetime(2026, 3, 26, 2, 0, tzinfo=UTC)  # Thursday 09:00 WIB
        service_requests.update_status(session, first, "verifying", None, actor="tests", at=back)
        moved = service_requests.get_request(session, first)
        assert moved.due_at is not None and moved.due_at > datetime(2026, 3, 25, 9, 0, tzinfo=UTC)
        for status in ("processing", "ready", "completed"):
            service_requests.update_status(session, first, status, None, actor="tests", at=back)
        session.commit()
    with Session(engine) as session:
        assert [r.tracking_number for r in applications.queue(session, units=["umum"])] == [later]
        done = applications.queue(session, units=None, status=RequestStatus.COMPLETED)
        assert [r.tracking_number for r in done] == [first]
        rows = application_report.collect(
            session,
            date(2026, 3, 1),
            date(2026, 3, 31),
            timezone="Asia/Jakarta",
            now=datetime(2026, 3, 31, tzinfo=UTC),
        )
        assert rows == [  # Tue 17 -> Thu 26 March: Wed 25 and Thu 26 are working days
            application_report.ApplicationFigures("umum", "surat_domisili", 2, 1, 1, 1, 2.0)
        ]
