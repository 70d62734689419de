"""Measure backup and restore: the demo data and N generated conversations.

    .venv/bin/python scripts/backup_drill.py [--conversations 100000] [--postgres URL]
        [--out docs/measurements/backup.md]

For each data set it builds a fresh database (SQLite in a temporary folder; PostgreSQL as a
throw-away database next to `--postgres`), takes an encrypted backup with
`helpdesk.services.backup`, restores it into another fresh database, and prints (and
writes to `--out`) the rows, the database size, the backup size and the two times.
Generated conversations: 8 messages each (citizen and bot in turn), one in ten with a
service request whose NIK and phone are encrypted like real ones, spread over a year.
Run it under the heavy lock (`flock /work/.heavy.lock ...` on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpdesk.infra import crypto  # noqa: E402
from helpdesk.infra.db import Database  # noqa: E402
from helpdesk.infra.migrate import upgrade  # noqa: E402
from helpdesk.models import (  # noqa: E402
    Channel,
    Conversation,
    Message,
    RequestStatus,
    Sender,
    ServiceRequest,
)
from helpdesk.services.backup import create_backup, restore_backup  # noqa: E402
from helpdesk.services.backup_crypto import generate_backup_key  # noqa: E402

MESSAGES = 8
BATCH = 5000
CITIZEN = ["syarat buat ktp apa saja?", "kalau KK hilang bagaimana?", "berapa lama akta lahir?"]
BOT = [
    "Syarat KTP-el: fotokopi KK, berusia 17 tahun atau sudah menikah. Datang ke Disdukcapil.",
    "Kartu Keluarga hilang: bawa surat kehilangan dari kepolisian dan KTP-el Anda.",
]


def generate(url: str, conversations: int, seed: int = 20) -> None:
    """Add `conversations` conversations with their messages, and one request in ten."""
    rng = random.Random(seed)
    engine = create_engine(url)
    start = datetime(2025, 12, 1, tzinfo=UTC)
    with engine.begin() as connection:
        next_id = int(connection.scalar(text("SELECT COALESCE(MAX(id), 0) FROM conversations")))
    channels = [Channel.WEBCHAT, Channel.TELEGRAM, Channel.WHATSAPP]
    made = 0
    while made < conversations:
        size = min(BATCH, conversations - made)
        convs, msgs, reqs = [], [], []
        for n in range(size):
            cid = next_id + made + n + 1
            when = start + timedelta(seconds=rng.randrange(365 * 86400))
            convs.append(
                {
                    "id": cid,
                    "channel": channels[cid % 3],
                    "channel_user_id": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "engine_sender_id": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "status": "resolved",
                    "language": "id",
                    "language_explicit": False,
                    "fallback_count": 0,
                    "created_at": when,
                    "updated_at": when,
                }
            )
            for m in range(MESSAGES):
                citizen = m % 2 == 0
                msgs.append(
                    {
                        "conversation_id": cid,
                        "sender": Sender.CITIZEN if citizen else Sender.BOT,
                        "text": rng.choice(CITIZEN if citizen else BOT),
                        "created_at": when + timedelta(seconds=20 * m),
                    }
                )
            if cid % 10 == 0:
                nik = f"3201{rng.randrange(10**12):012d}"
                reqs.append(
                    {
                        "tracking_number": f"KTP-2026-{cid:06d}"[:24],
                        "service_code": "ktp_el",
                        "applicant_name": "Warga Contoh",
                        "nik": nik,
                        "nik_index": crypto.blind_index(nik),
                        "phone": f"0812{rng.randrange(10**8):08d}",
                        "status": RequestStatus.SUBMITTED,
                        "created_at": when,
                        "updated_at": when,
                    }
                )
        with engine.begin() as connection:
            connection.execute(insert(Conversation.__table__), convs)
            connection.execute(insert(Message.__table__), msgs)
            if reqs:
                connection.execute(insert(ServiceRequest.__table__), reqs)
        made += size
    engine.dispose()


@contextmanager
def fresh_database(kind: str, folder: Path, postgres: str, name: str) -> Iterator[str]:
    """A new empty database URL (dropped afterwards for PostgreSQL)."""
    if kind == "sqlite":
        path = folder / f"{name}-{uuid.uuid4().hex[:6]}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in folder.glob(path.name + "*"):
                leftover.unlink()
        return
    db = f"hw_drill_{name}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(make_url(postgres).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{db}"'))
    try:
        yield make_url(postgres).set(database=db).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def database_bytes(url: str) -> int:
    """On-disk size of the database."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine = create_engine(url)
    with engine.connect() as connection:
        size = int(connection.scalar(text("SELECT pg_database_size(current_database())")))
    engine.dispose()
    return size


