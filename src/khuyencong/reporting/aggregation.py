"""Aggregation rules (quy tắc tổng hợp) of indicators, pure: how figures of several units or
several periods make one figure.

- ``SUM`` (cộng): flows — projects approved, money paid — add up across units and periods.
- ``LATEST`` (giá trị mới nhất): stocks at a date — establishments active, certificates in
  force — add up across units at the same date, but across periods the latest period's value
  stands (a year's stock is its second half-year's, never H1 + H2).
- ``RATIO`` (tỷ lệ): a numerator and a denominator are kept and summed separately, and the
  ratio is recomputed from the sums — never an average of the units' percentages.

A figure of each period is stored on its own (never as a change to the one before), so editing
an earlier period's figure changes neither a later period nor a later ``LATEST`` roll-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, TypeVar

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Rule(StrEnum):
    SUM = "cong"
    LATEST = "moi-nhat"
    RATIO = "ty-le"


@dataclass(frozen=True)
class Figure:
    """One figure: the ``numerator`` (the value itself for sums and latest values) and, for a
    ratio, its ``denominator``."""

    numerator: Decimal = ZERO
    denominator: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        """The figure as shown: the value, or a ratio as a percentage (None when nothing is
        divided by: 0/0 is no figure, not 0 %)."""
        if self.denominator is None:
            return self.numerator
        if self.denominator == 0:
            return None
        return (self.numerator * HUNDRED / self.denominator).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def __add__(self, other: Figure) -> Figure:
        if self.denominator is None and other.denominator is None:
            return Figure(self.numerator + other.numerator)
        return Figure(
            self.numerator + other.numerator,
            (self.denominator or ZERO) + (other.denominator or ZERO),
        )


def across_units(rule: Rule, figures: Iterable[Figure]) -> Figure:
    """Several units' figures of the same period. Every rule adds its parts: sums and latest
    values (stocks at the same date) add up; a ratio adds numerators and denominators."""
    total = Figure(ZERO, ZERO) if rule == Rule.RATIO else Figure()
    for figure in figures:
        total = total + figure
    return total


P = TypeVar("P", bound=Any)


def across_periods(rule: Rule, figures: Sequence[tuple[P, Figure]]) -> Figure | None:
    """One unit's figures of consecutive periods (``(period, figure)``, any order), as one
    figure for the longer period: sums add up, a ratio adds its parts, a latest value is the
    last period's. None when there is no figure at all."""
    if not figures:
        return None
    if rule == Rule.LATEST:
        latest: tuple[Any, Figure] = max(figures, key=lambda pair: pair[0])
        return latest[1]
    return across_units(rule, (figure for _period, figure in figures))


def by_key(rule: Rule, rows: Iterable[tuple[str, Figure]]) -> dict[str, Figure]:
    """Figures of several units keyed by disaggregation (``""`` the total, ``KCQG``, …),
    combined per key across the units."""
    grouped: dict[str, list[Figure]] = defaultdict(list)
    for key, figure in rows:
        grouped[key].append(figure)
    return {key: across_units(rule, figures) for key, figures in grouped.items()}


def difference(reported: Figure | None, live: Figure | None) -> Decimal | None:
    """Live minus reported, in the figure's shown value (None when either has no value)."""
    if reported is None or live is None:
        return None
    a, b = reported.value, live.value
    if a is None or b is None:
        return None
    return b - a


def merge(rule: Rule, own: Mapping[str, Figure], below: Mapping[str, Figure]) -> dict[str, Figure]:
    """A unit's own figures plus the roll-up of its lower units' figures, per key."""
    return by_key(rule, [*own.items(), *below.items()])
