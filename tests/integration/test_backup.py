"""Restore drill on SQLite and PostgreSQL: back up while citizens write, restore into a
fresh database, and find every row and every encrypted field as it was.

PostgreSQL comes from TEST_POSTGRES_URL; without it that case is skipped with a notice,
except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from helpdesk.catalog.loader import default_catalog_dir, load_catalog
from helpdesk.demo.seed import seed_agents, seed_requests
from helpdesk.infra.crypto import EncryptedJSON, EncryptedString
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.models import (
    Base,
    Channel,
    Conversation,
    InboundEvent,
    Message,
    OutboxItem,
    Sender,
)
from helpdesk.services.backup import (
    BackupError,
    RestoreRefused,
    create_backup,
    nightly_due,
    prune,
    restore_backup,
    take_nightly,
)
from helpdesk.services.backup_crypto import BackupKeyError, generate_backup_key

MESSAGES_PER_CONVERSATION = 3


def _postgres_base() -> str:
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if not url.startswith("postgresql"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL configured (TEST_POSTGRES_URL)")
        pytest.skip("NOTICE: no PostgreSQL configured (TEST_POSTGRES_URL); drill skipped")
    return url


def _admin(url: str) -> Any:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture
def postgres_pair() -> Iterator[tuple[str, str]]:
    """Two throw-away PostgreSQL databases: the live one and the one to restore into."""
    base = _postgres_base()
    names = [f"hw_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = _admin(base)
    try:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is unreachable: {exc}")
        pytest.skip(f"NOTICE: PostgreSQL unreachable ({exc.orig}); drill skipped")
    urls = [make_url(base).set(database=n).render_as_string(hide_password=False) for n in names]
    try:
        yield urls[0], urls[1]
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(live database, empty database to restore into) of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
    pair: tuple[str, str] = request.getfixturevalue("postgres_pair")
    return pair


def _seed(url: str, uploads: Path) -> None:
    """Demo requests (encrypted NIK and phone), agents (encrypted TOTP secrets), an inbound
    payload (encrypted JSON), an outbox recipient (encrypted), and two uploaded files."""
    database = Database(url)
    upgrade(database.engine)
    with database.session() as session:
        seed_requests(session, frozenset(load_catalog(default_catalog_dir()).services))
        seed_agents(session)
        conversation = Conversation(channel=Channel.WHATSAPP, channel_user_id="6281234567890")
        session.add(conversation)
        session.flush()
        message = Message(conversation_id=conversation.id, sender=Sender.BOT, text="Halo")
        session.add(message)
        session.flush()
        session.add(
            OutboxItem(message_id=message.id, channel=Channel.WHATSAPP, recipient="6281234567890")
        )
        session.add(
            InboundEvent(
                channel=Channel.WHATSAPP,
                external_id="wamid.1",
                payload={"from": "6281234567890", "text": {"body": "NIK 3201234567890001"}},
            )
        )
        session.commit()
    database.dispose()
    uploads.mkdir(parents=True)
    (uploads / "a1b2c3.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(2048))
    (uploads / "d4e5f6.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(4096))


class Writer(threading.Thread):
    """Citizens writing while the backup runs: each transaction adds one conversation and
    its messages, so a consistent copy holds every conversation whole or not at all."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.database = Database(url)
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with self.database.session() as session:
                    conversation = Conversation(
                        channel=Channel.WEBCHAT, channel_user_id=uuid.uuid4().hex
                    )
                    session.add(conversation)
                    session.flush()
                    for n in range(MESSAGES_PER_CONVERSATION):
                        session.add(
                            Message(
                                conversation_id=conversation.id,
                                sender=Sender.CITIZEN,
                                text=f"pesan {self.written} nomor {n}",
                            )
                        )
                    session.commit()
                self.written += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            self.database.dispose()


def _rows(url: str) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every row of every table, raw (ciphertexts as stored), by primary key."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    out: dict[str, dict[Any, tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
            out[table.name] = {
                tuple(row._mapping[k] for k in key): tuple(row)
                for row in connection.execute(select(table))
            }
    engine.dispose()
    return out


def _decrypted(url: str) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Every encrypted column of every model, decrypted with this process's keys."""
    database = Database(url)
    out: dict[str, dict[Any, tuple[Any, ...]]] = {}
    with database.session() as session:
        for mapper in Base.registry.mappers:
            model = mapper.class_
            columns = [
                c.key for c in mapper.columns if isinstance(c.type, EncryptedString | EncryptedJSON)
            ]
            if not columns:
                continue
            out[model.__tablename__] = {
                mapper.primary_key_from_instance(obj)[0]: tuple(getattr(obj, c) for c in columns)
                for obj in session.scalars(select(model))
            }
    database.dispose()
    return out


