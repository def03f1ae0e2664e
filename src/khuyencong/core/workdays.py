"""Ngày làm việc (Vietnamese working days): weekends and public holidays do not count.

Public holidays, including the lunar ones (Tết Nguyên đán, Giỗ Tổ Hùng Vương), and the
weekend days the government turns into working days (làm bù) come from the maintained
``holidays`` library (country ``VN``). A swap the government announces after the library's
release is data: :class:`khuyencong.core.models.WorkingDayOverride` rows (a day made a working
day or a day off, with its legal basis) take precedence over the library.

:class:`WorkCalendar` is pure (no database); :func:`calendar` builds one from the library and
the override rows. "N working days after a date" never counts the date itself: a complaint
window of 15 working days from a result published on Friday 13/2/2026 (Tết 2026 falls on
16-20/2) ends on Friday 13/3/2026; Saturday 22/8/2026 is a working day (làm bù for 31/8).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import holidays

COUNTRY = "VN"
SATURDAY = 5
#: How far a calendar is built beyond the years asked for: a window of N working days may
#: cross into the next year (N is at most a few dozen days).
SPAN_YEARS = 1


class WorkingDayError(ValueError):
    """A working-day question that has no answer (a negative count)."""


@dataclass(frozen=True)
class WorkCalendar:
    """Days off on weekdays (``days_off``) and weekend days worked (``days_worked``).

    Only the years in ``years`` are known; asking beyond them raises ``WorkingDayError``.
    """

    days_off: frozenset[datetime.date]
    days_worked: frozenset[datetime.date]
    years: range

    def _check(self, day: datetime.date) -> None:
        if day.year not in self.years:
            raise WorkingDayError(
                f"Lịch ngày làm việc chỉ có các năm {self.years.start}-{self.years.stop - 1}, "
                f"không có ngày {day.isoformat()}."
            )

    def is_working_day(self, day: datetime.date) -> bool:
        self._check(day)
        if day in self.days_worked:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < SATURDAY

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted);
        ``start`` when ``days`` is 0."""
        if days < 0:
            raise WorkingDayError("Số ngày làm việc phải từ 0 trở lên.")
        day = start
        left = days
        while left:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def count(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
        total = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            total += self.is_working_day(day)
        return total


def library_days(years: Iterable[int]) -> tuple[set[datetime.date], set[datetime.date]]:
    """Public holidays and weekend working days for ``years`` from the ``holidays`` library."""
    calendar_ = holidays.country_holidays(COUNTRY, years=sorted(set(years)))
    days_off = set(calendar_.keys())
    wanted = set(years)
    days_worked = {d for d in calendar_.weekend_workdays if d.year in wanted}
    return days_off, days_worked


def build(years: range, overrides: Iterable[tuple[datetime.date, bool]] = ()) -> WorkCalendar:
    """A calendar for ``years`` from the library, with ``(day, is_working_day)`` overrides."""
    days_off, days_worked = library_days(years)
    for day, working in overrides:
        if working:
            days_worked.add(day)
            days_off.discard(day)
        else:
            days_off.add(day)
            days_worked.discard(day)
    return WorkCalendar(frozenset(days_off), frozenset(days_worked), years)


def calendar(first_year: int, last_year: int | None = None) -> WorkCalendar:
    """The calendar the system uses: the library plus the stored overrides, for the years
    ``first_year`` to ``last_year`` (and one more, so that a window may end next year)."""
    from .models import WorkingDayOverride

    last = (last_year if last_year is not None else first_year) + SPAN_YEARS
    years = range(first_year, last + 1)
    overrides = WorkingDayOverride.objects.filter(
        day__gte=datetime.date(first_year, 1, 1), day__lte=datetime.date(last, 12, 31)
    ).values_list("day", "is_working_day")
    return build(years, overrides)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """``days`` Vietnamese working days after ``start`` (the stored overrides applied)."""
    if days < 0:
        raise WorkingDayError("Số ngày làm việc phải từ 0 trở lên.")
    # A year holds about 245 working days: widen the calendar for long windows.
    return calendar(start.year, start.year + days // 240).add(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return calendar(min(start.year, end.year), max(start.year, end.year)).count(start, end)
