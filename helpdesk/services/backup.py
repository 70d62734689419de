"""Backups that restore: the database, the citizens' uploaded files and a manifest.

A backup is one file: a gzip'd tar of `database.sqlite` or `database.pgdump` (see
`backup_db`: a consistent copy taken while the stack runs), `uploads/<key>` for every
uploaded file, `tracker.sqlite` when the engine keeps its conversations in a SQLite
tracker store (RASA_TRACKER_DB: what the bot remembers of each conversation, such as its
current service and language), and `manifest.json` (rows per table, schema revision,
the sha256 and size of every other member, the tracker's events). With `BACKUP_KEY` set
the whole file is sealed (`backup_crypto`); without it, it is written in clear and the
operator is told so. Files are the owner's only (0600 in a 0700 folder), because a backup
holds every conversation.

Restore refuses a database (or tracker store) that holds rows unless forced, puts the
copies and the files back, then checks the restored database and files against the
manifest. Encrypted columns travel as their ciphertext: they read back with the same
ENCRYPTION_KEYS.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from helpdesk.services import backup_db
from helpdesk.services.backup_crypto import (
    OpeningReader,
    SealingWriter,
    is_sealed,
    parse_key,
)

FORMAT = "halo-warga-backup/1"
MANIFEST = "manifest.json"
UPLOADS = "uploads"
TRACKER = "tracker.sqlite"
NIGHTLY_PREFIX = "nightly-"
SUFFIX_SEALED = ".hwbackup"
SUFFIX_PLAIN = ".tar.gz"
NAME = re.compile(r"^(?:nightly-)?halowarga-\d{8}T\d{6}Z(?:\.hwbackup|\.tar\.gz)$")


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why and what to do."""


class RestoreRefused(BackupError):
    """The target database holds data and --force was not given."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote."""

    path: Path
    manifest: dict[str, Any]
    seconds: float
    size: int
    sealed: bool


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put back (already checked against the manifest)."""

    manifest: dict[str, Any]
    seconds: float
    rows: int
    files: int
    tracker_events: int | None = None
    """Events put back in the engine's tracker store; None when none was restored."""


def backup_name(now: datetime, sealed: bool, nightly: bool = False) -> str:
    """`[nightly-]halowarga-YYYYMMDDTHHMMSSZ.hwbackup` (or `.tar.gz` when not sealed)."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = SUFFIX_SEALED if sealed else SUFFIX_PLAIN
    return f"{NIGHTLY_PREFIX if nightly else ''}halowarga-{stamp}{suffix}"


def _owner_only_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)


def _target(path: Path | None, default_dir: Path, sealed: bool, nightly: bool) -> Path:
    """Where to write: a named file, or a new name inside a folder."""
    if path is None or path.is_dir() or str(path).endswith(os.sep):
        folder = default_dir if path is None else path
        _owner_only_dir(folder)
        return folder / backup_name(datetime.now(UTC), sealed, nightly)
    if path.exists():
        raise BackupError(f"{path} exists; give a new file name or a folder")
    _owner_only_dir(path.parent)
    return path


class _Hashing:
    """Reads a file while hashing exactly the bytes read."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha.update(data)
        return data


def _add(archive: tarfile.TarFile, source: Path, name: str) -> tuple[str, int]:
    """Add a file under `name`; return its sha256 and size."""
    with source.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        hashing = _Hashing(handle)
        archive.addfile(info, hashing)
    return hashing.sha.hexdigest(), size


