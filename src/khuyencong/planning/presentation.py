"""A plan laid out once for the page and the files: :class:`PlanSheet` is pure data (built from
the models by :func:`plan_sheet`), which the detail page, the Mẫu 2 workbook and the Word plan
all draw."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from khuyencong.programs.programme_data import CONTENT_GROUPS

from . import calculations
from .models import AnnualPlan, PlanFund, PlanStatus
from .organisations import centre_name, province_phrase, timing_text

GROUP_ORDER = [g.code for g in CONTENT_GROUPS]
GROUP_NAMES = {g.code: g.name for g in CONTENT_GROUPS}
# Kept in Vietnamese: the Mẫu 2 workbook and the Word plan are Vietnamese documents; the plan
# page translates the short names (in the catalogue) where it shows them.
GROUP_SHORT = {g.code: g.short_name for g in CONTENT_GROUPS}
GROUP_NUMBERS = {g.code: g.number for g in CONTENT_GROUPS}
NO_COMMUNE = "Toàn tỉnh (không gắn với một xã)"


@dataclass(frozen=True)
class SheetRow:
    number: int
    name: str
    implementing_unit: str
    beneficiary: str
    location: str
    content: str
    group: str
    total_cost: int
    kcqg: int
    kcdp: int
    counterpart: int
    other: int
    timing: str


@dataclass(frozen=True)
class GroupLine:
    """Per content group: the plan's figures and the programme's allocation for the fund."""

    code: str
    number: int
    name: str
    count: int
    total_cost: int
    fund_amount: int
    allocated: int
    status: str

    @property
    def difference(self) -> int:
        return self.fund_amount - self.allocated


@dataclass(frozen=True)
class CommuneLine:
    name: str
    count: int
    total_cost: int
    fund_amount: int


@dataclass(frozen=True)
class PlanSheet:
    province_code: str
    province_name: str
    province_type: str
    year: int
    fund: str
    fund_label: str
    revision: int
    status_label: str
    is_approved: bool
    decision_number: str
    decision_date: datetime.date | None
    rows: tuple[SheetRow, ...]
    groups: tuple[GroupLine, ...]
    communes: tuple[CommuneLine, ...]
    total: calculations.Budget
    allocated_total: int
    programme_title: str

    @property
    def province(self) -> str:
        """``"tỉnh Sơn La"``."""
        return province_phrase(self.province_name, self.province_type)

    @property
    def fund_kind(self) -> str:
        return "quốc gia" if self.fund == PlanFund.KCQG else "địa phương"

    @property
    def centre(self) -> str:
        return centre_name(self.province_code, self.province_name, self.province_type)

    @property
    def show_kcdp_column(self) -> bool:
        """Mẫu 2 has one fund column (KCQG); a KCĐP plan, or KCĐP money in a KCQG plan, adds
        a KCĐP column so that every row still adds up to its total."""
        return self.fund == PlanFund.KCDP or self.total.kcdp > 0

    @property
    def show_kcqg_column(self) -> bool:
        return self.fund == PlanFund.KCQG or self.total.kcqg > 0


def plan_sheet(
    plan: AnnualPlan, *, allocated: dict[str, int], programme_title: str = ""
) -> PlanSheet:
    """Lay a plan out; ``plan.items`` should be prefetched with their relations."""
    items = list(plan.items.all())
    figures = [
        calculations.ItemFigures(
            item.content_group.code, item.commune.name if item.commune else None, item.amounts
        )
        for item in items
    ]
    budgets = calculations.budgets(figures)
    planned = {code: b.for_fund(plan.fund) for code, b in budgets.by_group.items()}
    comparison = calculations.compare(planned, allocated, GROUP_ORDER)
    groups = []
    for row in comparison:
        budget = budgets.by_group.get(row.group, calculations.Budget())
        groups.append(
            GroupLine(
                code=row.group,
                number=GROUP_NUMBERS.get(row.group, 0),
                name=GROUP_SHORT.get(row.group, row.group),
                count=budget.count,
                total_cost=budget.total_cost,
                fund_amount=row.planned,
                allocated=row.allocated,
                status=row.status,
            )
        )
    communes = sorted(
        (
            CommuneLine(name or NO_COMMUNE, b.count, b.total_cost, b.for_fund(plan.fund))
            for name, b in budgets.by_commune.items()
        ),
        key=lambda line: (line.name == NO_COMMUNE, line.name),
    )
    rows = tuple(
        SheetRow(
            number=index,
            name=item.name,
            implementing_unit=item.implementing_unit,
            beneficiary=item.beneficiary_text,
            location=item.location,
            content=GROUP_SHORT.get(item.content_group.code, str(item.content_group)),
            group=item.content_group.code,
            total_cost=item.total_cost,
            kcqg=item.support_kcqg,
            kcdp=item.support_kcdp,
            counterpart=item.counterpart,
            other=item.other,
            timing=timing_text(item.start_month, item.end_month),
        )
        for index, item in enumerate(items, start=1)
    )
    unit: Any = plan.unit
    return PlanSheet(
        province_code=unit.code,
        province_name=unit.name,
        province_type=unit.unit_type,
        year=plan.year,
        fund=plan.fund,
        fund_label=plan.get_fund_display(),
        revision=plan.revision,
        status_label=plan.get_status_display(),
        is_approved=plan.status == PlanStatus.APPROVED,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        rows=rows,
        groups=tuple(groups),
        communes=tuple(communes),
        total=budgets.total,
        allocated_total=sum(allocated.values()),
        programme_title=programme_title,
    )
