"""Bulk writing of rows built as plain values (no model instances, no ``save``).

A :class:`Table` buffers rows for one model and writes them in large batches: ``COPY`` on
PostgreSQL (values adapted by psycopg), ``executemany`` on SQLite (values prepared by each
field, as Django would). Primary keys are given out here, from the table's current maximum, so
rows can refer to each other before they are written; :meth:`Tables.finish` writes what is left
and moves the PostgreSQL sequences past the new keys.

Nothing here calls ``save`` or signals: derived columns (folded names, the province) and
history rows are the caller's job — exactly what the services would have written.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.db.models.fields import NOT_PROVIDED

BATCH = 20_000


class Table:
    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.pk = model._meta.pk.attname
        self.defaults: dict[str, Any] = {}
        for field in self.fields:
            if field.has_default():
                self.defaults[field.attname] = field.default
            elif field.null or field.attname == self.pk:
                self.defaults[field.attname] = None
            elif field.blank and field.empty_strings_allowed:
                self.defaults[field.attname] = ""
            else:
                self.defaults[field.attname] = NOT_PROVIDED
        self.json = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        self.slots = [(name, self.defaults[name]) for name in self.attnames]
        self.callables = [(i, d) for i, (_n, d) in enumerate(self.slots) if callable(d)]
        top = model._default_manager.aggregate(top=Max(self.pk))["top"]
        self.next_id = (top or 0) + 1
        self.rows: list[list[Any]] = []
        self.written = 0
        self.foreign_keys = _drop_foreign_keys(model._meta.db_table)
        self.indexes = _drop_indexes(model._meta.db_table)

    def new_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, **values: Any) -> int:
        """Buffer one row; returns its primary key (given out here unless passed)."""
        pk = values.get(self.pk)
        if pk is None:
            pk = values[self.pk] = self.new_id()
        get = values.get
        row = [get(name, default) for name, default in self.slots]
        for i, default in self.callables:
            if row[i] is default:
                row[i] = default()
        if NOT_PROVIDED in row:
            missing = self.attnames[row.index(NOT_PROVIDED)]
            raise ValueError(f"{self.model.__name__}.{missing} needs a value")
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()
        return int(pk)

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        for i in self.json:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                        copy.write_row(row)
            else:
                prepared = [i for i, f in enumerate(self.fields) if isinstance(f, _PREPARED)]
                for row in self.rows:
                    for i in prepared:
                        row[i] = self.fields[i].get_db_prep_save(row[i], connection)
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", self.rows
                )
        self.written += len(self.rows)
        self.rows = []


def _drop_indexes(table: str) -> list[str]:
    """On PostgreSQL, drop the table's secondary indexes (not those of its constraints) and
    return the statements that build them again: an index built once over the loaded rows is
    much cheaper than one kept up to date row by row."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || "
            "quote_ident(i.indexname))::regclass)",
            [table],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def _drop_foreign_keys(table: str) -> list[str]:
    """On PostgreSQL, drop the table's foreign keys and return the statements that add them
    again. A deferred foreign key queues a check of each row written and runs them one by one
    at the end: 31 of the 66 s of scale 0.1, ~310 of the 590 s of scale 1.0 (issue 11); added
    again, each key is checked over the whole table in one join. The checks are the same: a
    row referring to nothing still fails the load."""
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    # A key cannot be dropped while checks of rows written before (through the ORM, in the
    # caller's transaction) wait: they run now.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [quote(table)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    return [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        for name, definition in found
    ]


#: Fields whose Python values SQLite cannot store as they are (Django stores them as text).
_PREPARED = (models.DateField, models.JSONField, models.DecimalField)


class Tables:
    """One :class:`Table` per model, created on first use, all written by :meth:`finish`."""

    def __init__(self) -> None:
        self._tables: dict[type[models.Model], Table] = {}

    def __getitem__(self, model: type[models.Model]) -> Table:
        table = self._tables.get(model)
        if table is None:
            table = self._tables[model] = Table(model)
        return table

    def flush(self) -> None:
        for table in self._tables.values():
            table.flush()

    def finish(self) -> dict[str, int]:
        """Write every buffered row, move the sequences on; returns rows written per table."""
        self.flush()
        # The deferred key checks run now (Django's check_constraints): SQLite's, which would
        # wait for the commit, so that a row referring to nothing fails the load on both
        # databases; on PostgreSQL those of rows written through the ORM, since it builds no
        # index over a table with checks pending. The loaded tables' keys are added below.
        connection.check_constraints([t.model._meta.db_table for t in self._tables.values()])
        if connection.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(no_style(), list(self._tables))
            statements += [sql for t in self._tables.values() for sql in t.foreign_keys]
            statements += [sql for t in self._tables.values() for sql in t.indexes]
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        return {t.model._meta.label: t.written for t in self._tables.values()}


_HISTORICAL: dict[type[models.Model], type[models.Model]] = {}


def historical(model: type[models.Model]) -> type[models.Model]:
    """The django-simple-history model of ``model`` (``Model.history`` builds a manager each
    time it is read: too slow a million times over)."""
    if model not in _HISTORICAL:
        _HISTORICAL[model] = model.history.model  # type: ignore[attr-defined]
    return _HISTORICAL[model]
