"""Settings of the action server process, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_HELPDESK_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT_SECONDS = 5.0
DEFAULT_CATALOG_CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class ActionSettings:
    """Where the helpdesk API lives and how the actions authenticate to it."""

    helpdesk_url: str = DEFAULT_HELPDESK_URL
    api_token: str = ""
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    catalog_cache_seconds: float = DEFAULT_CATALOG_CACHE_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ActionSettings:
        """Build settings from `HELPDESK_URL`, `HELPDESK_API_TOKEN`, `HELPDESK_TIMEOUT_SECONDS`,
        `CATALOG_CACHE_SECONDS`.

        Empty values fall back to the defaults; a timeout that is not a positive number
        raises `ValueError` naming the variable.
        """
        env = os.environ if environ is None else environ
        url = env.get("HELPDESK_URL", "").strip() or DEFAULT_HELPDESK_URL
        token = env.get("HELPDESK_API_TOKEN", "").strip()
        raw_timeout = env.get("HELPDESK_TIMEOUT_SECONDS", "").strip()
        timeout = DEFAULT_TIMEOUT_SECONDS
        if raw_timeout:
            try:
                timeout = float(raw_timeout)
            except ValueError:
                timeout = -1.0
            if not timeout > 0:
                raise ValueError(
                    f"HELPDESK_TIMEOUT_SECONDS must be a positive number, got {raw_timeout!r}"
                )
        raw_cache = env.get("CATALOG_CACHE_SECONDS", "").strip()
        try:
            cache = float(raw_cache) if raw_cache else DEFAULT_CATALOG_CACHE_SECONDS
        except ValueError:
            cache = -1.0
        if cache < 0:
            raise ValueError(f"CATALOG_CACHE_SECONDS must be a number >= 0, got {raw_cache!r}")
        return cls(
            helpdesk_url=url.rstrip("/"),
            api_token=token,
            timeout_seconds=timeout,
            catalog_cache_seconds=cache,
        )
