"""The change feed (luồng thay đổi): what was created, changed or deleted in the reader's
scope, per resource and in order, from the history tables (django-simple-history), so a
national system can sync incrementally and resume where it stopped.

Each entry carries the history row's id as its cursor and the object's fields *as they were
then* (so replaying the feed into an empty database gives the same objects). An object that
moved out of the reader's scope (an establishment moved to a commune outside it) is listed as
``moved_out`` at the history row of the move (``api.ScopeExit``), so the reader drops its copy;
one that moved in is listed with its full data, as an update. Entries are read one page at a
time by an index range on the history id: memory does not grow with the feed. Scope: the
historical row's own unit (a deleted row keeps its last unit), through the same
``policy.scope_queryset`` as every other read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.projects.models import Project
from khuyencong.registry.models import Artisan, Establishment
from khuyencong.registry.services import ARTISAN_FIELDS, EDITABLE_FIELDS

from .models import ScopeExit
from .serializers import ProjectSerializer

CHANGE = {"+": "created", "~": "updated", "-": "deleted"}
MOVED_OUT = "moved_out"
MAX_LIMIT = 1000

#: A project's fields in the feed: the API's project fields (money in integer đồng), without
#: what the feed entry says itself.
PROJECT_FIELDS: tuple[str, ...] = tuple(
    f
    for f in ProjectSerializer.Meta.fields
    if f not in ("id", "version", "created_at", "updated_at")
)


@dataclass(frozen=True)
class Change:
    cursor: int
    resource: str
    id: int
    change: str
    at: Any
    version: int
    data: dict[str, Any] | None


@dataclass(frozen=True)
class Feed:
    """One resource's feed: its model, the unit that scopes it, the reader's lookup to it for
    an establishment's representative, and the fields listed (units as their codes)."""

    model: type[Model]
    unit_field: str
    establishment_field: str
    fields: tuple[str, ...]
    #: The unit below ``unit_field`` where the object lies (a project's commune): its officers
    #: read the object (``policy.PLACE_READS``), so they read its feed and its moves too.
    place_field: str = ""

    @property
    def scope_fields(self) -> tuple[str, ...]:
        return (self.unit_field, self.place_field) if self.place_field else (self.unit_field,)

    def history(self) -> QuerySet[Any]:
        return self.model.history.model.objects.all()  # type: ignore[attr-defined]

    def _related(self, name: str) -> Any:
        return getattr(self.model._meta.get_field(name), "related_model", None)

    @functools.cached_property
    def units(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if self._related(f) is AdministrativeUnit)

    @functools.cached_property
    def references(self) -> tuple[str, ...]:
        """Other relations (an artisan's establishment): listed by id, never read (the object
        may be gone since)."""
        return tuple(f for f in self.fields if self._related(f) not in (None, AdministrativeUnit))

    def data(self, row: Any) -> dict[str, Any]:
        found = {
            name: getattr(row, name)
            for name in self.fields
            if name not in self.units and name not in self.references
        }
        for name in self.units:
            unit = getattr(row, name)
            found[name] = unit.code if unit is not None else None
        for name in self.references:
            found[name] = getattr(row, f"{name}_id")
        return found


FEEDS: dict[str, Feed] = {
    "establishments": Feed(Establishment, "commune", "id", EDITABLE_FIELDS),
    "projects": Feed(
        Project,
        "unit",
        "historicalproject_beneficiaries__establishment",
        PROJECT_FIELDS,
        place_field="location",
    ),
    "artisans": Feed(Artisan, "commune", "establishment", ARTISAN_FIELDS),
}


def _scoped(
    user: Any,
    queryset: QuerySet[Any],
    unit_field: str,
    establishment: str | None,
    place_field: str = "",
) -> Any:
    return policy.scope_queryset(
        user,
        queryset,
        unit_field=unit_field,
        establishment_field=establishment,
        place_field=place_field,
    )


def changes(user: Any, *, resource: str, since: int, limit: int) -> list[Change]:
    """Changes to ``resource`` after the cursor ``since``, at most ``limit``, in order."""
    feed = FEEDS[resource]
    limit = max(1, min(limit, MAX_LIMIT))
    history = feed.history().filter(history_id__gt=since)
    rows = (
        _scoped(user, history, feed.unit_field, feed.establishment_field, feed.place_field)
        .select_related(*feed.units)
        .order_by("history_id")[:limit]
    )
    found = [
        Change(
            cursor=row.history_id,
            resource=resource,
            id=row.id,
            change=CHANGE[row.history_type],
            at=row.history_date,
            version=row.version,
            data=None if row.history_type == "-" else feed.data(row),
        )
        for row in rows
    ]
    found += [
        Change(exit.history_id, resource, exit.object_id, MOVED_OUT, exit.at, exit.version, None)
        for exit in _exits(user, resource, since)[:limit]
    ]
    return sorted(found, key=lambda change: change.cursor)[:limit]


def _exits(user: Any, resource: str, since: int) -> QuerySet[ScopeExit]:
    """Moves out of the reader's scope: from a unit in it to one outside it (a move within the
    scope is an ordinary update)."""
    moves = ScopeExit.objects.filter(resource=resource, history_id__gt=since)
    if resource != "establishments" and _represents(user):
        return moves.none()  # a representative's projects follow the beneficiaries, not units
    reader = "object_id" if resource == "establishments" else None
    left = _scoped(user, moves, "old_unit", reader)
    still_in = _scoped(user, moves, "new_unit", reader).values("pk")
    return left.exclude(pk__in=still_in).order_by("history_id")


def _represents(user: Any) -> bool:
    assignment = policy.active_assignment(user)
    return assignment is not None and assignment.role == Role.ESTABLISHMENT


def record_exit(*, resource: str, history_row: Any, unit_field: str, owner_field: str = "") -> None:
    """After a history row is written: if the object's unit differs from the one of its
    previous history row, record the move (``ScopeExit``). For a place (``owner_field`` is the
    unit that owns the object), leaving every place leaves the object at its owner: a project
    no longer located in a commune is still its province's."""
    if history_row.history_type != "~":
        return
    unit_id = f"{unit_field}_id"
    previous = (
        type(history_row)
        .objects.filter(id=history_row.id, history_id__lt=history_row.history_id)
        .order_by("-history_id")
        .values_list(unit_id, flat=True)
        .first()
    )
    current = getattr(history_row, unit_id)
    if previous is None or previous == current:
        return
    if current is None and owner_field:
        current = getattr(history_row, f"{owner_field}_id")
    ScopeExit.objects.create(
        resource=resource,
        object_id=history_row.id,
        history_id=history_row.history_id,
        old_unit_id=previous,
        new_unit_id=current,
        version=history_row.version,
        at=history_row.history_date,
    )


def exit_recorders() -> dict[type[Model], Callable[..., None]]:
    """For each history model of a feed, what records its moves (given the history row): of
    its unit and, when it has one, of its place."""

    def recorder(name: str, feed: Feed) -> Callable[..., None]:
        def record(history_row: Any) -> None:
            record_exit(resource=name, history_row=history_row, unit_field=feed.unit_field)
            if feed.place_field:
                record_exit(
                    resource=name,
                    history_row=history_row,
                    unit_field=feed.place_field,
                    owner_field=feed.unit_field,
                )

        return record

    return {
        feed.model.history.model: recorder(name, feed)  # type: ignore[attr-defined]
        for name, feed in FEEDS.items()
    }
