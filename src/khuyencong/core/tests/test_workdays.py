"""Vietnamese working days: weekends, public holidays (Tết, Giỗ Tổ), swaps from the library and
from stored overrides; the ``working_days`` command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.core import workdays
from khuyencong.core.models import WorkingDayOverride

D = datetime.date
YEARS = range(2024, 2032)
CALENDAR = workdays.build(YEARS)
days_in_range = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 6, 30))


def test_tet_2026_is_skipped():
    # Friday 13/2/2026, then Tết (Mon 16 - Fri 20/2): the first working day is Monday 23/2.
    assert CALENDAR.add(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert CALENDAR.add(D(2026, 2, 13), 15) == D(2026, 3, 13)
    assert not CALENDAR.is_working_day(D(2026, 2, 17))


def test_hung_kings_day_and_national_day_are_days_off():
    assert not CALENDAR.is_working_day(D(2026, 4, 27))  # Giỗ Tổ (observed, Monday)
    assert not CALENDAR.is_working_day(D(2026, 9, 2))
    assert not CALENDAR.is_working_day(D(2027, 4, 16))  # Giỗ Tổ 2027 (10/3 lunar)


def test_a_weekend_day_made_a_working_day_by_the_government_counts():
    assert D(2026, 8, 22).weekday() == 5
    assert CALENDAR.is_working_day(D(2026, 8, 22))
    assert not CALENDAR.is_working_day(D(2026, 8, 31))
    assert CALENDAR.add(D(2026, 8, 21), 1) == D(2026, 8, 22)


def test_zero_days_is_the_start_and_negative_is_refused():
    assert CALENDAR.add(D(2026, 2, 14), 0) == D(2026, 2, 14)
    with pytest.raises(workdays.WorkingDayError):
        CALENDAR.add(D(2026, 2, 14), -1)


def test_a_day_outside_the_calendar_is_refused_with_the_years():
    with pytest.raises(workdays.WorkingDayError, match="2024-2031"):
        CALENDAR.is_working_day(D(2040, 1, 2))


@settings(max_examples=200, deadline=None)
@given(start=days_in_range, days=st.integers(min_value=1, max_value=60))
def test_adding_lands_on_a_working_day_exactly_that_many_working_days_later(start, days):
    end = CALENDAR.add(start, days)
    assert end > start
    assert CALENDAR.is_working_day(end)
    assert CALENDAR.count(start, end) == days
    assert end.weekday() < 5 or end in CALENDAR.days_worked


@settings(max_examples=100, deadline=None)
@given(start=days_in_range, days=st.integers(min_value=0, max_value=40))
def test_adding_is_monotonic_and_never_shorter_than_calendar_days(start, days):
    assert CALENDAR.add(start, days + 1) > CALENDAR.add(start, days)
    assert (CALENDAR.add(start, days) - start).days >= days


def test_overrides_win_over_the_library():
    # A made-up swap: Saturday 7/3/2026 worked, Monday 9/3/2026 off.
    calendar = workdays.build(YEARS, [(D(2026, 3, 7), True), (D(2026, 3, 9), False)])
    assert calendar.is_working_day(D(2026, 3, 7))
    assert not calendar.is_working_day(D(2026, 3, 9))
    assert calendar.add(D(2026, 3, 6), 2) == D(2026, 3, 10)


@pytest.mark.django_db
def test_stored_overrides_are_applied():
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    WorkingDayOverride.objects.create(
        day=D(2026, 3, 9), is_working_day=False, reason="Nghỉ bù (thử)", legal_basis="TB thử"
    )
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 10)
    assert workdays.working_days_between(D(2026, 3, 6), D(2026, 3, 10)) == 1


@pytest.mark.django_db
def test_the_command_prints_one_iso_date():
    out = StringIO()
    call_command("working_days", "--from", "2026-02-13", "--add", "15", stdout=out)
    assert out.getvalue() == "2026-03-13\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "message"),
    [
        ("13/02/2026", "15", "--from “13/02/2026” không phải ngày hợp lệ"),
        ("2026-02-13", "-3", "--add “-3” không hợp lệ"),
        ("2026-02-13", "mười", "số nguyên từ 0"),
    ],
)
def test_the_command_explains_bad_input(start, days, message):
    with pytest.raises(CommandError, match=message):
        call_command("working_days", "--from", start, "--add", days)
