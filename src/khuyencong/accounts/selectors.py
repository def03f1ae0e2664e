"""Scoped reads about users and roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit

from . import policy
from .models import RoleAssignment, User


def assignments_in_scope(user: Any) -> QuerySet[RoleAssignment]:
    """Role assignments at units the user may see (for the staff directory)."""
    return policy.scope_queryset(
        user, RoleAssignment.objects.filter(is_active=True).select_related("user", "unit")
    ).order_by("unit__path", "role", "user__full_name")


def staff_of_unit(user: Any, unit: AdministrativeUnit) -> QuerySet[RoleAssignment]:
    return assignments_in_scope(user).filter(unit=unit)


def users_in_scope(user: Any, *, search: str = "") -> QuerySet[RoleAssignment]:
    assignments = assignments_in_scope(user)
    if search:
        needle = search.strip()
        assignments = assignments.filter(
            Q(user__email__icontains=needle)
            | Q(user__full_name__icontains=needle)
            | Q(unit__name_folded__contains=fold(needle))
        )
    return assignments


def user_without_mfa_in_scope(user: Any) -> QuerySet[User]:
    """Officers in the user's scope who have not set up two-factor login yet."""
    from allauth.mfa.models import Authenticator

    officer_ids = (
        assignments_in_scope(user)
        .filter(role__in=policy.OFFICER_ROLES)
        .values_list("user_id", flat=True)
    )
    with_totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    return User.objects.filter(pk__in=officer_ids, is_active=True).exclude(pk__in=with_totp)
