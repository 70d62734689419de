"""`/webhooks/whatsapp`: the subscription challenge (GET) and signed deliveries (POST).

A delivery batches messages and statuses; each becomes its own stored event (keyed by
wamid, or by wamid and status) so the worker processes and retries them one by one.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from channels.whatsapp.signature import SIGNATURE_HEADER, is_valid
from helpdesk.models import Channel
from helpdesk.services.inbox import is_stale, store_inbound_event
from helpdesk.web.errors import error_response
from helpdesk.web.extensions import database, settings
from helpdesk.web.security import jsonsafe
from helpdesk.web.security.events import forged_webhook

log = logging.getLogger(__name__)

whatsapp_bp = Blueprint("whatsapp", __name__)

MAX_BODY_BYTES = 1024 * 1024


def webhook_events(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(external id, payload) per message and per status in a `whatsapp_business_account` body.

    A message's payload is `{"message", "contacts", "metadata"}`, a status's
    `{"status", "metadata"}`: the object plus the context it came with.
    """
    if body.get("object") != "whatsapp_business_account":
        return []
    events: list[tuple[str, dict[str, Any]]] = []
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            metadata = value.get("metadata") or {}
            for error in value.get("errors") or []:
                log.warning("WhatsApp reported an error: %s", error)
            for message in value.get("messages") or []:
                payload = {
                    "message": message,
                    "contacts": value.get("contacts") or [],
                    "metadata": metadata,
                }
                events.append((str(message["id"]), payload))
            for status in value.get("statuses") or []:
                external_id = f"status:{status['id']}:{status['status']}"
                events.append((external_id, {"status": status, "metadata": metadata}))
    return events


@whatsapp_bp.get("/webhooks/whatsapp")
def verify_subscription() -> Response | tuple[Response, int]:
    """Meta's subscription check: echo `hub.challenge` when the verify token matches."""
    expected = settings().whatsapp_verify_token
    given = request.args.get("hub.verify_token", "")
    if (
        expected
        and request.args.get("hub.mode") == "subscribe"
        and hmac.compare_digest(given.encode(), expected.encode())
    ):
        return Response(request.args.get("hub.challenge", ""), 200, mimetype="text/plain")
    return error_response(403, "verification_failed", "Wrong hub.mode or hub.verify_token.")


@whatsapp_bp.post("/webhooks/whatsapp")
def receive_delivery() -> tuple[Response, int]:
    """Verify the signature, store each message and status once, acknowledge."""
    secret = settings().whatsapp_app_secret
    if not secret:
        return error_response(404, "channel_disabled", "The WhatsApp channel is not configured.")
    request.max_content_length = MAX_BODY_BYTES
    raw = request.get_data()
    header = request.headers.get(SIGNATURE_HEADER)
    if header is None:
        return error_response(401, "missing_signature", f"{SIGNATURE_HEADER} is required.")
    if not is_valid(secret, raw, header):
        forged_webhook("WhatsApp webhook with a wrong X-Hub-Signature-256")
        return error_response(403, "invalid_signature", "The signature does not match the body.")
    try:
        body = jsonsafe.loads(raw)
        events = webhook_events(body)
    except (ValueError, TypeError, KeyError, AttributeError):
        return error_response(400, "malformed_body", "Expected a WhatsApp webhook JSON body.")
    session = database().request_session()
    stored = 0
    max_age = settings().webhook_max_age_hours
    for external_id, payload in events:
        sent = (payload.get("message") or {}).get("timestamp")
        if is_stale(sent, max_age):
            log.warning("WhatsApp message %s is older than WEBHOOK_MAX_AGE_HOURS", external_id)
            continue  # acknowledged but not stored: a replayed capture stays out
        sender = (payload.get("message") or {}).get("from")  # statuses keep no order
        chat = str(sender) if sender else None
        if store_inbound_event(session, Channel.WHATSAPP, external_id, payload, chat) is not None:
            stored += 1
    if stored:
        signal = current_app.extensions.get("job_signal")
        if signal is not None:
            signal.notify()
    return jsonify({"received": len(events), "stored": stored}), 200
