"""Database engine and per-request sessions (one `Database` per app)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL + busy timeout: readers never block the writer, writers wait instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _owner_only_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and the database file (0600) before SQLite does: its -wal
    and -shm files copy the database file's permissions."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite make sure the folder and owner-only file exist and set
    safe pragmas."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        _owner_only_sqlite_file(Path(url.removeprefix("sqlite:///")))
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """Owns the engine and hands out sessions; bound to a Flask app with `init_app`."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def configure(self, *, settings: Any = None, catalog: Any = None, channels: Any = None) -> None:
        """Give every session from now on the deployment's settings, catalog and channel
        traits (`Session.info`; services read them through `helpdesk.services.context` and
        `helpdesk.services.channel_traits`)."""
        given = (("settings", settings), ("catalog", catalog), ("channels", channels))
        self.sessionmaker.configure(info={k: v for k, v in given if v is not None})

    def init_app(self, app: Flask) -> None:
        """Register the database on the app and close the request session at teardown."""
        app.extensions["database"] = self
        app.teardown_appcontext(self._close_request_session)

    def request_session(self) -> Session:
        """The session of the current request (created on first use)."""
        if "db_session" not in g:
            g.db_session = self.sessionmaker()
        session: Session = g.db_session
        return session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A standalone session for CLI commands and background work."""
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    @staticmethod
    def _close_request_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
