"""Optimistic locking (khóa lạc quan): a stale edit is refused, never silently applied."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy

_M = TypeVar("_M", bound=models.Model)

STALE_MESSAGE = gettext_lazy(
    "“%(obj)s” vừa được người khác sửa (phiên bản %(current)s, bạn đang sửa phiên bản "
    "%(expected)s). Thay đổi của bạn chưa được lưu: hãy tải lại trang, xem thay đổi mới rồi "
    "sửa lại."
)


class StaleEditError(Exception):
    """Raised when the version a user edited is no longer the current one."""


def lock_current_version(obj: _M, expected_version: int) -> _M:
    """Lock the row (inside a transaction) and check it is still at ``expected_version``.

    Returns the locked, freshly read instance; its ``version`` is to be incremented on save.
    """
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    current = locked.version  # type: ignore[attr-defined]
    if current != expected_version:
        raise StaleEditError(
            STALE_MESSAGE % {"obj": locked, "current": current, "expected": expected_version}
        )
    return locked
