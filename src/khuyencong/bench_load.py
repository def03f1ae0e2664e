"""The bounded load run of ``make bench-national LOAD=1`` (issue 11 item 7): never part of the
tests, never imported by pytest's code under test (its pure helpers are tested).

Serves the application with gunicorn as the README recommends for 2 cores (``LOAD_WORKERS``,
``DB_CONN_MAX_AGE``), then runs locust headless (``scripts/load/locustfile.py``, from its own
virtualenv: locust registers a pytest plugin and patches the standard library with gevent) with
``USERS`` concurrent officers on the read pages, twice on the same server:

- **capacity** ("năng lực"): no pause between requests. A closed loop of ``USERS`` users has
  mean latency = users / throughput (Little's law), so this measures the requests/s at
  saturation and the latencies that saturation gives; it is reported, not judged.
- **judged** ("chấm"): each user paced with locust's ``constant_throughput`` so that together
  they ask ``PACED_RPS`` (110) requests/s. ≥ 100 measured then means the server kept pace;
  the verdict is ≥ 100 requests/s, p95 ≤ 300 ms, no error.

During each run the CPU time (utime + stime from /proc) of the gunicorn master and workers, the
PostgreSQL server (postmaster, backends, WAL writer, …) and locust is sampled and printed per
request: on a shared machine that figure moves far less than requests/s (docs/bench/method.md).

``python -m khuyencong.bench_load ab`` alternates server settings on one kept database for the
A/B of docs/bench/load-2026-12-05.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

#: cores + 1 (README, deployment): on the 2 cores shared with PostgreSQL, 3 sync workers cost
#: ~12 % less CPU a request than 5 (docs/bench/load-2026-12-05.md); ``LOAD_WORKERS`` tries others.
WORKERS = int(os.environ.get("LOAD_WORKERS", "3"))
USERS = 30
DURATION = 60
TARGET_RPS = 100.0
TARGET_P95 = 0.300
#: What the paced users ask together in the judged run: above the target, so that a measured
#: ≥ 100 says the server kept pace, not that the pacing held it back.
PACED_RPS = 110.0
LOCUSTFILE = Path(__file__).resolve().parents[2] / "scripts" / "load" / "locustfile.py"
#: The components whose CPU is sampled, in the order printed.
COMPONENTS = ("gunicorn", "postgres", "locust")


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    #: The load average (1 min) when the run ended: on a shared machine, read beside it.
    load: float = 0.0
    #: Requests/s the users were paced to ask together; ``None``: no pause (capacity).
    paced: float | None = None
    #: CPU ms per request by component (``COMPONENTS``, then "máy": the whole machine).
    cpu_ms: Mapping[str, float] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.failures == 0 and self.rps >= TARGET_RPS and self.p95 <= TARGET_P95


@dataclass(frozen=True)
class LoadRuns:
    """The capacity run (reported) and the judged run (its ``met`` is the target's)."""

    capacity: LoadResult
    judged: LoadResult


def parse_summary(stats_csv: str, *, load: float = 0.0, paced: float | None = None) -> LoadResult:
    """The "Aggregated" row of locust's ``--csv`` ``_stats.csv`` (times in ms there)."""
    total = next(
        row for row in csv.DictReader(io.StringIO(stats_csv)) if row["Name"] == "Aggregated"
    )
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]) / 1000,
        p95=float(total["95%"]) / 1000,
        load=load,
        paced=paced,
    )


def pace_per_user(total_rps: float, users: int) -> float:
    """``constant_throughput``'s argument: each user's task runs per second (one request a
    task) so that ``users`` of them ask ``total_rps`` together."""
    if users <= 0 or total_rps <= 0:
        raise ValueError("users and requests/s must be positive")
    return total_rps / users


# --- CPU of process trees, from /proc -------------------------------------------------------


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    #: utime + stime of the process itself, in clock ticks.
    own: int
    #: cutime + cstime: of its children that exited and were reaped (a gunicorn worker
    #: recycled, a PostgreSQL backend whose connection closed).
    reaped: int


