"""`POST /webhooks/telegram`: check the secret token, store the update, acknowledge.

The worker turns stored updates into conversation messages later (TelegramAdapter).
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from channels.telegram.chats import chat_of
from helpdesk.models import Channel
from helpdesk.services.inbox import is_stale, store_inbound_event
from helpdesk.web.errors import error_response
from helpdesk.web.extensions import database, settings
from helpdesk.web.security import jsonsafe
from helpdesk.web.security.events import forged_webhook

log = logging.getLogger(__name__)

telegram_bp = Blueprint("telegram", __name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024


def notify_worker() -> None:
    """Wake an idle worker when the app has a job signal (Redis); polling covers the rest."""
    signal = current_app.extensions.get("job_signal")
    if signal is not None:
        signal.notify()


def acknowledgement(update: dict[str, Any]) -> dict[str, Any]:
    """The 200 body. A button press is answered in the reply itself (Bot API "method" reply),
    which stops the client's spinner without an extra API call."""
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("id"), str):
        return {"method": "answerCallbackQuery", "callback_query_id": query["id"]}
    return {"ok": True}


@telegram_bp.post("/webhooks/telegram")
def receive_update() -> tuple[Response, int]:
    """Verify, store (once per update_id), acknowledge."""
    config = settings()
    secret = config.telegram_webhook_secret
    if not (config.telegram_bot_token and secret):
        return error_response(404, "channel_disabled", "The Telegram channel is not configured.")
    given = request.headers.get(SECRET_HEADER)
    if given is None:
        return error_response(401, "missing_secret_token", f"{SECRET_HEADER} is required.")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        forged_webhook("Telegram webhook with a wrong secret token")
        return error_response(403, "invalid_secret_token", "The secret token does not match.")
    request.max_content_length = MAX_BODY_BYTES
    try:
        update = jsonsafe.loads(request.get_data())
    except ValueError:
        return error_response(400, "malformed_json", "The body is not valid JSON.")
    update_id = update.get("update_id") if isinstance(update, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id < 2**63:
        return error_response(400, "invalid_update", "Expected a Telegram Update object.")
    message = update.get("message")
    sent = message.get("date") if isinstance(message, dict) else None
    if is_stale(sent, config.webhook_max_age_hours):
        log.warning("telegram update %s is older than WEBHOOK_MAX_AGE_HOURS; not stored", update_id)
        return jsonify({}), 200  # acknowledged, so Telegram does not send it again
    stored = store_inbound_event(
        database().request_session(), Channel.TELEGRAM, str(update_id), update, chat_of(update)
    )
    if stored is None:
        log.info("telegram update %s delivered again; already stored", update_id)
    else:
        notify_worker()
    return jsonify(acknowledgement(update)), 200
