"""`helpdesk` command line: serve, init-db, seed-demo, create-token."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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


def cmd_seed_demo(settings: Settings, _args: argparse.Namespace) -> int:
    """Seed demo agents, requests and a token; print the logins."""
    from helpdesk.catalog import default_catalog_dir, load_catalog
    from helpdesk.seed import DEMO_PASSWORD, seed_agents, seed_requests
    from helpdesk.services.tokens import create_token

    catalog = load_catalog(settings.catalog_dir or default_catalog_dir())
    with _database(settings).session() as session:
        agents = seed_agents(session)
        requests = seed_requests(session, frozenset(catalog.services))
        token = create_token(session, "demo")
        session.commit()
        print(f"Demo agents (console password for all: {DEMO_PASSWORD}):")
        for demo, secret in agents:
            print(f"  {demo.username:<16} {demo.role.value:<10} TOTP secret {secret}")
        print("Demo service requests:")
        for request in requests:
            print(
                f"  {request.tracking_number:<18} {request.service_code:<16} {request.status.value}"
            )
    print("Demo API token (Authorization: Bearer ...):")
    print(token)
    return 0


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
    from helpdesk.worker import Worker

    database = _database(settings)
    app = create_app(settings)
    worker = Worker(
        database,
        app.extensions["router"],
        build_adapters(settings),
        app.extensions["job_signal"],
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
    sub.add_parser("worker", help=cmd_worker.__doc__).set_defaults(func=cmd_worker)
    serve = sub.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--threads", type=int, default=32)
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("langid", help=cmd_langid.__doc__).set_defaults(func=cmd_langid)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `helpdesk` console script."""
    args = build_parser().parse_args(argv)
    return int(args.func(Settings.from_env(), args))


if __name__ == "__main__":
    sys.exit(main())
