"""Benchmarks (đo hiệu năng): ``make bench``. Targets live here, not in timed tests.

Runs on a throwaway SQLite database (or on ``DATABASE_URL`` when set) and prints one line per
measurement: the median time, the target, and whether it was met. Exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    target: float

    @property
    def met(self) -> bool:
        return self.seconds <= self.target


def measure(name: str, target: float, action: Callable[[], object], *, repeat: int = 1) -> Result:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return Result(name, statistics.median(times), target)


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="khuyencong-bench-")
    os.environ.setdefault("KHUYENCONG_VAR_DIR", workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ.setdefault("PLAIN_STATIC_STORAGE", "1")
    os.environ["DEBUG"] = "1"  # demo data may only be loaded with DEBUG on
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from khuyencong.accounts.models import User
    from khuyencong.core.demo import seed_demo
    from khuyencong.geo.models import AdministrativeUnit
    from khuyencong.geo.services import load_units
    from khuyencong.programs import excel
    from khuyencong.programs.conversion import programme_to_data
    from khuyencong.programs.selectors import programme_for_cli
    from khuyencong.programs.services import load_seed_programmes

    results = [
        measure("migrate (empty database)", 60, lambda: call_command("migrate", verbosity=0)),
        measure("load 3,356 administrative units", 10, load_units),
        measure("load the four seed programmes", 5, load_seed_programmes),
        measure("seed demo users", 10, seed_demo),
        measure(
            "subtree of the nation (3,356 units, one query)",
            0.2,
            lambda: list(
                AdministrativeUnit.objects.subtree_of(AdministrativeUnit.objects.get(code="VN"))
            ),
            repeat=5,
        ),
    ]
    client = Client()
    client.force_login(User.objects.get(email="trungtam.sonla@demo.khuyencong.vn"))

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results += [
        measure("home page", 0.3, lambda: get("/"), repeat=10),
        measure(
            "Sơn La programme page (25 lines)",
            0.5,
            lambda: get("/chuong-trinh/son-la-2026-2030/"),
            repeat=10,
        ),
        measure("unit list, page 1", 0.3, lambda: get("/don-vi/"), repeat=10),
    ]
    son_la = programme_to_data(programme_for_cli("son-la-2026-2030"))
    content = excel.export_appendix(son_la)
    results += [
        measure("Sơn La appendix → .xlsx", 2, lambda: excel.export_appendix(son_la), repeat=3),
        measure(
            "Sơn La .xlsx → appendix",
            2,
            lambda: excel.import_appendix(content, base=son_la),
            repeat=3,
        ),
    ]

    from khuyencong.registry.bench import bench_import

    results.append(Result("import 10,000 establishments (.xlsx)", bench_import(), 60))

    from khuyencong.portal.bench import run as bench_portal

    results += bench_portal(measure, Result)

    from khuyencong.awards.bench import run as bench_selection

    results += bench_selection(measure, Result)

    from khuyencong.api.bench import run as bench_api

    results += bench_api(measure, Result)

    width = max(len(r.name) for r in results)
    print(f"{'benchmark':<{width}}  {'median':>9}  {'target':>8}")
    for r in results:
        flag = "ok" if r.met else "MISSED"
        print(f"{r.name:<{width}}  {r.seconds * 1000:>7.1f}ms  {r.target * 1000:>6.0f}ms  {flag}")
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
