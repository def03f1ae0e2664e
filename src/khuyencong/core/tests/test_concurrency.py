"""Retrying a write that SQLite answered with "locked": patience is measured against the
database's own lock timeout, never a handful of attempts (a busy machine needs more of them)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from khuyencong.core import concurrency


class Clock:
    """Stands in for ``time``: sleeping moves the clock, so no test waits for real."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(concurrency, "time", fake)
    return fake


def locked_until(free_at: float, clock: Clock):
    """A write that finds the database locked until ``free_at`` seconds have passed."""
    calls = []

    @concurrency.retry_when_locked
    def write() -> str:
        calls.append(clock.now)
        if clock.now < free_at:
            raise OperationalError("database table is locked")
        return "saved"

    return write, calls


def test_a_write_waits_as_long_as_the_other_writer_holds_the_lock(clock: Clock):
    """The old five attempts gave up after 0.75 s; a loaded machine holds a lock longer."""
    write, calls = locked_until(5.0, clock)
    assert write() == "saved"
    assert len(calls) > 5
    assert clock.now < 5.5  # retried soon after the lock went, not long after


def test_a_write_gives_up_after_the_databases_lock_timeout(clock: Clock, settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    timeout = options.get("timeout", concurrency.DEFAULT_LOCK_WAIT)
    write, _calls = locked_until(float("inf"), clock)
    with pytest.raises(OperationalError, match="locked"):
        write()
    assert timeout <= clock.now <= timeout + 1


def test_other_database_errors_are_not_retried(clock: Clock):
    calls = []

    @concurrency.retry_when_locked
    def write() -> None:
        calls.append(1)
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError, match="no such table"):
        write()
    assert len(calls) == 1
