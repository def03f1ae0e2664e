"""Certificates an actor may see (the public page reads them separately, by code)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khuyencong.accounts import policy

from ..models import Certificate


def visible_certificates(user: Any) -> QuerySet[Certificate]:
    return policy.scope_queryset(
        user,
        Certificate.objects.select_related("product", "establishment", "commune", "round"),
        unit_field="commune",
        establishment_field="establishment",
    )


def certificates_of_establishment(user: Any, establishment: Any) -> list[Certificate]:
    return list(
        visible_certificates(user).filter(establishment=establishment).order_by("-issued_on")
    )
