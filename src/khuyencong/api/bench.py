"""Đo hiệu năng API (``make bench``): a page of 500 establishments, and the change feed read
to its end over 100,000 changes with flat memory (issue 15, "Speed").

The data (not timed): 2,000 establishments of Sơn La imported through the import service, and
their history grown to 100,000 rows (each establishment updated 49 times), which is what the
feed reads. Everything is removed afterwards so that the other benchmarks see the same data.
"""

from __future__ import annotations

import copy
import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ESTABLISHMENTS = 2_000
CHANGES = 100_000
TAX_PREFIX = "96"
READER = "trungtam.sonla@demo.khuyencong.vn"  # the Sơn La centre: the feed of its province
#: "Flat": the objects still allocated after 100,000 changes exceed those still allocated
#: after 10,000 by at most this (MB, tracemalloc snapshots compared after gc.collect()):
#: nothing accumulates while a client reads the feed.
FLAT_MB = 1.0
#: A ceiling against a regression (the issue sets no time for the feed; 28 s measured).
FEED_SECONDS = 120.0


def _build() -> None:
    from khuyencong.registry.bench import _communes, make_xlsx, sample_rows
    from khuyencong.registry.models import Establishment
    from khuyencong.registry.services import import_establishments

    rows = sample_rows(ESTABLISHMENTS, _communes(), tax_prefix=TAX_PREFIX)
    outcome = import_establishments(
        actor=None, content=make_xlsx(rows), filename="api-bench.xlsx", enforce_scope=False
    )
    if not outcome.ok:
        raise RuntimeError(f"api bench: the import failed: {outcome.errors[:3]}")
    history = Establishment.history.model
    created = list(history.objects.filter(tax_code__startswith=TAX_PREFIX))
    updates = []
    for round_ in range(1, CHANGES // ESTABLISHMENTS):
        for row in created:
            update = copy.copy(row)
            update.history_id, update.history_type = None, "~"
            update.version = row.version + round_
            updates.append(update)
        if len(updates) >= 20_000:
            history.objects.bulk_create(updates, batch_size=2_000)
            updates = []
    history.objects.bulk_create(updates, batch_size=2_000)


def _remove() -> None:
    from khuyencong.registry.models import Establishment

    Establishment.history.filter(tax_code__startswith=TAX_PREFIX).delete()
    Establishment.objects.filter(tax_code__startswith=TAX_PREFIX).delete()


def _read_feed(client: Any, upto: int, after_page: Callable[[int], None] | None = None) -> int:
    """Read the feed page by page (1,000 a page) as a client that keeps nothing: the count.
    ``after_page`` is called with the number of changes read so far after each page."""
    from django.db import reset_queries

    since, read = 0, 0
    while read < upto:
        response = client.get(f"/api/v1/changes?since={since}&limit=1000")
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        # The bench runs with DEBUG on (demo data needs it), so Django keeps the last 9,000
        # queries' SQL in connection.queries_log: that, not the feed, grew with the pages read.
        reset_queries()
        read += len(page["results"])
        page_next, page_cursor = page["next"], page["cursor"]
        del response, page  # a client that keeps nothing: the snapshot sees no page
        if after_page is not None:
            after_page(read)
        if page_next is None:
            break
        since = page_cursor
    return read


@dataclass(frozen=True)
class Held:
    """Memory of one feed read (MB). ``current_*``: tracemalloc's "current" after the page of
    10,000 changes and after the last page, as the bench printed it before: it counts what the
    pages left for the collector, so it moves with the garbage, not with the feed.
    ``retained``: the size difference of two snapshots taken after gc.collect(), what really
    stayed allocated between the two pages: the target."""

    current_early: float
    current_late: float
    retained: float
    peak: float


def _traced() -> float:
    return tracemalloc.get_traced_memory()[0] / 1e6


def _snapshot() -> tuple[float, tracemalloc.Snapshot, float]:
    """ "Current" before collecting, the snapshot after, and the size of the snapshot itself."""
    current = _traced()
    gc.collect()
    before = _traced()
    # The snapshot is allocated while tracing: tracemalloc's own frames leave the diff.
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    return current, snapshot, _traced() - before


def _held(client: Any) -> Held:
    """Read the whole feed under tracemalloc, comparing the page at 10,000 with the last."""
    early: list[tuple[float, tracemalloc.Snapshot, float]] = []

    def after_page(read: int) -> None:
        if not early and read >= CHANGES // 10:
            early.append(_snapshot())

    tracemalloc.start()
    try:
        _read_feed(client, CHANGES, after_page)
        current_late, late, _ = _snapshot()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    current_early, first, own = early[0]
    retained = sum(stat.size_diff for stat in late.compare_to(first, "filename")) / 1e6
    return Held(current_early, current_late - own, retained, peak)


def run(measure: Callable[..., Any], result: Callable[..., Any]) -> list[Any]:
    from django.test import Client

    from khuyencong.accounts.models import User

    _build()
    try:
        client = Client()
        client.force_login(User.objects.get(email=READER))

        def page() -> None:
            response = client.get("/api/v1/establishments?page_size=500")
            assert response.status_code == 200, response.content[:300]
            assert len(response.json()["results"]) == 500

        found = [measure("api: a page of 500 establishments", 0.15, page, repeat=10)]
        start = time.perf_counter()
        read = _read_feed(client, CHANGES)
        elapsed = time.perf_counter() - start
        if read < CHANGES:
            raise RuntimeError(f"api bench: the feed gave {read} changes, not {CHANGES}")
        held = _held(client)
        flat = held.retained <= FLAT_MB
        name = (
            f"api: change feed, {read:,} changes (retained after gc, 10,000 → {read:,}: "
            f"{held.retained * 1024:+,.0f} KiB, target ≤ {FLAT_MB} MB; tracemalloc current "
            f"{held.current_early:.1f} → {held.current_late:.1f} MB, peak {held.peak:.1f} MB)"
        )
        # Memory that grows with the feed misses the target whatever the time.
        found.append(result(name, elapsed, FEED_SECONDS if flat else 0.0))
        return found
    finally:
        _remove()
