"""The support calculator (tính mức hỗ trợ tối đa): pure rules, no ORM, no HTTP.

A :class:`Rate` is one row of the rate table. :func:`maximum_support` gives, for an eligible cost
(chi phí hợp lý) of one unit of support (one model, one establishment, one trademark …), the
highest support in integer đồng and the Vietnamese sentence that explains it and cites the legal
basis:

* the percentage is applied with :class:`~decimal.Decimal` and rounded down to the đồng;
* the cap per unit bounds it; in priority areas the cap — and only the cap — is multiplied by
  the rate's priority multiplier (rounded down to the đồng);
* support never exceeds the eligible cost itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_money, format_number

HUNDRED = Decimal(100)


def _check_amount(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} phải là số nguyên đồng, nhận được {type(value).__name__}.")
    if value < 0:
        raise ValueError(f"{name} không được âm: {value}.")
    return value


def _check_decimal(name: str, value: object, low: Decimal, high: Decimal | None) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} phải là Decimal, nhận được {type(value).__name__}.")
    if not value.is_finite() or value < low or (high is not None and value > high):
        raise ValueError(f"{name} {value} nằm ngoài khoảng cho phép.")
    return value


def floor_dong(value: Decimal) -> int:
    """Round down to the đồng (support is never rounded up)."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class Rate:
    """Một dòng định mức: what the calculator needs of a rate, and nothing else.

    ``max_percent`` is a percentage (``Decimal("50")`` for 50 %), ``cap_per_unit`` đồng per
    ``unit``; either may be ``None`` (not both in the table, but the calculator copes).
    """

    legal_basis: str
    unit: str
    max_percent: Decimal | None = None
    cap_per_unit: int | None = None
    priority_multiplier: Decimal = Decimal(1)
    advance_ceiling: Decimal = Decimal("0.70")
    needs_verification: bool = False

    def __post_init__(self) -> None:
        if self.max_percent is not None:
            _check_decimal("Tỷ lệ hỗ trợ", self.max_percent, Decimal(0), HUNDRED)
        if self.cap_per_unit is not None:
            _check_amount("Mức trần", self.cap_per_unit)
        _check_decimal("Hệ số ưu tiên", self.priority_multiplier, Decimal(1), None)
        _check_decimal("Tỷ lệ tạm ứng", self.advance_ceiling, Decimal(0), Decimal(1))

    def cap(self, *, priority: bool = False) -> int | None:
        """The cap per unit in đồng, multiplied for priority areas; ``None`` when uncapped."""
        if self.cap_per_unit is None:
            return None
        if not priority:
            return self.cap_per_unit
        return floor_dong(Decimal(self.cap_per_unit) * self.priority_multiplier)


@dataclass(frozen=True)
class Outcome:
    """Kết quả tính: the maximum support (đồng) and the sentence that explains it."""

    maximum: int
    sentence: str
    share: int | None  # the percentage of the cost, before the cap
    cap: int | None  # the cap that applied (after the priority multiplier)


def _percent(value: Decimal) -> str:
    return f"{format_number(value.normalize())}%"


def _times(value: Decimal) -> str:
    return format_number(value.normalize())


def maximum_support(rate: Rate, eligible_cost: int, *, priority: bool = False) -> Outcome:
    """The highest support for one unit of support costing ``eligible_cost`` đồng."""
    cost = _check_amount("Chi phí hợp lý", eligible_cost)
    share = (
        None if rate.max_percent is None else floor_dong(Decimal(cost) * rate.max_percent / HUNDRED)
    )
    cap = rate.cap(priority=priority)
    base = cost if share is None else share
    maximum = base if cap is None else min(base, cap)

    money = format_money
    cap_text = ""
    if cap is not None:
        cap_text = _("mức trần %(cap)s/%(unit)s") % {"cap": money(cap), "unit": rate.unit}
        if priority and rate.priority_multiplier != 1:
            cap_text += _(", bằng %(times)s lần mức %(base)s cho địa bàn, lĩnh vực ưu tiên") % {
                "times": _times(rate.priority_multiplier),
                "base": money(rate.cap_per_unit or 0),
            }
        elif priority:
            cap_text += _(", định mức không quy định hệ số cho địa bàn, lĩnh vực ưu tiên")

    values = {"max": money(maximum), "cost": money(cost), "cap": cap_text}
    if share is not None:
        values.update(percent=_percent(rate.max_percent or Decimal(0)), share=money(share))
        if cap is None:
            body = _("Tối đa %(max)s: %(percent)s chi phí hợp lý %(cost)s") % values
            body += _(", định mức không quy định mức trần")
        elif share > cap:
            body = (
                _("Tối đa %(max)s: %(percent)s chi phí hợp lý %(cost)s là %(share)s, vượt %(cap)s")
                % values
            )
        else:
            body = (
                _("Tối đa %(max)s: %(percent)s chi phí hợp lý %(cost)s, không vượt %(cap)s")
                % values
            )
    elif cap is None:
        body = _("Tối đa %(max)s: toàn bộ chi phí hợp lý %(cost)s") % values
    elif cost > cap:
        body = _("Tối đa %(max)s: chi phí hợp lý %(cost)s vượt %(cap)s") % values
    else:
        body = _("Tối đa %(max)s: toàn bộ chi phí hợp lý %(cost)s, không vượt %(cap)s") % values
    if priority and cap is None:
        body += _("; hệ số ưu tiên chỉ nhân với mức trần, định mức này không có mức trần")
    sentence = f"{body} ({rate.legal_basis})."
    if rate.needs_verification:
        sentence += " " + _(
            "Định mức này được đánh dấu “cần xác minh”: đối chiếu văn bản gốc trước khi áp dụng."
        )
    return Outcome(maximum=maximum, sentence=sentence, share=share, cap=cap)


def advance_limit(rate: Rate | None, contracted_support: int) -> int:
    """Tạm ứng tối đa: the advance ceiling of the rate (70 % without one) of the support."""
    ceiling = rate.advance_ceiling if rate is not None else Decimal("0.70")
    return floor_dong(Decimal(_check_amount("Kinh phí hỗ trợ", contracted_support)) * ceiling)
