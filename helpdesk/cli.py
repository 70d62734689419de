"""`helpdesk` command line: serve, worker, init-db, seed-demo, create-token, create-agent,
workdays, holidays."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from helpdesk.config import Settings
from helpdesk.db import Database
from helpdesk.migrate import upgrade


def _database(settings: Settings) -> Database:
    """The configured database, migrated to the newest schema."""
    database = Database(settings.database_url)
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

    with _database(settings).session() as session:
        token = create_token(session, args.name, args.scope)
        session.commit()
    print(f"API token '{args.name}' ({args.scope}) created. Store it now; it is not shown again:")
    print(token)
    return 0


def cmd_create_agent(settings: Settings, args: argparse.Namespace) -> int:
    """Create a console user; last line: USERNAME<TAB>PASSWORD<TAB>TOTP_SECRET."""
    from helpdesk.catalog import default_catalog_dir, load_catalog
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
    """Seed demo agents, requests and a token; print the logins."""
    from helpdesk.catalog import default_catalog_dir, load_catalog
    from helpdesk.seed import DEMO_PASSWORD, seed_agents, seed_canned_replies, seed_requests
    from helpdesk.services.tokens import create_token

    catalog = load_catalog(settings.catalog_dir or default_catalog_dir())
    with _database(settings).session() as session:
        agents = seed_agents(session)
        seed_canned_replies(session)
        requests = seed_requests(session, frozenset(catalog.services))
        history = _seed_demo_history(session, settings)
        token = create_token(session, "demo")
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
    print("Demo API token (Authorization: Bearer ...):")
    print(token)
    return 0


def _seed_demo_history(session: Session, settings: Settings) -> int:
    """Last month and this month so far, for the dashboard and the reports."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from helpdesk.demo_history import seed_history

    today = datetime.now(ZoneInfo(settings.timezone)).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return seed_history(session, first, (today - first).days + 1)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Run the web app with waitress (migrating the database first)."""
    from helpdesk import create_app
    from helpdesk.serving import serve

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
        internal_port=settings.internal_port,
        internal_host=settings.internal_host,
    )
    return 0


def cmd_worker(settings: Settings, _args: argparse.Namespace) -> int:
    """Run the worker: process webhook deliveries, deliver the outbox, retry with backoff."""
    import signal
    import threading

    from channels.adapters import build_adapters
    from helpdesk import create_app
    from helpdesk.services.desk import sweep
    from helpdesk.worker import Worker

    database = _database(settings)
    app = create_app(settings)
    worker = Worker(
        database,
        app.extensions["router"],
        build_adapters(settings),
        app.extensions["job_signal"],
        maintenance=lambda session: sweep(
            session,
            unclaimed_minutes=settings.console_unclaimed_minutes,
            silent_minutes=settings.console_silent_minutes,
        ),
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("worker running", flush=True)
    with app.app_context():
        worker.run_forever(stop)
    return 0


def cmd_langid(_settings: Settings, _args: argparse.Namespace) -> int:
    """Read lines on stdin, print LANG<TAB>CONFIDENCE for each (no conversation context)."""
    from helpdesk.language import detect

    for line in sys.stdin:
        detection = detect(line.rstrip("\r\n"))
        print(f"{detection.language}\t{detection.confidence:.4f}", flush=True)
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


def cmd_reports(settings: Settings, args: argparse.Namespace) -> int:
    """Write a month's CSV and PDF reports to REPORTS_DIR now (the worker does it monthly)."""
    from datetime import UTC, datetime

    from helpdesk.services.reports import write_monthly_files

    paths = write_monthly_files(
        _database(settings), settings, datetime.now(UTC), force_month=args.month
    )
    for path in paths:
        print(path)
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
    token.set_defaults(func=cmd_create_token)
    agent = sub.add_parser("create-agent", help=cmd_create_agent.__doc__)
    agent.add_argument("username")
    agent.add_argument("--role", choices=("agent", "supervisor", "admin"), default="agent")
    agent.add_argument(
        "--unit", action="append", help="unit code from data/catalog/units.yml (repeatable)"
    )
    agent.add_argument("--name", help="display name (default: the user name)")
    agent.set_defaults(func=cmd_create_agent)
    sub.add_parser("worker", help=cmd_worker.__doc__).set_defaults(func=cmd_worker)
    serve = sub.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--threads", type=int, default=32)
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
    rep = sub.add_parser("reports", help=cmd_reports.__doc__)
    rep.add_argument("month", help="YYYY-MM")
    rep.set_defaults(func=cmd_reports)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `helpdesk` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(Settings.from_env(), args))


if __name__ == "__main__":
    sys.exit(main())
