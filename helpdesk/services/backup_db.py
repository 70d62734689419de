"""Consistent database copies for backups, and putting them back (SQLite and PostgreSQL).

- SQLite: the online backup API copies the whole file in one step inside a read
  transaction (WAL mode: writers go on meanwhile); the row counts are taken from the copy.
- PostgreSQL: one REPEATABLE READ transaction exports its snapshot; the row counts are
  taken in it and `pg_dump -Fc --snapshot` dumps exactly that snapshot, so the counts in
  the manifest are the counts of the dump even while citizens write.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

ALEMBIC_TABLE = "alembic_version"


class DumpFailed(RuntimeError):
    """pg_dump / pg_restore failed (its message attached)."""


def dialect_of(database_url: str) -> str:
    """`sqlite` or `postgresql`; anything else is refused."""
    name = make_url(database_url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise ValueError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def sqlite_path(database_url: str) -> Path:
    """The file of a sqlite:/// URL."""
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise ValueError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows per table (every table of the default schema, Alembic's included)."""
    counts: dict[str, int] = {}
    preparer = connection.dialect.identifier_preparer
    for table in sorted(inspect(connection).get_table_names()):
        counts[table] = int(
            connection.execute(text(f"SELECT COUNT(*) FROM {preparer.quote(table)}")).scalar_one()
        )
    return counts


def schema_revision(counts: dict[str, int], connection: Connection) -> str:
    """The Alembic revision of the database ('' before any migration)."""
    if ALEMBIC_TABLE not in counts:
        return ""
    return str(connection.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalar() or "")


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump/pg_restore (no password in it: that goes in PGPASSWORD)."""
    url: URL = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DumpFailed(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def dump(database_url: str, target: Path) -> tuple[dict[str, int], str]:
    """Write a consistent copy of the database to `target`; return its row counts and
    schema revision (taken from the same snapshot as the copy)."""
    if dialect_of(database_url) == "sqlite":
        return _dump_sqlite(sqlite_path(database_url), target)
    return _dump_postgres(database_url, target)


def _dump_sqlite(source: Path, target: Path) -> tuple[dict[str, int], str]:
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    _online_copy(source, target)
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            counts = count_rows(connection)
            return counts, schema_revision(counts, connection)
    finally:
        engine.dispose()


def _online_copy(source: Path, target: Path) -> None:
    """Copy a SQLite file that is in use to a new owner-only file at `target`."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)  # one step: a single read transaction, writers continue (WAL)
    finally:
        src.close()
        dst.close()


def _dump_postgres(database_url: str, target: Path) -> tuple[dict[str, int], str]:
    libpq, env = _libpq(database_url)
    engine = create_engine(database_url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts = count_rows(connection)
            revision = schema_revision(counts, connection)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            result = subprocess.run(
                [_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(target), libpq],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            connection.rollback()
    finally:
        engine.dispose()
    if result.returncode != 0:
        raise DumpFailed(f"pg_dump failed: {result.stderr.strip()}")
    return counts, revision


def data_rows(database_url: str) -> dict[str, int]:
    """Rows per table of a database (0 tables when it does not exist yet)."""
    if dialect_of(database_url) == "sqlite" and not sqlite_path(database_url).exists():
        return {}
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return count_rows(connection)
    finally:
        engine.dispose()


def load(database_url: str, source: Path) -> None:
    """Replace the database's content with the copy in `source` (the caller checked that
    it may: the database is empty, or the operator said --force)."""
    if dialect_of(database_url) == "sqlite":
        load_sqlite_file(source, sqlite_path(database_url))
    else:
        _load_postgres(database_url, source)


def load_sqlite_file(source: Path, target: Path) -> None:
    """Put a copied SQLite file back at `target` (over what is there), page by page."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not target.exists():
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)  # page by page over the old content, WAL and all
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        src.close()
        dst.close()


def _load_postgres(database_url: str, source: Path) -> None:
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    libpq, env = _libpq(database_url)
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            libpq,
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise DumpFailed(f"pg_restore failed: {result.stderr.strip()}")


def copy_sqlite(source: Path, target: Path) -> int:
    """A consistent copy of another SQLite file (the engine's tracker store) at `target`,
    owner-only, taken while its writer runs; returns the rows of its `events` table."""
    _online_copy(source, target)
    return tracker_events(target)


def tracker_events(path: Path) -> int:
    """Rows in a tracker store's `events` table (0 when the file or the table is missing)."""
    if not path.exists():
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        found = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'"
        ).fetchone()[0]
        return int(connection.execute("SELECT count(*) FROM events").fetchone()[0]) if found else 0
    finally:
        connection.close()
