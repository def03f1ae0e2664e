import datetime
import itertools
from decimal import Decimal

import pytest
from hypothesis import example, given
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


@given(st.integers(min_value=-(10**18), max_value=10**18))
@example(0)
@example(1)
@example(-1)
@example(999_999)
@example(1_000_000)
@example(-62_500_000)
@example(1_234_567_890_123)
def test_millions_of_an_int_are_what_babel_writes(amount):
    """``format_million`` writes an int in integer arithmetic (issue 11): the same text as the
    Decimal and Babel path every other amount takes."""
    expected = formatting.format_number(formatting.dong_to_million(amount))
    assert formatting.format_million(amount, unit=False) == expected
    assert formatting.format_million(Decimal(amount), unit=False) == expected


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


def test_millions_on_pages_read_in_the_readers_language():
    """Regression (issue 9, defect 12): English pages said "36.383,3 triệu đồng"."""
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{{ b|trieu }}|{{ b|trieu:'' }}")
    with translation.override("en"):
        assert template.render(Context({"b": 36_383_300_000})) == "36.383,3 million đồng|36.383,3"
        assert formatting.format_million(62_500_000) == "62,5 triệu đồng"  # documents stay


# ------------------------------------------------------------------------------ amounts in words
@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (420_000_000, "Bốn trăm hai mươi triệu đồng"),
        # num2words says "một triệu năm nghìn": accounts read the empty hundreds and tens.
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (62_500_000, "Sáu mươi hai triệu năm trăm nghìn đồng"),
        (25_965_000_000, "Hai mươi lăm tỷ chín trăm sáu mươi lăm triệu đồng"),
        # num2words says "mười triệu lẻ một".
        (10_000_001, "Mười triệu không trăm linh một đồng"),
        # num2words says "một nghìn lẻ mười" and "hai nghìn lẻ hai mươi mốt": wrong.
        (1_010, "Một nghìn không trăm mười đồng"),
        (2_021, "Hai nghìn không trăm hai mươi mốt đồng"),
        (1_015_000, "Một triệu không trăm mười lăm nghìn đồng"),
        (105, "Một trăm linh năm đồng"),  # "năm" after "linh", never "lăm"
        (15, "Mười lăm đồng"),
        (25, "Hai mươi lăm đồng"),
        (11, "Mười một đồng"),  # "một" after "mười", never "mốt"
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi bốn đồng"),
        (1_000_100, "Một triệu một trăm đồng"),  # an all-zero group is skipped
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (5_000_015_000_000, "Năm nghìn tỷ không trăm mười lăm triệu đồng"),
    ],
)
def test_amount_in_words_reads_as_vietnamese_accounts_do(amount, words):
    assert formatting.amount_in_words(amount) == words


def _digit_words() -> dict[str, int]:
    names = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    return {name: n for n, name in enumerate(names)} | {"mốt": 1, "lăm": 5, "mười": 10}


def _read_back(words: str) -> int:
    """Parse the words back into a number: a second, independent reading of the rules."""
    digits = _digit_words()
    total = billions = group = current = 0
    for word in words.split():
        if word == "tỷ":
            billions = (billions + total + group + current) * 1_000_000_000
            total = group = current = 0
        elif word in ("triệu", "nghìn"):
            total += (group + current) * (1_000_000 if word == "triệu" else 1000)
            group = current = 0
        elif word == "trăm":
            group += current * 100
            current = 0
        elif word == "mươi":
            current *= 10
        elif word == "linh":
            continue
        elif word == "mười":
            current = 10
        elif current and current % 10 == 0:
            current += digits[word]
        else:
            current = digits[word]
    return billions + total + group + current


@given(st.integers(min_value=0, max_value=10**15))
def test_amount_in_words_reads_back_to_the_same_number(amount):
    words = formatting.number_in_words(amount)
    assert _read_back(words) == amount
    tokens = words.split()
    for before, word in itertools.pairwise(tokens):
        if word == "mốt":
            assert before == "mươi"  # 21, 31 …, never after "mười" or "linh"
        if word == "lăm":
            assert before in ("mươi", "mười")  # 15, 25 …, never after "linh"
        if before in ("mươi", "mười"):
            assert word not in ("năm", "một" if before == "mươi" else "mốt")
        if before == "linh":
            assert word in _digit_words()
            assert word not in ("mốt", "lăm", "mười", "không")
    assert "lẻ" not in tokens
    assert tokens[-1] != "không" or amount == 0
