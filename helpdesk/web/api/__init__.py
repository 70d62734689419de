"""REST API blueprint (`/api/v1`): JSON in and out, bearer-token auth."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from helpdesk.web.api import (  # noqa: E402, F401
    applications,
    calendar,
    catalog,
    conversations,
    journeys,
    nlu,
    openapi,
    reports,
    requests,
)
