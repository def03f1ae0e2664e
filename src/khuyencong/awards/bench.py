"""Benchmarks of the selection (part of ``make bench``): a national round of 500 entries × 13
judges. The chair's results page (target ≤ 300 ms server time) and the result .xlsx, each in
the same number of queries as for a round of 50 entries; the scoring page of one judge (their
500 sheets, target ≤ 100 ms) and one score sheet."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

JUDGES = 13
ROLES = ["chu-tich", "pho-chu-tich", *["uy-vien"] * 10, "thu-ky"]


def build_round(code: str, entries: int, *, closed: bool) -> tuple[Any, Any, Any]:
    """A national round with ``entries`` accepted entries and 13 judges; every sheet submitted
    and the round closed with its results, or every sheet assigned and the round being scored.
    Returns the round, its chair and one judge (users)."""
    from django.utils import timezone

    from khuyencong.accounts.models import Role, RoleAssignment, User
    from khuyencong.awards import legal
    from khuyencong.awards.models import CouncilMember, Entry, Product, ScoreSheet, SelectionRound
    from khuyencong.awards.services.legal_data import level_defaults, round_rule_values
    from khuyencong.awards.services.scoring import write_results
    from khuyencong.geo.models import AdministrativeUnit, UnitLevel
    from khuyencong.registry.models import Establishment

    units = AdministrativeUnit.objects.current()
    nation = units.get(level=UnitLevel.NATIONAL)
    communes = list(units.filter(level=UnitLevel.COMMUNE)[:300])
    round_ = SelectionRound.objects.create(
        code=code, title=f"Bình chọn đo hiệu năng {code}", year=2026, level="quoc-gia",
        unit=nation, legal_basis=legal.BASIS, registration_opens=datetime.date(2026, 3, 1),
        registration_closes=datetime.date(2026, 6, 30), scoring_opens=datetime.date(2026, 7, 1),
        scoring_closes=datetime.date(2026, 12, 31),
        **round_rule_values(level_defaults("quoc-gia")),
        status="da-khoa" if closed else "dang-cham",
        closed_at=timezone.now() if closed else None,
    )  # fmt: skip
    holders = []
    for n in range(entries):
        holder = Establishment(
            name=f"Cơ sở {code} {n}", legal_form="htx", commune=communes[n % len(communes)],
            product_group="2",
        )  # fmt: skip
        holder.fill_derived_fields()
        holder.fill_province()
        holders.append(holder)
    holders = Establishment.objects.bulk_create(holders, batch_size=1000)
    products = []
    for n, holder in enumerate(holders):
        product = Product(
            establishment=holder, commune=holder.commune, group="2", name=f"Sản phẩm {code} {n}",
            description="Sản phẩm đo hiệu năng.",
        )  # fmt: skip
        product.fill_derived_fields()
        product.fill_province()
        products.append(product)
    products = Product.objects.bulk_create(products, batch_size=1000)
    now = timezone.now()
    made = Entry.objects.bulk_create(
        [
            Entry(round=round_, product=p, establishment_id=p.establishment_id,
                  commune_id=p.commune_id, province_id=p.province_id, status="hop-le",
                  representative="Đại diện", commitment=True, description="-",
                  scoring_closed_at=now if closed else None)
            for p in products
        ],
        batch_size=1000,
    )  # fmt: skip
    members = []
    for n, council_role in enumerate(ROLES):
        user = User.objects.create_user(f"gk{n}.{code}@bench.test", "x", full_name=f"GK {n}")
        assignment = RoleAssignment.objects.create(user=user, role=Role.COUNCIL_MEMBER, unit=nation)
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
        members.append(
            CouncilMember.objects.create(
                round=round_, user=user, full_name=user.full_name, council_role=council_role
            )
        )
    sheets = []
    for e, entry in enumerate(made):
        for j, member in enumerate(members):
            # A realistic spread (±2 around the entry's level), one outlier in 50 entries.
            total = Decimal(65 + e % 30 + j % 5 - 2 - (18 if e % 50 == 0 and j == 12 else 0))
            scores = {
                "thi-truong": str(total * 4 / 10), "kinh-te-ky-thuat": str(total * 4 / 10),
                "van-hoa": str(total / 10), "khac": str(total / 10),
            }  # fmt: skip
            sheets.append(
                ScoreSheet(round=round_, entry=entry, member=member, status="da-nop",
                           scores=scores, total=total, submitted_at=now)
                if closed
                else ScoreSheet(round=round_, entry=entry, member=member)
            )  # fmt: skip
    ScoreSheet.objects.bulk_create(sheets, batch_size=2000)
    if closed:
        write_results(round_)
    return round_, members[0].user, members[4].user


def run(measure: Callable[..., Any], result: Callable[..., Any]) -> list[Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    small, small_chair, _ = build_round("bench-50", 50, closed=True)
    big, chair, _ = build_round("bench-500", 500, closed=True)
    scoring, _, judge = build_round("bench-cham", 500, closed=False)
    client = Client()

    def get(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(queries)

    counts = {}
    for round_, user in ((small, small_chair), (big, chair)):
        client.force_login(user)
        counts[round_.code] = (
            get(f"/binh-chon/ky/{round_.code}/ket-qua/"),
            get(f"/binh-chon/ky/{round_.code}/ket-qua.xlsx"),
        )
    print(
        "selection queries (results page, .xlsx) for 50 and 500 entries:",
        counts["bench-50"],
        counts["bench-500"],
    )
    assert counts["bench-50"] == counts["bench-500"], counts
    client.force_login(chair)
    out = [
        measure(
            "selection: chair's results page, 500 entries × 13 judges",
            0.3,
            lambda: get(f"/binh-chon/ky/{big.code}/ket-qua/"),
            repeat=5,
        ),
        measure(
            "selection: result .xlsx, 500 entries × 13 judges",
            5,
            lambda: get(f"/binh-chon/ky/{big.code}/ket-qua.xlsx"),
            repeat=3,
        ),
    ]
    client.force_login(judge)
    from khuyencong.awards.models import ScoreSheet

    sheet = ScoreSheet.objects.filter(round=scoring, member__user=judge).first()
    assert sheet is not None
    out += [
        measure(
            "selection: one judge's scoring page (500 sheets)",
            0.1,
            lambda: get(f"/binh-chon/ky/{scoring.code}/cham/"),
            repeat=5,
        ),
        measure(
            "selection: one score sheet (PL4)",
            0.1,
            lambda: get(f"/binh-chon/phieu/{sheet.pk}/"),
            repeat=5,
        ),
    ]
    return out
