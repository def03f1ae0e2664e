import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core import formatting
from khuyencong.core.text import fold


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (25965, "25.965"),
        (0, "0"),
        (-1500, "-1.500"),
        (Decimal("62.5"), "62,5"),
        (Decimal("3562.5"), "3.562,5"),
        (Decimal("7530.000"), "7.530"),
        (None, ""),
    ],
)
def test_format_number(value, expected):
    assert formatting.format_number(value) == expected


def test_format_money_in_dong():
    assert formatting.format_money(36_383_300_000) == "36.383.300.000 đ"
    assert formatting.format_money(None) == ""


def test_format_million_is_exact():
    assert formatting.format_million(25_965_000_000) == "25.965 triệu đồng"
    assert formatting.format_million(62_500_000) == "62,5 triệu đồng"
    assert formatting.format_million(33_248_300_000, unit=False) == "33.248,3"
    assert formatting.format_million(300_000, unit=False) == "0,3"


@given(st.integers(min_value=0, max_value=10**15))
def test_million_round_trips_exactly(amount):
    text = formatting.format_million(amount, unit=False)
    back = Decimal(text.replace(".", "").replace(",", ".")) * formatting.MILLION
    assert back == amount


def test_format_date_like_officials_write_it():
    assert formatting.format_date(datetime.date(2026, 5, 11)) == "11/5/2026"
    assert formatting.format_long_date(datetime.date(2026, 5, 11), "Sơn La") == (
        "Sơn La, ngày 11 tháng 5 năm 2026"
    )
    assert formatting.format_long_date(datetime.date(2026, 2, 9)) == "ngày 09 tháng 02 năm 2026"


def test_format_datetime_uses_vietnam_time():
    moment = datetime.datetime(2026, 5, 10, 20, 30, tzinfo=datetime.UTC)
    assert formatting.format_date(moment) == "11/5/2026 03:30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Sơn La", "son la"), ("Đắk Lắk", "dak lak"), ("  Xã   Chiềng  Sơn ", "xa chieng son")],
)
def test_fold_for_accent_insensitive_search(text, expected):
    assert fold(text) == expected


def test_template_filters(rf):
    from django.template import Context, Template

    html = Template("{{ a|so }}|{{ b|tien }}|{{ b|trieu }}|{{ d|ngay }}").render(
        Context({"a": 25965, "b": 36_383_300_000, "d": datetime.date(2026, 5, 11)})
    )
    assert html == "25.965|36.383.300.000 đ|36.383,3 triệu đồng|11/5/2026"
