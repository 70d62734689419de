"""Development mode without a public HTTPS URL: long-poll Telegram instead of a webhook.

PTB's updater calls getUpdates with an advancing offset; one handler stores every update
with `store_inbound_event`, exactly as `POST /webhooks/telegram` does, so the worker
processes both the same way. Run it with `python -m channels.telegram.polling`.
Starting it removes any webhook set for the bot (Telegram allows only one of the two).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from channels.telegram.adapter import bot_urls
from channels.telegram.chats import chat_of
from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.models import Channel
from helpdesk.services.inbox import store_inbound_event

log = logging.getLogger(__name__)

UpdateStore = Callable[[dict[str, Any]], bool]
"""Stores one raw update; False when it was stored before."""


def database_store(database: Database) -> UpdateStore:
    """An UpdateStore writing InboundEvents, keyed by update_id like the webhook."""

    def store(update: dict[str, Any]) -> bool:
        with database.session() as session:
            update_id = str(update["update_id"])
            event = store_inbound_event(
                session, Channel.TELEGRAM, update_id, update, chat_of(update)
            )
            return event is not None

    return store


async def store_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the update for the worker; answer a button press so its spinner stops."""
    if not isinstance(update, Update):
        return
    store: UpdateStore = context.bot_data["store"]
    await asyncio.to_thread(store, json.loads(update.to_json()))
    if update.callback_query is not None:
        await update.callback_query.answer()


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any error raised while storing an update."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("telegram update %s not stored", update_id, exc_info=context.error)


def build_application(
    settings: Settings, store: UpdateStore | None = None
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The PTB application: one storing handler, one error handler, the configured API URL.

    Without `store`, updates go to the database in `settings.database_url`.
    """
    base_url, base_file_url = bot_urls(settings.telegram_api_base_url)
    application = (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .build()
    )
    application.bot_data["store"] = store or database_store(Database(settings.database_url))
    application.add_handler(TypeHandler(Update, store_update))
    application.add_error_handler(log_error)
    return application


def run_polling(settings: Settings, store: UpdateStore | None = None) -> None:
    """Poll until Ctrl-C, storing every update."""
    application = build_application(settings, store)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def main() -> None:
    """Entry point: settings from the environment."""
    from helpdesk.text.redaction import install as install_log_redaction

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_log_redaction()  # httpx quiet (the bot token is in every URL); secrets masked
    settings = Settings.from_env()
    if not settings.telegram_bot_token:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set")
    run_polling(settings)


if __name__ == "__main__":
    main()
