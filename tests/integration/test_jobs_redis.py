"""Worker wake-ups through a real Redis (REDIS_URL / TEST_REDIS_URL, default localhost)."""

from __future__ import annotations

import os
import threading
import time

import pytest
import redis

from helpdesk.infra.jobs import WAKEUP_KEY, PollingSignal, RedisSignal, make_signal

URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def signal() -> RedisSignal:
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Redis is unreachable at {URL}: {exc}")
        pytest.skip(f"NOTICE: Redis unreachable at {URL}; skipped")
    redis.Redis.from_url(URL).delete(WAKEUP_KEY)
    return RedisSignal(URL)


def test_a_notify_wakes_a_waiting_worker_at_once(signal: RedisSignal) -> None:
    woke = threading.Event()

    def waiter() -> None:
        signal.wait(10)
        woke.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    signal.notify()
    assert woke.wait(5)
    assert time.monotonic() - started < 2
    thread.join()


def test_idle_wakeups_do_not_pile_up(signal: RedisSignal) -> None:
    for _ in range(500):
        signal.notify()
    assert redis.Redis.from_url(URL).llen(WAKEUP_KEY) <= 100


def test_make_signal_picks_the_backend() -> None:
    assert isinstance(make_signal(""), PollingSignal)
