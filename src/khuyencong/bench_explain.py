"""EXPLAIN (ANALYZE, BUFFERS) of every query of the measured pages, for ``bench_national
--explain FILE`` on PostgreSQL: the plans into a Markdown file, and the scans and sorts that
read a large part of a national table flagged (each needs an index or another query).
Never imported by the tests."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: A sequential scan or a sort that reads more rows than this is flagged.
LARGE = 20_000
_SKIP = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|DECLARE|FETCH|CLOSE)\b", re.I)


@dataclass(frozen=True)
class Flag:
    page: str
    node: str
    relation: str
    rows: int


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def flags_of(page: str, plan: dict[str, Any]) -> list[Flag]:
    """Seq scans and sorts over more than :data:`LARGE` rows in one JSON plan."""
    found = []
    for node in _nodes(plan):
        kind = node.get("Node Type", "")
        loops = node.get("Actual Loops", 1) or 1
        read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
        if kind == "Seq Scan" and read > LARGE:
            found.append(Flag(page, kind, node.get("Relation Name", ""), int(read)))
        elif kind in {"Sort", "Incremental Sort"}:
            rows = sum(
                c.get("Actual Rows", 0) * (c.get("Actual Loops", 1) or 1)
                for c in node.get("Plans", ())
            )
            if rows > LARGE:
                found.append(Flag(page, kind, ", ".join(node.get("Sort Key", [])), int(rows)))
    return found


def buffers_of(plan: dict[str, Any]) -> int:
    """Shared buffers (8 KiB pages) a query touched, hit or read: what a page costs the
    database independently of the machine's load — the figure to compare between scales."""
    return int(plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0))


def explain(page: str, sqls: Iterable[str]) -> tuple[str, list[Flag]]:
    """The Markdown section of one page (every SELECT's plan, the buffers the page touched in
    all) and its flags."""
    import json

    from django.db import connection

    lines = [f"## {page}", ""]
    flags: list[Flag] = []
    buffers = 0
    with connection.cursor() as cursor:
        for number, sql in enumerate(sqls, start=1):
            if _SKIP.match(sql) or not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            flags += flags_of(page, plan["Plan"])
            buffers += buffers_of(plan["Plan"])
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            text = "\n".join(row[0] for row in cursor.fetchall())
            shown = sql if len(sql) <= 600 else sql[:600] + " …"
            lines += [f"{number}. `{shown}`", "", "```", text, "```", ""]
    lines.insert(2, f"Buffers (hit + read), all queries: **{buffers:,}**\n")
    return "\n".join(lines), flags
