"""Reports on SQLite and PostgreSQL: the IKM, the conversations CSV (BOM, one row per
conversation, formula cells neutralised), the monthly PDF (fonts embedded, charts), and
the worker's monthly files."""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, Conversation, ConversationStatus, Sender, Survey, SurveyStatus
from helpdesk.runtime.app import create_app
from helpdesk.runtime.periodic import Periodic
from helpdesk.services import conversations as convs
from helpdesk.services import sla
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings
from tests.integration.test_data_layer import postgres_url

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def postgres_database_url() -> Iterator[str]:
    url = postgres_url()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL configured (TEST_POSTGRES_URL)")
        pytest.skip("NOTICE: no PostgreSQL configured (TEST_POSTGRES_URL); tests skipped")
    schema = f"hw_reports_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """An app over a database holding three November conversations; yields (app, token)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'reports.db'}"
    else:
        url = request.getfixturevalue("postgres_database_url")
    app = create_app(make_settings(url, reports_dir=tmp_path / "reports"), bot_engine=FakeEngine())
    with app.app_context():
        upgrade(database().engine)
        with database().session() as s:
            token = create_token(s, "reports")
            # 1. answered by the bot alone (Monday 2 Nov, web chat)
            c1 = Conversation(
                channel=Channel.WEBCHAT, channel_user_id=f"w-{uuid.uuid4()}", created_at=wib(2, 9)
            )
            # 2. handed off, answered in 30 working minutes, resolved, surveyed (Telegram, jv)
            c2 = Conversation(
                channel=Channel.TELEGRAM,
                channel_user_id=f"t-{uuid.uuid4()}",
                language="jv",
                created_at=wib(2, 10),
            )
            # 3. the bot failed twice; a formula-looking message; never answered (WhatsApp)
            c3 = Conversation(
                channel=Channel.WHATSAPP,
                channel_user_id=f"p-{uuid.uuid4()}",
                created_at=wib(3, 10),
                fallback_count=2,
            )
            s.add_all([c1, c2, c3])
            s.flush()
            convs.add_message(s, c1, Sender.CITIZEN, "syarat KTP apa saja?")
            convs.add_message(
                s, c2, Sender.CITIZEN, "kula badhe matur petugas, NIK 3201010101900001"
            )
            convs.add_message(
                s, c3, Sender.CITIZEN, '=HYPERLINK("http://x","klik") retribusi sampah'
            )
            c2.handoff_reason, c2.status = "citizen_request", ConversationStatus.RESOLVED
            c2.resolved_at = wib(2, 11)
            clock2 = sla.start(
                s, kind="chat", ref="c2", unit="umum", conversation_id=c2.id, now=wib(2, 10)
            )
            sla.on_agent_reply(s, c2, wib(2, 10, 30))
            sla.on_resolve(s, c2, wib(2, 11))
            c3.handoff_reason, c3.status = "fallback", ConversationStatus.PENDING
            sla.start(s, kind="chat", ref="c3", unit="umum", conversation_id=c3.id, now=wib(3, 10))
            s.add(
                Survey(
                    conversation_id=c2.id,
                    citizen_key="k",
                    service_key="unit:umum",
                    unit="umum",
                    period="2026-Q4",
                    language="jv",
                    status=SurveyStatus.COMPLETED,
                    step=10,
                    u1=4,
                    u2=3,
                    u3=3,
                    u4=4,
                    u5=3,
                    u6=4,
                    u7=4,
                    u8=3,
                    u9=2,
                    offered_at=wib(2, 11),
                    completed_at=wib(2, 11, 5),
                )
            )
            assert clock2.resolved_at is not None
            sla.tick(s, wib(4, 9))  # c3: first response (2 h) breached long ago
            s.commit()
    yield app, token
    with app.app_context():
        database().dispose()


def test_ikm_report(seeded: tuple[Flask, str]) -> None:
    app, token = seeded
    body = (
        app.test_client()
        .get(
            "/api/v1/reports/ikm?from=2026-11-01&to=2026-11-30&unit=umum",
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    # 30 points / 9 elements x 25 = 83.33 -> B
    assert body["ikm"] == 83.33 and body["mutu"] == "B" and body["respondents"] == 1
    assert [e["code"] for e in body["elements"]] == [f"U{i}" for i in range(1, 10)]
    assert body["population"] == 1 and body["min_sample"] == 1 and body["sample_sufficient"]


def test_conversations_csv(seeded: tuple[Flask, str]) -> None:
    app, token = seeded
    response = app.test_client().get(
        "/api/v1/reports/conversations.csv?from=2026-11-01&to=2026-11-30",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_channel = {r["channel"]: r for r in rows}
    assert by_channel["webchat"]["contained"] == "yes"
    telegram = by_channel["telegram"]
    assert telegram["contained"] == "no" and telegram["sla"] == "met"
    assert telegram["first_response_working_minutes"] == "30.0"
    assert telegram["resolution_working_minutes"] == "60.0"
    assert telegram["survey"] == "completed" and telegram["ikm_of_survey"] == "83.33"
    assert "3201010101900001" not in raw.decode("utf-8-sig")  # NIK masked in the topic
    whatsapp = by_channel["whatsapp"]
    assert whatsapp["topic"].startswith("'=HYPERLINK")  # neutralised
    assert whatsapp["sla"] == "breached"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_monthly_pdf(seeded: tuple[Flask, str]) -> None:
    app, token = seeded
    response = app.test_client().get(
        "/api/v1/reports/monthly.pdf?month=2026-11", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf  # TrueType font embedded
    assert pdf.count(b"/Subtype /Image") >= 4  # the charts
    bad = app.test_client().get(
        "/api/v1/reports/monthly.pdf?month=2026-13", headers={"Authorization": f"Bearer {token}"}
    )
    assert bad.status_code == 422


def test_figures(seeded: tuple[Flask, str]) -> None:
    app, token = seeded
    body = (
        app.test_client()
        .get(
            "/api/v1/reports/figures?from=2026-11-01&to=2026-11-30",
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    assert body["conversations"] == 3 and body["contained"] == 1
    assert body["by_channel"] == {"webchat": 1, "telegram": 1, "whatsapp": 1}
    assert body["handoff_reasons"] == {"citizen_request": 1, "fallback": 1}
    assert body["first_response_minutes"]["median"] == 30.0
    assert body["sla_by_unit"] == {"umum": {"met": 1, "breached": 1}}
    assert ["retribusi", 1] in body["failing_topics"]


def test_the_worker_writes_last_months_files_once(seeded: tuple[Flask, str]) -> None:
    app, _token = seeded
    with app.app_context():
        periodic = Periodic(database())
        periodic.run_due(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
        folder = app.extensions["settings"].reports_dir
        pdf, data = folder / "halo-warga-2026-11.pdf", folder / "halo-warga-2026-11.csv"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert data.read_bytes().startswith(b"\xef\xbb\xbf")
        stamp = pdf.stat().st_mtime_ns
        periodic._next_tick = 0.0
        periodic.run_due(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
        assert pdf.stat().st_mtime_ns == stamp  # written once
