"""Operations side of the hardening: commands (revoke, reencrypt, purge, breach report,
seed once), local secrets, log redaction, security events and their alerts."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text, update

from helpdesk.infra import crypto, localsecrets
from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.models import (
    Attachment,
    AuditEvent,
    Channel,
    Conversation,
    InboundEvent,
    JobStatus,
    Message,
    SecurityEvent,
    Sender,
    utcnow,
)
from helpdesk.runtime.cli import main as cli_main
from helpdesk.security.alerts import AlertSender
from helpdesk.services import conversations as convs
from helpdesk.services import requests as service_requests
from helpdesk.services import security
from helpdesk.services.tokens import create_token
from helpdesk.text.redaction import RedactingFilter, configured_secrets, install, redact
from helpdesk.web.extensions import database

NIK = "3201019876543210"


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """The CLI pointed at the test's database (and an empty upload folder of its own)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "cli-uploads"))
    yield database_url
    crypto.reset()


def _request(app: Flask, nik: str = NIK) -> str:
    with app.app_context(), database().session() as session:
        request = service_requests.create_request(
            session,
            service_code="ktp_el",
            applicant_name="Warga Uji",
            nik=nik,
            phone="081299887766",
            known_services=frozenset({"ktp_el"}),
        )
        session.commit()
        return request.tracking_number


# --- finding 8: key rotation ------------------------------------------------------------------


