"""The app factory: the Flask app (REST API, web chat, webhooks, console) wired to its parts."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter, Map

from helpdesk.infra.config import Settings

if TYPE_CHECKING:
    from helpdesk.conversation.base import BotEngine

__all__ = ["create_app"]

WEB_ROOT = Path(__file__).resolve().parents[1] / "web"


class DatabaseId(IntegerConverter):
    """`<int:...>` in our routes: an id the database can hold (64-bit). A larger number is
    no route (404) instead of an integer overflow in the driver (a 500)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(settings: Settings | None = None, *, bot_engine: BotEngine | None = None) -> Flask:
    """Application factory: one app per settings object, nothing global.

    `bot_engine` replaces the Rasa engine (tests pass a fake one).
    """
    from channels import registry as channel_registry
    from helpdesk.catalog import Catalog
    from helpdesk.catalog.loader import default_catalog_dir, load_catalog
    from helpdesk.conversation.engine import RasaEngine
    from helpdesk.conversation.leases import Leases
    from helpdesk.conversation.router import Router
    from helpdesk.conversation.turns import TurnPool
    from helpdesk.infra.db import Database
    from helpdesk.infra.jobs import make_signal
    from helpdesk.journeys.application import ApplicationForm
    from helpdesk.journeys.engine import Journeys
    from helpdesk.models import Attachment, Conversation
    from helpdesk.services import uploads
    from helpdesk.text.redaction import install as install_log_redaction
    from helpdesk.web.api import bp as api_bp
    from helpdesk.web.api.serializers import message_json
    from helpdesk.web.apply import bp as apply_bp
    from helpdesk.web.console import init_console
    from helpdesk.web.directory import bp as directory_bp
    from helpdesk.web.errors import register_error_handlers
    from helpdesk.web.health import bp as health_bp
    from helpdesk.web.pages import bp as pages_bp
    from helpdesk.web.security import install as install_security
    from helpdesk.web.security.jsonsafe import BoundedJSONProvider

    settings = settings or Settings.from_env()
    # Named "helpdesk" (logger name) with its root in helpdesk/web (templates/).
    app = Flask("helpdesk", static_folder=None, root_path=str(WEB_ROOT))
    app.url_map.converters["int"] = DatabaseId  # before any route is registered
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing)
    app.json = BoundedJSONProvider(app)  # deep nesting is a 400, not a RecursionError
    app.json.ensure_ascii = False
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_redaction()

    app.extensions["settings"] = settings
    database = Database(settings.database_url)
    database.init_app(app)
    app.extensions["catalog"] = load_catalog(settings.catalog_dir or default_catalog_dir())
    channels = channel_registry.specs()
    database.configure(
        settings=settings,
        catalog=app.extensions["catalog"],
        channels=channel_registry.traits(channels),
    )
    engine = bot_engine or RasaEngine(
        settings.rasa_url,
        timeout=settings.rasa_timeout_seconds,
        max_concurrency=settings.rasa_max_concurrency,
        token=settings.rasa_token,
    )
    app.extensions["bot_engine"] = engine
    signal = make_signal(settings.redis_url)
    app.extensions["job_signal"] = signal
    service_catalog = app.extensions["catalog"]

    def service_in(text: str) -> str | None:
        """The catalog service a complaint's text names (its unit handles the complaint)."""
        found = service_catalog.find(text)
        return found.code if found is not None else None

    def requirements_for(code: str, language: str) -> list[str]:
        """The catalog's requirement items for a service (its first case), in `language`."""
        payload = service_catalog.service_payload(code, language)
        cases = (payload or {}).get("requirements") or []
        return [str(item) for item in cases[0].get("items") or []] if cases else []

    def current_catalog() -> Catalog:
        """The effective catalog (published edits included), inside or outside a request."""
        from flask import has_app_context

        from helpdesk.web.extensions import catalog

        if has_app_context():
            return catalog()
        with app.app_context():
            return catalog()

    journeys = Journeys(
        application=ApplicationForm(current_catalog, settings),
        public_url=settings.public_base_url,
        consent_notice=settings.consent_notice,
        unit_for=service_catalog.unit_for,
        requirements_for=requirements_for,
        service_in=service_in,
    )
    app.extensions["journeys"] = journeys

    def store_file(
        session: Session, conversation: Conversation, data: bytes, name: str | None
    ) -> Attachment:
        return uploads.store(session, settings, conversation, data, name)

    router = Router(
        engine,
        settings.average_handle_minutes,
        signal.notify,
        journeys=journeys,
        store_file=store_file,
        leases=Leases(database),
    )
    app.extensions["router"] = router
    app.extensions["turns"] = TurnPool(
        router, database, settings.rasa_max_concurrency, serialize=message_json
    )

    register_error_handlers(app)
    install_security(app, settings)
    app.register_blueprint(api_bp)
    for blueprint in channel_registry.blueprints(channels):
        app.register_blueprint(blueprint)
    app.register_blueprint(health_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(apply_bp)
    app.register_blueprint(directory_bp)
    init_console(app)
    return app
