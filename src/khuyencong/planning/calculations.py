"""Plan arithmetic (tính toán kế hoạch): budgets by content group and by commune, and the
comparison with the programme's allocation. Pure: integer đồng in, integer đồng out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from .rules import Amounts


@dataclass(frozen=True)
class ItemFigures:
    """What the arithmetic needs of one plan item."""

    group: str
    commune: str | None
    amounts: Amounts


@dataclass
class Budget:
    """Sums of a set of items, in đồng."""

    count: int = 0
    total_cost: int = 0
    kcqg: int = 0
    kcdp: int = 0
    counterpart: int = 0
    other: int = 0

    def add(self, amounts: Amounts) -> None:
        self.count += 1
        self.total_cost += amounts.total_cost
        self.kcqg += amounts.kcqg
        self.kcdp += amounts.kcdp
        self.counterpart += amounts.counterpart
        self.other += amounts.other

    def for_fund(self, fund: str) -> int:
        return {"KCQG": self.kcqg, "KCDP": self.kcdp}.get(fund, 0)


@dataclass
class Budgets:
    total: Budget = field(default_factory=Budget)
    by_group: dict[str, Budget] = field(default_factory=dict)
    by_commune: dict[str | None, Budget] = field(default_factory=dict)


def budgets(items: Iterable[ItemFigures]) -> Budgets:
    """Totals of the plan, per content group and per commune (``None``: province-wide items)."""
    result = Budgets()
    for item in items:
        result.total.add(item.amounts)
        result.by_group.setdefault(item.group, Budget()).add(item.amounts)
        result.by_commune.setdefault(item.commune, Budget()).add(item.amounts)
    return result


Status = Literal["over", "under", "equal", "unallocated", "none"]


@dataclass(frozen=True)
class ComparisonRow:
    group: str
    allocated: int
    planned: int

    @property
    def difference(self) -> int:
        """Planned minus allocated: positive is over the allocation."""
        return self.planned - self.allocated

    @property
    def status(self) -> Status:
        if self.allocated == 0 and self.planned == 0:
            return "none"
        if self.allocated == 0 and self.planned > 0:
            return "unallocated"
        if self.planned > self.allocated:
            return "over"
        if self.planned < self.allocated:
            return "under"
        return "equal"


def compare(
    planned: Mapping[str, int], allocated: Mapping[str, int], order: Iterable[str] = ()
) -> list[ComparisonRow]:
    """One row per content group present on either side, in ``order`` then the rest sorted."""
    codes = set(planned) | set(allocated)
    ordered = [c for c in order if c in codes]
    ordered += sorted(codes - set(ordered))
    return [ComparisonRow(c, allocated.get(c, 0), planned.get(c, 0)) for c in ordered]
