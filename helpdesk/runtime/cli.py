"""`helpdesk` command line: serve, worker, init-db, seed-demo, create-token, revoke-token,
create-agent, reencrypt, purge, breach-report, workdays, holidays, langid, backup, restore,
backup-key."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from helpdesk.infra.config import DEFAULT_DATABASE_URL, REPO_ROOT, Settings
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade


def _database(settings: Settings) -> Database:
    """The configured database, migrated to the newest schema."""
    database = Database(settings.database_url)
    database.configure(settings=settings)  # the services read it from their sessions
    upgrade(database.engine)
    return database


def cmd_init_db(settings: Settings, _args: argparse.Namespace) -> int:
    """Create or upgrade the database schema."""
    _database(settings)
    print(f"database ready: {settings.database_url}")
    return 0


def cmd_create_token(settings: Settings, args: argparse.Namespace) -> int:
    """Print a new API token (shown once) on the last line."""
    from helpdesk.services.tokens import create_token

    expires = timedelta(days=args.expires_in_days) if args.expires_in_days else None
    with _database(settings).session() as session:
        token = create_token(session, args.name, args.scope, expires_in=expires)
        session.commit()
    until = f", expires in {args.expires_in_days} days" if expires else ""
    print(
        f"API token '{args.name}' ({args.scope}{until}) created. "
        "Store it now; it is not shown again:"
    )
    print(token)
    return 0


def cmd_revoke_token(settings: Settings, args: argparse.Namespace) -> int:
    """Revoke every live token named NAME: it gets 401 from now on."""
    from helpdesk.services.tokens import revoke_tokens

    with _database(settings).session() as session:
        count = revoke_tokens(session, args.name)
        session.commit()
    if not count:
        print(f"no live token named '{args.name}'", file=sys.stderr)
        return 1
    print(f"revoked {count} token(s) named '{args.name}'")
    return 0


DEMO_CREDENTIALS = REPO_ROOT / "var" / "demo-credentials.txt"
# A web-form file is kept for the citizen's next try as long as its signed token lives
# (helpdesk/web/apply.py: RECEIPT_MAX_AGE, 24 hours); `purge` removes it after that.
UNCLAIMED_UPLOAD_HOURS = 24


def _demo_token(session: object, path: Path) -> tuple[str, bool]:
    """The stored demo token if it is still live in this database, else a new one."""
    from sqlalchemy.orm import Session

    from helpdesk.infra.localsecrets import read, write
    from helpdesk.services.tokens import create_token, verify_token

    assert isinstance(session, Session)
    stored = read(path).get("DEMO_API_TOKEN", "")
    if stored and verify_token(session, stored) is not None:
        return stored, False
    token = create_token(session, "demo")
    write(path, {"DEMO_API_TOKEN": token})
    return token, True


def cmd_create_agent(settings: Settings, args: argparse.Namespace) -> int:
    """Create a console user; last line: USERNAME<TAB>PASSWORD<TAB>TOTP_SECRET."""
    from helpdesk.catalog.loader import default_catalog_dir, load_catalog
    from helpdesk.services.agents import create_agent
    from helpdesk.services.errors import ServiceError

    catalog = load_catalog(settings.catalog_dir or default_catalog_dir())
    with _database(settings).session() as session:
        try:
            created = create_agent(
                session,
                args.username,
                args.role,
                args.unit or [],
                frozenset(catalog.units),
                display_name=args.name,
                actor="cli",
            )
        except ServiceError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
        session.commit()
    print(
        f"Agent '{created.agent.username}' ({created.agent.role.value}; units: "
        f"{', '.join(created.agent.unit_codes) or 'all'}) created. Password and TOTP secret, "
        "shown once (the console asks to scan the secret as a QR code at first sign-in):"
    )
    print(f"{created.agent.username}\t{created.password}\t{created.totp_secret}")
    return 0


def cmd_seed_demo(settings: Settings, _args: argparse.Namespace) -> int:
    """Seed demo agents, requests and a token once (never in production); print the logins."""
    from helpdesk.catalog.loader import default_catalog_dir, load_catalog
    from helpdesk.demo.seed import DEMO_PASSWORD, seed_agents, seed_canned_replies, seed_requests

    if settings.is_production():
        print("refusing to seed demo data in production (HELPDESK_ENV=production)", file=sys.stderr)
        return 2
    catalog = load_catalog(settings.catalog_dir or default_catalog_dir())
    credentials = DEMO_CREDENTIALS
    if settings.database_url != DEFAULT_DATABASE_URL:
        digest = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
        credentials = DEMO_CREDENTIALS.with_name(f"demo-credentials-{digest}.txt")
    with _database(settings).session() as session:
        agents = seed_agents(session)
        seed_canned_replies(session)
        requests = seed_requests(session, frozenset(catalog.services))
        history = _seed_demo_history(session, settings)
        token, new = _demo_token(session, credentials)
        session.commit()
        print(
            f"Demo console logins (http://{settings.host}:{settings.port}/console/, "
            f"password for all: {DEMO_PASSWORD}; add the TOTP secret to an authenticator app "
            "or scan the QR code shown at first sign-in):"
        )
        for demo, secret in agents:
            units = ",".join(demo.units) or "all units"
            print(f"  {demo.username:<16} {demo.role.value:<10} {units:<16} TOTP secret {secret}")
        print("Demo service requests:")
        for request in requests:
            print(
                f"  {request.tracking_number:<18} {request.service_code:<16} {request.status.value}"
            )
    if history:
        print(f"Demo history for the dashboard: {history} conversations since last month")
    state = "new" if new else f"the same as at the first start; kept in {credentials}"
    print(f"Demo API token ({state}; Authorization: Bearer ...):")
    print(token)
    return 0


def _seed_demo_history(session: Session, settings: Settings) -> int:
    """Last month and this month so far, for the dashboard and the reports."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from helpdesk.demo.history import seed_history

    today = datetime.now(ZoneInfo(settings.timezone)).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return seed_history(session, first, (today - first).days + 1)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Run the web app with waitress (migrating the database first)."""
    from helpdesk.runtime.app import create_app
    from helpdesk.runtime.serving import serve
    from helpdesk.web.security.bodylimit import server_limit

    _database(settings).dispose()
    app = create_app(settings)
    print(f"helpdesk listening on http://{settings.host}:{settings.port}", flush=True)
    if settings.internal_port:
        internal = f"http://{settings.internal_host}:{settings.internal_port}"
        print(f"internal API on {internal}", flush=True)
    serve(
        app,
        host=settings.host,
        port=settings.port,
        threads=args.threads,
        connection_limit=args.connection_limit,
        max_request_body_size=server_limit(settings.max_body_bytes, settings.upload_max_bytes),
        internal_port=settings.internal_port,
        internal_host=settings.internal_host,
    )
    return 0


def cmd_worker(settings: Settings, _args: argparse.Namespace) -> int:
    """Run the worker: process webhook deliveries, deliver the outbox, retry with backoff."""
    import signal
    import threading
    import time

    from channels import registry as channel_registry
    from helpdesk.runtime.app import create_app
    from helpdesk.runtime.worker import Worker
    from helpdesk.services.desk import sweep

    database = _database(settings)
    app = create_app(settings)
    database.configure(
        settings=settings,
        catalog=app.extensions["catalog"],
        channels=channel_registry.traits(),
    )
    from helpdesk.security.alerts import AlertSender

    alerts = AlertSender(settings)
    worker = Worker(
        database,
        app.extensions["router"],
        channel_registry.build_adapters(settings),
        app.extensions["job_signal"],
        alerts=lambda: alerts.deliver_pending(database),
        maintenance=lambda session: sweep(
            session,
            unclaimed_minutes=settings.console_unclaimed_minutes,
            silent_minutes=settings.console_silent_minutes,
        ),
        turns=app.extensions["turns"],  # answers the turns a dead web process left open
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("worker running", flush=True)
    if settings.worker_ready_file:  # ready before the first delivery (the stack's probe)
        ready = Path(settings.worker_ready_file)
        ready.parent.mkdir(parents=True, exist_ok=True)
        partial = ready.with_suffix(".tmp")
        partial.write_text(f"{os.getpid()} {time.time():.0f}\n")
        partial.replace(ready)
    with app.app_context():
        worker.run_forever(stop)
    app.extensions["turns"].shutdown()
    return 0


def cmd_langid(_settings: Settings, _args: argparse.Namespace) -> int:
    """Read lines on stdin, print LANG<TAB>CONFIDENCE for each (no conversation context)."""
    from helpdesk.text.language import detect

    for line in sys.stdin:
        detection = detect(line.rstrip("\r\n"))
        print(f"{detection.language}\t{detection.confidence:.4f}", flush=True)
    return 0


def cmd_reencrypt(settings: Settings, _args: argparse.Namespace) -> int:
    """Re-encrypt personal data (database fields and uploaded files) under the newest key
    and recompute the blind indexes."""
    from helpdesk.security.keys import reencrypt_all
    from helpdesk.services.uploads import reencrypt_files, upload_dir

    database = _database(settings)
    with database.engine.begin() as connection:
        counts = reencrypt_all(connection)
    for name, count in counts.items():
        print(f"{name}: {count} value(s) re-encrypted")
    folder = upload_dir(settings)
    changed, unreadable = reencrypt_files(folder)
    print(f"uploaded files: {changed} re-encrypted")
    if unreadable:
        print(
            f"{len(unreadable)} file(s) in {folder} open with no key in ENCRYPTION_KEYS "
            f"(left as they are): {', '.join(unreadable[:20])}",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_purge(settings: Settings, args: argparse.Namespace) -> int:
    """Delete what is past its retention period (inbound events, trackers, transcripts,
    uploads nobody claimed within a day)."""
    from helpdesk.security import retention
    from helpdesk.services import uploads

    inbound_days = (
        settings.retention_inbound_days if args.inbound_days is None else args.inbound_days
    )
    tracker_days = (
        settings.retention_tracker_days if args.tracker_days is None else args.tracker_days
    )
    transcript_days = (
        settings.retention_transcript_days if args.transcript_days is None else args.transcript_days
    )
    from helpdesk.services import console_sessions

    if inbound_days > 0 and settings.webhook_max_age_hours > 0:
        # the stored delivery ids refuse replays younger than the age window (issue 21)
        inbound_days = max(inbound_days, -(-settings.webhook_max_age_hours // 24))
    lifetimes = console_sessions.Lifetimes(
        idle=timedelta(minutes=settings.console_idle_minutes),
        absolute=timedelta(hours=settings.console_session_hours),
    )
    with _database(settings).session() as session:
        inbound = retention.purge_inbound(session, inbound_days)
        conversations, messages = retention.purge_transcripts(session, transcript_days)
        sessions = console_sessions.purge(session, lifetimes)
        rows, stray = uploads.purge_unclaimed(
            session, uploads.upload_dir(settings), timedelta(hours=UNCLAIMED_UPLOAD_HOURS)
        )
        session.commit()
    tracker_db = Path(
        args.tracker_db or settings.rasa_tracker_db or REPO_ROOT / "var" / "rasa-tracker.db"
    )
    senders, events = retention.purge_trackers(tracker_db, tracker_days)
    print(f"inbound events older than {inbound_days} days: {inbound} deleted")
    print(f"console sessions ended or expired: {sessions} deleted")
    print(
        f"uploads unclaimed for {UNCLAIMED_UPLOAD_HOURS} hours: "
        f"{rows} kept web-form files, {stray} files without a record deleted"
    )
    print(
        f"transcripts idle for {transcript_days} days: "
        f"{conversations} conversations, {messages} messages deleted"
    )
    print(
        f"engine trackers idle for {tracker_days} days ({tracker_db}): "
        f"{senders} trackers, {events} events deleted"
    )
    return 0


def _day(value: str) -> datetime:
    """YYYY-MM-DD or a full ISO timestamp, as UTC."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cmd_breach_report(settings: Settings, args: argparse.Namespace) -> int:
    """Whose personal data was read or changed in [--from, --to), by whom (audit trail)."""
    from helpdesk.security.breach import build_report, render_text

    start = _day(args.start)
    end = _day(args.end)
    if len(args.end) == 10:
        end += timedelta(days=1)  # --to 2026-12-01 includes that whole day
    with _database(settings).session() as session:
        report = build_report(session, start, end)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render_text(report))
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def cmd_workdays(settings: Settings, args: argparse.Namespace) -> int:
    """Working days: `add DATE N` prints the date N working days after DATE (last line)."""
    from helpdesk.services.workcal import load_calendar

    with _database(settings).session() as session:
        calendar = load_calendar(session)
    if args.action == "add":
        print(calendar.add_workdays(args.date, args.n).isoformat())
    else:
        for day, name in calendar.days_off(args.year):
            print(f"{day.isoformat()}\t{day.strftime('%a')}\t{name}")
    return 0


