"""Scoped reads of API clients."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khuyencong.accounts import policy

from .models import ApiClient


def clients_for(user: Any) -> QuerySet[ApiClient]:
    """The API clients an administrator may see: those of units in their scope."""
    return policy.scope_queryset(
        user, ApiClient.objects.select_related("unit"), action=policy.Action.MANAGE_USERS
    )
