"""The pure parts of the load run (``khuyencong.bench_load``, issue 11 item 7): locust's summary,
the verdict, the pacing of the judged run, the CPU of process trees read from /proc. locust
itself is never imported here (it runs from its own virtualenv)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from khuyencong.bench_load import (
    PACED_RPS,
    TARGET_RPS,
    USERS,
    LoadResult,
    LoadRuns,
    ProcStat,
    cpu_line,
    cpu_ms_per_request,
    machine_busy_ticks,
    pace_per_user,
    parse_stat,
    parse_summary,
    tree_ticks,
)
from khuyencong.bench_targets import checks

#: The head and last row of a real ``--csv`` ``_stats.csv`` of locust 2.47 (times in ms).
STATS_CSV = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,"
    "75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,Cục: trang chủ,120,0,370,371.2,40,900,21000,2.0,0.0,370,400,420,430,460,480,500,600,"
    "900,900,900\n"
    ",Aggregated,4439,2,380,391.5,12.3,1900.1,25000.4,74.83,0.03,380,410,430,440,470,490,540,"
    "610,1100,1900,1900\n"
)


def _result(*, rps: float = 105.0, p95: float = 0.250, failures: int = 0) -> LoadResult:
    return LoadResult(requests=6300, failures=failures, rps=rps, p50=0.1, p95=p95)


def test_the_summary_is_the_aggregated_row_in_seconds():
    result = parse_summary(STATS_CSV, load=3.5, paced=110.0)
    assert (result.requests, result.failures, result.rps) == (4439, 2, 74.83)
    assert (result.p50, result.p95) == (0.380, 0.490)
    assert (result.load, result.paced) == (3.5, 110.0)


def test_the_verdict_needs_throughput_latency_and_no_error():
    assert _result().met
    assert _result(rps=TARGET_RPS, p95=0.300).met  # the bounds themselves meet the target
    assert not _result(rps=99.9).met
    assert not _result(p95=0.301).met
    assert not _result(failures=1).met


def test_the_paced_users_ask_110_requests_a_second_together():
    per_user = pace_per_user(PACED_RPS, USERS)
    assert per_user == pytest.approx(110 / 30)
    assert per_user * USERS == pytest.approx(110.0)
    # Above the target: ≥ 100 measured is the server keeping pace, not the pacing.
    assert per_user * USERS > TARGET_RPS
    with pytest.raises(ValueError, match="positive"):
        pace_per_user(110.0, 0)


def test_the_summary_judges_the_paced_run_not_the_capacity_run():
    capacity = _result(rps=150.0, p95=0.200)
    judged = _result(rps=95.0, p95=0.500)
    load = checks([], None, None, None, LoadRuns(capacity=capacity, judged=judged))[-1]
    assert load.met is False
    assert "năng lực" in load.detail
    assert "150.0" in load.detail
    load = checks([], None, None, None, LoadRuns(capacity=judged, judged=capacity))[-1]
    assert load.met is True


def test_a_stat_line_is_read_after_the_command_name_whatever_it_holds():
    # A PostgreSQL background process renames itself; a name may hold spaces and ")".
    line = "812 (postgres: x) y) S 800 800 800 0 -1 4194560 90 0 0 0 120 35 7 3 20 0 1 0 55 0 0"
    assert parse_stat(line) == ProcStat(pid=812, ppid=800, own=155, reaped=10)


def test_a_tree_counts_its_descendants_and_their_reaped_children_only():
    stats = {
        1: ProcStat(1, 0, own=1000, reaped=0),  # init: not in the tree
        10: ProcStat(10, 1, own=5, reaped=40),  # gunicorn master; a recycled worker's 40
        11: ProcStat(11, 10, own=300, reaped=0),
        12: ProcStat(12, 10, own=200, reaped=2),
        13: ProcStat(13, 12, own=1, reaped=0),
        20: ProcStat(20, 1, own=700, reaped=0),  # another engineer's server
    }
    assert tree_ticks(stats, 10) == 5 + 40 + 300 + 200 + 2 + 1
    assert tree_ticks(stats, 99) == 0  # ended


def test_the_machine_is_busy_except_idle_and_iowait():
    # user nice system idle iowait irq softirq steal guest guest_nice
    assert machine_busy_ticks("cpu  100 2 30 5000 70 0 4 8 0 0\ncpu0 1 2 3 4\n") == 144


def test_cpu_per_request_is_the_ticks_between_samples_over_the_requests():
    before = {"gunicorn": 1000, "postgres": 500, "locust": 20, "máy": 4000}
    after = {"gunicorn": 1900, "postgres": 800, "locust": 80, "máy": 5400}
    per_request = cpu_ms_per_request(before, after, 1000, 100)  # 100 ticks a second
    assert per_request == {"gunicorn": 9.0, "postgres": 3.0, "locust": 0.6, "máy": 14.0}
    assert cpu_ms_per_request(before, after, 0, 100) == {}
    line = cpu_line(LoadResult(1000, 0, 100.0, 0.1, 0.2, cpu_ms=per_request))
    assert line == (
        "CPU ms/yêu cầu: gunicorn 9.0, postgres 3.0, locust 0.6 = 12.6; "
        "cả máy 14.0 (tiến trình khác 1.4)"
    )


def _database_settings(tmp_path, **env: str) -> dict:
    """``DATABASES["default"]`` as a fresh process reads it from this environment."""
    code = (
        "import json; from django.conf import settings; "
        "d = settings.DATABASES['default']; "
        "print(json.dumps({'options': d.get('OPTIONS', {}), 'health': d['CONN_HEALTH_CHECKS']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
            "PYTHONPATH": str(Path(__file__).resolve().parents[3]),  # this checkout's settings
            "KHUYENCONG_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://officer@db.example/khuyencong",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_database_options_the_load_run_compares(tmp_path):
    # Server-side binding, on by default for PostgreSQL, prepares a statement after
    # DB_PREPARE_THRESHOLD runs (Django's default turns preparing off, so the binding alone
    # would not stop the re-planning).
    # Every execution planned for its own values: a generic plan chosen after five runs made the
    # establishment search 18 → 30+ ms at scale 1.0 (docs/bench/quiet-run-2026-12-05-d.md).
    custom = "-c plan_cache_mode=force_custom_plan"
    bound = {"server_side_binding": True, "prepare_threshold": 5, "options": custom}
    assert _database_settings(tmp_path) == {"options": bound, "health": False}
    assert _database_settings(tmp_path, DB_SERVER_SIDE_BINDING="1")["options"] == bound
    assert _database_settings(tmp_path, DB_SERVER_SIDE_BINDING="0")["options"] == {}
    assert _database_settings(tmp_path, DB_CONN_HEALTH_CHECKS="1")["health"] is True
    # Behind a pooler in transaction mode: bound in the server, never prepared.
    unprepared = _database_settings(tmp_path, DB_SERVER_SIDE_BINDING="1", DB_PREPARE_THRESHOLD="")
    assert unprepared["options"] == {
        "server_side_binding": True,
        "prepare_threshold": None,
        "options": custom,
    }
