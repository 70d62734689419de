"""What a service needs from the deployment, carried by the session it is given.

The runtime builds one `Database` per process and calls `Database.configure(settings=...,
catalog=...)`; every session it hands out then holds the settings and the catalog in
`Session.info`. Services read them here instead of reaching for the web framework. A session
made without them (a bare test, a one-off script) gets the default settings and no catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from helpdesk.infra.config import Settings

if TYPE_CHECKING:
    from helpdesk.catalog import Catalog


def settings_of(session: Session) -> Settings:
    """The deployment's settings (the defaults when the session carries none)."""
    found = session.info.get("settings")
    return found if isinstance(found, Settings) else Settings()


def catalog_of(session: Session) -> Catalog | None:
    """The catalog the process loaded at start-up, if the session carries one."""
    return session.info.get("catalog")