def seed_demo(url: str) -> None:
    """What `make run` seeds: agents, canned replies, requests, last month's history."""
    from zoneinfo import ZoneInfo

    from helpdesk.catalog.loader import default_catalog_dir, load_catalog
    from helpdesk.demo.history import seed_history
    from helpdesk.demo.seed import seed_agents, seed_canned_replies, seed_requests
    from helpdesk.services.tokens import create_token

    database = Database(url)
    upgrade(database.engine)
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with database.session() as session:
        seed_agents(session)
        seed_canned_replies(session)
        seed_requests(session, frozenset(load_catalog(default_catalog_dir()).services))
        seed_history(session, first, (today - first).days + 1)
        create_token(session, "demo")
        session.commit()
    database.dispose()


def measure(kind: str, label: str, conversations: int, postgres: str, work: Path) -> str:
    """One row of the table: build, back up (encrypted), restore, check."""
    key = generate_backup_key()
    with (
        fresh_database(kind, work, postgres, "live") as live,
        fresh_database(kind, work, postgres, "restored") as restored,
    ):
        built = time.monotonic()
        if conversations:
            upgrade(Database(live).engine)
            generate(live, conversations)
        else:
            seed_demo(live)
        built_s = time.monotonic() - built
        backup = create_backup(live, work / f"uploads-{kind}", work / "backups", key=key)
        restore = restore_backup(backup.path, restored, work / f"restored-{kind}", key=key)
        size = database_bytes(live)
        backup.path.unlink()
    rows = backup.manifest["rows"]
    conv = backup.manifest["tables"].get("conversations", 0)
    msgs = backup.manifest["tables"].get("messages", 0)
    line = (
        f"| {label} | {kind} | {conv:,} | {msgs:,} | {rows:,} | {size / 1e6:.1f} MB | "
        f"{backup.size / 1e6:.1f} MB | {backup.seconds:.1f} s | {restore.seconds:.1f} s |"
    )
    print(line, f"(built in {built_s:.0f} s)", flush=True)
    return line


def main() -> int:
    """Measure and write the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL", ""))
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    crypto.configure(
        [os.environ.get("ENCRYPTION_KEYS") or crypto.generate_key()],
        os.environ.get("BLIND_INDEX_KEY") or crypto.generate_index_key(),
    )
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    header = (
        "| data | database | conversations | messages | rows (all tables) | database size | "
        "backup (encrypted) | backup time | restore time (incl. verify) |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    print(header)
    lines = []
    with tempfile.TemporaryDirectory(prefix="backup-drill-") as tmp:
        work = Path(tmp)
        for kind in kinds:
            lines.append(measure(kind, "demo (`make run`)", 0, args.postgres, work))
            label = f"{args.conversations:,} generated conversations"
            lines.append(measure(kind, label, args.conversations, args.postgres, work))
    if args.out:
        Path(args.out).write_text(
            "# Backup and restore, measured\n\n"
            f"`scripts/backup_drill.py --conversations {args.conversations}` on "
            f"{datetime.now(UTC):%Y-%m-%d} (2 shared cores, under the heavy lock). "
            "Encrypted backups (BACKUP_KEY); restore time includes checking every row "
            "count and checksum against the manifest.\n\n" + header + "\n" + "\n".join(lines) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
