"""The bounded load run of ``make bench-national LOAD=1`` (issue 11 item 7): never part of the
tests, never imported by pytest.

Serves the application with gunicorn as the README recommends for 2 cores (``WORKERS``,
``DB_CONN_MAX_AGE``), then runs locust headless (``scripts/load/locustfile.py``, from its own
virtualenv: locust registers a pytest plugin and patches the standard library with gevent) with
``USERS`` concurrent officers on the read pages for ``DURATION`` seconds, and reads locust's
summary. Targets: ≥ 100 requests/s, p95 ≤ 300 ms, no error.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: 2 × cores + 1 (README, deployment); ``LOAD_WORKERS=3`` tries fewer beside locust and
#: PostgreSQL on the same 2 cores.
WORKERS = int(os.environ.get("LOAD_WORKERS", "5"))
USERS = 30
DURATION = 60
TARGET_RPS = 100.0
TARGET_P95 = 0.300
LOCUSTFILE = Path(__file__).resolve().parents[2] / "scripts" / "load" / "locustfile.py"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    #: The load average (1 min) when the run ended: on a shared machine, read beside it.
    load: float = 0.0

    @property
    def met(self) -> bool:
        return self.failures == 0 and self.rps >= TARGET_RPS and self.p95 <= TARGET_P95


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


def _summary(prefix: str) -> LoadResult:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]) / 1000,
        p95=float(total["95%"]) / 1000,
        load=os.getloadavg()[0],
    )


def run(locust: str, plan: dict[str, Any], *, duration: int = DURATION) -> LoadResult:
    """Serve, load for ``duration`` seconds, stop the server; the summary of the run."""
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
    serve = [sys.executable, "-m", "gunicorn", "khuyencong.wsgi", "--workers", str(WORKERS)]
    serve += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    server = subprocess.Popen(serve, env=env)
    try:
        _wait_until_up(base, server)
        prefix = os.path.join(work, "locust")
        load = [locust, "-f", str(LOCUSTFILE), "--headless", "--users", str(USERS)]
        load += ["--spawn-rate", str(USERS), "--run-time", f"{duration}s", "--host", base]
        load += ["--csv", prefix, "--only-summary", "--loglevel", "WARNING"]
        subprocess.run(
            load,
            env=env,
            check=False,  # locust exits 1 when a request failed: the summary says so
        )
        return _summary(prefix)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(result: LoadResult) -> None:
    flag = "" if result.met else "  TRƯỢT"
    print(
        f"\nTải {USERS} người dùng đồng thời, gunicorn {WORKERS} worker: {result.rps:.1f} yêu "
        f"cầu/s (mục tiêu ≥ {TARGET_RPS:.0f}), p50 {result.p50 * 1000:.0f} ms, p95 "
        f"{result.p95 * 1000:.0f} ms (≤ {TARGET_P95 * 1000:.0f}), {result.failures} lỗi trên "
        f"{result.requests} yêu cầu (tải {result.load:.1f}){flag}"
    )
