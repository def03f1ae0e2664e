"""Bounds on numbers and dates (core/bounds.py): pure checks and the database's copy."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from khuyencong.core import bounds
from khuyencong.core.bounds import OutOfBounds


def test_every_bound_says_why() -> None:
    for name in dir(bounds):
        value = getattr(bounds, name)
        if isinstance(value, bounds.NumberBound | bounds.DateBound):
            assert value.reason, name
            assert value.low <= value.high, name


def test_money_is_bounded_below_a_spreadsheet_cells_precision() -> None:
    assert bounds.MONEY.check(999_999_999_999_999, "Kinh phí") == 999_999_999_999_999
    with pytest.raises(OutOfBounds, match=r"^Kinh phí phải từ 0 đến 999\.999\.999\.999\.999 đồng"):
        bounds.MONEY.check(10**15, "Kinh phí")
    with pytest.raises(OutOfBounds, match="Kinh phí không được âm"):
        bounds.MONEY.check(-1, "Kinh phí")
    with pytest.raises(OutOfBounds, match="phải là số nguyên đồng"):
        bounds.MONEY.check(Decimal("0.5"), "Kinh phí")
    # A value of thousands of digits is shown short, not printed whole.
    with pytest.raises(OutOfBounds) as info:
        bounds.MONEY.check(10**5000, "Kinh phí")
    assert len(str(info.value)) < 200


def test_a_quantity_that_would_show_as_zero_is_refused() -> None:
    assert bounds.QUANTITY.check(Decimal("0.001"), "Số lượng") == Decimal("0.001")
    with pytest.raises(OutOfBounds, match="tối đa 3 chữ số thập phân"):
        bounds.QUANTITY.check(Decimal("0.0004"), "Số lượng")
    with pytest.raises(OutOfBounds, match=r"Số lượng phải từ 0 đến 999\.999\.999,999"):
        bounds.QUANTITY.check(Decimal(10**13), "Số lượng")


def test_number_text_longer_than_any_number_is_refused_before_conversion() -> None:
    bounds.check_text_length("1" * bounds.MAX_NUMBER_TEXT, "Kinh phí")
    with pytest.raises(OutOfBounds, match="dài 5000 ký tự"):
        bounds.check_text_length("1" * 5000, "Kinh phí")


def test_years_are_written_without_separators() -> None:
    with pytest.raises(OutOfBounds, match=r"Năm thành lập phải từ 1800 đến 2026 \(nhập 2027"):
        bounds.founded_year_bound(datetime.date(2026, 5, 1)).check(2027, "Năm thành lập")


def test_facts_cannot_be_dated_in_the_future_and_dates_keep_to_their_window() -> None:
    today = datetime.date(2026, 12, 4)
    assert bounds.PAST_DATE.check(today, "Ngày chi", today=today) == today
    with pytest.raises(OutOfBounds, match="Ngày chi 5/12/2026 là ngày trong tương lai"):
        bounds.PAST_DATE.check(datetime.date(2026, 12, 5), "Ngày chi", today=today)
    assert bounds.ANY_DATE.check(datetime.date(2027, 1, 1), "Hạn", today=today)
    with pytest.raises(OutOfBounds, match="1/1/2000 đến 31/12/2100"):
        bounds.ANY_DATE.check(datetime.date(1999, 12, 31), "Hạn", today=today)


@pytest.mark.parametrize("value", [19243765577856949142419406848, -(10**29) + 7, 10**28 + 1])
def test_a_number_of_28_to_30_digits_is_refused_with_a_sentence(value):
    """Regression (schemathesis, 2026-12-04): the message showed such a number in full, and
    formatting it with grouped thousands overflowed the 28-digit decimal context
    (InvalidOperation → 500) before the refusal could be written."""
    with pytest.raises(bounds.OutOfBounds) as refused:
        bounds.EMPLOYEES.check(value, "Tổng lao động")
    assert "Tổng lao động" in str(refused.value)
