"""Benchmarks of the public portal (part of ``make bench``): 10,000 certified products, the
catalogue's first page and a search (target ≤ 100 ms server time each, page cache cleared
before every request), and the product page's throughput under gunicorn next to a static
file of the same size served by the same gunicorn (WhiteNoise) — the ratio is reported."""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PRODUCTS = 10_000


def build_products(count: int = PRODUCTS) -> Any:
    """``count`` published products with a valid provincial certificate, bulk-inserted."""
    from khuyencong.awards import legal
    from khuyencong.awards.models import Certificate, Entry, Product, SelectionRound
    from khuyencong.awards.services.legal_data import level_defaults, round_rule_values
    from khuyencong.geo.models import AdministrativeUnit, UnitLevel
    from khuyencong.portal.models import PublicationConsent
    from khuyencong.registry.models import Establishment

    communes = list(AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE)[:500])
    province = communes[0].parent
    assert province is not None
    round_ = SelectionRound.objects.create(
        code="bench-2025", title="Bình chọn đo hiệu năng", year=2025, level="tinh",
        unit=province, legal_basis=legal.BASIS, registration_opens=datetime.date(2025, 3, 1),
        registration_closes=datetime.date(2025, 6, 30), scoring_opens=datetime.date(2025, 7, 1),
        scoring_closes=datetime.date(2025, 9, 30), status="da-cong-bo",
        **round_rule_values(level_defaults("tinh")),
    )  # fmt: skip
    words = ("Chè", "Gốm", "Mây tre", "Rượu", "Nón lá", "Bánh", "Mật ong", "Dệt thổ cẩm")
    holders = []
    for n in range(count):
        holder = Establishment(
            name=f"Cơ sở đo hiệu năng {n}", legal_form="htx",
            commune=communes[n % len(communes)], product_group="2",
        )  # fmt: skip
        holder.fill_derived_fields()
        holder.fill_province()
        holders.append(holder)
    holders = Establishment.objects.bulk_create(holders, batch_size=1000)
    products = []
    for n, holder in enumerate(holders):
        product = Product(
            establishment=holder, commune=holder.commune, group="2",
            name=f"{words[n % len(words)]} Shan tuyết số {n}" if n % 50 == 0
            else f"{words[n % len(words)]} số {n}",
            description="Sản phẩm đo hiệu năng.",
        )  # fmt: skip
        product.fill_derived_fields()
        product.fill_province()
        products.append(product)
    products = Product.objects.bulk_create(products, batch_size=1000)
    entries = Entry.objects.bulk_create(
        [
            Entry(round=round_, product=p, establishment_id=p.establishment_id,
                  commune_id=p.commune_id, province_id=p.province_id, status="hop-le",
                  representative="Đại diện", commitment=True, description="-")
            for p in products
        ],
        batch_size=1000,
    )  # fmt: skip
    Certificate.objects.bulk_create(
        [
            Certificate(number=f"{n}/GCN-BENCH", code=f"B{n:07d}", entry=e, product=p,
                        establishment_id=p.establishment_id, round=round_, level="tinh",
                        commune_id=p.commune_id, province_id=p.province_id,
                        issued_on=datetime.date(2025, 11, 1),
                        valid_until=datetime.date(2028, 12, 31), decision="QĐ đo hiệu năng")
            for n, (e, p) in enumerate(zip(entries, products, strict=True))
        ],
        batch_size=1000,
    )  # fmt: skip
    PublicationConsent.objects.bulk_create(
        [PublicationConsent(product=p, publish=True) for p in products], batch_size=1000
    )
    return products[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _throughput(url: str, seconds: float = 5.0, threads: int = 8) -> float:
    deadline = time.perf_counter() + seconds

    def worker() -> int:
        done = 0
        while time.perf_counter() < deadline:
            with urllib.request.urlopen(url) as response:
                response.read()
            done += 1
        return done

    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(lambda _: worker(), range(threads)))
    return total / seconds


def gunicorn_ratio(product_path: str, size: int, static_root: Path) -> tuple[float, float]:
    """Requests per second of the product page and of a static file of ``size`` bytes (the
    page's), both from the same gunicorn. The file is written before gunicorn starts: WhiteNoise
    indexes the static files once, at start-up."""
    (static_root / "bench").mkdir(parents=True, exist_ok=True)
    (static_root / "bench" / "cung-co.html").write_bytes(b"x" * size)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "khuyencong.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        env={**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "DB_CONN_MAX_AGE": "60"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/healthz") as response:
                    response.read()
                break
            except OSError:
                time.sleep(0.2)
        page = _throughput(base + product_path)
        static = _throughput(base + "/static/bench/cung-co.html")
        return page, static
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def run(measure: Callable[..., Any], result: Callable[..., Any]) -> list[Any]:
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from khuyencong.portal.selectors import product_url

    first = build_products()
    client = Client()

    def get(url: str) -> None:
        cache.clear()  # the page cache would answer from memory: measure the work itself
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    found = [
        measure(
            "portal: catalogue page 1 (10,000 products)", 0.1, lambda: get("/san-pham/"), repeat=10
        ),
        measure(
            "portal: catalogue search “che shan” (10,000 products)",
            0.1,
            lambda: get("/san-pham/?q=che+shan"),
            repeat=10,
        ),
        measure(
            "portal: product page", 0.1, lambda: get(product_url(first.pk, first.name)), repeat=10
        ),
    ]
    path = product_url(first.pk, first.name)
    size = len(client.get(path).content)
    page, static = gunicorn_ratio(path, size, Path(settings.STATIC_ROOT))
    print(
        f"portal: gunicorn (2 workers, 8 clients) product page {page:.0f} req/s, static file "
        f"of the same size ({size:,} bytes) {static:.0f} req/s, ratio {page / static:.2f}"
    )
    return found


def main() -> int:
    """The portal's entries alone (``python -m khuyencong.portal.bench``; ``make bench`` runs
    them with the rest): a throwaway SQLite database, or ``DATABASE_URL`` when set."""
    import tempfile

    os.environ.setdefault("KHUYENCONG_VAR_DIR", tempfile.mkdtemp(prefix="khuyencong-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    os.environ.setdefault("PLAIN_STATIC_STORAGE", "1")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from khuyencong.bench_national import _create_database

        _create_database()  # .ci/with-postgres starts a bare server
    import django

    django.setup()
    from django.core.management import call_command

    from khuyencong.bench import Result, measure
    from khuyencong.geo.services import load_units

    call_command("migrate", verbosity=0)
    load_units()
    results = run(measure, Result)
    for r in results:
        flag = "ok" if r.met else "MISSED"
        print(f"{r.name}: {r.seconds * 1000:.1f} ms (target {r.target * 1000:.0f} ms) {flag}")
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
