"""Concurrent wrong last-4 guesses on a number tried for the first time (issue 21, item 8):
no error, one guard row, and no more than the allowed wrong tries before the lock, on SQLite
and on PostgreSQL (TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from helpdesk.infra.db import make_engine
from helpdesk.infra.migrate import upgrade
from helpdesk.models import LookupGuard
from helpdesk.services import lookup

THREADS = 8
NUMBER = "KTP-2026-123456"


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated database of each kind."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/guards.db")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url.startswith("postgresql"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL configured (TEST_POSTGRES_URL)")
        pytest.skip("NOTICE: no PostgreSQL configured (TEST_POSTGRES_URL); test skipped")
    schema = f"hw_guard_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = create_engine(
        url, connect_args={"options": f"-csearch_path={schema}"}, pool_size=THREADS + 2
    )
    try:
        upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_concurrent_first_wrong_guesses(engine: Engine) -> None:
    barrier = threading.Barrier(THREADS)
    outcomes: list[lookup.Verification | BaseException] = []

    def guess() -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                outcomes.append(lookup.verify_last4(session, NUMBER, "0000"))
                session.commit()
            except BaseException as exc:  # noqa: BLE001 (the test reports any error)
                outcomes.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert not errors, [repr(e) for e in errors]
    assert len(outcomes) == THREADS
    answers = [o for o in outcomes if isinstance(o, lookup.Verification)]
    assert not any(a.ok for a in answers)
    open_answers = [a for a in answers if not a.locked]
    assert len(open_answers) <= lookup.MAX_FAILURES - 1, answers  # no extra guesses
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(LookupGuard)) == 1
        assert lookup.locked_until(session, NUMBER) is not None
