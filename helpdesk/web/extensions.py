"""Accessors for the per-app objects stored in `app.extensions`."""

from __future__ import annotations

import time
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from helpdesk.catalog import Catalog
from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database

CATALOG_CHECK_SECONDS = 1.0  # how often a web process asks whether something was published


def database() -> Database:
    """The app's database."""
    db: Database = current_app.extensions["database"]
    return db


def seed_catalog() -> Catalog:
    """The catalog as loaded from data/catalog/ at start-up (version 0 of every service)."""
    cat: Catalog = current_app.extensions["catalog"]
    return cat


def catalog() -> Catalog:
    """The app's service catalog: the seed with each service's newest published version.

    Rebuilt only when something was published. Whether it was is checked with one small
    query at most once per CATALOG_CHECK_SECONDS, so a publication reaches this process at
    once (`catalog_published` drops the copy) and the other web processes, and through
    them the bot, within a second.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from helpdesk.services import catalog_versions

    cached = current_app.extensions.get("catalog_effective")
    now = time.monotonic()
    if cached is not None and now - cached[2] < CATALOG_CHECK_SECONDS:
        fresh: Catalog = cached[1]
        return fresh
    seed = seed_catalog()
    try:
        with database().session() as session:
            key = catalog_versions.stamp(session)
            if cached is not None and cached[0] == key:
                effective: Catalog = cached[1]
            else:
                effective = catalog_versions.effective_catalog(session, seed)
    except SQLAlchemyError:  # a database without the versions table yet
        return seed
    current_app.extensions["catalog_effective"] = (key, effective, now)
    return effective


def catalog_published() -> None:
    """Something was published here: the next `catalog()` call checks at once."""
    current_app.extensions.pop("catalog_effective", None)


def catalog_dir() -> Path:
    """Where the seed catalog was read from."""
    from helpdesk.catalog.loader import default_catalog_dir

    return settings().catalog_dir or default_catalog_dir()


def settings() -> Settings:
    """The app's settings."""
    s: Settings = current_app.extensions["settings"]
    return s


def commit_and_wake(session: Session, wake: int | bool) -> None:
    """Commit the request's work; then, if it queued deliveries, wake the worker."""
    session.commit()
    if wake:
        current_app.extensions["job_signal"].notify()
