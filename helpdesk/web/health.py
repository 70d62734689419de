"""`/healthz`: is the web app up, and do the database and the engine answer?"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from helpdesk.web.extensions import database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """200 whenever the web app runs; the body says what else answers."""
    try:
        database().request_session().execute(text("SELECT 1"))
        db_state = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not answering"
        db_state = "unreachable"
    engine = current_app.extensions["bot_engine"]
    engine_state = "ok" if engine.is_up() else "unreachable"
    status = "ok" if db_state == engine_state == "ok" else "degraded"
    return jsonify({"status": status, "database": db_state, "engine": engine_state})
