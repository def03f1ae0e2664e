"""``generate``: the whole synthetic country at a scale, in one transaction."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from khuyencong.registry.models import Establishment

from .awards import generate_products
from .base import UTC, Run
from .planning import generate_registrations, generate_rounds
from .projects import ProjectMaker
from .registry import generate_establishments, pilot_communes
from .selection import generate_selection
from .tables import Tables
from .world import build_world, load_reference_data

#: Scale 1.0: the national system after five years (issue 11). A scale S is a pilot with S of
#: these counts in S of the communes (``registry.pilot_communes``): the national density.
NATIONAL = {
    "establishments": 300_000,
    "registrations": 100_000,
    "projects": 60_000,
    # one establishment in ten has entered a product for the selection (bình chọn)
    "products": 30_000,
}
FIRST_YEAR = 2026
AS_OF = datetime.date(2030, 12, 31)
SEED = 2646  # Quyết định 2646/QĐ-BCT


class AlreadySeeded(Exception):
    """The database already holds establishments: the generator writes into an empty one."""


@dataclass(frozen=True)
class Sizes:
    establishments: int
    registrations: int
    projects: int
    products: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        if not 0 < scale <= 1:
            raise ValueError("scale must be above 0 and at most 1")
        return cls(**{k: max(1, round(v * scale)) for k, v in NATIONAL.items()})


def generate(
    *,
    scale: float,
    seed: int = SEED,
    as_of: datetime.date = AS_OF,
    say: Callable[[str], None] = lambda _text: None,
) -> dict[str, int]:
    """Write the synthetic country at ``scale``; returns the rows written per model."""
    sizes = Sizes.at(scale)
    if Establishment.objects.exists():
        raise AlreadySeeded
    started = time.perf_counter()

    def done(what: str) -> None:
        say(f"{time.perf_counter() - started:7.1f} s  {what}")

    load_reference_data()
    done("đơn vị hành chính, định mức, chương trình của 34 tỉnh")
    with transaction.atomic():
        tables = Tables()
        rng = random.Random(seed)
        end = datetime.datetime(as_of.year, as_of.month, as_of.day, 10, tzinfo=UTC)
        start = datetime.datetime(FIRST_YEAR - 1, 6, 1, tzinfo=UTC)
        world = build_world(tables, seed, start)
        run = Run(tables, rng, world, FIRST_YEAR, end)
        done("cán bộ của mọi tỉnh và xã")
        pilot = pilot_communes(
            world.provinces, world.communes, scale, random.Random(f"{seed}-pilot")
        )
        establishments = generate_establishments(run, sizes.establishments, pilot)
        tables.flush()
        done(f"{sizes.establishments:,} cơ sở CNNT ở {len(pilot):,} xã thí điểm")
        # Every province opens its rounds (and has its programme), in the pilot or not: the
        # national round list shows the same 340 rounds at every scale, only their
        # registrations grow with it.
        rounds = generate_rounds(run)
        accepted = generate_registrations(run, sizes.registrations, establishments, rounds)
        tables.flush()
        done(f"{sizes.registrations:,} phiếu đăng ký")
        maker = ProjectMaker(run, accepted)
        provinces = [p for p, found in establishments.items() if found]
        weights = [len(establishments[p]) for p in provinces]
        for province in rng.choices(provinces, weights, k=sizes.projects):
            maker.make(province, establishments[province])
        tables.flush()
        done(f"{sizes.projects:,} đề án")
        products = generate_products(run, sizes.products, establishments)
        tables.flush()
        done(f"{sizes.products:,} sản phẩm CNNT")
        rounds_written = generate_selection(run, products)
        tables.flush()
        done(f"{rounds_written:,} kỳ bình chọn cấp xã (hồ sơ, phiếu chấm, giấy chứng nhận)")
        written = tables.finish()
        done("khóa ngoại và chỉ mục")
    if connection.vendor == "postgresql":
        # After a bulk load a DBA vacuums: it sets the visibility map, without which the
        # covering indexes (projects 0009, 0010) are read with a visit to every table row, as
        # they would be until autovacuum passes. VACUUM cannot run in a transaction (a test's),
        # where the statistics are all that can be had.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(statement)
        done(statement)
    return written
