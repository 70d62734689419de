"""Rate limits per client address and per web-chat session (the `limits` library).

Counters live in Redis when REDIS_URL is set (shared by every web process and replica),
else in process memory; either way each key expires (two windows after its last use),
so nothing grows without bound. Sliding-window counters: a burst cannot straddle two
fixed windows, and unlike moving windows (whose in-memory keys are never dropped) the
counters expire.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import Response, request
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from helpdesk.infra.config import Settings
from helpdesk.web.errors import error_response


@dataclass(frozen=True)
class Rule:
    """The limits (e.g. `30/minute;300/hour`) on one kind of key."""

    name: str
    items: tuple[RateLimitItem, ...]


class RateLimits:
    """The web chat's limits: sessions and messages per address, messages per session."""

    def __init__(self, storage: Storage, rules: dict[str, str]) -> None:
        self._storage = storage
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self.rules = {
            name: Rule(name, tuple(parse_many(spec))) for name, spec in rules.items() if spec
        }

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimits:
        """Redis when configured, else memory; the limits from the settings."""
        storage: Storage = MemoryStorage()
        if settings.redis_url:
            shared = storage_from_string(settings.redis_url, key_prefix="halo-warga-limits")
            assert isinstance(shared, Storage)
            storage = shared
        return cls(
            storage,
            {
                "session_create_per_address": settings.webchat_sessions_per_address,
                "message_per_address": settings.webchat_messages_per_address,
                "message_per_session": f"{settings.webchat_rate_limit_per_minute}/minute"
                if settings.webchat_rate_limit_per_minute > 0
                else "",
                "poll_per_address": settings.webchat_polls_per_address,
            },
        )

    def hit(self, rule_name: str, key: str) -> float | None:
        """Count one event; None when allowed, else the seconds to wait."""
        rule = self.rules.get(rule_name)
        if rule is None:
            return None
        for item in rule.items:
            if not self._limiter.test(item, rule.name, key):
                stats = self._limiter.get_window_stats(item, rule.name, key)
                return max(stats.reset_time - time.time(), 1.0)
        for item in rule.items:
            self._limiter.hit(item, rule.name, key)
        return None

    def check(self, *checks: tuple[str, str]) -> tuple[Response, int] | None:
        """Hit every (rule, key); the 429 response of the first one exceeded, else None."""
        for rule_name, key in checks:
            wait = self.hit(rule_name, key)
            if wait is not None:
                response, status = error_response(
                    429, "rate_limited", "Too many requests; please wait a moment."
                )
                response.headers["Retry-After"] = str(math.ceil(wait))
                return response, status
        return None


def client_address() -> str:
    """The caller's address (behind a proxy, configure PROXY_FIX_X_FOR so this is right)."""
    return request.remote_addr or "unknown"