def _add_bytes(archive: tarfile.TarFile, data: bytes, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
    archive.addfile(info, _Bytes(data))


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        out = bytes(self.data[self.at : end])
        self.at += len(out)
        return out


def upload_files(upload_dir: Path) -> list[Path]:
    """Every regular file under the upload folder, sorted (temporary `.part` files skipped)."""
    if not upload_dir.is_dir():
        return []
    return sorted(p for p in upload_dir.rglob("*") if p.is_file() and not p.name.endswith(".part"))


@contextmanager
def _sink(path: Path, key: bytes | None) -> Iterator[IO[bytes]]:
    """The archive's byte stream into `path` (0600): sealed when there is a key."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw:
        if key is None:
            yield raw
        else:
            sealer = SealingWriter(raw, key)
            yield sealer  # type: ignore[misc]
            sealer.close()


def create_backup(
    database_url: str,
    upload_dir: Path,
    backup_dir: Path,
    *,
    path: Path | None = None,
    key: str = "",
    nightly: bool = False,
    tracker_db: Path | None = None,
) -> BackupResult:
    """Write a backup of the database, the uploads and, when `tracker_db` exists, the
    engine's SQLite tracker store; return where and what."""
    started = time.monotonic()
    raw_key = parse_key(key) if key.strip() else None
    target = _target(path, backup_dir, raw_key is not None, nightly)
    dialect = backup_db.dialect_of(database_url)
    member = "database.sqlite" if dialect == "sqlite" else "database.pgdump"
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=target.parent))  # 0700
    partial = target.with_name(f".{target.name}.part")
    try:
        dumped = work / member
        counts, revision = backup_db.dump(database_url, dumped)
        files: dict[str, dict[str, Any]] = {}
        with _sink(partial, raw_key) as sink:
            with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=1) as zipped:
                with tarfile.open(fileobj=zipped, mode="w|") as archive:
                    sha, size = _add(archive, dumped, member)
                    files[member] = {"sha256": sha, "bytes": size}
                    dumped.unlink()
                    tracker_events = None
                    if tracker_db is not None and tracker_db.exists():
                        copied = work / TRACKER
                        tracker_events = backup_db.copy_sqlite(tracker_db, copied)
                        sha, size = _add(archive, copied, TRACKER)
                        files[TRACKER] = {"sha256": sha, "bytes": size}
                        copied.unlink()
                    for upload in upload_files(upload_dir):
                        name = f"{UPLOADS}/{upload.relative_to(upload_dir).as_posix()}"
                        try:
                            sha, size = _add(archive, upload, name)
                        except FileNotFoundError:  # erased while we copied: not in the backup
                            continue
                        files[name] = {"sha256": sha, "bytes": size}
                    manifest = {
                        "format": FORMAT,
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "dialect": dialect,
                        "schema_revision": revision,
                        "tables": counts,
                        "rows": sum(counts.values()),
                        "files": files,
                        "tracker_events": tracker_events,
                    }
                    _add_bytes(archive, json.dumps(manifest, indent=1).encode(), MANIFEST)
        os.replace(partial, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=target,
        manifest=manifest,
        seconds=time.monotonic() - started,
        size=target.stat().st_size,
        sealed=raw_key is not None,
    )


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            sha.update(block)
    return sha.hexdigest()


def _unpack(path: Path, key: str, into: Path) -> dict[str, Any]:
    """Extract a backup into `into` and check every member against its manifest."""
    with path.open("rb") as raw:
        source: Any = raw
        if is_sealed(path):
            if not key.strip():
                raise BackupError(
                    f"{path} is encrypted: set BACKUP_KEY to the key it was made with"
                )
            source = OpeningReader(raw, parse_key(key))
        try:
            with gzip.GzipFile(fileobj=source, mode="rb") as unzipped:
                with tarfile.open(fileobj=unzipped, mode="r|") as archive:
                    archive.extractall(into, filter="data")
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise BackupError(f"{path} is not a readable backup: {exc}") from None
    manifest_path = into / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{path} has no manifest")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, meta in manifest["files"].items():
        member = into / name
        if not member.is_file() or _sha256(member) != meta["sha256"]:
            raise BackupError(f"{name} in {path} does not match its manifest checksum")
    return manifest


def read_manifest(path: Path, key: str = "") -> dict[str, Any]:
    """The manifest of a backup, after checking every member's checksum."""
    with tempfile.TemporaryDirectory(prefix=".verify-", dir=path.parent) as tmp:
        return _unpack(path, key, Path(tmp))


def restore_backup(
    path: Path,
    database_url: str,
    upload_dir: Path,
    *,
    key: str = "",
    force: bool = False,
    work_dir: Path | None = None,
    tracker_db: Path | None = None,
) -> RestoreResult:
    """Restore a backup into `database_url`, `upload_dir` and (when the backup holds one and
    `tracker_db` is given) the engine's tracker store, then verify the manifest.

    Refuses (RestoreRefused) when the database or the tracker store has rows and `force` is
    False; nothing is changed then."""
    started = time.monotonic()
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    existing = {t: n for t, n in backup_db.data_rows(database_url).items() if n}
    existing.pop(backup_db.ALEMBIC_TABLE, None)
    if existing and not force:
        shown = ", ".join(f"{t} {n}" for t, n in sorted(existing.items())[:5])
        raise RestoreRefused(
            f"the database holds data ({shown}...): restore into an empty database, "
            "or add --force to replace it"
        )
    if tracker_db is not None and backup_db.tracker_events(tracker_db) and not force:
        raise RestoreRefused(
            f"the engine's tracker store {tracker_db} holds conversations: stop the engine "
            "and move it away, or add --force to replace it"
        )
    parent = work_dir or path.parent
    _owner_only_dir(parent)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=parent) as tmp:
        unpacked = Path(tmp)
        manifest = _unpack(path, key, unpacked)
        dialect = backup_db.dialect_of(database_url)
        if manifest["dialect"] != dialect:
            raise BackupError(
                f"this backup is of a {manifest['dialect']} database; DATABASE_URL is {dialect}"
            )
        member = "database.sqlite" if dialect == "sqlite" else "database.pgdump"
        _check_uploads(manifest, unpacked, upload_dir, force)
        backup_db.load(database_url, unpacked / member)
        _owner_only_dir(upload_dir)
        for name in manifest["files"]:
            if not name.startswith(f"{UPLOADS}/"):
                continue
            target = upload_dir / name.removeprefix(f"{UPLOADS}/")
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(unpacked / name, target)
            os.chmod(target, 0o600)
        restored_events = None
        if tracker_db is not None and TRACKER in manifest["files"]:
            backup_db.load_sqlite_file(unpacked / TRACKER, tracker_db)
            os.chmod(tracker_db, 0o600)
            restored_events = backup_db.tracker_events(tracker_db)
    verify_restored(manifest, database_url, upload_dir)
    if restored_events is not None and restored_events != manifest.get("tracker_events"):
        raise BackupError(
            f"restored tracker store has {restored_events} events, the manifest "
            f"{manifest.get('tracker_events')}"
        )
    return RestoreResult(
        manifest=manifest,
        seconds=time.monotonic() - started,
        rows=int(manifest["rows"]),
        files=sum(1 for n in manifest["files"] if n.startswith(f"{UPLOADS}/")),
        tracker_events=restored_events,
    )


