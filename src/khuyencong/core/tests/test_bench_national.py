"""How ``make bench-national`` samples pages and judges growth (issue 11): the read pages in
rounds, each request of a page paired with one of the same page at the baseline scale, and the
growth verdict over those pairs. The child process of the baseline scale is stood in for by an
object that answers as it would (its real run needs a seeded PostgreSQL per scale)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from khuyencong import bench_national
from khuyencong.bench_national import GROWTH_FLOOR, Measured, _interleaved, _Sampled, compare

pytestmark = pytest.mark.django_db


class RecordingClient(Client):
    def __init__(self, calls: list[str]) -> None:
        super().__init__()
        self.calls = calls

    def get(self, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.calls.append(f"này {path}")
        return super().get(path, *args, **kwargs)


class ChildAnswers:
    """What :class:`bench_national._Twin` offers, answering as the child process would."""

    def __init__(self, keys: set[str], calls: list[str]) -> None:
        self.keys = keys
        self.samples: dict[str, list[tuple[float, int]]] = {key: [] for key in keys}
        self.calls = calls

    def get(self, key: str) -> tuple[float, int]:
        self.calls.append(f"gốc {key}")
        return 0.001, 1


def test_pages_are_sampled_in_rounds_each_request_paired_with_the_baseline_in_turn():
    calls: list[str] = []
    client = RecordingClient(calls)
    catalogue = _Sampled("Cục", "cổng", client, "/san-pham/", 3, 0.15, [])
    alone = _Sampled("Cục", "robots", client, "/robots.txt", 2, 0.15, [])
    twin = ChildAnswers({catalogue.key}, calls)
    _interleaved([catalogue, alone], twin)  # type: ignore[arg-type]
    warm = bench_national.WARMUP
    assert (
        calls[: 3 * warm]
        == ["này /san-pham/", "gốc Cục | cổng"] * warm + ["này /robots.txt"] * warm
    )
    assert calls[3 * warm :] == [
        "gốc Cục | cổng", "này /san-pham/", "này /robots.txt",  # round 0: the baseline first
        "này /san-pham/", "gốc Cục | cổng", "này /robots.txt",  # round 1: second
        "gốc Cục | cổng", "này /san-pham/",  # round 2: only the page asked 3 times
    ]  # fmt: skip
    assert (len(catalogue.times), len(alone.times)) == (3, 2)
    assert twin.samples[catalogue.key] == [(0.001, 1)] * 3
    assert catalogue.queries > 0  # the last sample's count, read from the real page


def test_a_long_run_counts_each_requests_queries_not_the_full_log():
    """Regression: a measurement of ~2,500 requests filled Django's query log (9,000 entries,
    not cleared while counting) and every page then counted 0 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as one:
        client.get("/san-pham/")
    connection.queries_log.extend({"sql": "", "time": "0"} for _n in range(9000))
    catalogue = _Sampled("Cục", "cổng", client, "/san-pham/", 2, 0.15, [])
    _interleaved([catalogue])
    assert catalogue.queries == len(one) > 0


def test_growth_is_judged_on_the_paired_baseline_with_the_stated_floor(capsys):
    def page(name: str, *times_ms: float, queries: int = 4) -> Measured:
        return Measured("Cục", name, [t / 1000 for t in times_ms], queries, 0.15)

    pages = [
        page("tìm", 30, 30, 30),  # 10 → 30 ms: ×3, judged
        page("nhỏ", 18, 18, 18),  # 6 → 18 ms: ×3 but under the floor at both scales
        page("đếm", 25, 25, 25, queries=5),  # one query more than at the baseline
        page("mới", 40, 40, 40),  # no baseline sample: not compared
    ]
    baseline = {
        "Cục | tìm": {"p95": 0.010, "queries": 4},
        "Cục | nhỏ": {"p95": 0.006, "queries": 4},
        "Cục | đếm": {"p95": 0.025, "queries": 4},
    }
    growth = compare(pages, baseline, 0.01)
    assert growth.worst == pytest.approx(3.0)
    assert growth.worst_page == "Cục: tìm"
    assert growth.changed == ["Cục: đếm 4 → 5"]
    assert (growth.compared, growth.floored) == (3, 1)
    printed = capsys.readouterr().out
    assert "So với scale 0.01, đo cùng lúc" in printed
    assert f"dưới {GROWTH_FLOOR * 1000:.0f} ms" in printed
