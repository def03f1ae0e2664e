"""The national roll-up computed outside the application, for ``bench_national`` to compare:
one SQL ``GROUP BY`` on PostgreSQL, and DuckDB over the same rows written to Parquet. All three
read the same denormalised project columns (the disbursed money the services keep on each
project), so the ratios compare engines, not data shapes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

from khuyencong.projects import workflow

SUPPORTED = tuple(sorted(workflow.SUPPORTED))

#: Projects that count (approved and later), their approved money and what was disbursed
#: (advances + payments that count, kept on each project by the services: ``kept_money``), by
#: province, plan year and fund — the same columns ``projects.selectors.national_rollup`` reads.
SQL = """
SELECT unit_id, plan_year, fund, COUNT(*), SUM(approved_kcqg + approved_kcdp),
       SUM(disbursed_kcqg + disbursed_kcdp)
FROM projects_project WHERE status IN ({states})
GROUP BY unit_id, plan_year, fund
"""


def sql_rollup() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(states=", ".join(["%s"] * len(SUPPORTED))), SUPPORTED)
        return cursor.fetchall()


def _export(directory: Path) -> dict[str, Path]:
    """The table the roll-up reads, copied out of PostgreSQL as CSV."""
    queries = {
        "projects_project": "SELECT id, unit_id, plan_year, fund, status, approved_kcqg, "
        "approved_kcdp, disbursed_kcqg, disbursed_kcdp FROM projects_project",
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
