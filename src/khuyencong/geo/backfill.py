"""Back-filling the province column of rows that carry it (``geo.models.InProvince``).

Used by data migrations (with the migration's historical models): one UPDATE per province and
batch of units, whatever the number of rows, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

PROVINCE_LEVEL = 1
_BATCH = 500


def provinces_by_unit(unit_model: Any) -> dict[int, int]:
    """Each unit's province (a province is its own); units above the provinces are left out."""
    units = {
        pk: (level, parent)
        for pk, level, parent in unit_model.objects.values_list("pk", "level", "parent_id")
    }
    found: dict[int, int] = {}
    for pk in units:
        node: int | None = pk
        while node is not None and units[node][0] > PROVINCE_LEVEL:
            node = units[node][1]
        if node is not None and units[node][0] == PROVINCE_LEVEL:
            found[pk] = node
    return found


def backfill_province(apps: Any, app_label: str, model_name: str, unit_field: str) -> None:
    """Set ``province`` on every row of ``app_label.model_name`` from its ``unit_field``."""
    model = apps.get_model(app_label, model_name)
    by_province: dict[int, list[int]] = defaultdict(list)
    for unit, province in provinces_by_unit(apps.get_model("geo", "AdministrativeUnit")).items():
        by_province[province].append(unit)
    for province, units in by_province.items():
        for start in range(0, len(units), _BATCH):
            model.objects.filter(**{f"{unit_field}_id__in": units[start : start + _BATCH]}).update(
                province_id=province
            )