def test_finding8_reencrypt_moves_every_value_to_the_new_key(
    app: Flask, cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    number = _request(app)
    old_key = os.environ["ENCRYPTION_KEYS"]
    new_key = crypto.generate_key()
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{new_key},{old_key}")
    crypto.reset()
    assert cli_main(["reencrypt"]) == 0
    assert "service_requests.nik: 1" in capsys.readouterr().out
    # Only the new key is needed from now on.
    monkeypatch.setenv("ENCRYPTION_KEYS", new_key)
    crypto.reset()
    db = Database(cli_env)
    with db.session() as session:
        request = service_requests.get_request(session, number)
        assert (request.nik, request.phone) == (NIK, "+6281299887766")
        assert service_requests.find_by_nik(session, NIK)
    db.dispose()


def test_reencrypt_moves_uploaded_files_to_the_new_key_too(
    cli_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A file stored under the old key, and one stored before files were encrypted, read
    back with only the new key after `helpdesk reencrypt`."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setenv("UPLOAD_DIR", str(folder))
    photo = b"\xff\xd8\xff\xe0" + b"ktp scan" * 50
    crypto.reset()
    (folder / "old.jpg").write_bytes(crypto.keyring().encrypt_bytes(photo))
    (folder / "plain.pdf").write_bytes(b"%PDF-1.4 surat pengantar")
    old_key = os.environ["ENCRYPTION_KEYS"]
    new_key = crypto.generate_key()
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{new_key},{old_key}")
    crypto.reset()
    assert cli_main(["reencrypt"]) == 0
    assert "uploaded files: 2 re-encrypted" in capsys.readouterr().out
    monkeypatch.setenv("ENCRYPTION_KEYS", new_key)
    crypto.reset()
    assert crypto.keyring().decrypt_bytes((folder / "old.jpg").read_bytes()) == photo
    plain = crypto.keyring().decrypt_bytes((folder / "plain.pdf").read_bytes())
    assert plain == b"%PDF-1.4 surat pengantar"
    assert sorted(p.name for p in folder.iterdir()) == ["old.jpg", "plain.pdf"]
    assert cli_main(["reencrypt"]) == 0  # nothing left to move
    assert "uploaded files: 0 re-encrypted" in capsys.readouterr().out
    (folder / "lost.jpg").write_bytes(
        crypto.Keyring([crypto.generate_key()], "x").encrypt_bytes(photo)
    )
    assert cli_main(["reencrypt"]) == 1  # a file whose key is gone: said, left alone
    assert "open with no key in ENCRYPTION_KEYS (left as they are): lost.jpg" in (
        capsys.readouterr().err
    )


# --- finding 7: make run seeds once; tokens revoke and expire --------------------------------


def test_finding7_seed_demo_gives_the_same_token_on_every_start(
    cli_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("helpdesk.runtime.cli.DEMO_CREDENTIALS", tmp_path / "demo-credentials.txt")
    assert cli_main(["seed-demo"]) == 0
    first = capsys.readouterr().out.strip().splitlines()[-1]
    assert cli_main(["seed-demo"]) == 0
    second = capsys.readouterr().out.strip().splitlines()[-1]
    assert first == second and first.startswith("hw_")
    db = Database(cli_env)
    with db.engine.connect() as connection:
        tokens = connection.execute(text("SELECT COUNT(*) FROM api_tokens")).scalar_one()
        requests = connection.execute(text("SELECT COUNT(*) FROM service_requests")).scalar_one()
    db.dispose()
    assert (tokens, requests) == (1, 6)
    assert stat.S_IMODE(next(tmp_path.glob("demo-credentials*")).stat().st_mode) == 0o600


def test_finding7_seed_demo_refuses_production(
    cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPDESK_ENV", "production")
    assert cli_main(["seed-demo"]) == 2


def test_finding7_create_token_with_expiry_and_revoke_by_name(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["create-token", "kiosk", "--expires-in-days", "7"]) == 0
    capsys.readouterr()
    assert cli_main(["revoke-token", "kiosk"]) == 0
    assert cli_main(["revoke-token", "kiosk"]) == 1  # nothing live left


# --- make run: secrets generated once, owner-only -------------------------------------------


def test_local_secrets_are_generated_once_and_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secrets.env"
    env: dict[str, str] = {"RASA_TOKEN": "from-the-environment"}
    _, generated = localsecrets.ensure(path, env)
    assert set(generated) == set(localsecrets.GENERATORS) - {"RASA_TOKEN"}
    assert env["RASA_TOKEN"] == "from-the-environment"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again: dict[str, str] = {}
    _, generated_again = localsecrets.ensure(path, again)
    assert generated_again == ["RASA_TOKEN"]
    assert again["ENCRYPTION_KEYS"] == env["ENCRYPTION_KEYS"]  # the same keys every start
    production: dict[str, str] = {"HELPDESK_ENV": "production"}
    assert localsecrets.ensure(tmp_path / "p.env", production) == (tmp_path / "p.env", [])
    assert not (tmp_path / "p.env").exists()


def test_finding8_sqlite_files_are_owner_only(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'var' / 'x.db'}")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (a INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    for path in (tmp_path / "var").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
    db.dispose()


# --- finding 8: retention --------------------------------------------------------------------


def test_finding8_purge_removes_old_payloads_transcripts_and_trackers(
    app: Flask, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = utcnow() - timedelta(days=400)
    with app.app_context(), database().session() as session:
        session.add_all(
            [
                InboundEvent(
                    channel=Channel.TELEGRAM,
                    external_id="1",
                    payload={"phone": "0812"},
                    status=JobStatus.DONE,
                    created_at=old,
                ),
                InboundEvent(channel=Channel.TELEGRAM, external_id="2", payload={}),
            ]
        )
        stale = convs.get_or_create(session, Channel.WEBCHAT, "stale")
        convs.add_message(session, stale, Sender.CITIZEN, f"NIK saya {NIK}")
        fresh = convs.get_or_create(session, Channel.WEBCHAT, "fresh")
        convs.add_message(session, fresh, Sender.CITIZEN, "halo")
        session.commit()
        session.execute(
            update(Conversation).where(Conversation.id == stale.id).values(updated_at=old)
        )
        session.commit()
    tracker = tmp_path / "tracker.db"
    with sqlite3.connect(tracker) as connection:
        connection.execute("CREATE TABLE events (id INTEGER, sender_id TEXT, timestamp REAL)")
        connection.executemany(
            "INSERT INTO events VALUES (?, ?, ?)",
            [(1, "c_old", time.time() - 200 * 86400), (2, "c_new", time.time())],
        )
    assert cli_main(["purge", "--tracker-db", str(tracker)]) == 0
    out = capsys.readouterr().out
    assert "1 deleted" in out and "1 conversations, 1 messages deleted" in out
    with app.app_context(), database().session() as session:
        assert [e.external_id for e in session.scalars(select(InboundEvent))] == ["2"]
        texts = [m.text for m in session.scalars(select(Message))]
        assert texts == ["halo"]
    with sqlite3.connect(tracker) as connection:
        assert [r[0] for r in connection.execute("SELECT sender_id FROM events")] == ["c_new"]
    assert NIK.encode() not in tracker.read_bytes()


def test_purge_removes_uploads_nobody_claimed_within_a_day(
    app: Flask,
    cli_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A web-form file kept for a next try that never came, and a file a refused form left
    without a record, go after 24 hours; younger ones and claimed ones stay."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setenv("UPLOAD_DIR", str(folder))
    old = utcnow() - timedelta(hours=25)
    for name in ("kept-old.jpg", "kept-new.jpg", "chat-old.jpg", "stray-old.pdf", "stray-new.pdf"):
        (folder / name).write_bytes(b"x")
    stale = time.time() - 25 * 3600
    for name in ("kept-old.jpg", "chat-old.jpg", "stray-old.pdf"):
        os.utime(folder / name, (stale, stale))
    with app.app_context(), database().session() as session:
        chat = convs.get_or_create(session, Channel.WEBCHAT, "with-photo")
        session.flush()

        def attachment(key: str, **links: object) -> Attachment:
            return Attachment(
                storage_key=key,
                filename=key,
                content_type="image/jpeg",
                size=1,
                sha256="0",
                created_at=old if "old" in key else utcnow(),
                **links,
            )

        session.add_all(
            [
                attachment("kept-old.jpg"),
                attachment("kept-new.jpg"),
                attachment("chat-old.jpg", conversation_id=chat.id),
            ]
        )
        session.commit()
    assert cli_main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "1 kept web-form files, 1 files without a record deleted" in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "chat-old.jpg",
        "kept-new.jpg",
        "stray-new.pdf",
    ]
    with app.app_context(), database().session() as session:
        keys = sorted(session.scalars(select(Attachment.storage_key)))
    assert keys == ["chat-old.jpg", "kept-new.jpg"]


# --- audit and breach report -----------------------------------------------------------------


def test_listing_conversations_is_audited(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    client.post("/webchat/sessions", json={})
    assert client.get("/api/v1/conversations", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        actions = session.scalars(text("SELECT action FROM audit_events")).all()
    assert "conversation.list" in actions


def test_breach_report_lists_whose_data_was_read_by_whom(
    app: Flask,
    client: FlaskClient,
    auth: dict[str, str],
    cli_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    number = _request(app)
    assert client.get(f"/api/v1/requests/{number}", headers=auth).status_code == 200
    today = utcnow().date().isoformat()
    assert cli_main(["breach-report", "--from", today, "--to", today, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    subject = next(s for s in report["subjects"] if s["id"] == number)
    assert "Warga Uji" in subject["who"] and NIK not in subject["who"]
    assert {(a["actor"], a["action"]) for a in subject["accesses"]} >= {
        ("token:tests", "request.read")
    }
    assert cli_main(["breach-report", "--from", today, "--to", today]) == 0
    assert "request.read by token:tests" in capsys.readouterr().out


# --- security events and alerts -----------------------------------------------------------------


def test_mass_reads_raise_one_security_event(
    app: Flask, client: FlaskClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECURITY_MASS_READ_THRESHOLD", "3")
    numbers = [_request(app, f"32010100000000{i:02d}") for i in range(6)]
    for number in numbers:
        assert client.get(f"/api/v1/requests/{number}", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        events = session.scalars(select(SecurityEvent)).all()
    assert [(e.kind, e.actor, e.severity) for e in events] == [
        ("mass_read", "token:tests", "critical")
    ]


def test_rereading_the_same_records_is_not_a_mass_read_a_new_one_over_the_limit_is(
    app: Flask, client: FlaskClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECURITY_MASS_READ_THRESHOLD", "3")
    numbers = [_request(app, f"32010100000001{i:02d}") for i in range(3)]
    for _ in range(5):
        for number in numbers:
            assert client.get(f"/api/v1/requests/{number}", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        assert session.scalars(select(SecurityEvent)).all() == []
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "request.read"))
        assert len(reads.all()) == 15  # every read is still audited
    fourth = _request(app, "3201010000000199")
    assert client.get(f"/api/v1/requests/{fourth}", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        assert [e.kind for e in session.scalars(select(SecurityEvent))] == ["mass_read"]


def test_the_bots_status_lookups_are_audited_but_not_a_mass_read(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot sees no personal data: a busy day of citizens checking statuses is no alarm."""
    monkeypatch.setenv("SECURITY_MASS_READ_THRESHOLD", "3")
    with app.app_context(), database().session() as session:
        bot = {"Authorization": f"Bearer {create_token(session, 'action-server', 'bot')}"}
        session.commit()
    numbers = [_request(app, f"32010100000002{i:02d}") for i in range(6)]
    for number in numbers:
        assert client.get(f"/api/v1/requests/{number}", headers=bot).status_code == 200
    with app.app_context(), database().session() as session:
        assert session.scalars(select(SecurityEvent)).all() == []
        actors = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "request.read")
        ).all()
    assert actors == ["token:action-server"] * 6


def test_a_tokens_last_use_is_written_once_a_minute_not_per_request(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    from helpdesk.models import ApiToken

    number = _request(app)
    assert client.get(f"/api/v1/requests/{number}", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        first = session.scalars(select(ApiToken.last_used_at)).one()
    assert first is not None
    assert client.get(f"/api/v1/requests/{number}", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        assert session.scalars(select(ApiToken.last_used_at)).one() == first
        session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
        session.commit()
    assert client.get(f"/api/v1/requests/{number}", headers=auth).status_code == 200
    with app.app_context(), database().session() as session:
        later = session.scalars(select(ApiToken.last_used_at)).one()
    assert later is not None and later > first


def test_forged_webhooks_are_recorded_once_a_minute(database_url: str) -> None:
    from tests.unit.test_security_web import make_app

    app = make_app(database_url, telegram_bot_token="1:abc", telegram_webhook_secret="right-secret")
    client = app.test_client()
    for _ in range(3):
        response = client.post(
            "/webhooks/telegram", json={}, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        )
        assert response.status_code == 403
    with app.app_context(), database().session() as session:
        kinds = [e.kind for e in session.scalars(select(SecurityEvent))]
    assert kinds == ["forged_webhook"]


def test_security_events_alert_the_admins_by_telegram_and_webhook(app: Flask) -> None:
    calls: list[tuple[str, dict[str, object]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((str(request.url), json.loads(request.content)))
        return httpx.Response(200, json={"ok": True})

    settings = Settings(
        telegram_bot_token="123:tok",
        telegram_api_base_url="http://telegram.test",
        security_alert_telegram_chat_id="-100200",
        security_alert_webhook_url="http://siem.test/hook",
    )
    sender = AlertSender(settings, transport=httpx.MockTransport(handler))
    db = app.extensions["database"]
    with db.session() as session:
        security.record_event(
            session, "signin_lockout", actor="agent:budi", source="10.0.0.7", detail="5 failures"
        )
        session.commit()
    assert sender.deliver_pending(db) == 1
    assert sender.deliver_pending(db) == 0  # once
    urls = [url for url, _ in calls]
    assert urls == ["http://telegram.test/bot123:tok/sendMessage", "http://siem.test/hook"]
    assert calls[0][1]["chat_id"] == "-100200"
    assert "signin_lockout" in str(calls[0][1]["text"]) and calls[1][1]["kind"] == "signin_lockout"
    with db.session() as session:
        assert session.scalars(select(SecurityEvent)).one().alerted_at is not None


# --- finding 6: logs ------------------------------------------------------------------------------


def test_finding6_redaction_masks_configured_and_shaped_secrets() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "123456:AAHsecretsecretsecret", "RASA_TOKEN": "rasa-token-xyz"}
    secrets = configured_secrets(env)
    line = (
        "HTTP Request: POST https://api.telegram.org/bot123456:AAHsecretsecretsecret/sendMessage "
        "and http://127.0.0.1:5005/webhooks/rest/webhook?token=rasa-token-xyz&x=1 "
        f"Bearer hw_abcdefghijklmnopqrstuvwxyz nik {NIK}"
    )
    masked = redact(line, secrets)
    for leaked in ("AAHsecret", "rasa-token-xyz", "hw_abcdefghijklmnop", NIK):
        assert leaked not in masked
    assert "sendMessage" in masked and "x=1" in masked


def test_finding6_httpx_is_quiet_and_records_are_redacted_in_handlers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999999:AAHanothersecretvalue123")
    logger = logging.getLogger("test-redaction-root")
    handler = logging.FileHandler(tmp_path / "worker.log")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        install(logger)
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        assert logging.getLogger("httpcore").getEffectiveLevel() >= logging.WARNING
        child = logger.getChild("worker")
        child.warning(
            "sending to %s", "https://api.telegram.org/bot999999:AAHanothersecretvalue123/x"
        )
        try:
            raise RuntimeError("token 999999:AAHanothersecretvalue123 refused")
        except RuntimeError:
            child.exception("delivery failed")
        handler.flush()
        written = (tmp_path / "worker.log").read_text()
        assert "AAHanothersecretvalue123" not in written
        assert "[REDACTED]" in written and "delivery failed" in written
        assert any(isinstance(f, RedactingFilter) for f in handler.filters)
    finally:
        logger.removeHandler(handler)
        handler.close()