def cmd_holidays(settings: Settings, args: argparse.Namespace) -> int:
    """Local calendar overrides: add a day off, make a holiday a working day, remove, list."""
    from helpdesk.services import workcal

    with _database(settings).session() as session:
        if args.action == "add":
            workcal.set_override(session, args.date, is_holiday=True, name=args.name, actor="cli")
        elif args.action == "work":
            workcal.set_override(session, args.date, is_holiday=False, name=args.name, actor="cli")
        elif args.action == "remove":
            workcal.remove_override(session, args.date)
        session.commit()
        rows = workcal.list_overrides(session)
        if not rows:
            print("no local overrides: the national calendar applies")
        for row in rows:
            kind = "day off" if row.is_holiday else "working day"
            print(f"{row.day.isoformat()}\t{kind}\t{row.name}")
    return 0


def cmd_catalog(settings: Settings, args: argparse.Namespace) -> int:
    """The service catalog: `export [--out DIR]` writes the published catalog as YAML."""
    from pathlib import Path

    from helpdesk.catalog.loader import default_catalog_dir, load_catalog
    from helpdesk.services import catalog_versions

    source = settings.catalog_dir or default_catalog_dir()
    seed = load_catalog(source)
    out = Path(args.out) if args.out else source
    with _database(settings).session() as session:
        written = catalog_versions.export_yaml(session, seed, source, out)
    load_catalog(out)  # what was written must load again
    print(f"wrote {len(written)} files to {out}")
    return 0


