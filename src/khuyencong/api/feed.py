"""The change feed (luồng thay đổi): what was created, changed or deleted in the reader's
scope, in order, from the history tables (django-simple-history), so a national system can
sync incrementally and resume where it stopped.

Each entry carries the history row's id as its cursor and the object's fields *as they were
then* (so replaying the feed into an empty database gives the same objects). Entries are read
one page at a time by an index range on the history id: memory does not grow with the feed.
Scope: the historical row's own unit (a deleted row keeps its last unit), through the same
``policy.scope_queryset`` as every other read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from khuyencong.accounts import policy
from khuyencong.registry.models import Establishment
from khuyencong.registry.services import EDITABLE_FIELDS

CHANGE = {"+": "created", "~": "updated", "-": "deleted"}
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Change:
    cursor: int
    resource: str
    id: int
    change: str
    at: Any
    version: int
    data: dict[str, Any] | None


def _establishment_data(row: Any) -> dict[str, Any]:
    data = {name: getattr(row, name) for name in EDITABLE_FIELDS if name != "commune"}
    data["commune"] = row.commune.code if row.commune is not None else None
    return data


def establishment_changes(user: Any, *, since: int, limit: int) -> Iterator[Change]:
    """Changes to establishments after the cursor ``since``, at most ``limit``, in order."""
    history = Establishment.history.model.objects.filter(history_id__gt=since)
    rows = (
        policy.scope_queryset(user, history, unit_field="commune", establishment_field="id")
        .select_related("commune")
        .order_by("history_id")[: max(1, min(limit, MAX_LIMIT))]
    )
    for row in rows:
        kind = CHANGE[row.history_type]
        yield Change(
            cursor=row.history_id,
            resource="establishments",
            id=row.id,
            change=kind,
            at=row.history_date,
            version=row.version,
            data=None if kind == "deleted" else _establishment_data(row),
        )
