"""Money advanced (tạm ứng) and money paid (thanh toán) are two indicators (issue 14: "projects
approved, advanced, paid, settled"), added as version 2 of the default sets: a report made with
version 1 keeps it and its snapshot. The reporting bench's DuckDB queries compute the same
figures as the application over the same rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from khuyencong.projects import cosign
from khuyencong.projects.models import Advance, Payment
from khuyencong.reporting import bench, computations, seed, summary
from khuyencong.reporting.models import IndicatorSet, Report, ReportValue, Schedule

from .conftest import CHIENG_SON, KHANH_HOA, MILLION, TO_HIEU, latest_set, open_for, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]

DAY = datetime.date(2026, 5, 4)


@pytest.fixture
def money(make_project: Any) -> None:
    """Chiềng Sơn: 60 million advanced and 30 paid (KCQG) on a machines project, 25 advanced
    (KCĐP) on a trademark one whose 7-million payments await co-signature or were refused;
    money paid before the half-year counts in no H1 figure."""
    machines = make_project(content="may-moc-thiet-bi")
    brand = make_project(fund="KCDP", content="nhan-hieu", support=100 * MILLION)
    Advance.objects.create(project=machines, fund="KCQG", amount=60 * MILLION, paid_on=DAY)
    Payment.objects.create(project=machines, fund="KCQG", amount=30 * MILLION, paid_on=DAY)
    Advance.objects.create(project=brand, fund="KCDP", amount=25 * MILLION, paid_on=DAY)
    old = datetime.date(2025, 12, 30)
    Advance.objects.create(project=brand, fund="KCDP", amount=9 * MILLION, paid_on=old)
    for status in (cosign.PENDING, cosign.REFUSED):
        Payment.objects.create(
            project=brand, fund="KCDP", amount=7 * MILLION, paid_on=DAY, cosign_status=status
        )


def test_the_latest_default_sets_count_advanced_and_paid_apart():
    for code, *_rest in seed.SETS:
        latest = latest_set(code)
        assert latest.version == seed.VERSIONS[-1][0] >= 2
        codes = list(latest.indicators.values_list("code", flat=True))
        assert "kinh-phi-giai-ngan" not in codes
        at = codes.index("kinh-phi-tam-ung")
        assert codes[at - 1 : at + 3] == [
            "ty-trong-kcqg",
            "kinh-phi-tam-ung",
            "kinh-phi-thanh-toan",
            "kinh-phi-quyet-toan",
        ]
        first = IndicatorSet.objects.get(code=code, version=1)
        assert first.indicators.filter(code="kinh-phi-giai-ngan").exists()
    assert set(Schedule.objects.values_list("indicator_set__version", flat=True)) == {
        seed.VERSIONS[-1][0]
    }
    assert [i.code for i in summary.dashboard_indicators()] == [r.code for r in seed.INDICATORS]


def test_advanced_and_paid_on_the_report_by_fund_and_content(officers, unit, money):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    figures = summary.report_figures(report)
    assert figures[("kinh-phi-tam-ung", "")].numerator == 85 * MILLION
    assert figures[("kinh-phi-tam-ung", "KCQG")].numerator == 60 * MILLION
    assert figures[("kinh-phi-tam-ung", "KCDP")].numerator == 25 * MILLION
    assert figures[("kinh-phi-tam-ung", "nhom-2")].numerator == 25 * MILLION
    # Only the co-signed (or not co-signable) payment is paid.
    assert figures[("kinh-phi-thanh-toan", "")].numerator == 30 * MILLION
    assert figures[("kinh-phi-thanh-toan", "KCQG")].numerator == 30 * MILLION
    assert ("kinh-phi-thanh-toan", "KCDP") not in figures


def test_a_report_made_with_version_1_keeps_it_and_its_snapshot(officers, unit, money):
    """A database whose schedules are still on version 1 (before migration 0009): a report
    submitted then keeps version 1 and its frozen figures when the schedules move on."""
    first = IndicatorSet.objects.get(code="chi-tieu-2646-xa", version=1)
    Schedule.objects.filter(code="xa-6-thang").update(indicator_set=first)
    old = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    old = step(officers["commune"], old, "gui")
    assert summary.report_figures(old)[("kinh-phi-giai-ngan", "")].numerator == 115 * MILLION

    seed.load()  # what migration 0009 runs

    assert Schedule.objects.get(code="xa-6-thang").indicator_set == latest_set(first.code)
    old = Report.objects.get(pk=old.pk)
    assert old.indicator_set == first
    Advance.objects.create(
        project=Advance.objects.first().project, fund="KCQG", amount=MILLION, paid_on=DAY
    )
    frozen = summary.report_figures(old)
    assert frozen[("kinh-phi-giai-ngan", "")].numerator == 115 * MILLION  # not recomputed
    assert ("kinh-phi-tam-ung", "") not in frozen
    new = open_for(officers["other_commune"], "xa-6-thang", unit(TO_HIEU))
    assert new.indicator_set == latest_set(first.code)
    assert ReportValue.objects.filter(report=new, indicator__code="kinh-phi-giai-ngan").count() == 0


def _figures(result: computations.Result) -> dict[int, dict[str, int]]:
    return {
        unit_id: {key: int(figure.numerator) for key, figure in figures.items()}
        for unit_id, figures in result.items()
    }


def _from_duckdb(rows: list[Any]) -> list[dict[int, dict[str, int]]]:
    """The application's figures rebuilt from DuckDB's grouped rows, by the rules the module
    docstring of ``computations`` states: every row adds to the total, its fund and its
    content's group."""
    groups = computations.content_groups()
    approved, advanced, paid = rows
    out: list[dict[int, dict[str, int]]] = [
        defaultdict(lambda: defaultdict(int)) for _n in range(4)
    ]

    def add(figures: Any, unit_id: int, fund: str, content: str, amount: int) -> None:
        for key in ("", fund, groups.get(content)):
            if key is not None:
                figures[unit_id][key] += int(amount)

    for unit_id, fund, content, n, *sums in approved:
        add(out[0], unit_id, fund, content, n)
        for (key, _field), amount in zip(computations.FUND_MONEY, sums, strict=True):
            add(out[1], unit_id, key, content, amount)
    for figures, found in ((out[2], advanced), (out[3], paid)):
        for unit_id, fund, content, amount in found:
            add(figures, unit_id, fund, content, amount)
    return [{u: dict(keys) for u, keys in figures.items()} for figures in out]


def test_the_bench_duckdb_queries_give_the_applications_figures(
    make_project: Any, money: None, tmp_path: Path
):
    """The reporting roll-up bench times DuckDB against ``bench.app_figures``: both must
    compute the same figures from the same rows (SQLite here, PostgreSQL in CI)."""
    far = make_project(province=KHANH_HOA, commune=None, fund="KCDP", content="san-xuat-sach-hon")
    Payment.objects.create(project=far, fund="KCDP", amount=11 * MILLION, paid_on=DAY)
    make_project(decided=datetime.date(2025, 11, 1))  # approved before the half-year
    app = [_figures(result) for result in bench.app_figures()]
    assert all(app)  # every figure has rows to compare
    assert _from_duckdb(bench.duckdb_figures(tmp_path)()) == app
