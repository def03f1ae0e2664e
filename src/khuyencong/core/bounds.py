"""Giới hạn hợp lý của số và ngày: every bound on a number or a date the system accepts, and why.

Forms, imports and commands check values against these objects, and the models' database
``CheckConstraint``\\ s are built from the same objects (:meth:`NumberBound.constraint`), so a
bound is said once. A value outside its bound is refused with a Vietnamese sentence naming the
field and the bound — never stored, so it can never break a page or an export afterwards (a
quantity of 10^13 did: SQLite kept it, and every later read of the programme failed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.programs.programme_data import MAX_NUMBER_TEXT

# MAX_NUMBER_TEXT (40): longest number text read at all. Longer text is refused before any
# conversion: Python refuses to convert more than 4,300 digits, 64-bit columns end at 19.


class OutOfBounds(ValueError):
    """A value outside its bound; the message names the field and says what is allowed."""


def _show(value: int | Decimal) -> str:
    from .formatting import format_number

    return format_number(value)


@dataclass(frozen=True)
class NumberBound:
    """The values a number field may take: ``low`` ≤ value ≤ ``high``, at most ``places``
    decimal places (so a quantity never needs more digits than the database keeps, and a
    positive quantity never shows as 0)."""

    low: int | Decimal
    high: int | Decimal
    places: int
    unit: str
    reason: str
    grouped: bool = True  # 1.000.000 — but a year is written 2026

    def _show(self, value: int | Decimal) -> str:
        return _show(value) if self.grouped else str(value)

    def check(self, value: int | Decimal, label: str) -> int | Decimal:
        """``value`` if it is within the bound, else :class:`OutOfBounds`."""
        if value < 0 <= self.low:
            raise OutOfBounds(
                _("%(field)s không được âm (nhập %(value)s).")
                % {"field": label, "value": _short(value)}
            )
        if value < self.low or value > self.high:
            raise OutOfBounds(
                _("%(field)s phải từ %(low)s đến %(high)s%(unit)s (nhập %(value)s).")
                % {
                    "field": label,
                    "low": self._show(self.low),
                    "high": self._show(self.high),
                    "unit": f" {self.unit}" if self.unit else "",
                    "value": _short(value) if self.grouped else str(value)[:40],
                }
            )
        exact = Decimal(value)
        if exact != exact.quantize(Decimal(1).scaleb(-self.places)):
            if self.places == 0:
                message = _("%(field)s phải là số nguyên%(unit)s (nhập %(value)s).")
            else:
                message = _(
                    "%(field)s chỉ ghi tối đa %(places)s chữ số thập phân (nhập %(value)s): số "
                    "nhỏ hơn sẽ hiện thành 0, hãy làm tròn hoặc đổi đơn vị tính."
                )
            raise OutOfBounds(
                message
                % {
                    "field": label,
                    "places": self.places,
                    "unit": f" {self.unit}" if self.unit else "",
                    "value": _short(value),
                }
            )
        return value

    def constraint(self, field: str, name: str, *, null: bool = False) -> CheckConstraint:
        """The database's copy of the bound for ``field``."""
        return _window(field, self.low, self.high, name, null)


def _window(field: str, low: Any, high: Any, name: str, null: bool) -> CheckConstraint:
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if null:
        condition |= Q(**{f"{field}__isnull": True})
    return CheckConstraint(condition=condition, name=name)


def _short(value: int | Decimal) -> str:
    # Grouping digits runs in the default 28-digit decimal context: show longer numbers in
    # scientific notation rather than overflow it while writing the refusal.
    text = _show(value) if abs(Decimal(value)) < Decimal(10) ** 24 else f"{Decimal(value):.3E}"
    return text if len(text) <= 40 else text[:39] + "…"


def check_text_length(text: str, label: str) -> None:
    """Refuse number text too long to be a number of this system, before converting it."""
    if len(text) > MAX_NUMBER_TEXT:
        raise OutOfBounds(
            _("%(field)s: “%(value)s…” dài %(n)s ký tự, không phải một số hợp lệ.")
            % {"field": label, "value": text[:20], "n": len(text)}
        )


