"""Scoped reads of the home page (trang chủ) that are not another domain's inbox section."""

from __future__ import annotations

from typing import Any

from khuyencong.accounts import policy
from khuyencong.audit.selectors import activity_for_user, event_rows, label_event_rows

#: Events in the home page's "Hoạt động gần đây" column.
RECENT_SHOWN = 10


def recent_activity(user: Any, shown: int = RECENT_SHOWN) -> list[dict[str, Any]]:
    """The newest events of the user's scope as the column prints them (``when``, ``label``,
    ``object_repr``, ``actor``); the actor is read only for a reader of officers' names."""
    found = list(event_rows(activity_for_user(user), actor=policy.sees_internal(user))[:shown])
    label_event_rows(found)
    return found
