"""Reads of the unit tree. Unscoped reads of public geography; scoped ones go via the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from khuyencong.accounts import policy
from khuyencong.core.text import fold

from .models import NATIONAL_CODE, AdministrativeUnit, UnitLevel


def nation() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level=UnitLevel.NATIONAL, code=NATIONAL_CODE)


def province_by_code(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().provinces().get(code=code)


def communes_of(province: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The current communes of a province, in one query."""
    return AdministrativeUnit.objects.current().communes().filter(parent=province)


def subtree(unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The unit and every unit below it, in one query."""
    return AdministrativeUnit.objects.subtree_of(unit)


def visible_units(
    user: Any, *, search: str = "", level: int | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units the user may see, optionally filtered by level and an accent-insensitive search."""
    units = policy.visible_units(user).select_related("parent")
    if level is not None:
        units = units.filter(level=level)
    if search:
        needle = fold(search)
        units = units.filter(Q(name_folded__contains=needle) | Q(code=search.strip()))
    return units.order_by("level", "path")


def visible_unit(user: Any, code: str) -> AdministrativeUnit:
    """A unit in the user's scope by its code, or 404 (never revealing units outside it)."""
    unit = (
        policy.visible_units(user)
        .current()
        .select_related("parent", "parent__parent")
        .filter(code=code)
        .first()
    )
    if unit is None:
        raise Http404
    return unit
