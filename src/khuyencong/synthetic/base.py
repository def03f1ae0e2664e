"""What every synthetic generator shares: the run's random source and clock, and the writing of
history and activity rows exactly as ``simple_history`` and ``audit.services.record_event``
would write them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from khuyencong.audit.models import ActivityEvent, EventType

from .tables import Tables, historical
from .world import World

UTC = datetime.UTC


@dataclass
class Run:
    """One generation: the tables written to, the random source, the country and the period."""

    tables: Tables
    rng: random.Random
    world: World
    first_year: int
    as_of: datetime.datetime

    def moment(self, start: datetime.datetime, days: float) -> datetime.datetime:
        """A time up to ``days`` after ``start`` (office hours do not matter here), never
        after the end of the period."""
        at = start + datetime.timedelta(seconds=self.rng.uniform(0, days * 86_400))
        return min(at, self.as_of)

    def start_of(self, year: int) -> datetime.datetime:
        return datetime.datetime(year, 1, 1, 1, 0, tzinfo=UTC)

    def history(
        self,
        model: type[models.Model],
        values: dict[str, Any],
        *,
        at: datetime.datetime,
        kind: str,
        user: int | None,
        reason: str | None = None,
    ) -> int:
        """One django-simple-history record of ``values`` (``kind``: ``+`` created, ``~``
        changed); returns its ``history_id``."""
        return self.tables[historical(model)].add(
            **values,
            history_date=at,
            history_type=kind,
            history_user_id=user,
            history_change_reason=reason,
        )

    def event(
        self,
        event_type: EventType,
        *,
        at: datetime.datetime,
        actor: int | None,
        unit: int | None,
        province: int | None,
        obj: tuple[type[models.Model], int, str] | None = None,
        establishment: int | None = None,
        comment: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        """An activity-log row as ``record_event`` writes it (``obj``: model, pk, its text)."""
        content_type = object_id = object_repr = None
        if obj is not None:
            model, pk, text = obj
            content_type = ContentType.objects.get_for_model(model).pk  # cached by Django
            object_id, object_repr = str(pk), text[:255]
        self.tables[ActivityEvent].add(
            event_type=event_type,
            actor_id=actor,
            at=at,
            content_type_id=content_type,
            object_id=object_id or "",
            object_repr=object_repr or "",
            unit_id=unit,
            province_id=province,
            establishment_id=establishment,
            comment=comment,
            data=data or {},
        )


def million(rng: random.Random, low: int, high: int) -> int:
    """A whole number of millions of đồng between ``low`` and ``high`` millions."""
    return rng.randint(low, high) * 1_000_000
