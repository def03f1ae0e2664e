"""The year's plan per fund (programme year × fund cells and targets) against what was achieved."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.programs.seeds import son_la
from khuyencong.programs.services import load_seed_programmes
from khuyencong.reporting import dashboard, display, plans, summary
from khuyencong.reporting.aggregation import Figure

from .conftest import CHIENG_SON, H1, KHANH_HOA, MILLION, SON_LA, latest_set

pytestmark = pytest.mark.django_db


def _son_la_2026() -> tuple[dict[str, int], dict[str, dict[str, Decimal]]]:
    """The year 2026 of Sơn La's programme read straight from its transcription."""
    money: dict[str, int] = defaultdict(int)
    by_order: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for line in son_la.LINES:
        for cell in line.cells:
            if cell.year == 2026:
                money[cell.fund] += cell.amount
                by_order[line.order][cell.fund] = cell.quantity
    targets: dict[str, dict[str, Decimal]] = {}
    for target in son_la.TARGETS:
        funds: dict[str, Decimal] = defaultdict(Decimal)
        for order in target.lines:
            for fund, quantity in by_order.get(order, {}).items():
                if quantity:
                    funds[fund] += quantity
        if funds:
            targets[target.key] = dict(funds)
    return {f: a for f, a in money.items() if a}, targets


def test_a_province_year_plan_is_its_programme_cells_of_that_year(unit):
    load_seed_programmes()
    expected_money, expected_targets = _son_la_2026()
    keys = [t.key for t in son_la.TARGETS]
    money, targets = plans.year_plan(unit(SON_LA), 2026, keys)
    assert money == expected_money
    assert targets == expected_targets
    assert targets["nhan-hieu"] == {"KCDP": Decimal(10)}  # trademarks planned for 2026
    assert "mo-hinh-trinh-dien" not in targets  # the models start in a later year
    # A year outside the programme plans nothing.
    assert plans.year_plan(unit(SON_LA), 2031, keys) == ({}, {})


def test_the_nation_plans_the_provinces_programmes_combined(unit):
    load_seed_programmes()
    national, _targets = plans.year_plan(unit("VN"), 2026, [])
    provinces: dict[str, int] = defaultdict(int)
    for code in (SON_LA, KHANH_HOA, "66"):  # every seeded province programme
        money, _t = plans.year_plan(unit(code), 2026, [])
        for fund, amount in money.items():
            provinces[fund] += amount
    assert national == dict(provinces)
    assert national["KCQG"] > 0


def test_the_year_plan_query_count_is_flat(unit):
    load_seed_programmes()
    nation = unit("VN")
    with CaptureQueriesContext(connection) as queries:
        plans.year_plan(nation, 2026, ["mo-hinh-trinh-dien", "nhan-hieu"])
    # The programmes' cells by fund, their quantities, the key aliases, the targets.
    assert len(queries) == 4


def test_money_is_compared_fund_by_fund_and_other_indicators_in_total(unit):
    load_seed_programmes()

    indicators = list(
        latest_set().indicators.filter(code__in=[plans.MONEY, "nhan-hieu"]).order_by("order")
    )
    achieved = {
        (plans.MONEY, "KCDP"): Figure(Decimal(30 * MILLION)),
        ("nhan-hieu", ""): Figure(Decimal(1)),
    }
    rows = plans.plan_rows(unit(SON_LA), 2026, indicators, achieved)
    expected_money, expected_targets = _son_la_2026()
    money = {row.fund: row for row in rows if row.indicator.code == plans.MONEY}
    assert {fund: row.planned for fund, row in money.items()} == expected_money
    assert (
        money["KCDP"].share == Figure(Decimal(30 * MILLION), Decimal(expected_money["KCDP"])).value
    )
    assert money["KCQG"].achieved is None
    assert money["KCQG"].share is None
    (trademarks,) = [row for row in rows if row.indicator.code == "nhan-hieu"]
    assert trademarks.fund == ""
    assert dict(trademarks.parts) == expected_targets["nhan-hieu"]
    assert trademarks.planned == sum(expected_targets["nhan-hieu"].values())
    assert trademarks.achieved == Figure(Decimal(1))
    assert trademarks.share == Figure(Decimal(1), trademarks.planned).value


def test_the_dashboard_shows_the_year_plan_by_fund(client, officers, unit, make_project):
    load_seed_programmes()
    make_project(fund="KCDP", content="mo-hinh-trinh-dien", support=200 * MILLION)
    summary.refresh_period(H1)
    board = dashboard.board(unit(SON_LA), H1)
    row = next(r for r in board.plan if r.indicator.code == plans.MONEY and r.fund == "KCDP")
    assert row.achieved is not None
    assert row.achieved.numerator == 200 * MILLION
    client.force_login(officers["sct"])
    html = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert 'id="bang-ke-hoach"' in html
    assert "Kế hoạch năm 2026 theo nguồn kinh phí" in html
    assert "200 triệu đồng" in html


