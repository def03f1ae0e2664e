"""The national roll-up computed outside the application, for ``bench_national`` to compare:
one SQL ``GROUP BY`` on PostgreSQL, and DuckDB over the same rows written to Parquet."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

from khuyencong.projects import workflow

SUPPORTED = tuple(sorted(workflow.SUPPORTED))

#: Projects that count (approved and later), their approved money and what was disbursed
#: (advances + payments), by province, plan year and fund.
SQL = """
WITH counted AS (
    SELECT id, unit_id, plan_year, fund, approved_kcqg + approved_kcdp AS approved
    FROM projects_project WHERE status IN ({states})
), paid AS (
    SELECT project_id, amount FROM projects_advance
    UNION ALL SELECT project_id, amount FROM projects_payment
), paid_by_project AS (
    SELECT project_id, SUM(amount) AS disbursed FROM paid GROUP BY project_id
)
SELECT c.unit_id, c.plan_year, c.fund, COUNT(*), SUM(c.approved),
       COALESCE(SUM(p.disbursed), 0)
FROM counted c LEFT JOIN paid_by_project p ON p.project_id = c.id
GROUP BY c.unit_id, c.plan_year, c.fund
"""


def sql_rollup() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(states=", ".join(["%s"] * len(SUPPORTED))), SUPPORTED)
        return cursor.fetchall()


def _export(directory: Path) -> dict[str, Path]:
    """The three tables the roll-up reads, copied out of PostgreSQL as CSV."""
    queries = {
        "projects_project": "SELECT id, unit_id, plan_year, fund, status, approved_kcqg, "
        "approved_kcdp FROM projects_project",
        "projects_advance": "SELECT project_id, amount FROM projects_advance",
        "projects_payment": "SELECT project_id, amount FROM projects_payment",
    }
    files = {}
    with connection.cursor() as cursor:
        for table, query in queries.items():
            files[table] = directory / f"{table}.csv"
            sql = f"COPY ({query}) TO STDOUT WITH CSV HEADER"
            with files[table].open("wb") as out, cursor.cursor.copy(sql) as copy:
                for block in copy:
                    out.write(block)
    return files


def duckdb_rollup() -> Callable[[], list[tuple[Any, ...]]]:
    """Copy the rows to Parquet once; returns the query to time (DuckDB on the Parquet)."""
    import duckdb

    directory = Path(tempfile.mkdtemp(prefix="khuyencong-duckdb-"))
    db = duckdb.connect()
    for table, csv in _export(directory).items():
        parquet = directory / f"{table}.parquet"
        db.execute(f"COPY (SELECT * FROM read_csv_auto('{csv}')) TO '{parquet}' (FORMAT PARQUET)")
        db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{parquet}')")
    states = ", ".join(f"'{s}'" for s in SUPPORTED)
    query = SQL.format(states=states)

    def run() -> list[tuple[Any, ...]]:
        return db.execute(query).fetchall()

    return run
