"""Writing to the activity log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from khuyencong.geo.models import AdministrativeUnit

from .models import ActivityEvent, EventType, default_visibility


def record_event(
    event_type: EventType,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    unit: AdministrativeUnit | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
    visibility: str | None = None,
) -> ActivityEvent:
    """Ghi một sự kiện. The unit defaults to the object's own unit, and the establishment to
    the one the object concerns (``policy_establishment_id``), so scoping works; the visibility
    to the event type's (:func:`~khuyencong.audit.models.default_visibility`)."""
    if unit is None and obj is not None:
        unit = getattr(obj, "policy_unit", None)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return ActivityEvent.objects.create(
        event_type=event_type,
        actor=actor,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        unit=unit,
        establishment_id=getattr(obj, "policy_establishment_id", None),
        comment=comment,
        data=data or {},
        visibility=visibility or default_visibility(event_type),
    )
