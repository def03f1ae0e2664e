"""Optimistic locking (khóa lạc quan): a stale edit is refused, never silently applied.

A write that carries the version the user saw checks it FIRST, before it reads anything from
the row (its state, the steps that state allows, what may still be edited): the row may have
been read after another user's change committed, and that user's new state would otherwise
answer with a reason that does not apply to what this user saw. The answer to a stale edit is
always the same: someone changed it, reload the page.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection, models, transaction
from django.utils.translation import gettext_lazy

_M = TypeVar("_M", bound=models.Model)
_P = ParamSpec("_P")
_R = TypeVar("_R")

#: How long a write waits for another writer when SQLite answers "locked" without waiting
#: itself: the database's busy timeout from the settings when it has one, else this.
DEFAULT_LOCK_WAIT = 20.0

STALE_MESSAGE = gettext_lazy(
    "“%(obj)s” vừa được người khác sửa (phiên bản %(current)s, bạn đang sửa phiên bản "
    "%(expected)s). Thay đổi của bạn chưa được lưu: hãy tải lại trang, xem thay đổi mới rồi "
    "sửa lại."
)


class StaleEditError(Exception):
    """Raised when the version a user edited is no longer the current one."""


def refuse_stale(obj: models.Model, expected_version: int) -> None:
    """Raise :class:`StaleEditError` when ``obj`` (as read) is no longer at ``expected_version``.

    For views that decide something from the row before calling the service (which locks and
    checks again): a form from an older page gets the stale message, not the new state's.
    """
    current = obj.version  # type: ignore[attr-defined]
    if current != expected_version:
        raise StaleEditError(
            STALE_MESSAGE % {"obj": obj, "current": current, "expected": expected_version}
        )


def lock_current_version(obj: _M, expected_version: int) -> _M:
    """Lock the row (inside a transaction) and check it is still at ``expected_version``.

    Call it before reading the row's state (see the module's docstring). Returns the locked,
    freshly read instance; its ``version`` is to be incremented on save.
    """
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    refuse_stale(locked, expected_version)
    return locked


def retry_when_locked(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a write again when SQLite reports the database locked by another writer.

    PostgreSQL makes the second writer wait on the row lock; SQLite serialises writers and,
    in some modes (a shared in-memory database, a busy timeout run out), answers "locked"
    instead of waiting. The whole step is then run again from the start, so the second writer
    sees the first one's result (and gets the stale-version error), never a half-applied step.
    It waits as long as the database's lock timeout (however many attempts that takes on a
    busy machine), and only when not inside an outer transaction (which could not be retried).
    """

    @functools.wraps(func)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        options = connection.settings_dict.get("OPTIONS", {})
        deadline = time.monotonic() + float(options.get("timeout", DEFAULT_LOCK_WAIT))
        pause = 0.01
        while True:
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if (
                    "locked" not in str(exc)
                    or transaction.get_connection().in_atomic_block
                    or time.monotonic() >= deadline
                ):
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    return run
