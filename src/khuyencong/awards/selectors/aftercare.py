"""Complaints and holders' yearly reports an actor may see (through the one policy module)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from khuyencong.accounts import policy

from ..models import Complaint, HolderReport


def visible_complaints(user: Any) -> QuerySet[Complaint]:
    return policy.scope_queryset(
        user,
        Complaint.objects.select_related(
            "entry__product", "round", "establishment", "commune", "lodged_by", "decided_by"
        ),
        unit_field="commune",
        establishment_field="establishment",
    )


def complaint_for_view(user: Any, pk: int) -> Complaint:
    found = visible_complaints(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def visible_reports(user: Any) -> QuerySet[HolderReport]:
    return policy.scope_queryset(
        user,
        HolderReport.objects.select_related(
            "certificate__product", "certificate__round", "establishment", "commune"
        ),
        unit_field="commune",
        establishment_field="establishment",
    )


def late_reports(queryset: QuerySet[HolderReport], on: datetime.date) -> QuerySet[HolderReport]:
    """Missing past the due date (index on ``due_on``)."""
    return queryset.filter(submitted_at__isnull=True, due_on__lt=on)


def report_for_view(user: Any, pk: int) -> HolderReport:
    found = visible_reports(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
