"""The worker is ready before it delivers, by a probe that cannot scroll away (issue 21,
item 9).

The restart after a WhatsApp outage: WhatsApp still unreachable, deliveries waiting in the
outbox. The worker logs its retries at once; the old probe looked for "worker running" in
the last 5 lines of its log, never found it, and `make run` stopped every process when the
readiness timeout ran out. Here the worker process starts for real (`helpdesk worker`), the
readiness timeout is short (STACK_READY_TIMEOUT) and the test holds past it.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from channels import registry
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, JobStatus, OutboxItem, Sender
from helpdesk.runtime.stack import Stack, StackConfig, ready_timeout
from helpdesk.services import conversations as convs
from helpdesk.services import outbox

PENDING = 30


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pending_deliveries(url: str) -> None:
    database = Database(url)
    database.configure(channels=registry.traits())  # WhatsApp pushes through the outbox
    upgrade(database.engine)
    with database.session() as session:
        conversation = convs.get_or_create(session, Channel.WHATSAPP, "6281234567890")
        for n in range(PENDING):
            message = convs.add_message(session, conversation, Sender.AGENT, f"jawaban {n}")
            outbox.enqueue(session, conversation, message)
        session.commit()
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == PENDING
    database.dispose()


def _queued(url: str) -> int:
    database = Database(url)
    with database.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(OutboxItem)
            .where(OutboxItem.status == JobStatus.QUEUED)
        )
    database.dispose()
    return int(count or 0)


def test_worker_ready_with_whatsapp_down_and_deliveries_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'helpdesk.db'}"
    _pending_deliveries(url)
    monkeypatch.setenv("STACK_READY_TIMEOUT", "20")
    timeout = ready_timeout()
    assert timeout == 20
    config = StackConfig(
        var_dir=tmp_path / "var",
        database_url=url,
        model=tmp_path / "no-model.tar.gz",
        env={
            "WHATSAPP_ACCESS_TOKEN": "EAAG-test",
            "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
            "WHATSAPP_API_BASE_URL": f"http://127.0.0.1:{_closed_port()}/v21.0",
            "HELPDESK_TIMEOUT_SECONDS": "2",
        },
    )
    stack = Stack(config, "unused-token")
    try:
        started = time.monotonic()
        stack.start("worker")
        stack.wait_ready(timeout, "worker")  # raised TimeoutError before the fix
        while time.monotonic() - started < timeout + 5:  # held past the readiness timeout
            assert stack.processes["worker"].poll() is None, stack.log_tail("worker")
            time.sleep(1)
        log = stack.log_tail("worker", 10_000)
        assert "delivery" in log and "failed" in log, log  # it did try, and WhatsApp is down
        assert "worker running" not in stack.log_tail("worker", 5)  # the line scrolled away
        assert stack.checks()["worker"]()  # still ready
        assert _queued(url) == PENDING  # nothing lost: still waiting for WhatsApp
    finally:
        stack.stop()