@pytest.mark.parametrize("sealed", [True, False], ids=["encrypted", "clear"])
def test_restore_drill(databases: tuple[str, str], tmp_path: Path, sealed: bool) -> None:
    live, fresh = databases
    uploads, backups = tmp_path / "uploads", tmp_path / "backups"
    key = generate_backup_key() if sealed else ""
    _seed(live, uploads)
    writer = Writer(live)
    writer.start()
    try:
        while writer.written < 20 and writer.error is None:  # writes are under way
            threading.Event().wait(0.01)
        result = create_backup(live, uploads, backups, key=key)
        written_at_backup = writer.written
        while writer.written < written_at_backup + 20 and writer.error is None:
            threading.Event().wait(0.01)  # ...and go on after it
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None, writer.error

    # owner-only, sealed or in clear as configured, path printed = path written
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    head = result.path.read_bytes()[:8]
    assert (head == b"HWBKUP01") is sealed
    assert b"3201234567890001" not in result.path.read_bytes() or not sealed
    assert set(result.manifest["files"]) == {
        "database.sqlite" if live.startswith("sqlite") else "database.pgdump",
        "uploads/a1b2c3.jpg",
        "uploads/d4e5f6.pdf",
    }

    restored_uploads = tmp_path / "restored-uploads"
    restore = restore_backup(result.path, fresh, restored_uploads, key=key)
    assert restore.files == 2

    before, after = _rows(live), _rows(fresh)
    manifest_tables = result.manifest["tables"]
    assert {t: len(r) for t, r in after.items()} == manifest_tables
    for table, rows in after.items():
        for pk, row in rows.items():
            assert before[table][pk] == row, (table, pk)  # every restored row as it was
    # the copy is one moment: conversations whole, none half-written
    conversations = after["conversations"]
    assert len(after["messages"]) == ((len(conversations) - 1) * MESSAGES_PER_CONVERSATION + 1)
    assert len(conversations) < len(before["conversations"])  # writes went on after it
    assert len(conversations) >= 21  # ...and before it

    # encrypted fields read back with the same keys, equal to the live ones
    live_clear, restored_clear = _decrypted(live), _decrypted(fresh)
    assert restored_clear["service_requests"]
    assert restored_clear["agents"]
    assert restored_clear["outbox"] == live_clear["outbox"]
    for table, rows in restored_clear.items():
        for pk, values in rows.items():
            assert live_clear[table][pk] == values, (table, pk)
    for name in ("a1b2c3.jpg", "d4e5f6.pdf"):
        assert (restored_uploads / name).read_bytes() == (uploads / name).read_bytes()
        assert stat.S_IMODE((restored_uploads / name).stat().st_mode) == 0o600

    # a database that holds data is refused without --force, and left as it is
    with pytest.raises(RestoreRefused):
        restore_backup(result.path, live, uploads, key=key)
    assert _rows(live) == before
    restore_backup(result.path, live, restored_uploads, key=key, force=True)
    assert _rows(live) == after


def test_sealed_backup_needs_its_key_and_detects_tampering(tmp_path: Path) -> None:
    live = f"sqlite:///{tmp_path / 'live.db'}"
    _seed(live, tmp_path / "uploads")
    key = generate_backup_key()
    result = create_backup(live, tmp_path / "uploads", tmp_path / "b", key=key)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    with pytest.raises(BackupError, match="BACKUP_KEY"):
        restore_backup(result.path, fresh, tmp_path / "r")
    with pytest.raises(BackupKeyError):
        restore_backup(result.path, fresh, tmp_path / "r", key=generate_backup_key())
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.hwbackup"
    tampered.write_bytes(bytes(data))
    with pytest.raises(BackupKeyError):
        restore_backup(tampered, fresh, tmp_path / "r", key=key)
    truncated = tmp_path / "truncated.hwbackup"
    truncated.write_bytes(result.path.read_bytes()[:-100])
    with pytest.raises(BackupKeyError):
        restore_backup(truncated, fresh, tmp_path / "r", key=key)
    assert not (tmp_path / "fresh.db").exists() or _rows(fresh).get("conversations") is None


def test_nightly_backup_once_per_night_with_retention(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    live = f"sqlite:///{tmp_path / 'live.db'}"
    _seed(live, tmp_path / "uploads")
    backups = tmp_path / "backups"
    manual = create_backup(live, tmp_path / "uploads", backups).path
    # 01:00 WIB is 18:00 UTC the day before
    night = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    assert not nightly_due(backups, night - timedelta(hours=1), 1, "Asia/Jakarta")
    assert nightly_due(backups, night, 1, "Asia/Jakarta")
    assert not nightly_due(backups, night, -1, "Asia/Jakarta")
    taken = []
    for day in range(4):
        now = night + timedelta(days=day)
        kwargs: dict[str, Any] = {
            "key": "",
            "keep": 2,
            "hour": 1,
            "timezone": "Asia/Jakarta",
            "now": now,
        }
        # the name carries the wall clock; pretend each night's file was written that night
        result = take_nightly(live, tmp_path / "uploads", backups, **kwargs)
        assert result is not None
        stamped = result.path.with_name(
            result.path.name.replace(
                result.path.name.split("halowarga-")[1][:16], now.strftime("%Y%m%dT%H%M%SZ")
            )
        )
        result.path.rename(stamped)
        prune(backups, 2)
        taken.append(stamped)
        assert take_nightly(live, tmp_path / "uploads", backups, **kwargs) is None  # once
    left = sorted(p.name for p in backups.iterdir() if not p.name.startswith("."))
    assert left == sorted([manual.name, taken[-2].name, taken[-1].name])


def test_cli_backup_and_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from helpdesk.runtime.cli import main

    live = f"sqlite:///{tmp_path / 'live.db'}"
    _seed(live, tmp_path / "uploads")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("DATABASE_URL", live)
    monkeypatch.setenv("BACKUP_KEY", generate_backup_key())
    assert main(["backup"]) == 0
    path = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert path.parent == tmp_path / "backups" and path.suffix == ".hwbackup"

    assert main(["restore", str(path)]) == 1  # the live database holds data
    assert "--force" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "new-uploads"))
    assert main(["restore", str(path)]) == 0
    assert "match the manifest" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "new-uploads").iterdir()) == [
        "a1b2c3.jpg",
        "d4e5f6.pdf",
    ]


