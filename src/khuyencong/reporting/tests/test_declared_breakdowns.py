"""The indicator's declared breakdowns (phân tổ) decide what is computed, stored and shown: each
kind on known numbers, an undeclared breakdown nowhere, an indicator with none only its total."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khuyencong.registry.models import ProductGroup
from khuyencong.reporting import breakdowns, computations, seed, selectors, summary
from khuyencong.reporting.admin import IndicatorForm
from khuyencong.reporting.models import Indicator, ReportValue, SummaryFigure

from .conftest import CHIENG_SON, H1, MILLION, SON_LA, latest_indicator, open_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]
FUND, CONTENT, PRODUCT, OWNER, LEVEL = (
    breakdowns.FUND,
    breakdowns.CONTENT,
    breakdowns.PRODUCT_GROUP,
    breakdowns.OWNER,
    breakdowns.LEVEL,
)


def _figures(unit: Any, computation: str, kinds: Any) -> dict[str, Any]:
    result = computations.compute(
        computation, period=H1, cutoff=H1.end, level="commune", kinds=kinds
    )
    return {key: figure.numerator for key, figure in result[unit(CHIENG_SON).pk].items()}


def test_each_breakdown_is_computed_only_when_declared(unit, data):
    assert _figures(unit, "projects-approved", [FUND]) == {"": 3, "KCQG": 2, "KCDP": 1}
    assert _figures(unit, "projects-approved", [CONTENT]) == {"": 3, "nhom-1": 2, "nhom-2": 1}
    assert _figures(unit, "projects-approved", []) == {"": 3}
    assert _figures(unit, "money-approved", [FUND]) == {
        "": 1150 * MILLION,
        "KCQG": 450 * MILLION,
        "KCDP": 100 * MILLION,
        "DOI_UNG": 600 * MILLION,
        "KHAC": 0,
    }
    assert _figures(unit, "establishments-supported", [OWNER]) == {"": 3, "nu": 1, "dtts": 1}
    assert _figures(unit, "establishments-supported", [PRODUCT]) == {
        "": 3,
        "nsp-1": 1,
        "nsp-2": 2,
    }
    assert _figures(unit, "certificates", [LEVEL]) == {"": 2, "tinh": 1, "xa": 1}
    assert _figures(unit, "certificates", [PRODUCT]) == {"": 2, "nsp-2": 2}
    assert _figures(unit, "certificates", []) == {"": 2}
    assert _figures(unit, "certificates-valid", [LEVEL]) == {"": 2, "tinh": 1, "xa": 1}


def _declare(code: str, kinds: list[str]) -> None:
    Indicator.objects.filter(code=code).update(disaggregations=kinds)


def test_the_report_stores_and_shows_only_the_declared_breakdowns(client, officers, unit, data):
    _declare("de-an-phe-duyet", [])
    for code in ("co-so-duoc-ho-tro", "may-moc-day-chuyen", "xu-ly-moi-truong", "nhan-hieu"):
        _declare(code, [OWNER])
    for code in ("kinh-phi-phe-duyet", "kinh-phi-tam-ung", "kinh-phi-thanh-toan"):
        _declare(code, [FUND])
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    lines = {line.indicator.code: line for line in selectors.lines(report)}
    assert lines["de-an-phe-duyet"].keys == []
    assert lines["de-an-phe-duyet"].own[""].numerator == 3
    assert lines["co-so-duoc-ho-tro"].keys == ["nu", "dtts"]
    assert lines["san-pham-chung-nhan"].keys == ["nsp-2", "xa", "tinh"]
    stored = set(
        ReportValue.objects.filter(report=report, indicator__code="de-an-phe-duyet").values_list(
            "key", flat=True
        )
    )
    assert stored == {""}
    client.force_login(officers["commune"])
    page = client.get(reverse("reporting:detail", args=[report.pk])).content.decode()
    assert "Chủ cơ sở là nữ" in page
    assert "Nhóm nội dung" not in page  # declared nowhere in the set any more
    # Establishments by owner only; certificates still by product group (all of group 2).
    assert "Nhóm sản phẩm: Thủ công mỹ nghệ" not in page
    assert "Nhóm sản phẩm: Chế biến nông, lâm, thủy sản và thực phẩm" in page


def test_the_summary_and_dashboard_hold_only_the_declared_breakdowns(client, officers, data):
    _declare("de-an-phe-duyet", [CONTENT])
    _declare("kinh-phi-phe-duyet", [])
    summary.refresh_period(H1)
    keys = set(
        SummaryFigure.objects.filter(
            period=H1.code, indicator_code="de-an-phe-duyet", unit__code=SON_LA
        ).values_list("key", flat=True)
    )
    assert keys == {"", "nhom-1", "nhom-2"}
    assert set(
        SummaryFigure.objects.filter(indicator_code="kinh-phi-phe-duyet").values_list(
            "key", flat=True
        )
    ) == {""}
    # A stored row of a breakdown declared no more (before the next refresh) is not shown.
    _declare("de-an-phe-duyet", [])
    client.force_login(officers["sct"])
    board = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert "Nhóm nội dung 1" not in board


def test_the_year_plan_compares_fund_by_fund_only_when_funds_are_declared(unit):
    from khuyencong.programs.services import load_seed_programmes
    from khuyencong.reporting import plans

    load_seed_programmes()
    money = latest_indicator(plans.MONEY)
    by_fund = plans.plan_rows(unit(SON_LA), 2026, [money], {})
    assert len(by_fund) > 1
    assert all(row.fund for row in by_fund)
    money.disaggregations = []
    (total,) = plans.plan_rows(unit(SON_LA), 2026, [money], {})
    assert total.fund == ""
    assert total.planned == sum(row.planned for row in by_fund)
    assert dict(total.parts) == {row.fund: row.planned for row in by_fund}


def test_a_breakdown_the_computation_cannot_give_or_on_a_hand_entry_is_refused():
    indicator = latest_indicator("hoi-nghi-can-bo")
    indicator.disaggregations = [FUND]
    with pytest.raises(ValidationError, match="không phân tổ được theo"):
        indicator.full_clean()
    indicator = latest_indicator("chung-nhan-hieu-luc")
    indicator.disaggregations = [LEVEL, CONTENT]
    with pytest.raises(ValidationError, match="Theo nhóm nội dung"):
        indicator.full_clean()
    indicator.disaggregations = ["khac"]
    with pytest.raises(ValidationError, match="Phân tổ phải là danh sách"):
        indicator.full_clean()
    indicator.disaggregations = [LEVEL]
    indicator.full_clean()


def test_the_admin_declares_breakdowns_with_checkboxes():
    indicator = latest_indicator("nhan-hieu")
    data = {
        field: getattr(indicator, field)
        for field in ("code", "label", "unit_of_measure", "order", "rule", "source", "computation")
    } | {"indicator_set": indicator.indicator_set_id, "disaggregations": [OWNER]}
    form = IndicatorForm(data, instance=indicator)
    assert form.is_valid(), form.errors
    assert form.save().disaggregations == [OWNER]
    refused = IndicatorForm(data | {"disaggregations": [LEVEL]}, instance=indicator)
    assert not refused.is_valid()
    assert "không phân tổ được theo" in str(refused.errors["disaggregations"])


def test_the_default_sets_declare_what_their_computations_give():
    for row in (row for _version, rows in seed.VERSIONS for row in rows):
        possible = computations.BREAKDOWNS.get(row.computation, frozenset())
        assert set(row.disaggregations) <= possible, row.code
    for kind in breakdowns.FAMILIES:
        assert any(kind in row.disaggregations for row in seed.INDICATORS), kind
    supported = latest_indicator("co-so-duoc-ho-tro", "chi-tieu-2646-xa")
    assert supported.disaggregations == [PRODUCT, OWNER]


def test_keys_belong_to_one_breakdown_each():
    assert tuple(ProductGroup.values) == breakdowns.PRODUCT_GROUPS
    assert breakdowns.kind_of("KCDP") == FUND
    assert breakdowns.kind_of("nhom-6") == CONTENT
    assert breakdowns.kind_of("nsp-4") == PRODUCT
    assert breakdowns.kind_of("dtts") == OWNER
    assert breakdowns.kind_of("quoc-gia") == LEVEL
    assert breakdowns.kind_of("") is None
    assert breakdowns.declared({"": 1, "KCQG": 1, "nu": 1}, [OWNER]) == {"": 1, "nu": 1}
