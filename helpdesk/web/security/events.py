"""Request-side shortcuts for recording security events (see helpdesk/services/security)."""

from __future__ import annotations

from datetime import timedelta

from flask import request

from helpdesk.services.security import record_event_now
from helpdesk.web.extensions import database

FLOOD_DEDUPE = timedelta(minutes=1)


def forged_webhook(detail: str) -> None:
    """A webhook delivery with a wrong secret or signature (one event a minute per source)."""
    record_event_now(
        database(),
        "forged_webhook",
        source=request.remote_addr,
        detail=f"{detail} ({request.method} {request.path})",
        dedupe=FLOOD_DEDUPE,
    )


def dead_token_used(kind: str, token_name: str) -> None:
    """A revoked or expired API token was presented."""
    record_event_now(
        database(),
        kind,
        actor=f"token:{token_name}",
        source=request.remote_addr,
        detail=f"{request.method} {request.path}",
        severity="critical" if kind == "revoked_token_used" else "warning",
        dedupe=FLOOD_DEDUPE,
    )
