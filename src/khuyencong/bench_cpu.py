"""CPU per request of the load run's page mix (issue 11 item 7): never part of the tests.

The load run (``bench_load``) is bounded by the CPU each request costs the application, and
its wall-clock figures are noise on a shared machine. This measures the process CPU time
(``time.process_time``) of the Django test client over the same pages the locustfile asks for
(``bench_national.load_plan``: every role's read pages), with ``DEBUG`` off, on an already
seeded database (``seed_national``): a figure that other processes on the machine barely move.

    KHUYENCONG_VAR_DIR=… .venv/bin/python -m khuyencong.bench_cpu [--rounds 20] [--only …]

Prints, per page, the least and the median CPU ms of a request and its query count, then the
means over the mix (each page weighs the same, as the locustfile's ``random.choice`` does). The
least of the rounds moves least with the load of the machine (another process sharing the
core's caches only ever adds): compare it before and after a change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Sequence
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ.setdefault("PLAIN_STATIC_STORAGE", "1")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def measure(rounds: int, only: Sequence[str] = ()) -> list[tuple[str, float, float, int, int]]:
    """(role: page, least and median CPU seconds, queries, table rows) of every read page of
    the load plan (those whose "role: page" name holds one of ``only``, when given). The table
    rows (``<tr`` in the page) let two scales' figures be read as a cost per list row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khuyencong import bench_national

    found = []
    for role, user in bench_national._users().items():
        client: Any = bench_national._client(user)
        pages = [
            (name, url)
            for name, url, _n, target in bench_national._pages(role, user)
            if target == bench_national.PAGE_P95
            and (not only or any(part in f"{role}: {name}" for part in only))
        ]
        for _name, url in pages:  # warm-up: templates, URL resolver, translations, plans
            for _n in range(3):
                assert client.get(url).status_code == 200, url
        times: dict[str, list[float]] = {url: [] for _name, url in pages}
        # Rounds over the whole mix, so a burst of load elsewhere spreads over every page.
        for _round in range(rounds):
            for _name, url in pages:
                start = time.process_time()
                client.get(url)
                times[url].append(time.process_time() - start)
        for name, url in pages:
            with CaptureQueriesContext(connection) as captured:
                rows = client.get(url).content.count(b"<tr")
            found.append(
                (
                    f"{role}: {name}",
                    min(times[url]),
                    statistics.median(times[url]),
                    len(captured),
                    rows,
                )
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="only the pages whose 'role: page' name holds this (repeatable)",
    )
    args = parser.parse_args()
    _setup()
    found = measure(args.rounds, args.only)
    width = max(len(name) for name, *_rest in found)
    for name, least, median, queries, rows in found:
        print(
            f"{name:<{width}}  ít nhất {least * 1000:6.2f}  trung vị {median * 1000:6.2f} ms CPU"
            f"  {queries:3d} truy vấn  {rows:4d} dòng bảng"
        )
    least = statistics.mean(row[1] for row in found)
    median = statistics.mean(row[2] for row in found)
    print(
        f"\n{len(found)} trang, trung bình mỗi yêu cầu: ít nhất {least * 1000:.2f} ms CPU, "
        f"trung vị {median * 1000:.2f} ms CPU (tải {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
