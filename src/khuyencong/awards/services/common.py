"""What every selection service shares: the domain error, the policy check, the actor."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from khuyencong.accounts import policy
from khuyencong.accounts.models import RoleAssignment
from khuyencong.geo.models import AdministrativeUnit, UnitLevel


class SelectionError(Exception):
    """A domain error whose Vietnamese message is shown to the user as it is."""


class SelectionInvalid(SelectionError):
    """Several problems, each tied to a field (``{"field": [messages]}``; "" for the form)."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        super().__init__(" ".join(m for messages in problems.values() for m in messages))


def today() -> datetime.date:
    return timezone.localdate()


def require(actor: Any, action: policy.Action, obj: Any = None) -> None:
    decision = policy.can(actor, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def role_of(actor: Any) -> str:
    assignment = policy.active_assignment(actor)
    return assignment.role if assignment is not None else ""


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def province_of(unit: AdministrativeUnit) -> AdministrativeUnit | None:
    """The province a unit lies in (itself for a province, ``None`` for the nation)."""
    if unit.level == UnitLevel.PROVINCE:
        return unit
    if unit.level == UnitLevel.NATIONAL:
        return None
    parent = unit.parent
    while parent is not None and parent.level != UnitLevel.PROVINCE:
        parent = parent.parent
    return parent


def users_with_role(roles: Iterable[str], units: Iterable[AdministrativeUnit]) -> list[Any]:
    """Active users holding one of ``roles`` at one of ``units``."""
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            Q(unit__in=list(units)),
            role__in=list(roles),
            is_active=True,
            user__is_active=True,
        ).select_related("user")
    ]


def representatives_of(establishment_id: int) -> list[Any]:
    """The users who represent an establishment."""
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            establishment_id=establishment_id, is_active=True, user__is_active=True
        ).select_related("user")
    ]