def _check_uploads(manifest: dict[str, Any], unpacked: Path, upload_dir: Path, force: bool) -> None:
    """Refuse to overwrite a different file of the same name without --force."""
    if force:
        return
    for name, meta in manifest["files"].items():
        if not name.startswith(f"{UPLOADS}/"):
            continue
        target = upload_dir / name.removeprefix(f"{UPLOADS}/")
        if target.exists() and _sha256(target) != meta["sha256"]:
            raise RestoreRefused(f"{target} exists with other content: add --force to overwrite it")


def verify_restored(manifest: dict[str, Any], database_url: str, upload_dir: Path) -> None:
    """Raise BackupError unless the database's row counts and the files match the manifest."""
    counts = backup_db.data_rows(database_url)
    wrong = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    if wrong:
        raise BackupError(f"restored row counts differ from the manifest: {wrong}")
    for name, meta in manifest["files"].items():
        if not name.startswith(f"{UPLOADS}/"):
            continue
        target = upload_dir / name.removeprefix(f"{UPLOADS}/")
        if not target.is_file() or _sha256(target) != meta["sha256"]:
            raise BackupError(f"restored file {target} does not match the manifest")


def prune(backup_dir: Path, keep: int, prefix: str = NIGHTLY_PREFIX) -> list[Path]:
    """Delete all but the newest `keep` backups whose name starts with `prefix`; return
    the deleted ones. Manual backups (no prefix) are never pruned."""
    if keep <= 0 or not backup_dir.is_dir():
        return []
    ours = sorted(
        p for p in backup_dir.iterdir() if p.name.startswith(prefix) and NAME.match(p.name)
    )
    doomed = ours[:-keep]
    for old in doomed:
        old.unlink(missing_ok=True)
    return doomed


def _stamp(path: Path) -> datetime | None:
    match = re.search(r"halowarga-(\d{8}T\d{6}Z)", path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def nightly_due(backup_dir: Path, now: datetime, hour: int, timezone: str) -> bool:
    """Whether tonight's backup is due: it is past `hour` (local time in `timezone`) and
    no nightly backup was taken since. `hour` < 0 switches nightly backups off."""
    from zoneinfo import ZoneInfo

    if hour < 0:
        return False
    local = now.astimezone(ZoneInfo(timezone))
    since = local.replace(hour=min(hour, 23), minute=0, second=0, microsecond=0)
    if local < since:
        return False
    if backup_dir.is_dir():
        for path in backup_dir.glob(f"{NIGHTLY_PREFIX}halowarga-*"):
            stamp = _stamp(path)
            if stamp is not None and stamp >= since:
                return False
    return True


def take_nightly(
    database_url: str,
    upload_dir: Path,
    backup_dir: Path,
    *,
    key: str,
    keep: int,
    hour: int,
    timezone: str,
    now: datetime | None = None,
    tracker_db: Path | None = None,
) -> BackupResult | None:
    """Take tonight's backup and prune old ones, unless another worker is at it or it is
    not due; None when nothing was taken. Several workers may call it at once: a file lock
    in the backup folder lets one of them work, and the others see it done."""
    import fcntl

    now = now or datetime.now(UTC)
    if not nightly_due(backup_dir, now, hour, timezone):
        return None
    _owner_only_dir(backup_dir)
    with open(backup_dir / ".nightly.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        if not nightly_due(backup_dir, now, hour, timezone):
            return None
        result = create_backup(
            database_url, upload_dir, backup_dir, key=key, nightly=True, tracker_db=tracker_db
        )
        prune(backup_dir, keep)
        return result
