"""Scoped reads of the activity log and of object histories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from simple_history import utils

from khuyencong.accounts import policy
from khuyencong.core import rows
from khuyencong.core.formatting import format_date

from . import display
from .models import ESTABLISHMENT_PART_EVENT_TYPES, ActivityEvent, EventType


def activity_for_user(user: Any) -> QuerySet[ActivityEvent]:
    """Events in the user's scope (a representative: their establishment's, shared ones only),
    newest first."""
    return policy.readable(
        user,
        policy.scope_queryset(
            user,
            ActivityEvent.objects.select_related("actor", "unit", "content_type"),
            establishment_field="establishment",
        ),
    )


def event_rows(events: QuerySet[ActivityEvent], *more: str, actor: bool = True) -> QuerySet[Any]:
    """``events`` as dicts of what a list of events prints: ``at``, ``event_type``,
    ``object_repr``, the columns ``more`` and, when ``actor``, the actor's name and address
    (one join). Not events with their actor, unit and content type joined and built as models
    (issue 11: the home page's ten events 3.5 → 2.2 ms of CPU at national scale). Rows read
    from here get what the templates print from :func:`label_event_rows`."""
    names = ("actor__full_name", "actor__email") if actor else ()
    return events.values("at", "event_type", "object_repr", *more, *names)


def label_event_rows(found: Iterable[dict[str, Any]]) -> None:
    """Add to each row of :func:`event_rows` ``when`` (the instant as ``|ngay`` prints it),
    ``label`` (the event type's, translated once) and ``actor`` (as the user's ``__str__``:
    their name, else their address; empty for a system event or a row read without actor)."""
    labels = rows.labels(EventType.choices)
    for row in found:
        row["when"] = format_date(row["at"])
        row["label"] = labels.get(row["event_type"], row["event_type"])
        row["actor"] = row.get("actor__full_name") or row.get("actor__email") or ""


def activity_for_object(user: Any, obj: models.Model) -> QuerySet[ActivityEvent]:
    """The object's events the user may read; an establishment's include those on the parts
    of its record (its artisans)."""
    about = Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    if obj._meta.label == "registry.Establishment":
        about |= Q(establishment=obj.pk, event_type__in=ESTABLISHMENT_PART_EVENT_TYPES)
    return policy.readable(user, ActivityEvent.objects.filter(about).select_related("actor"))


def may_see_history(user: Any, obj: models.Model) -> bool:
    """Would the history page of ``obj`` open for ``user``? The same two questions the page
    asks (the object in the viewer's reach, then the history itself): a page shows its
    "Lịch sử" link only then, never a link that answers 404 or 403."""
    return bool(policy.can(user, policy.Action.VIEW, obj)) and bool(  # type: ignore[arg-type]
        policy.can(user, policy.Action.VIEW_HISTORY, obj)  # type: ignore[arg-type]
    )


def object_with_history(user: Any, model_label: str, pk: str) -> models.Model:
    """The object whose history page is asked for, or 404 when unknown or out of scope.

    Only models with a history (django-simple-history) and a ``policy_unit`` qualify.
    """
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if not hasattr(model, "history") or not hasattr(model, "policy_unit"):
        raise Http404
    found = model._default_manager.filter(pk=pk)
    columns = getattr(model, "scope_columns", None)
    if columns is not None:  # the policy reads the row's unit and place: with it, not after
        found = found.select_related(*(f for f in (columns.unit, columns.place) if f))
    obj = found.first() if pk.isdigit() else None
    if obj is None or not policy.can(user, policy.Action.VIEW, obj):
        raise Http404
    return obj


#: Versions per page of an object's history: the page reads as many whatever its length.
HISTORY_PAGE_SIZE = 20


@dataclass
class VersionsPage:
    """One page of an object's versions, newest first (``core/_list_pages.html`` pages it:
    "Trang n", no total — the history is not counted)."""

    entries: list[dict[str, Any]]
    number: int
    more: bool

    class paginator:
        class total:
            exact = False

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _m2m_rows(records: list[Any], names: list[str]) -> dict[tuple[str, int], list[Any]]:
    """The rows of each tracked many-to-many field of every record, one query per field
    (simple-history's ``diff_against`` reads them two queries per field and pair)."""
    found: dict[tuple[str, int], list[Any]] = {}
    if not records:
        return found
    instance_type = records[0].instance_type
    for name in names:
        through = getattr(records[0], name).model
        target = utils.get_m2m_reverse_field_name(instance_type._meta.get_field(name))
        columns = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        rows = through._default_manager.filter(history__in=[r.pk for r in records]).order_by(target)
        for row in rows.values("history_id", *columns):
            found.setdefault((name, row.pop("history_id")), []).append(row)
    return found


def history_entries(obj: models.Model, page: Any = 1) -> VersionsPage:
    """A page of the object's versions, newest first, each with the fields it changed — in
    the same number of queries whatever the length of the history (issue 11: 16 queries for
    a project at scale 0.01, 40 at 1.0): the page's versions and the one before them in one
    query, the many-to-many rows one query per field, the related names one per model."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * HISTORY_PAGE_SIZE
    history = obj.history.select_related("history_user").order_by("-history_date", "-pk")  # type: ignore[attr-defined]
    records = list(history[start : start + HISTORY_PAGE_SIZE + 1])
    m2m = [f.name for f in getattr(history.model, "_history_m2m_fields", [])]
    m2m_rows = _m2m_rows(records, m2m)
    changed = []
    for index, record in enumerate(records[:HISTORY_PAGE_SIZE]):
        older = records[index + 1] if index + 1 < len(records) else None
        fields: list[tuple[models.Field[Any, Any], Any, Any]] = []
        if older is not None:
            delta = record.diff_against(older, excluded_fields=m2m)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                fields.append((field, change.old, change.new))
            for name in m2m:
                old_rows = m2m_rows.get((name, older.pk), [])
                new_rows = m2m_rows.get((name, record.pk), [])
                if old_rows != new_rows:
                    field = record.instance_type._meta.get_field(name)
                    fields.append((field, old_rows, new_rows))
        changed.append((record, fields))
    names = display.related_names(
        (field, value) for _r, fields in changed for field, *values in fields for value in values
    )
    entries = [
        {
            "record": record,
            "changes": [
                {
                    "field": field.verbose_name,
                    "old": display.show(field, old, names),
                    "new": display.show(field, new, names),
                }
                for field, old, new in fields
            ],
        }
        for record, fields in changed
    ]
    return VersionsPage(entries, number, more=len(records) > HISTORY_PAGE_SIZE)
