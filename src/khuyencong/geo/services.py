"""Writes to the unit tree."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import vietnam_provinces
from django.core.exceptions import PermissionDenied
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.core.text import fold

from .models import NATIONAL_CODE, AdministrativeUnit, UnitLevel, UnitType

_TYPE_BY_SOURCE = {
    "tỉnh": UnitType.PROVINCE,
    "thành phố trung ương": UnitType.CENTRAL_CITY,
    "xã": UnitType.COMMUNE,
    "phường": UnitType.WARD,
    "đặc khu": UnitType.SPECIAL_ZONE,
}
NATION_NAME = "Việt Nam"


def province_code(number: int) -> str:
    return f"{number:02d}"


def commune_code(number: int) -> str:
    return f"{number:05d}"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def load_units() -> LoadResult:
    """Load the nation, its 34 provinces and 3,321 communes (2025 units); idempotent.

    Tải cây đơn vị hành chính từ gói ``vietnam-provinces``. Units already present (matched by
    level and official code among current units) are updated in place when their name or type
    changed, never duplicated.
    """
    source = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    existing = {
        (u.level, u.code): u for u in AdministrativeUnit.objects.filter(valid_to__isnull=True)
    }
    created = updated = unchanged = 0

    def upsert(
        level: int, code: str, name: str, unit_type: str, parent: AdministrativeUnit | None
    ) -> tuple[AdministrativeUnit, bool]:
        nonlocal updated, unchanged
        unit = existing.get((level, code))
        if unit is None:
            unit = AdministrativeUnit(
                level=level, code=code, name=name, unit_type=unit_type, parent=parent
            )
            unit.path = unit.compute_path()
            unit.name_folded = fold(name)
            return unit, True
        if unit.name != name or unit.unit_type != unit_type:
            unit.name, unit.unit_type = name, unit_type
            unit.save()
            updated += 1
        else:
            unchanged += 1
        return unit, False

    nation, is_new = upsert(UnitLevel.NATIONAL, NATIONAL_CODE, NATION_NAME, UnitType.NATION, None)
    if is_new:
        nation.save()
        created += 1

    new_provinces: list[AdministrativeUnit] = []
    provinces: dict[str, AdministrativeUnit] = {}
    for item in source:
        code = province_code(item["code"])
        unit, is_new = upsert(
            UnitLevel.PROVINCE, code, item["name"], _TYPE_BY_SOURCE[item["division_type"]], nation
        )
        provinces[code] = unit
        if is_new:
            new_provinces.append(unit)
    bulk_create_with_history(new_provinces, AdministrativeUnit, batch_size=500)
    created += len(new_provinces)
    if new_provinces:
        # bulk_create does not return primary keys on every backend: read them back.
        saved = {u.code: u for u in AdministrativeUnit.objects.provinces().filter(valid_to=None)}
        provinces = {code: saved[code] for code in provinces}

    new_communes: list[AdministrativeUnit] = []
    for item in source:
        province = provinces[province_code(item["code"])]
        for ward in item["wards"]:
            unit, is_new = upsert(
                UnitLevel.COMMUNE,
                commune_code(ward["code"]),
                ward["name"],
                _TYPE_BY_SOURCE[ward["division_type"]],
                province,
            )
            if is_new:
                new_communes.append(unit)
    bulk_create_with_history(new_communes, AdministrativeUnit, batch_size=500)
    created += len(new_communes)
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


@transaction.atomic
def update_unit_contact(
    *,
    actor: Any,
    unit: AdministrativeUnit,
    expected_version: int,
    address: str,
    phone: str,
    email: str,
) -> AdministrativeUnit:
    """Sửa thông tin liên hệ của đơn vị; refused when stale or out of the actor's scope."""
    decision = policy.can(actor, policy.Action.CHANGE_UNIT, unit)
    if not decision:
        raise PermissionDenied(decision.reason)
    locked = lock_current_version(unit, expected_version)
    changed = {
        name: value
        for name, value in (("address", address), ("phone", phone), ("email", email))
        if getattr(locked, name) != value
    }
    if not changed:
        return locked
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.version += 1
    locked._change_reason = "Sửa thông tin liên hệ"  # type: ignore[attr-defined]
    locked.save()
    record_event(EventType.UNIT_UPDATED, actor=actor, obj=locked, data={"fields": sorted(changed)})
    return locked