MONEY = NumberBound(
    low=0,
    high=999_999_999_999_999,
    places=0,
    unit="đồng",
    reason="Integer đồng. Under 10^15 (a thousand trillion đồng, about half the state budget): "
    "far above any programme, and the 15 significant digits a spreadsheet cell keeps exactly "
    "(amounts travel through Excel); well inside a 64-bit column.",
)
QUANTITY = NumberBound(
    low=0,
    high=Decimal("999999999.999"),
    places=3,
    unit="",
    reason="Quantities (people trained, machines, m²) under a thousand million, in thousandths: "
    "the columns are DecimalField(max_digits=16, decimal_places=3), and a smaller fraction "
    "would be stored and shown as 0.",
)
PERCENT = NumberBound(
    low=0, high=100, places=0, unit="%", reason="A share of work done or of costs: 0-100."
)
SHARE_PERCENT = NumberBound(
    low=0,
    high=100,
    places=2,
    unit="%",
    reason="A norm's share of reasonable costs (50%, 12,5%): hundredths are the finest printed.",
)
PRIORITY_MULTIPLIER = NumberBound(
    low=1,
    high=Decimal("99.99"),
    places=2,
    unit="",
    reason="A norm's multiplier for priority areas (1,5): DecimalField(max_digits=4, places=2).",
)
EMPLOYEES = NumberBound(
    low=0,
    high=1_000_000,
    places=0,
    unit="",
    reason="Workers of one rural establishment: a million is beyond the largest company.",
)
PLAN_YEAR = NumberBound(
    grouped=False,
    low=2000,
    high=2100,
    places=0,
    unit="",
    reason="Plan and programme years: the system starts in the 2020s; 2100 catches typos.",
)


def _years(low: int, high: int, reason: str) -> NumberBound:
    """Years from ``low`` to ``high``, written without grouping (2026, not 2.026)."""
    return NumberBound(grouped=False, low=low, high=high, places=0, unit="", reason=reason)


FIRST_FOUNDED_YEAR = 1800
"""Earliest founding year of an establishment (old craft villages); the latest is this year."""
FOUNDED_YEARS = _years(
    FIRST_FOUNDED_YEAR,
    2100,
    "The database's window for a founding year; forms and imports also refuse a year after "
    "this one (founded_year_bound), which a constraint cannot say.",
)


def founded_year_bound(today: datetime.date | None = None) -> NumberBound:
    """Năm thành lập: from 1800 to this year (in Việt Nam)."""
    year = (today or local_today()).year
    return _years(FIRST_FOUNDED_YEAR, year, "An establishment cannot be founded in the future.")


FIRST_AWARD_YEAR = 1950
"""Earliest year an artisan's title (nghệ nhân) is recorded as awarded; the latest is this year."""
AWARD_YEARS = _years(
    FIRST_AWARD_YEAR,
    2100,
    "The database's window for the year an artisan's title was awarded; forms and the API also "
    "refuse a year after this one (award_year_bound), which a constraint cannot say.",
)


def award_year_bound(today: datetime.date | None = None) -> NumberBound:
    """Năm phong tặng danh hiệu nghệ nhân: from 1950 to this year (in Việt Nam)."""
    year = (today or local_today()).year
    return _years(FIRST_AWARD_YEAR, year, "A title cannot be awarded in the future.")


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------
def local_today() -> datetime.date:
    """Today in Việt Nam (``TIME_ZONE`` is Asia/Ho_Chi_Minh), whatever the server's zone."""
    return timezone.localdate()


@dataclass(frozen=True)
class DateBound:
    """The dates a field may take: within [``low``, ``high``], and not after today when
    ``not_future`` (a payment, an acceptance, a settlement has already happened)."""

    low: datetime.date
    high: datetime.date
    not_future: bool
    reason: str

    def check(
        self, value: datetime.date, label: str, *, today: datetime.date | None = None
    ) -> datetime.date:
        if not self.low <= value <= self.high:
            raise OutOfBounds(
                _("%(field)s phải trong khoảng %(low)s đến %(high)s (nhập %(value)s).")
                % {
                    "field": label,
                    "low": _date(self.low),
                    "high": _date(self.high),
                    "value": _date(value),
                }
            )
        today = today or local_today()
        if self.not_future and value > today:
            raise OutOfBounds(
                _(
                    "%(field)s %(value)s là ngày trong tương lai: chỉ ghi việc đã xảy ra, muộn "
                    "nhất là hôm nay (%(today)s)."
                )
                % {"field": label, "value": _date(value), "today": _date(today)}
            )
        return value

    def constraint(self, field: str, name: str, *, null: bool = False) -> CheckConstraint:
        """The database's copy of the window (not of "not in the future": that moves daily)."""
        return _window(field, self.low, self.high, name, null)


def _date(value: datetime.date) -> str:
    return f"{value.day}/{value.month}/{value.year}"


ANY_DATE = DateBound(
    low=datetime.date(2000, 1, 1),
    high=datetime.date(2100, 12, 31),
    not_future=False,
    reason="Decisions, deadlines and plans of this system: 2000-2100 catches a mistyped year "
    "(2206 for 2026) that would sort and filter wrongly for years.",
)
PAST_DATE = DateBound(
    low=ANY_DATE.low,
    high=ANY_DATE.high,
    not_future=True,
    reason="Money paid, work accepted, accounts settled: facts, so not after today.",
)


def constraints(
    bound: NumberBound | DateBound, prefix: str, *fields: str, null: bool = False
) -> list[CheckConstraint]:
    """One ``CheckConstraint`` per field, named ``<prefix>_<field>_bound``: the database
    refuses what the forms and imports refuse."""
    return [bound.constraint(f, f"{prefix}_{f}_bound", null=null) for f in fields]
