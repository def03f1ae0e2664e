"""The pure calculator: exact figures, wording, and properties over any rate and cost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.norms.rules import Rate, advance_limit, maximum_support

BASIS = "Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"
M = 1_000_000
MACHINERY = Rate(BASIS, "cơ sở", Decimal(50), 300 * M, Decimal("1.5"))
DEMONSTRATION = Rate(BASIS, "mô hình", Decimal(30), 1000 * M)
TECHNOLOGY_LINE = Rate(BASIS, "cơ sở", Decimal(50), 450 * M)
ENTERPRISE = Rate(BASIS, "doanh nghiệp", None, 10 * M, needs_verification=False)
FAIR = Rate(BASIS, "cơ sở", Decimal(80), None, needs_verification=True)


@pytest.mark.parametrize(
    ("rate", "cost", "maximum"),
    [
        (MACHINERY, 700 * M, 300 * M),
        (MACHINERY, 400 * M, 200 * M),
        (DEMONSTRATION, 2000 * M, 600 * M),
        (DEMONSTRATION, 4000 * M, 1000 * M),
        (TECHNOLOGY_LINE, 1000 * M, 450 * M),
        (ENTERPRISE, 15 * M, 10 * M),
        (ENTERPRISE, 8 * M, 8 * M),
        (FAIR, 25 * M, 20 * M),
        (MACHINERY, 0, 0),
    ],
)
def test_the_issue_figures(rate, cost, maximum):
    assert maximum_support(rate, cost).maximum == maximum


def test_the_sentence_cites_the_rule_and_the_legal_basis():
    assert maximum_support(MACHINERY, 700 * M).sentence == (
        "Tối đa 300.000.000 đ: 50% chi phí hợp lý 700.000.000 đ là 350.000.000 đ, vượt mức "
        "trần 300.000.000 đ/cơ sở (Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC)."
    )
    assert maximum_support(MACHINERY, 400 * M).sentence == (
        "Tối đa 200.000.000 đ: 50% chi phí hợp lý 400.000.000 đ, không vượt mức trần "
        "300.000.000 đ/cơ sở (Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC)."
    )
    assert maximum_support(ENTERPRISE, 15 * M).sentence.startswith(
        "Tối đa 10.000.000 đ: chi phí hợp lý 15.000.000 đ vượt mức trần 10.000.000 đ/doanh nghiệp"
    )
    fair = maximum_support(FAIR, 25 * M).sentence
    assert fair.startswith("Tối đa 20.000.000 đ: 80% chi phí hợp lý 25.000.000 đ")
    assert "cần xác minh" in fair


def test_priority_multiplies_the_cap_only_and_says_so():
    plain = maximum_support(MACHINERY, 1000 * M)
    priority = maximum_support(MACHINERY, 1000 * M, priority=True)
    assert (plain.maximum, priority.maximum) == (300 * M, 450 * M)
    assert "bằng 1,5 lần mức 300.000.000 đ" in priority.sentence
    assert "mức trần 450.000.000 đ/cơ sở" in priority.sentence
    # Below the cap the percentage decides: the multiplier never raises the percentage.
    assert maximum_support(MACHINERY, 400 * M, priority=True).maximum == 200 * M
    # A rate without a multiplier says that it has none.
    assert (
        "không quy định hệ số" in maximum_support(DEMONSTRATION, 4000 * M, priority=True).sentence
    )


def test_percentages_round_down_to_the_dong():
    rate = Rate(BASIS, "cơ sở", Decimal("33.33"), None)
    assert maximum_support(rate, 100).maximum == 33  # 33,33 đồng
    assert maximum_support(Rate(BASIS, "cơ sở", Decimal(50), None), 3).maximum == 1
    odd_multiplier = Rate(BASIS, "cơ sở", None, 333, Decimal("1.25"))
    assert maximum_support(odd_multiplier, 10**6, priority=True).maximum == 416  # 416,25


def test_bad_inputs_are_refused():
    with pytest.raises(TypeError):
        maximum_support(MACHINERY, 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="không được âm"):
        maximum_support(MACHINERY, -1)
    with pytest.raises(ValueError, match="Tỷ lệ hỗ trợ"):
        Rate(BASIS, "cơ sở", Decimal(101), None)
    with pytest.raises(ValueError, match="Hệ số ưu tiên"):
        Rate(BASIS, "cơ sở", Decimal(50), None, priority_multiplier=Decimal("0.5"))


def test_advance_limit():
    assert advance_limit(MACHINERY, 300 * M) == 210 * M
    cluster = Rate(BASIS, "cụm công nghiệp", Decimal(30), 1500 * M, advance_ceiling=Decimal("0.3"))
    assert advance_limit(cluster, 1500 * M) == 450 * M
    assert advance_limit(None, 100) == 70


rates = st.builds(
    Rate,
    legal_basis=st.just(BASIS),
    unit=st.sampled_from(["cơ sở", "mô hình", "nhãn hiệu"]),
    max_percent=st.none() | st.decimals(0, 100, places=2),
    cap_per_unit=st.none() | st.integers(0, 5 * 10**9),
    priority_multiplier=st.decimals(1, 3, places=2),
)
costs = st.integers(0, 10**13)


@given(rates, costs, st.booleans())
def test_never_above_the_cost_nor_the_multiplied_cap(rate, cost, priority):
    outcome = maximum_support(rate, cost, priority=priority)
    assert 0 <= outcome.maximum <= cost
    if rate.cap_per_unit is not None:
        limit = rate.cap_per_unit * (rate.priority_multiplier if priority else 1)
        assert outcome.maximum <= limit
    if rate.max_percent is not None:
        assert outcome.maximum * 100 <= cost * rate.max_percent
    assert outcome.sentence.endswith(".")
    assert BASIS in outcome.sentence


@given(rates, costs, costs, st.booleans())
def test_monotone_in_cost(rate, a, b, priority):
    low, high = sorted((a, b))
    assert (
        maximum_support(rate, low, priority=priority).maximum
        <= maximum_support(rate, high, priority=priority).maximum
    )


@given(rates, costs)
def test_priority_never_lowers_the_maximum(rate, cost):
    assert maximum_support(rate, cost, priority=True).maximum >= maximum_support(rate, cost).maximum
