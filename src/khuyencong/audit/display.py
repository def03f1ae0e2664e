"""Giá trị trong lịch sử thay đổi: a stored value as people read it — the label of a choice
("Đã quyết toán", not ``quyet-toan``), money the Vietnamese way (420.000.000 đ), the name of a
related record (not its id), dates as officials write them, lists of names for many-to-many
fields (not ``[{'project': 5, 'establishment': 3}]``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_date, format_money, format_number

#: Names of related records read beforehand: {(model, pk): name} (``related_names``).
Names = dict[tuple[type[models.Model], Any], str]


def _related(field: models.Field[Any, Any], value: Any) -> tuple[Any, list[Any]]:
    """The related model of ``field`` and the ids ``value`` refers to (none for a field
    that is not a relation)."""
    if value is None or value == "" or value == [] or not field.is_relation:
        return None, []
    if isinstance(field, models.ManyToManyField):
        # Rows of the through table: {"project": 5, "establishment": 3}.
        target = field.m2m_reverse_field_name()
        ids = [row.get(target) for row in value]
    else:
        ids = [value]
    return field.related_model, [i for i in ids if i is not None]


def related_names(values: Iterable[tuple[models.Field[Any, Any], Any]]) -> Names:
    """The names of every record the (field, value) pairs refer to: one query per related
    model, however many values (a history page shows many)."""
    wanted: dict[Any, set[Any]] = {}
    for field, value in values:
        model, ids = _related(field, value)
        if ids:
            wanted.setdefault(model, set()).update(ids)
    names: Names = {}
    for model, wanted_ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=wanted_ids):
            names[model, obj.pk] = str(obj)
    return names


def _names(model: type[models.Model], ids: Iterable[Any], names: Names | None) -> str:
    ids = [i for i in ids if i is not None]
    if names is None:
        names = {(model, obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=ids)}
    return ", ".join(names.get((model, i), _("(đã xóa, mã %(id)s)") % {"id": i}) for i in ids)


def _is_money(field: models.Field[Any, Any]) -> bool:
    """Money is integer đồng in a ``BigIntegerField`` (DESIGN.md); byte sizes are positive."""
    return isinstance(field, models.BigIntegerField) and not isinstance(
        field, models.PositiveBigIntegerField
    )


def show(field: models.Field[Any, Any], value: Any, names: Names | None = None) -> str:
    """``value`` of ``field`` (as the history stores it) for people to read; empty for none.
    A related record's name is read from ``names`` when given (else from the database)."""
    if value is None or value == "" or value == []:
        return ""
    if field.is_relation and field.related_model is not None:
        model, ids = _related(field, value)
        return _names(model, ids, names)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("có") if value else _("không")
    if _is_money(field):
        return format_money(int(value))
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)
