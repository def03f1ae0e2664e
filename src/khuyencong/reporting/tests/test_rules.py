"""Pure rules: periods and aggregation (no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.reporting import indicator_names, seed
from khuyencong.reporting.aggregation import (
    Figure,
    Rule,
    across_periods,
    across_units,
    by_key,
    difference,
)
from khuyencong.reporting.periods import Period, PeriodError, PeriodType, cutoff, due_date

amounts = st.integers(min_value=0, max_value=10**12).map(Decimal)
parts = st.tuples(amounts, st.integers(min_value=1, max_value=10**9).map(Decimal))


def test_periods_parse_the_cli_codes() -> None:
    h1 = Period.parse("2026-H1")
    assert (h1.start, h1.end, h1.label) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 6, 30),
        "6 tháng đầu năm 2026",
    )
    q3 = Period.parse("2026-q3")
    assert (q3.code, q3.start, q3.end) == (
        "2026-Q3",
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
    year = Period.parse("2026")
    assert (year.kind, year.end) == (PeriodType.YEAR, datetime.date(2026, 12, 31))
    assert year.parts(PeriodType.HALF) == [Period.parse("2026-H1"), Period.parse("2026-H2")]
    assert Period.parse("2026-H2").parts(PeriodType.QUARTER) == [
        Period.parse("2026-Q3"),
        Period.parse("2026-Q4"),
    ]


@pytest.mark.parametrize("code", ["", "2026-H3", "2026-Q5", "26", "2026-M1", "H1-2026"])
def test_a_wrong_period_code_says_how_to_write_one(code: str) -> None:
    with pytest.raises(PeriodError, match="2026-H1"):
        Period.parse(code)


def test_a_year_out_of_range_is_named() -> None:
    with pytest.raises(PeriodError, match=r"Năm 1999 .* 2000–2100"):
        Period.parse("1999-H1")


def test_period_errors_are_in_the_reader_language() -> None:
    with translation.override("en"):
        with pytest.raises(PeriodError, match=r"^Reporting period “2026-Q5” is not valid: "):
            Period.parse("2026-Q5")
        with pytest.raises(PeriodError, match=r"^The year 1999 of a reporting period must be "):
            Period.parse("1999")


def test_default_indicators_read_in_english_and_edited_ones_as_stored() -> None:
    rows = {row for _version, rows in seed.VERSIONS for row in rows}
    assert {row.code: row.label for row in rows}.items() <= indicator_names.LABELS.items()
    assert {row.unit for row in rows} - {"%"} <= indicator_names.UNITS.keys()
    label, unit = "Đề án khuyến công được phê duyệt", "đề án"
    default = SimpleNamespace(code="de-an-phe-duyet", label=label, unit_of_measure=unit)
    edited = SimpleNamespace(
        code="de-an-phe-duyet", label="Đề án được duyệt", unit_of_measure="dự án"
    )

    def shown(indicator: SimpleNamespace) -> tuple[str, str]:
        return indicator_names.label(indicator), indicator_names.unit(indicator)

    with translation.override("en"):
        assert shown(default) == ("Industrial extension projects approved", "projects")
        assert shown(edited) == ("Đề án được duyệt", "dự án")
    with translation.override("vi"):
        assert shown(default) == (label, unit)


def test_due_and_cutoff_dates() -> None:
    h1 = Period.parse("2026-H1")
    # Sơn La's centre: before 20 June for the first half-year; the figures stop on that day.
    assert due_date(h1, day=20, months_after_end=0) == datetime.date(2026, 6, 20)
    assert cutoff(h1, datetime.date(2026, 6, 20)) == datetime.date(2026, 6, 20)
    # The SCT: by the 10th of the month after the period; the figures run to its end.
    due = due_date(h1, day=10, months_after_end=1)
    assert due == datetime.date(2026, 7, 10)
    assert cutoff(h1, due) == datetime.date(2026, 6, 30)
    # A day the month lacks is its last day; a year's report crosses into the next year.
    assert due_date(Period.parse("2026-Q1"), day=31, months_after_end=0) == datetime.date(
        2026, 3, 31
    )
    assert due_date(h1, day=31, months_after_end=0) == datetime.date(2026, 6, 30)
    assert due_date(Period.parse("2026"), day=15, months_after_end=1) == datetime.date(2027, 1, 15)


def test_a_ratio_rolls_up_from_its_summed_parts_not_an_average_of_percentages() -> None:
    small = Figure(Decimal(1), Decimal(2))  # 50 %
    large = Figure(Decimal(10), Decimal(100))  # 10 %
    combined = across_units(Rule.RATIO, [small, large])
    assert combined == Figure(Decimal(11), Decimal(102))
    assert combined.value == Decimal("10.8")  # 11 / 102, not (50 + 10) / 2 = 30
    assert across_periods(Rule.RATIO, [("2026-H1", small), ("2026-H2", large)]) == combined


@given(st.lists(parts, min_size=1, max_size=30))
def test_ratio_roll_up_equals_the_ratio_of_the_totals(
    figures: list[tuple[Decimal, Decimal]],
) -> None:
    combined = across_units(Rule.RATIO, [Figure(n, d) for n, d in figures])
    numerator = sum((n for n, _ in figures), Decimal(0))
    denominator = sum((d for _, d in figures), Decimal(0))
    assert (combined.numerator, combined.denominator) == (numerator, denominator)
    assert combined.value == Figure(numerator, denominator).value


def test_a_ratio_of_nothing_is_no_figure_not_zero() -> None:
    assert across_units(Rule.RATIO, []).value is None
    assert Figure(Decimal(0), Decimal(0)).value is None


@given(st.lists(amounts, min_size=1, max_size=12))
def test_latest_value_is_never_summed_across_periods(values: list[Decimal]) -> None:
    periods = [(f"2026-Q{i % 4 + 1}-{i:02d}", Figure(v)) for i, v in enumerate(values)]
    ordered = sorted(periods, key=lambda p: p[0])
    assert across_periods(Rule.LATEST, list(reversed(periods))) == ordered[-1][1]
    assert across_periods(Rule.SUM, periods) == Figure(sum(values, Decimal(0)))


def test_latest_value_of_a_year_is_its_second_half() -> None:
    h1, h2 = Period.parse("2026-H1"), Period.parse("2026-H2")
    assert across_periods(Rule.LATEST, [(h2, Figure(Decimal(7))), (h1, Figure(Decimal(5)))]) == (
        Figure(Decimal(7))
    )
    assert across_periods(Rule.SUM, [(h1, Figure(Decimal(5))), (h2, Figure(Decimal(7)))]) == (
        Figure(Decimal(12))
    )
    assert across_periods(Rule.LATEST, []) is None


@given(
    st.lists(amounts, min_size=2, max_size=8),
    st.integers(min_value=0, max_value=6),
    amounts,
    st.sampled_from(list(Rule)),
)
def test_editing_an_earlier_period_does_not_change_a_later_one(
    values: list[Decimal], which: int, new: Decimal, rule: Rule
) -> None:
    """Each period's figure stands on its own: changing an earlier one changes neither a later
    period's figure nor, for a latest value, the roll-up of the whole span."""
    which = which % (len(values) - 1)  # never the last period
    periods = [Period(2026 + i // 4, PeriodType.QUARTER, i % 4 + 1) for i in range(len(values))]
    denominator = Decimal(1) if rule == Rule.RATIO else None
    before = {p: Figure(v, denominator) for p, v in zip(periods, values, strict=True)}
    after = {**before, periods[which]: Figure(new, denominator)}
    for later in periods[which + 1 :]:
        assert after[later] == before[later]
        span = [p for p in periods if p <= later]
        if rule == Rule.LATEST:
            assert across_periods(rule, [(p, after[p]) for p in span]) == before[later]
    total_before = across_periods(rule, list(before.items()))
    total_after = across_periods(rule, list(after.items()))
    assert total_before is not None
    assert total_after is not None
    if rule != Rule.LATEST:
        assert total_after.numerator - total_before.numerator == new - values[which]


@given(st.lists(st.tuples(st.sampled_from(["", "KCQG", "KCDP"]), amounts), max_size=20))
def test_by_key_sums_each_key_on_its_own(rows: list[tuple[str, Decimal]]) -> None:
    combined = by_key(Rule.SUM, [(key, Figure(v)) for key, v in rows])
    for key in {k for k, _ in rows}:
        assert combined[key].numerator == sum((v for k, v in rows if k == key), Decimal(0))


def test_difference_is_live_minus_reported() -> None:
    assert difference(Figure(Decimal(5)), Figure(Decimal(8))) == Decimal(3)
    assert difference(None, Figure(Decimal(8))) is None
    assert difference(Figure(Decimal(1), Decimal(0)), Figure(Decimal(1), Decimal(2))) is None
