"""Scoped reads of the activity log and of object histories."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from khuyencong.accounts import policy

from . import display
from .models import ActivityEvent


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


def activity_for_object(user: Any, obj: models.Model) -> QuerySet[ActivityEvent]:
    """The object's events the user may read."""
    return policy.readable(
        user,
        ActivityEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).select_related("actor"),
    )


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
    obj = model._default_manager.filter(pk=pk).first() if pk.isdigit() else None
    if obj is None or not policy.can(user, policy.Action.VIEW, obj):
        raise Http404
    return obj


def history_entries(obj: models.Model) -> list[dict[str, Any]]:
    """The object's versions, newest first, each with the fields it changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-pk"))  # type: ignore[attr-defined]
    entries = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": display.show(field, change.old),
                        "new": display.show(field, change.new),
                    }
                )
        entries.append({"record": record, "changes": changes})
    return entries
