"""Certificates an actor may see (the public page reads them separately, by code)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F, QuerySet

from khuyencong.accounts import policy
from khuyencong.core import rows as core_rows

from .. import rules
from ..models import Certificate, SelectionLevel
from ..models.certificates import STATUS_LABELS


def visible_certificates(user: Any) -> QuerySet[Certificate]:
    return policy.scope_queryset(
        user,
        Certificate.objects.select_related("product", "establishment", "commune", "round"),
        unit_field="commune",
        establishment_field="establishment",
    )


def listed_certificates(user: Any, *, level: str = "") -> QuerySet[Certificate]:
    """The certificates the list shows, newest first (what its pages count)."""
    found = visible_certificates(user).order_by("-issued_on", "number")
    return found.filter(level=level) if level else found


def certificate_rows(user: Any, *, level: str = "") -> QuerySet[Certificate, Mapping[str, Any]]:
    """The certificate list's rows, newest first: only the columns it shows, as dicts (an
    instance came with its product, establishment, commune and round; issue 11). Label them
    with :func:`labelled_certificate_rows`."""
    return listed_certificates(user, level=level).values(
        "pk",
        "number",
        "level",
        "issued_on",
        "valid_until",
        "revoked_on",
        product_name=F("product__name"),
        establishment_name=F("establishment__name"),
        commune_name=F("commune__name"),
    )


def labelled_certificate_rows(
    rows: Iterable[dict[str, Any]], on: datetime.date
) -> list[dict[str, Any]]:
    """The rows with their level, their status on ``on`` and their dates as shown, prepared
    once a page rather than by the template for every row (``core.rows``)."""
    statuses = core_rows.labels(STATUS_LABELS.items())
    found = list(rows)
    core_rows.add_labels(found, level=SelectionLevel.choices)
    for row in found:
        row["issued"] = core_rows.day(row["issued_on"])
        row["valid_to"] = core_rows.day(row["valid_until"])
        status = rules.certificate_status(
            valid_until=row["valid_until"], revoked_on=row["revoked_on"], on=on
        )
        row["status_label"] = statuses[status]
    return found


def certificates_of_establishment(user: Any, establishment: Any) -> list[Certificate]:
    return list(
        visible_certificates(user).filter(establishment=establishment).order_by("-issued_on")
    )
