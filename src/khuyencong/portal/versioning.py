"""The version of the public data (phiên bản dữ liệu công khai).

Every save or delete of what the portal shows bumps one counter in the database, in the same
transaction as the change. Public pages name that counter in their ``ETag`` and cache key, so
a changed product or a revoked certificate shows at once, in every worker, with no cache to
clear; a page whose data did not change answers ``304``. One row read per request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

#: What a public page shows. Projects and programmes are not here: their public pages are
#: aggregates whose ETag is the hash of the page itself (``caching.content_etag``).
WATCHED = (
    "awards.Product",
    "awards.ProductPhoto",
    "awards.Certificate",
    "awards.SelectionRound",
    "registry.Establishment",
    "portal.PublicationConsent",
)

EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Stamp:
    counter: int
    changed_at: datetime.datetime


def bump(**_: Any) -> None:
    from .models import DataVersion

    now = timezone.now()
    if not DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1, changed_at=now):
        DataVersion.objects.get_or_create(pk=1, defaults={"counter": 1, "changed_at": now})


def current() -> Stamp:
    from .models import DataVersion

    row = DataVersion.objects.filter(pk=1).values_list("counter", "changed_at").first()
    return Stamp(*row) if row else Stamp(0, EPOCH)


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"portal-version-save-{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"portal-version-delete-{label}")
