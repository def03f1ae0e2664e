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
    def pk(self) -> int | None: ...

    @property
    def level(self) -> int: ...


class ExtensionLike(Protocol):
    @property
    def unit_id(self) -> int: ...

    @property
    def new_deadline(self) -> datetime.date: ...


def base_deadline(round_: RoundDeadlines, unit: UnitLike) -> datetime.date:
    """The round's own deadline for a unit: communes and wards send by the commune deadline,
    provinces (and the nation) by the province deadline."""
    if unit.level >= COMMUNE_LEVEL:
        return round_.commune_deadline
    return round_.province_deadline


def effective_deadline(
    round_: RoundDeadlines, unit: UnitLike, extensions: Iterable[ExtensionLike]
) -> datetime.date:
    """The last day ``unit`` may send in ``round_``: its own deadline, or the latest extension
    (gia hạn) granted to that very unit, whichever is later. An extension for a province does
    not extend its communes, and the other way round."""
    deadline = base_deadline(round_, unit)
    for extension in extensions:
        if extension.unit_id == unit.pk and extension.new_deadline > deadline:
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
