"""Tiến độ thực hiện chương trình: what a programme planned against what its projects did.

Pure: no ORM, no HTTP. ``selectors.programme_progress`` gathers aggregated rows from the
database (a fixed number of queries) and :func:`combine` adds them up; :func:`progress_table`
lays the figures of one programme out for its page.

For each programme line and each (year, fund) the figures are:

- **planned** quantity and amount: the programme's allocation cell (``AllocationCell``);
- **in approved projects**: the sum of the planned quantities of the outputs on the line of
  the projects that count (``workflow.SUPPORTED``: approved and every later state except
  cancelled), in the project's plan year and under the project's fund;
- **accepted**: the sum of the actual quantities recorded at acceptance of those outputs;
- money **approved**, **disbursed** (giải ngân = tạm ứng + thanh toán) and **settled**, per
  fund, of the same projects, in their plan year.

Money attribution: a project's money is counted once per programme, on its *first* line of
that programme — the output whose line has the lowest order in the programme (the output's
primary key breaks ties) — so the totals of a programme count each project once, even when
the project has outputs on several of its lines. Quantities are counted on every line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from .rules import fund_label
from .workflow import FUNDS

ZERO = Decimal(0)
PERCENT_PLACES = Decimal("0.1")

#: (plan year, fund)
Key = tuple[int, str]


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal place; ``None`` when nothing was
    planned (``whole`` is zero), so the page shows no percentage rather than a division."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The progress figures of one line (or several) in one (year, fund) (or several).

    Quantities are decimals in the line's unit of measure; money is integer đồng.
    """

    planned_quantity: Decimal = ZERO
    approved_quantity: Decimal = ZERO
    accepted_quantity: Decimal = ZERO
    planned_amount: int = 0
    approved_amount: int = 0
    disbursed_amount: int = 0
    settled_amount: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def is_empty(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))

    @property
    def quantity_percent(self) -> Decimal | None:
        """Accepted quantity against the programme's planned quantity."""
        return percent(self.accepted_quantity, self.planned_quantity)

    @property
    def disbursed_percent(self) -> Decimal | None:
        """Money disbursed (advances + payments) against the programme's planned amount."""
        return percent(self.disbursed_amount, self.planned_amount)


def total(items: Iterable[Figures]) -> Figures:
    result = Figures()
    for item in items:
        result = result + item
    return result


@dataclass(frozen=True)
class Entry:
    """One aggregated row from the database: some figures of a line in a (year, fund)."""

    line_id: int
    year: int
    fund: str
    figures: Figures


@dataclass(frozen=True)
class Progress:
    """Figures per line and per (year, fund), with line and programme totals."""

    cells: Mapping[int, Mapping[Key, Figures]] = field(default_factory=dict)

    def years(self) -> list[int]:
        return sorted({year for by_key in self.cells.values() for year, _fund in by_key})

    def figures(self, line_id: int, *, year: int | None = None, fund: str | None = None) -> Figures:
        """One line's figures, in one year and fund, or summed over every year (``year`` is
        ``None``) and/or every fund (``fund`` is ``None``)."""
        return total(
            figures
            for (y, f), figures in self.cells.get(line_id, {}).items()
            if (year is None or y == year) and (fund is None or f == fund)
        )

    def total(self, *, year: int | None = None, fund: str | None = None) -> Figures:
        """The programme's figures (every line it was given)."""
        return total(self.figures(line_id, year=year, fund=fund) for line_id in self.cells)


def combine(entries: Iterable[Entry]) -> Progress:
    """Add the rows up per line and (year, fund)."""
    cells: dict[int, dict[Key, Figures]] = defaultdict(dict)
    for entry in entries:
        key = (entry.year, entry.fund)
        cells[entry.line_id][key] = cells[entry.line_id].get(key, Figures()) + entry.figures
    return Progress({line_id: dict(by_key) for line_id, by_key in cells.items()})


def chosen_year(text: str | None, years: Iterable[int]) -> int | None:
    """The year asked for (``?nam=2027``) if it is one of ``years``; otherwise ``None``,
    which means the whole period of the programme."""
    text = (text or "").strip()
    if text.isdigit() and int(text) in set(years):
        return int(text)
    return None


# -------------------------------------------------------------------------------- on the page
@dataclass(frozen=True)
class LineInfo:
    """What the page shows of a programme line."""

    id: int
    order: int
    name: str
    unit: str
    group_number: int
    group_name: str


@dataclass(frozen=True)
class FundFigures:
    fund: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class TableRow:
    """One row of the table: a line (or, with ``line`` ``None``, the programme), its figures
    per fund and their sum."""

    line: LineInfo | None
    funds: list[FundFigures]
    total: Figures


@dataclass(frozen=True)
class ProgressTable:
    year: int | None
    funds: tuple[str, ...]
    rows: list[TableRow]
    totals: TableRow

    @property
    def column_count(self) -> int:
        """Number, content, unit, four quantity columns, four per fund, the percentage."""
        return 8 + 4 * len(self.funds)


def funds_in_use(progress: Progress, funds: Sequence[str] = FUNDS) -> tuple[str, ...]:
    """The project funds (KCQG, KCĐP) the programme plans or its projects use, over the whole
    period; both when it has no figures at all."""
    used = tuple(f for f in funds if not progress.total(fund=f).is_empty)
    return used or tuple(funds)


def _row(line: LineInfo | None, by_fund: Sequence[tuple[str, Figures]]) -> TableRow:
    return TableRow(
        line,
        [FundFigures(f, fund_label(f), figures) for f, figures in by_fund],
        total(figures for _f, figures in by_fund),
    )


def progress_table(
    progress: Progress,
    lines: Iterable[LineInfo],
    *,
    year: int | None = None,
    funds: Sequence[str] | None = None,
) -> ProgressTable:
    """One row per programme line (by content group, then order) with its figures in ``year``
    (every year when ``None``) for each fund, and the programme's totals.

    ``funds`` are the funds projects are financed from (KCQG, KCĐP) — by default those the
    programme uses; a programme's other sources (commune budget, counterpart …) finance no
    project, so they are not compared.
    """
    shown = tuple(funds) if funds is not None else funds_in_use(progress)
    rows = [
        _row(line, [(f, progress.figures(line.id, year=year, fund=f)) for f in shown])
        for line in sorted(lines, key=lambda line: (line.group_number, line.order))
    ]
    totals = _row(None, [(f, progress.total(year=year, fund=f)) for f in shown])
    return ProgressTable(year=year, funds=shown, rows=rows, totals=totals)