def parse_stat(text: str) -> ProcStat:
    """One ``/proc/PID/stat`` line. The command name sits in parentheses and may itself hold
    spaces and parentheses ("postgres: walwriter"), so fields are counted from the last ")"."""
    pid = int(text[: text.index(" ")])
    rest = text[text.rindex(")") + 2 :].split()
    # After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
    ppid, utime, stime, cutime, cstime = (int(rest[i - 3]) for i in (4, 14, 15, 16, 17))
    return ProcStat(pid, ppid, utime + stime, cutime + cstime)


def tree_ticks(stats: Mapping[int, ProcStat], root: int) -> int:
    """CPU ticks of ``root`` and every descendant alive or reaped: the difference of two
    samples is the tree's CPU between them even when processes come and go (an exited
    child's ticks move into its parent's ``reaped``)."""
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid].own + stats[pid].reaped
            todo += children.get(pid, [])
    return total


def machine_busy_ticks(proc_stat: str) -> int:
    """Busy ticks of all CPUs from ``/proc/stat``'s "cpu" line: user, nice, system, irq,
    softirq, steal (not idle, not iowait)."""
    values = [int(v) for v in proc_stat.splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values
    return user + nice + system + irq + softirq + steal


def cpu_ms_per_request(
    before: Mapping[str, int], after: Mapping[str, int], requests: int, hz: int
) -> dict[str, float]:
    """Per component, the CPU ms a request cost between two samples of ticks."""
    if requests <= 0:
        return {}
    return {name: (after[name] - before[name]) * 1000 / hz / requests for name in before}


def _read_stats() -> dict[int, ProcStat]:
    stats = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", encoding="utf-8") as stat:
                    stats[int(entry.name)] = parse_stat(stat.read())
            except (OSError, ValueError):  # the process ended while we read
                continue
    return stats


def _sample(roots: Mapping[str, int]) -> dict[str, int]:
    stats = _read_stats()
    sample = {name: tree_ticks(stats, pid) for name, pid in roots.items()}
    with open("/proc/stat", encoding="utf-8") as proc_stat:
        sample["máy"] = machine_busy_ticks(proc_stat.read())
    return sample


def _postmaster_pid() -> int:
    """The parent of this process's own backend: the server of ``DATABASE_URL`` (other
    engineers' PostgreSQL servers on the machine are not ours)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    with open(f"/proc/{backend}/stat", encoding="utf-8") as stat:
        return parse_stat(stat.read()).ppid


# --- Serving and loading --------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """How gunicorn and the database connection are set up for a run (the A/B's variables)."""

    workers: int = WORKERS
    #: > 1: gunicorn's gthread worker with this many threads per worker.
    threads: int = 1
    #: gunicorn ``--max-requests`` (0: never recycle a worker).
    max_requests: int = 0
    #: Environment of the server: ``DB_SERVER_SIDE_BINDING``, ``DB_CONN_HEALTH_CHECKS``.
    env: Mapping[str, str] = field(default_factory=dict)

    def label(self) -> str:
        parts = [f"{self.workers} worker"]
        if self.threads > 1:
            parts.append(f"gthread {self.threads} luồng")
        if self.max_requests:
            parts.append(f"--max-requests {self.max_requests}")
        parts += [f"{k}={v}" for k, v in sorted(self.env.items())]
        return ", ".join(parts)

    def command(self, port: int) -> list[str]:
        serve = [sys.executable, "-m", "gunicorn", "khuyencong.wsgi"]
        serve += ["--workers", str(self.workers), "--bind", f"127.0.0.1:{port}"]
        serve += ["--log-level", "warning"]
        if self.threads > 1:
            serve += ["--worker-class", "gthread", "--threads", str(self.threads)]
        if self.max_requests:
            serve += ["--max-requests", str(self.max_requests)]
            serve += ["--max-requests-jitter", str(self.max_requests // 10)]
        return serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _attempt in range(120):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before serving")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz within a minute")


@contextmanager
def serving(
    plan: dict[str, Any], server: Server
) -> Iterator[tuple[str, subprocess.Popen[bytes], dict[str, str]]]:
    """gunicorn serving this checkout for the duration of the block: (base URL, the master
    process, the environment locust needs)."""
    from django.conf import settings

    work = tempfile.mkdtemp(prefix="khuyencong-load-")
    plan_path = os.path.join(work, "plan.json")
    with open(plan_path, "w", encoding="utf-8") as plan_file:
        json.dump(plan, plan_file, ensure_ascii=False)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "0", "DB_CONN_MAX_AGE": "60", "LOAD_PLAN": plan_path}
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "")
    env["SECRET_KEY"] = settings.SECRET_KEY  # the sessions made here must verify there
    env.update(server.env)
    process = subprocess.Popen(server.command(port), env=env)
    try:
        _wait_until_up(base, process)
        yield base, process, env
    finally:
        process.terminate()
        process.wait(timeout=30)


def load_once(
    locust: str,
    base: str,
    gunicorn_pid: int,
    env: dict[str, str],
    *,
    seconds: int,
    paced: float | None,
) -> LoadResult:
    """One locust run against a serving gunicorn, its CPU sampled per component."""
    prefix = os.path.join(tempfile.mkdtemp(prefix="khuyencong-locust-"), "locust")
    command = [locust, "-f", str(LOCUSTFILE), "--headless", "--users", str(USERS)]
    command += ["--spawn-rate", str(USERS), "--run-time", f"{seconds}s", "--host", base]
    command += ["--csv", prefix, "--only-summary", "--loglevel", "WARNING"]
    run_env = dict(env)
    if paced is not None:
        run_env["LOAD_PACE"] = repr(pace_per_user(paced, USERS))
    roots = {"gunicorn": gunicorn_pid, "postgres": _postmaster_pid()}
    # locust's start-up (imports, gevent) is inside its window: about 1 s of CPU over the
    # run's thousands of requests (docs/bench/load-2026-12-05.md).
    # locust's own tables go beside its CSV (the figures are printed here; the file is named
    # when locust leaves no summary).
    with open(f"{prefix}_output.txt", "wb") as out:
        process = subprocess.Popen(command, env=run_env, stdout=out, stderr=subprocess.STDOUT)
    before = _sample({**roots, "locust": process.pid})
    # Wait for locust to end without reaping it: its ticks stay readable (as a zombie's)
    # for the last sample, then it is reaped.
    os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    after = _sample({**roots, "locust": process.pid})
    process.wait()
    # locust exits 1 when a request failed: the summary says so.
    if not os.path.exists(f"{prefix}_stats.csv"):
        raise RuntimeError(f"locust left no summary: {prefix}_output.txt")
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        result = parse_summary(stats.read(), load=os.getloadavg()[0], paced=paced)
    hz = os.sysconf("SC_CLK_TCK")
    return replace(result, cpu_ms=cpu_ms_per_request(before, after, result.requests, hz))


def run(locust: str, plan: dict[str, Any], *, duration: int = DURATION) -> LoadRuns:
    """Serve, run the capacity then the judged load for ``duration`` seconds each, stop."""
    with serving(plan, Server()) as (base, process, env):
        capacity = load_once(locust, base, process.pid, env, seconds=duration, paced=None)
        judged = load_once(locust, base, process.pid, env, seconds=duration, paced=PACED_RPS)
    return LoadRuns(capacity, judged)


def cpu_line(result: LoadResult) -> str:
    """ "CPU ms/yêu cầu: gunicorn 9.1, postgres 4.2, locust 1.3 = 14.6; máy 16.0 (khác 1.4)"."""
    cpu = result.cpu_ms
    if not cpu:
        return "CPU: không đo được"
    ours = sum(cpu.get(name, 0.0) for name in COMPONENTS)
    parts = ", ".join(f"{name} {cpu[name]:.1f}" for name in COMPONENTS if name in cpu)
    line = f"CPU ms/yêu cầu: {parts} = {ours:.1f}"
    if "máy" in cpu:
        line += f"; cả máy {cpu['máy']:.1f} (tiến trình khác {cpu['máy'] - ours:.1f})"
    return line


def describe(result: LoadResult) -> str:
    return (
        f"{result.rps:.1f} yêu cầu/s, p50 {result.p50 * 1000:.0f} ms, p95 "
        f"{result.p95 * 1000:.0f} ms, {result.failures} lỗi trên {result.requests} yêu cầu "
        f"(tải {result.load:.1f})"
    )


def report(runs: LoadRuns) -> None:
    judged = runs.judged
    flag = "" if judged.met else "  TRƯỢT"
    print(
        f"\nTải {USERS} người dùng đồng thời, gunicorn {WORKERS} worker:\n"
        f"  năng lực (không nghỉ giữa các yêu cầu): {describe(runs.capacity)}\n"
        f"    {cpu_line(runs.capacity)}\n"
        f"  chạy được chấm (nhịp {judged.paced or PACED_RPS:.0f} yêu cầu/s): {describe(judged)}"
        f" — mục tiêu ≥ {TARGET_RPS:.0f} yêu cầu/s, p95 ≤ {TARGET_P95 * 1000:.0f} ms, 0 lỗi{flag}\n"
        f"    {cpu_line(judged)}",
        flush=True,
    )


# --- A/B of server settings -----------------------------------------------------------------

#: The settings compared (docs/bench/load-2026-12-05.md), each against the README's default.
VARIANTS: dict[str, Server] = {
    "w5": Server(workers=5),
    "w3": Server(workers=3),
    "w4": Server(workers=4),
    "gthread": Server(workers=3, threads=2),
    "ssb": Server(workers=5, env={"DB_SERVER_SIDE_BINDING": "1"}),
    # Server-side binding is the default since binding-2026-12-05: Django's client binding.
    "csb": Server(workers=3, env={"DB_SERVER_SIDE_BINDING": "0"}),
    "health": Server(workers=5, env={"DB_CONN_HEALTH_CHECKS": "1"}),
    "maxreq": Server(workers=5, max_requests=2000),
    "w3ssb": Server(workers=3, env={"DB_SERVER_SIDE_BINDING": "1"}),
}


def ab(locust: str, names: list[str], rounds: int, seconds: int, paced: float | None) -> None:
    """Alternate the variants ``rounds`` times (A B C A B C …), one line per run."""
    from khuyencong.bench_national import load_plan

    plan = load_plan()
    for round_ in range(1, rounds + 1):
        for name in names:
            server = VARIANTS[name]
            with serving(plan, server) as (base, process, env):
                # An untimed few seconds first: workers import lazily, connections open.
                load_once(locust, base, process.pid, env, seconds=5, paced=None)
                result = load_once(locust, base, process.pid, env, seconds=seconds, paced=paced)
            print(
                f"{round_} {name} [{server.label()}]: {describe(result)}\n    {cpu_line(result)}",
                flush=True,
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["ab"])
    parser.add_argument("--locust", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="the kept database of this scale")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--paced", type=float, help="pace the users to this many requests/s")
    args = parser.parse_args()
    from khuyencong.bench_national import _per_scale_database

    _per_scale_database(args.scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ.setdefault("KHUYENCONG_VAR_DIR", tempfile.mkdtemp(prefix="khuyencong-load-"))
    os.environ.setdefault("PLAIN_STATIC_STORAGE", "1")
    import django

    django.setup()
    print(f"A/B, tải {' '.join(f'{n:.1f}' for n in os.getloadavg())}", flush=True)
    ab(args.locust, args.variants.split(","), args.rounds, args.seconds, args.paced)
    return 0


if __name__ == "__main__":
    sys.exit(main())
