"""Accessors for the per-app objects stored in `app.extensions`."""

from __future__ import annotations

from flask import current_app

from helpdesk.catalog import Catalog
from helpdesk.config import Settings
from helpdesk.db import Database


def database() -> Database:
    """The app's database."""
    db: Database = current_app.extensions["database"]
    return db


def catalog() -> Catalog:
    """The app's service catalog."""
    cat: Catalog = current_app.extensions["catalog"]
    return cat


def settings() -> Settings:
    """The app's settings."""
    s: Settings = current_app.extensions["settings"]
    return s
