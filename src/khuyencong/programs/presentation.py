"""How a programme's allocation table is laid out on screen (bố cục bảng phân bổ).

Pure: from :class:`ProgrammeData` to rows and columns shaped like the Sơn La appendix — content
groups, lines, unit, total quantity, quantity per year × fund, total amount, amount per
year × fund, and a grand-total row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import consistency
from . import programme_data as pd

DEFAULT_FUNDS = {
    "national": (pd.KCQG,),
    "province": (pd.KCQG, pd.KCDP),
    "commune": (pd.KCDP, pd.NSXA),
}


def programme_funds(p: pd.ProgrammeData) -> tuple[str, ...]:
    """The funds the table shows: those used or stated, else the level's usual ones."""
    used = {cell.fund for line in p.lines for cell in line.cells}
    used |= set(p.stated_fund_totals)
    if not used:
        return DEFAULT_FUNDS.get(p.level, (pd.KCQG, pd.KCDP))
    return tuple(f for f in pd.FUNDS if f in used)


@dataclass(frozen=True)
class Column:
    year: int
    fund: str

    @property
    def fund_label(self) -> str:
        return pd.FUNDS.get(self.fund, self.fund)


@dataclass(frozen=True)
class LineRow:
    line: pd.ActivityLineData
    total_quantity: Decimal
    quantities: list[Decimal | None]
    total_amount: int
    amounts: list[int | None]


@dataclass(frozen=True)
class GroupBlock:
    group: pd.ContentGroup | None
    code: str
    total_amount: int
    rows: list[LineRow]


@dataclass(frozen=True)
class AppendixTable:
    years: list[int]
    funds: tuple[str, ...]
    columns: list[Column]
    groups: list[GroupBlock]
    column_totals: list[int]
    grand_total: int
    fund_totals: dict[str, int]


def appendix_table(p: pd.ProgrammeData) -> AppendixTable:
    funds = programme_funds(p)
    years = list(p.years)
    columns = [Column(year, fund) for year in years for fund in funds]
    blocks: dict[str, list[LineRow]] = {}
    for line in sorted(p.lines, key=lambda line: line.order):
        cells = {(c.year, c.fund): c for c in line.cells}
        totals = consistency.line_totals(line)
        blocks.setdefault(line.group_code, []).append(
            LineRow(
                line=line,
                total_quantity=totals.quantity,
                quantities=[
                    cells[(c.year, c.fund)].quantity if (c.year, c.fund) in cells else None
                    for c in columns
                ],
                total_amount=totals.amount,
                amounts=[
                    cells[(c.year, c.fund)].amount if (c.year, c.fund) in cells else None
                    for c in columns
                ],
            )
        )
    group_totals = consistency.group_totals(p)
    order = [g.code for g in pd.CONTENT_GROUPS] + sorted(
        code for code in blocks if code not in pd.CONTENT_GROUPS_BY_CODE
    )
    groups = [
        GroupBlock(
            group=pd.CONTENT_GROUPS_BY_CODE.get(code),
            code=code,
            total_amount=group_totals.get(code, 0),
            rows=blocks[code],
        )
        for code in order
        if code in blocks
    ]
    year_fund = consistency.year_fund_totals(p)
    return AppendixTable(
        years=years,
        funds=funds,
        columns=columns,
        groups=groups,
        column_totals=[year_fund.get((c.year, c.fund), 0) for c in columns],
        grand_total=consistency.grand_total(p),
        fund_totals=consistency.fund_totals(p),
    )