def cmd_reports(settings: Settings, args: argparse.Namespace) -> int:
    """Write a month's CSV and PDF reports to REPORTS_DIR now (the worker does it monthly)."""
    from datetime import UTC, datetime

    from helpdesk.services.monthly import write_monthly_files

    paths = write_monthly_files(
        _database(settings), settings, datetime.now(UTC), force_month=args.month
    )
    for path in paths:
        print(path)
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Back up the database and the uploads (consistent while the stack runs); the last
    line is the backup's path."""
    from helpdesk.services.backup import BackupError, create_backup
    from helpdesk.services.privacy import tracker_db_path
    from helpdesk.services.uploads import upload_dir

    try:
        result = create_backup(
            settings.database_url,
            upload_dir(settings),
            settings.backup_dir,
            path=Path(args.path) if args.path else None,
            key=settings.backup_key,
            tracker_db=tracker_db_path(settings),
        )
    except (BackupError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    files = sum(1 for name in result.manifest["files"] if name.startswith("uploads/"))
    print(
        f"backup of {result.manifest['rows']} rows in {len(result.manifest['tables'])} tables "
        f"and {files} uploaded files: {result.size / 1e6:.1f} MB in {result.seconds:.1f} s"
    )
    events = result.manifest.get("tracker_events")
    if events is not None:
        print(f"with the engine's tracker store ({events} events)")
    if not result.sealed:
        print(
            "warning: BACKUP_KEY is not set, so this backup is not encrypted "
            "(owner-only file); see .env.example",
            file=sys.stderr,
        )
    print(result.path)
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Restore a backup into an empty database (--force replaces one that holds data),
    then check it against the backup's manifest."""
    from helpdesk.services.backup import BackupError, restore_backup
    from helpdesk.services.privacy import tracker_db_path
    from helpdesk.services.uploads import upload_dir

    try:
        result = restore_backup(
            Path(args.path),
            settings.database_url,
            upload_dir(settings),
            key=settings.backup_key,
            force=args.force,
            tracker_db=tracker_db_path(settings),
        )
    except (BackupError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored {result.rows} rows and {result.files} uploaded files from a backup of "
        f"{result.manifest['created_at']} in {result.seconds:.1f} s; "
        "row counts and checksums match the manifest"
    )
    if result.tracker_events is not None:
        print(f"the engine's tracker store is back with {result.tracker_events} events")
    elif result.manifest.get("tracker_events") is not None:
        print(
            "note: the backup holds the engine's tracker store, but RASA_TRACKER_DB is not "
            "set, so it was not restored",
            file=sys.stderr,
        )
    return 0


def cmd_backup_key(_settings: Settings, _args: argparse.Namespace) -> int:
    """Print a new random BACKUP_KEY (keep it off the machine)."""
    from helpdesk.services.backup_crypto import generate_backup_key

    print(generate_backup_key())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per job."""
    parser = argparse.ArgumentParser(prog="helpdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help=cmd_init_db.__doc__).set_defaults(func=cmd_init_db)
    sub.add_parser("seed-demo", help=cmd_seed_demo.__doc__).set_defaults(func=cmd_seed_demo)
    token = sub.add_parser("create-token", help=cmd_create_token.__doc__)
    token.add_argument("name")
    token.add_argument(
        "--scope",
        choices=("staff", "bot"),
        default="staff",
        help="staff: the whole API; bot: what the action server needs (no personal data)",
    )
    token.add_argument(
        "--expires-in-days", type=int, default=0, help="the token stops working after N days"
    )
    token.set_defaults(func=cmd_create_token)
    revoke = sub.add_parser("revoke-token", help=cmd_revoke_token.__doc__)
    revoke.add_argument("name")
    revoke.set_defaults(func=cmd_revoke_token)
    sub.add_parser("reencrypt", help=cmd_reencrypt.__doc__).set_defaults(func=cmd_reencrypt)
    purge = sub.add_parser("purge", help=cmd_purge.__doc__)
    purge.add_argument("--inbound-days", type=int, default=None)
    purge.add_argument("--tracker-days", type=int, default=None)
    purge.add_argument("--transcript-days", type=int, default=None)
    purge.add_argument("--tracker-db", default="", help="Rasa's SQLite tracker store")
    purge.set_defaults(func=cmd_purge)
    breach = sub.add_parser("breach-report", help=cmd_breach_report.__doc__)
    breach.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD (UTC)")
    breach.add_argument(
        "--to", dest="end", required=True, help="YYYY-MM-DD (inclusive) or ISO time"
    )
    breach.add_argument("--json", action="store_true")
    breach.set_defaults(func=cmd_breach_report)
    agent = sub.add_parser("create-agent", help=cmd_create_agent.__doc__)
    agent.add_argument("username")
    agent.add_argument("--role", choices=("agent", "supervisor", "admin", "dpo"), default="agent")
    agent.add_argument(
        "--unit", action="append", help="unit code from data/catalog/units.yml (repeatable)"
    )
    agent.add_argument("--name", help="display name (default: the user name)")
    agent.set_defaults(func=cmd_create_agent)
    sub.add_parser("worker", help=cmd_worker.__doc__).set_defaults(func=cmd_worker)
    serve = sub.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--threads", type=int, default=32)
    serve.add_argument(
        "--connection-limit",
        type=int,
        default=1000,
        help="open client connections at once (waitress's default, 100, stalls the 101st "
        "citizen until an idle keep-alive connection times out)",
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("langid", help=cmd_langid.__doc__).set_defaults(func=cmd_langid)
    workdays = sub.add_parser("workdays", help=cmd_workdays.__doc__)
    wsub = workdays.add_subparsers(dest="action", required=True)
    wadd = wsub.add_parser("add", help="print the date N working days after DATE")
    wadd.add_argument("date", type=_date)
    wadd.add_argument("n", type=int)
    wlist = wsub.add_parser("list", help="the days off of a year (holidays, cuti bersama, local)")
    wlist.add_argument("year", type=int)
    workdays.set_defaults(func=cmd_workdays)
    hol = sub.add_parser("holidays", help=cmd_holidays.__doc__)
    hsub = hol.add_subparsers(dest="action", required=True)
    for action, helptext in (
        ("add", "make DATE a day off (a local holiday, a moved holiday's new date)"),
        ("work", "make DATE a working day (a moved holiday's old date)"),
    ):
        p = hsub.add_parser(action, help=helptext)
        p.add_argument("date", type=_date)
        p.add_argument("name")
    hrm = hsub.add_parser("remove", help="drop the local override of DATE")
    hrm.add_argument("date", type=_date)
    hsub.add_parser("list", help="the local overrides")
    hol.set_defaults(func=cmd_holidays)
    cat = sub.add_parser("catalog", help=cmd_catalog.__doc__)
    csub = cat.add_subparsers(dest="action", required=True)
    cexp = csub.add_parser(
        "export", help="write the published catalog (seed + published versions) as YAML"
    )
    cexp.add_argument("--out", help="target folder (default: the seed folder, data/catalog)")
    cat.set_defaults(func=cmd_catalog)

    bak = sub.add_parser("backup", help=cmd_backup.__doc__)
    bak.add_argument("path", nargs="?", help="file or folder (default: BACKUP_DIR)")
    bak.set_defaults(func=cmd_backup)
    res = sub.add_parser("restore", help=cmd_restore.__doc__)
    res.add_argument("path")
    res.add_argument("--force", action="store_true", help="replace a database that holds data")
    res.set_defaults(func=cmd_restore)
    sub.add_parser("backup-key", help=cmd_backup_key.__doc__).set_defaults(func=cmd_backup_key)

    rep = sub.add_parser("reports", help=cmd_reports.__doc__)
    rep.add_argument("month", help="YYYY-MM")
    rep.set_defaults(func=cmd_reports)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `helpdesk` console script."""
    args = build_parser().parse_args(argv)
    if args.command not in ("langid", "backup-key"):
        from helpdesk.infra import localsecrets

        os.umask(0o077)  # databases, logs and secrets under var/: owner only
        path, generated = localsecrets.ensure()
        if generated:
            print(
                f"generated development secrets {', '.join(generated)} into {path}", file=sys.stderr
            )
    return int(args.func(Settings.from_env(), args))


if __name__ == "__main__":
    sys.exit(main())
