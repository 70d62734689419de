"""Wake-up signals for the worker: polling by default, a Redis list when REDIS_URL is set.

The database rows (inbound events, outbox) are the queue and its source of truth; the
signal only tells idle workers that there is something to do, so several workers on a
real broker share the same jobs, and a lost signal costs at most one poll interval.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

log = logging.getLogger(__name__)

WAKEUP_KEY = "halo-warga:worker:wakeup"


class JobSignal(Protocol):
    """Tell workers there is work; let a worker wait for it."""

    def notify(self) -> None:
        """There is new work."""
        ...

    def wait(self, timeout: float) -> None:
        """Return when there may be work, at the latest after `timeout` seconds."""
        ...


class PollingSignal:
    """The embedded default: no broker, the worker polls the database."""

    def notify(self) -> None:
        """Nothing to do: the worker polls."""

    def wait(self, timeout: float) -> None:
        """Sleep until the next poll."""
        time.sleep(timeout)


class RedisSignal:
    """Wake-ups through a Redis list (BLPOP), shared by every worker."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=2)

    def notify(self) -> None:
        """Push one wake-up (trimmed so an idle system never grows the list)."""
        try:
            pipe = self._redis.pipeline()
            pipe.lpush(WAKEUP_KEY, b"1")
            pipe.ltrim(WAKEUP_KEY, 0, 99)
            pipe.execute()
        except Exception as exc:  # noqa: BLE001 - the poll interval covers a lost wake-up
            log.warning("could not notify workers through Redis: %s", exc)

    def wait(self, timeout: float) -> None:
        """Block until a wake-up arrives or the timeout passes."""
        try:
            self._redis.blpop([WAKEUP_KEY], timeout=max(1, int(timeout)))
        except Exception as exc:  # noqa: BLE001
            log.warning("Redis wait failed (%s); falling back to polling", exc)
            time.sleep(timeout)


def make_signal(redis_url: str) -> JobSignal:
    """Redis when configured, polling otherwise."""
    return RedisSignal(redis_url) if redis_url else PollingSignal()
