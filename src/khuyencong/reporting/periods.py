"""Reporting periods (kỳ báo cáo): quarters, half-years and years, named as in the CLI
(``2026-Q3``, ``2026-H1``, ``2026``). Pure: no ORM, no HTTP (labels through gettext)."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _


class PeriodType(StrEnum):
    QUARTER = "quy"
    HALF = "nua-nam"
    YEAR = "nam"


_PATTERN = re.compile(r"^\s*(\d{4})(?:-(Q[1-4]|H[12]))?\s*$", re.IGNORECASE)
_MONTHS = {PeriodType.QUARTER: 3, PeriodType.HALF: 6, PeriodType.YEAR: 12}


class PeriodError(ValueError):
    """A period code that names no period (the message in the reader's language, ready to
    show)."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: ``year`` and its ``index`` within the year (1 for a year)."""

    year: int
    kind: PeriodType
    index: int = 1

    @classmethod
    def parse(cls, code: str) -> Period:
        match = _PATTERN.match(code or "")
        if not match:
            raise PeriodError(
                _(
                    "Kỳ báo cáo “%(code)s” không hợp lệ: ghi năm (2026), nửa năm (2026-H1, "
                    "2026-H2) hoặc quý (2026-Q1 … 2026-Q4)."
                )
                % {"code": code}
            )
        year, part = int(match.group(1)), (match.group(2) or "").upper()
        if not 2000 <= year <= 2100:
            raise PeriodError(
                _("Năm %(year)s của kỳ báo cáo phải trong khoảng 2000–2100.") % {"year": year}
            )
        if not part:
            return cls(year, PeriodType.YEAR)
        kind = PeriodType.QUARTER if part[0] == "Q" else PeriodType.HALF
        return cls(year, kind, int(part[1]))

    @property
    def code(self) -> str:
        if self.kind == PeriodType.YEAR:
            return str(self.year)
        return f"{self.year}-{'Q' if self.kind == PeriodType.QUARTER else 'H'}{self.index}"

    @property
    def label(self) -> str:
        if self.kind == PeriodType.YEAR:
            return _("Năm %(year)s") % {"year": self.year}
        if self.kind == PeriodType.HALF:
            if self.index == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": self.year}
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        quarter = ["I", "II", "III", "IV"][self.index - 1]
        return _("Quý %(quarter)s năm %(year)s") % {"quarter": quarter, "year": self.year}

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, (self.index - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end_month(self) -> int:
        return self.index * _MONTHS[self.kind]

    @property
    def end(self) -> datetime.date:
        month = self.end_month
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies wholly inside this period (a quarter inside its half-year)."""
        return self.start <= other.start and other.end <= self.end

    def parts(self, kind: PeriodType) -> list[Period]:
        """The periods of ``kind`` this one is made of (a year's two halves, in order)."""
        count = 12 // _MONTHS[kind]
        return [
            p for p in (Period(self.year, kind, i) for i in range(1, count + 1)) if self.contains(p)
        ]

    def __str__(self) -> str:
        return self.code


def month_offset(year: int, month: int, offset: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + offset
    return total // 12, total % 12 + 1


def day_in_month(year: int, month: int, day: int) -> datetime.date:
    """The ``day`` of a month, or its last day when the month is shorter (31 → 30/6)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_date(period: Period, *, day: int, months_after_end: int) -> datetime.date:
    """The due date: ``day`` of the period's last month (``months_after_end`` = 0; Sơn La's
    centre: 20 June for the first half-year) or of a later month."""
    year, month = month_offset(period.year, period.end_month, months_after_end)
    return day_in_month(year, month, day)


def cutoff(period: Period, due: datetime.date) -> datetime.date:
    """The day the figures are taken at: the period's end, or the due date when a report is due
    before its period ends (a half-year report due on 20 June counts up to 20 June)."""
    return min(period.end, due)