def _tracker(path: Path, events: int) -> None:
    """A tracker store as Rasa's SQLTrackerStore writes it (the columns it reads)."""
    import sqlite3

    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
        "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
        "action_name VARCHAR(255), data TEXT)"
    )
    connection.executemany(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
        [
            (f"conv-{n % 5}", "slot", 1_800_000_000.0 + n, f'{{"name": "service", "n": {n}}}')
            for n in range(events)
        ],
    )
    connection.commit()
    connection.close()


def _events(path: Path) -> list[tuple[Any, ...]]:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT * FROM events ORDER BY id").fetchall()
    finally:
        connection.close()


def test_the_engines_tracker_store_is_backed_up_and_restored(tmp_path: Path) -> None:
    """What the bot remembers of each conversation (current service, language, a form's
    slots) comes back with the database; a tracker store holding conversations is not
    overwritten without --force, and nothing else is changed then."""
    live = f"sqlite:///{tmp_path / 'live.db'}"
    _seed(live, tmp_path / "uploads")
    tracker = tmp_path / "rasa" / "tracker.db"
    tracker.parent.mkdir()
    _tracker(tracker, 30)
    key = generate_backup_key()
    result = create_backup(live, tmp_path / "uploads", tmp_path / "b", key=key, tracker_db=tracker)
    assert result.manifest["tracker_events"] == 30
    assert "tracker.sqlite" in result.manifest["files"]

    restored_tracker = tmp_path / "new-rasa" / "tracker.db"
    restored_tracker.parent.mkdir()
    _tracker(restored_tracker, 3)  # an engine already ran here
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    with pytest.raises(RestoreRefused, match="tracker store"):
        restore_backup(result.path, fresh, tmp_path / "r", key=key, tracker_db=restored_tracker)
    assert len(_events(restored_tracker)) == 3  # left as it was
    assert not (tmp_path / "fresh.db").exists() or not _rows(fresh).get("conversations")

    restored_tracker.unlink()
    restored = restore_backup(
        result.path, fresh, tmp_path / "r", key=key, tracker_db=restored_tracker
    )
    assert restored.tracker_events == 30
    assert _events(restored_tracker) == _events(tracker)
    assert stat.S_IMODE(restored_tracker.stat().st_mode) == 0o600


def test_no_tracker_store_no_tracker_in_the_backup(tmp_path: Path) -> None:
    live = f"sqlite:///{tmp_path / 'live.db'}"
    _seed(live, tmp_path / "uploads")
    missing = tmp_path / "no-engine-yet.db"
    result = create_backup(live, tmp_path / "uploads", tmp_path / "b", tracker_db=missing)
    assert result.manifest["tracker_events"] is None
    assert "tracker.sqlite" not in result.manifest["files"]
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    restored = restore_backup(result.path, fresh, tmp_path / "r", tracker_db=missing)
    assert restored.tracker_events is None and not missing.exists()


def test_cli_backs_up_the_tracker_store_named_by_rasa_tracker_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from helpdesk.runtime.cli import main

    live = f"sqlite:///{tmp_path / 'live.db'}"
    _seed(live, tmp_path / "uploads")
    tracker = tmp_path / "tracker.db"
    _tracker(tracker, 12)
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("DATABASE_URL", live)
    monkeypatch.setenv("BACKUP_KEY", generate_backup_key())
    monkeypatch.setenv("RASA_TRACKER_DB", str(tracker))
    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    assert "tracker store (12 events)" in out
    path = Path(out.strip().splitlines()[-1])

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "new-uploads"))
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "new-tracker.db"))
    assert main(["restore", str(path)]) == 0
    assert "tracker store is back with 12 events" in capsys.readouterr().out
    assert _events(tmp_path / "new-tracker.db") == _events(tracker)

    monkeypatch.delenv("RASA_TRACKER_DB")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'third.db'}")
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "third-uploads"))
    assert main(["restore", str(path)]) == 0
    assert "RASA_TRACKER_DB is not set" in capsys.readouterr().err
