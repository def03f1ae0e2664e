"""Hạn đăng ký (registration deadlines): the seeds' default dates and the effective deadline.

Pure: no ORM, no HTTP. The defaults are data (one row per province, one default row), never
branches in code: a province that sets other dates gets a row here, or the officer opening a
round simply types other dates.

The dates are in the year *before* the plan year: registrations for the 2026 plan are due in
June 2025 (Sóc Trăng's letter for the 2026 national plan: "chậm nhất ngày 10/6/2025").
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_date

COMMUNE_LEVEL = 3
PROVINCE_LEVEL = 1


@dataclass(frozen=True)
class DeadlineDefault:
    """Default deadlines as (month, day) in the year before the plan year.

    ``province`` is ``None`` when the source states no date: the officer types it.
    """

    commune: tuple[int, int]
    province: tuple[int, int] | None
    source: str


DEFAULT_ROW = "*"

#: Keyed by the province's official code; ``"*"`` is the row for every other province and for
#: rounds opened by the national department.
DEADLINE_DEFAULTS: dict[str, DeadlineDefault] = {
    DEFAULT_ROW: DeadlineDefault(
        commune=(6, 10),
        # "trước ngày 20 tháng 6": the last day is 19 June.
        province=(6, 19),
        source=(
            "Xã gửi Sở Công Thương chậm nhất ngày 10/6 (Công văn SCT Sóc Trăng về kế hoạch "
            "KCQG 2026); Sở Công Thương gửi Cục ĐCK trước ngày 20/6 (quy trình KCQG)."
        ),
    ),
    "66": DeadlineDefault(
        commune=(7, 15),
        province=None,
        source=(
            "Chương trình khuyến công tỉnh Đắk Lắk 2026-2030: UBND xã, phường gửi kế hoạch "
            "khuyến công hằng năm về Sở Công Thương trước ngày 15/7."
        ),
    ),
}


@dataclass(frozen=True)
class DefaultDates:
    commune: datetime.date
    province: datetime.date | None
    source: str


def next_round(province_code: str | None, today: datetime.date) -> tuple[int, DefaultDates]:
    """The plan year a round opened today is for, and its default deadlines: the first year
    whose default commune deadline is not yet past (in December 2026 that is the 2028 plan,
    due 10/6/2027 — the 2027 plan's June 2026 deadline is gone)."""
    year = today.year + 1
    while (dates := default_deadlines(province_code, year)).commune < today:
        year += 1
    return year, dates


def deadline_problems(
    *,
    commune: datetime.date,
    province: datetime.date,
    today: datetime.date,
    unchanged: tuple[datetime.date, datetime.date] | None = None,
) -> list[str]:
    """What is wrong with a round's deadlines: a deadline already past (the round would open
    closed) — unless it is the date the round already had — or the province's before the
    communes'. ``unchanged``: the round's (commune, province) deadlines before an edit."""
    problems = []
    for label, value, before in (
        (_("Hạn xã, cơ sở gửi"), commune, unchanged[0] if unchanged else None),
        (_("Hạn tỉnh gửi"), province, unchanged[1] if unchanged else None),
    ):
        if value < today and value != before:
            problems.append(
                _(
                    "%(field)s (%(date)s) đã qua: đợt đăng ký sẽ hết hạn ngay khi mở. Chọn một "
                    "ngày từ hôm nay (%(today)s) trở đi."
                )
                % {"field": label, "date": format_date(value), "today": format_date(today)}
            )
    if province < commune:
        problems.append(
            _("Hạn tỉnh gửi (%(p)s) không được trước hạn xã gửi (%(c)s).")
            % {"p": format_date(province), "c": format_date(commune)}
        )
    return problems


def default_deadlines(province_code: str | None, plan_year: int) -> DefaultDates:
    """The default dates for a round of ``plan_year`` opened by a province (or the nation)."""
    row = DEADLINE_DEFAULTS.get(province_code or DEFAULT_ROW) or DEADLINE_DEFAULTS[DEFAULT_ROW]
    year = plan_year - 1
    province = datetime.date(year, *row.province) if row.province else None
    return DefaultDates(datetime.date(year, *row.commune), province, row.source)


class RoundDeadlines(Protocol):
    @property
    def commune_deadline(self) -> datetime.date: ...

    @property
    def province_deadline(self) -> datetime.date: ...


class UnitLike(Protocol):
    @property
    def level(self) -> int: ...

    @property
    def path(self) -> str: ...


class ExtensionLike(Protocol):
    @property
    def unit_path(self) -> str: ...

    @property
    def new_deadline(self) -> datetime.date: ...


def base_deadline(round_: RoundDeadlines, unit: UnitLike) -> datetime.date:
    """The round's own deadline for a unit: communes and wards send by the commune deadline,
    provinces (and the nation) by the province deadline."""
    if unit.level >= COMMUNE_LEVEL:
        return round_.commune_deadline
    return round_.province_deadline


def covers(extension: ExtensionLike, unit: UnitLike) -> bool:
    """An extension granted to a unit reaches the unit and every unit below it: a province-wide
    extension extends each of its communes (issue 9); a commune's reaches no other unit."""
    return unit.path == extension.unit_path or unit.path.startswith(extension.unit_path + "/")


def covering_paths(path: str) -> list[str]:
    """The paths of the unit at ``path`` and of every unit above it: the units whose
    extensions reach it (``VN/14/03985`` → ``VN``, ``VN/14``, ``VN/14/03985``)."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def effective_deadline(
    round_: RoundDeadlines, unit: UnitLike, extensions: Iterable[ExtensionLike]
) -> datetime.date:
    """The last day ``unit`` may send in ``round_``: its own deadline, or the latest extension
    (gia hạn) granted to it or to a unit above it, whichever is later."""
    deadline = base_deadline(round_, unit)
    for extension in extensions:
        if covers(extension, unit) and extension.new_deadline > deadline:
            deadline = extension.new_deadline
    return deadline


def is_open(deadline: datetime.date, today: datetime.date) -> bool:
    """The deadline day itself still counts ("chậm nhất ngày 10/6")."""
    return today <= deadline


#: Reminder kinds and the windows of days left in which each is due. A window, not a single
#: day, so that a reminder missed on its day (the job did not run) still goes out the next day.
REMINDER_WINDOWS: dict[str, tuple[int, int]] = {
    "7-ngay": (2, 7),
    "1-ngay": (0, 1),
}


def reminder_due(deadline: datetime.date, today: datetime.date) -> str | None:
    """Which reminder is due today for ``deadline``: ``"7-ngay"``, ``"1-ngay"`` or ``None``."""
    left = (deadline - today).days
    for kind, (low, high) in REMINDER_WINDOWS.items():
        if low <= left <= high:
            return kind
    return None
