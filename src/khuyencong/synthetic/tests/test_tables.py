"""Bulk writing (``synthetic.tables``): a load leaves every key and index as the migrations
made them, and a row referring to nothing fails it, on PostgreSQL (whose keys and indexes the
load drops and adds again) as on SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from khuyencong.geo.models import AdministrativeUnit, UnitLevel, UnitType
from khuyencong.synthetic.tables import Tables

pytestmark = pytest.mark.django_db
TABLE = AdministrativeUnit._meta.db_table


def _keys_and_indexes() -> dict[str, Any]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return {name: {k: v for k, v in c.items() if k != "definition"} for name, c in found.items()}


def _unit(tables: Tables, *, parent_id: int | None) -> None:
    tables[AdministrativeUnit].add(
        code="99999",
        name="Xã Thử Nghiệm",
        unit_type=UnitType.COMMUNE,
        level=UnitLevel.COMMUNE,
        parent_id=parent_id,
        path="/99999/",
        name_folded="xa thu nghiem",
    )


def test_a_load_keeps_the_tables_keys_and_indexes_and_writes_its_rows():
    province = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).first()
    assert province is not None  # the units of the reform, loaded by the geo migrations
    before = _keys_and_indexes()
    assert any(c["foreign_key"] for c in before.values())
    assert any(c["index"] and not c["primary_key"] for c in before.values())
    tables = Tables()
    _unit(tables, parent_id=province.pk)
    assert tables.finish() == {"geo.AdministrativeUnit": 1}
    assert _keys_and_indexes() == before
    assert AdministrativeUnit.objects.get(code="99999").parent == province


def test_a_row_referring_to_nothing_fails_the_load():
    tables = Tables()
    _unit(tables, parent_id=987_654)
    with pytest.raises(IntegrityError), transaction.atomic():
        tables.finish()
