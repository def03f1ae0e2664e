"""Reporting at national scale, for ``bench_national``: the dashboard pages and the roll-up
from live data next to DuckDB computing the same figures over the same rows.

The figures compared are the project indicators of the roll-up (projects approved by fund and
content group, money approved by source and content group, money advanced and money paid by
fund and content group, per province, in a period's window): the application's
``computations`` against DuckDB grouping the same rows the same way, over the project, advance
and payment rows copied out of PostgreSQL into Parquet beforehand (only the queries are timed).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

from khuyencong.projects import cosign

from . import computations
from .periods import Period
from .rollup import national_rollup

PERIOD = Period.parse("2026-H1")
APP_COMPUTATIONS = ("projects-approved", "money-approved", "money-advanced", "money-paid")

#: The same figures as the application, over the same rows: the approved projects grouped by
#: province, fund and support content (counts and the four money columns: projects approved by
#: fund and by content group, money approved by source and by content group are read off these
#: rows, as ``computations._approved`` does), the advances, and the payments that count as
#: disbursed (``cosign.DISBURSED``), each grouped by province, fund and content.
DUCKDB_QUERIES = (
    """SELECT unit_id, fund, content, COUNT(*), SUM(approved_kcqg), SUM(approved_kcdp),
              SUM(counterpart), SUM(other)
       FROM projects_project
       WHERE status IN ({states}) AND decision_date BETWEEN DATE '{start}' AND DATE '{end}'
       GROUP BY unit_id, fund, content""",
    """SELECT p.unit_id, d.fund, p.content, SUM(d.amount) FROM projects_advance d
       JOIN projects_project p ON p.id = d.project_id
       WHERE d.paid_on BETWEEN DATE '{start}' AND DATE '{end}'
       GROUP BY p.unit_id, d.fund, p.content""",
    """SELECT p.unit_id, d.fund, p.content, SUM(d.amount) FROM projects_payment d
       JOIN projects_project p ON p.id = d.project_id
       WHERE d.paid_on BETWEEN DATE '{start}' AND DATE '{end}'
             AND COALESCE(d.cosign_status, '') IN ({disbursed})
       GROUP BY p.unit_id, d.fund, p.content""",
)

TABLES = {
    "projects_project": "SELECT id, unit_id, fund, content, status, decision_date, "
    "approved_kcqg, approved_kcdp, counterpart, other FROM projects_project",
    "projects_advance": "SELECT project_id, fund, amount, paid_on FROM projects_advance",
    "projects_payment": "SELECT project_id, fund, amount, paid_on, cosign_status "
    "FROM projects_payment",
}


def app_figures() -> list[Any]:
    """The computations as the roll-up runs them (one family sharing its rows)."""
    with computations.sharing():
        return [
            computations.compute(name, period=PERIOD, cutoff=PERIOD.end, level="province")
            for name in APP_COMPUTATIONS
        ]


def full_rollup() -> dict[str, Any]:
    return national_rollup(PERIOD)


def _copy_csv(cursor: Any, query: str, path: Path) -> None:
    """The rows of ``query`` as CSV with a header: PostgreSQL's COPY (the bench), or the rows
    written one by one on SQLite (the parity test runs the same DuckDB path there)."""
    if connection.vendor == "postgresql":
        copying = f"COPY ({query}) TO STDOUT WITH CSV HEADER"
        with path.open("wb") as out, cursor.cursor.copy(copying) as copy:
            for block in copy:
                out.write(block)
        return
    cursor.execute(query)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(column[0] for column in cursor.description)
        writer.writerows(cursor.fetchall())


def duckdb_figures(directory: Path | None = None) -> Callable[[], list[Any]]:
    """Copy the rows to Parquet once (in ``directory``, a new temporary one by default);
    returns the queries to time, whose rows are in ``DUCKDB_QUERIES``' order."""
    import duckdb

    if directory is None:
        directory = Path(tempfile.mkdtemp(prefix="khuyencong-reporting-duckdb-"))
    db = duckdb.connect()
    with connection.cursor() as cursor:
        for table, query in TABLES.items():
            rows = directory / f"{table}.csv"
            _copy_csv(cursor, query, rows)
            parquet = directory / f"{table}.parquet"
            db.execute(
                f"COPY (SELECT * FROM read_csv_auto('{rows}')) TO '{parquet}' (FORMAT PARQUET)"
            )
            db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{parquet}')")
    states = ", ".join(f"'{s}'" for s in computations.SUPPORTED)
    # The CSV copy reads the empty status ("no co-signature needed") back as NULL.
    disbursed = ", ".join(f"'{s}'" for s in sorted(cosign.DISBURSED))
    queries = [
        q.format(
            states=states,
            disbursed=disbursed,
            start=PERIOD.start.isoformat(),
            end=PERIOD.end.isoformat(),
        )
        for q in DUCKDB_QUERIES
    ]

    def run() -> list[Any]:
        return [db.execute(q).fetchall() for q in queries]

    return run