def _son_la_machinery_2026() -> dict[str, Decimal]:
    """Sơn La's 2026 cells of its machines (line 4) and technology lines (line 5) targets."""
    funds: dict[str, Decimal] = defaultdict(Decimal)
    for line in son_la.LINES:
        if line.order in (4, 5):
            for cell in line.cells:
                if cell.year == 2026 and cell.quantity:
                    funds[cell.fund] += cell.quantity
    return dict(funds)


def test_a_province_target_under_its_own_key_rolls_up_to_the_national_indicator(unit):
    """Sơn La states its machinery targets as ``may-moc-thiet-bi`` (23 establishments) and
    ``day-chuyen-cong-nghe`` (5 lines): both count towards the nation's ``may-moc-day-chuyen``."""
    load_seed_programmes()
    assert dashboard.targets(unit(SON_LA), ["may-moc-day-chuyen"]) == {
        "may-moc-day-chuyen": Decimal(28)
    }
    _money, province = plans.year_plan(unit(SON_LA), 2026, ["may-moc-day-chuyen"])
    expected = _son_la_machinery_2026()
    assert expected  # the seeded programme plans machinery in 2026
    assert province == {"may-moc-day-chuyen": expected}
    _money, national = plans.year_plan(unit("VN"), 2026, ["may-moc-day-chuyen"])
    for fund, quantity in expected.items():
        assert national["may-moc-day-chuyen"][fund] >= quantity
    # The nation's own target stays 2646's 1,600.
    assert dashboard.targets(unit("VN"), ["may-moc-day-chuyen"]) == {
        "may-moc-day-chuyen": Decimal(1600)
    }


def test_without_the_alias_the_province_target_is_not_compared(unit):
    from khuyencong.reporting.models import TargetKeyAlias

    load_seed_programmes()
    TargetKeyAlias.objects.filter(target_key="may-moc-day-chuyen").delete()
    assert dashboard.targets(unit(SON_LA), ["may-moc-day-chuyen"]) == {}
    assert plans.year_plan(unit(SON_LA), 2026, ["may-moc-day-chuyen"])[1] == {}


def test_the_programme_check_flags_a_target_key_no_indicator_matches():
    from khuyencong.programs.consistency import check_programme
    from khuyencong.reporting.models import TargetKeyAlias
    from khuyencong.reporting.target_keys import comparable_keys

    def unmatched() -> set[str]:
        findings = check_programme(son_la.PROGRAMME, comparable_keys=comparable_keys())
        return {str(f.numbers["key"]) for f in findings if f.code == "target-key-unmatched"}

    flagged = unmatched()
    assert "phong-trung-bay" in flagged  # a province-only target: said, not an error
    assert not flagged & {"may-moc-thiet-bi", "day-chuyen-cong-nghe", "nhan-hieu"}
    TargetKeyAlias.objects.filter(key="may-moc-thiet-bi").delete()
    assert "may-moc-thiet-bi" in unmatched()
    # Without the hook (the pure checker's own tests) nothing is said about keys.
    assert not any(f.code == "target-key-unmatched" for f in check_programme(son_la.PROGRAMME))


def test_the_dashboard_export_holds_the_year_plan_as_shown(client, officers, unit, make_project):
    import io

    from openpyxl import load_workbook

    load_seed_programmes()
    make_project(fund="KCDP", content="mo-hinh-trinh-dien", support=200 * MILLION)
    summary.refresh_period(H1)
    expected_money, _targets = _son_la_2026()
    client.force_login(officers["sct"])
    url = reverse("reporting:dashboard_export") + "?ky=2026-H1"
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[8:] == ["Kế hoạch năm 2026", "Đạt so với kế hoạch năm (%)"]
    plan = {
        (row[1], row[3]): row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if len(row) > 8 and row[8] is not None
    }
    money = plan[(plans.MONEY, "KCĐP")]
    assert money[0] == "Sơn La"
    assert money[6] == 200 * MILLION
    assert money[8] == expected_money["KCDP"]
    share = Figure(Decimal(200 * MILLION), Decimal(expected_money["KCDP"])).value
    assert money[9] == pytest.approx(float(share))
    assert {fund for code, fund in plan if code == plans.MONEY} == {
        display.key_label(fund) for fund in expected_money
    }


def test_a_commune_s_targets_and_plan_are_its_own_programme_s(unit):
    """A commune's dashboard computes its extras on every request, and skips the programme
    queries when the commune has no programme of its own (issue 11): one that has one still
    shows its targets and its year plan."""
    from khuyencong.programs.models import Programme, ProgrammeLevel

    load_seed_programmes()
    indicators = summary.dashboard_indicators()
    province = dashboard.compute_extras(unit(SON_LA), H1, indicators)
    assert province.targets
    assert province.planned
    commune = unit(CHIENG_SON)
    without = dashboard.compute_extras(commune, H1, indicators)
    assert (without.targets, without.planned) == ({}, {})
    Programme.objects.filter(unit=unit(SON_LA)).update(unit=commune, level=ProgrammeLevel.COMMUNE)
    own = dashboard.compute_extras(commune, H1, indicators)
    assert (own.targets, own.planned) == (province.targets, province.planned)
