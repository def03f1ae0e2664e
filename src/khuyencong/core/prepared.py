"""A query that every request runs, compiled once per process (issue 11 item 7).

Each page reads the session row and the user with their role assignments. Django compiles a
queryset into SQL afresh at every evaluation (~0.5 ms for the user + roles query with its two
joins, several times what PostgreSQL or SQLite takes to run it): this keeps the SQL and its
parameters, compiled from the queryset itself, and per call only fills in the values and turns
the rows into model instances the way Django's ``ModelIterable`` does (converters, ``from_db``,
the ``select_related`` populators). The query still runs every time: nothing read is kept.

    roles = Prepared(
        lambda user_id: RoleAssignment.objects.filter(user_id=user_id).select_related("unit"),
        user_id=User._meta.pk,
    )
    roles.all(user_id=7)  # the same instances as list(that queryset with 7)

A value is given as the model field that it is compared with: the field prepares it for the
database as the lookup would (``get_db_prep_value``). The queryset may use only lookups that
pass the value through unchanged (``exact``, ``gt``, ``lt``…; not ``contains`` or ``in``).
"""

from __future__ import annotations

import datetime
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=models.Model)


def _marker(field: models.Field[Any, Any], n: int, connection: BaseDatabaseWrapper) -> Any:
    """A value of the field's type that no real query would carry, distinct per parameter (one
    that is also a constant of the query is refused when compiled: found twice)."""
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(1901, 2, 3, 4, 5, n, 654_321, tzinfo=datetime.UTC)
    if isinstance(field, (models.IntegerField, models.AutoField)):
        # The top of the column's range: Django compiles a value outside it to no query at all.
        _low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (2**31 - 1 if high is None else high) - n
    if isinstance(field, models.CharField):
        return f"\x00prepared-{n}"
    raise TypeError(f"no marker for {type(field).__name__}")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    #: Where each named value goes in ``params``.
    slots: dict[str, int]
    model: Any  # the queryset's model class
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    converters: dict[int, Any]
    compiler: Any


class Prepared(Generic[M]):
    def __init__(
        self, build: Callable[..., models.QuerySet[M]], **fields: models.Field[Any, Any]
    ) -> None:
        self.build = build
        self.fields = fields
        #: Per connection object (one per alias and thread, kept for the thread's life): the
        #: compiler and the converters are bound to it, as Django's own would be.
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        alias = connection.alias
        markers = {
            name: _marker(field, n, connection)
            for n, (name, field) in enumerate(self.fields.items())
        }
        queryset = self.build(**markers).using(alias)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:  # type: ignore[attr-defined]
            raise ValueError("a prepared query fills no prefetch and no known objects")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.annotation_col_map or compiler.has_extra_select:
            raise ValueError("a prepared query selects the model's columns only")
        slots = {}
        for name, field in self.fields.items():
            prepped = field.get_db_prep_value(markers[name], connection, prepared=False)
            found = [i for i, param in enumerate(params) if param == prepped]
            if len(found) != 1:
                raise ValueError(f"{name!r} is not one parameter of the compiled query")
            slots[name] = found[0]
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        columns = [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            model=klass_info["model"],
            init_list=[col.target.attname for col, _sql, _alias in compiler.select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(klass_info, compiler.select, alias),
            converters=compiler.get_converters(columns),
            compiler=compiler,
        )

    def all(self, using: str = "default", **values: Any) -> list[M]:
        """The instances the queryset built with ``values`` would give, in its order."""
        if values.keys() != self.fields.keys():
            raise TypeError(f"values for {sorted(self.fields)} expected")
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        params = list(compiled.params)
        for name, value in values.items():
            field = self.fields[name]
            params[compiled.slots[name]] = field.get_db_prep_value(
                value, connection, prepared=False
            )
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        found: list[M] = []
        for row in rows:
            obj = compiled.model.from_db(
                using, compiled.init_list, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, obj)
            found.append(obj)
        return found
