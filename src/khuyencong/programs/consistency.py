"""Consistency checks of a programme (kiểm tra tính thống nhất của chương trình).

Pure functions over :class:`~khuyencong.programs.programme_data.ProgrammeData`: no ORM, no HTTP.
:func:`check_programme` returns a list of :class:`Finding` (phát hiện), each with a severity, a
stable code, a Vietnamese sentence naming the line and the numbers, and the numbers themselves.
Totals are always computed from the cells; what the decision prints is only compared.

A printed figure that differs from the exact one by at most half of the unit the document prints
in (``ProgrammeData.printed_unit``, e.g. 1 triệu đồng) is a rounding (``info``), not an error:
Sơn La prints 3.562,5 triệu đồng as 3.563. When a printed total meets the sum of printed parts,
each of them may be off by half a unit, and the tolerance grows accordingly.

Stable codes (also in :data:`CODES`):

=============================  ========  ======================================================
code                           severity  meaning
=============================  ========  ======================================================
unknown-group                  error     line or target in a content group not in the catalogue
duplicate-line-order           error     two lines share one order number
unknown-fund                   error     a cell names a fund not in ``FUNDS``
year-out-of-range              error     a cell's year is outside the programme's years
duplicate-cell                 error     a line has two cells for the same year and fund
negative-cell                  error     a negative quantity or amount
amount-without-quantity        warning   a cell has money but a zero quantity
line-quantity-mismatch         error     cells do not add up to the line's printed quantity
line-amount-mismatch           error     cells do not add up to the line's printed amount
line-amount-rounding           info      the line's printed amount is a rounding of the sum
unit-cost-over-cap             error     amount per unit above the cap given by the norms hook
fund-total-mismatch            error     lines do not add up to a fund total the text states
fund-total-rounding            info      a stated fund total is a rounding of the sum
fund-total-unstated            warning   lines use a fund whose total the text does not state
grand-total-mismatch           error     the stated grand total ≠ the sum of stated fund totals
grand-total-rounding           info      … differs from it only by rounding of the figures
grand-total-lines-mismatch     error     the stated grand total ≠ the sum of all lines
grand-total-lines-rounding     info      … differs from it only by rounding
year-fund-total-mismatch       error     a printed year × fund total ≠ the sum of its cells
year-fund-total-rounding       info      a printed year × fund total is a rounding of the sum
no-budget-table                info      totals are stated but there are no lines to check
target-conflict                warning   one target (same key) stated with different quantities
target-unknown-line            error     a target points at a line order that does not exist
target-lines-mismatch          warning   a target's quantity ≠ what its lines add up to
target-key-unmatched           info      a target's key matches no reporting indicator (with
                                         the ``comparable_keys`` hook): not rolled up nationally
=============================  ========  ======================================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.programs.programme_data import (
    CONTENT_GROUPS,
    CONTENT_GROUPS_BY_CODE,
    FUNDS,
    SECTIONS,
    ActivityLineData,
    Cell,
    ProgrammeData,
    Target,
    format_money,
    format_vn_number,
)

__all__ = [
    "CODES",
    "SEVERITIES",
    "Finding",
    "LineTotals",
    "UnitCostCap",
    "check_programme",
    "fund_totals",
    "grand_total",
    "group_totals",
    "line_totals",
    "year_fund_totals",
]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
"""lỗi, cảnh báo, thông tin."""

CODES: dict[str, tuple[str, str]] = {
    "unknown-group": ("error", gettext_noop("Nhóm nội dung không có trong danh mục.")),
    "duplicate-line-order": ("error", gettext_noop("Hai dòng trùng số thứ tự.")),
    "unknown-fund": ("error", gettext_noop("Nguồn kinh phí không có trong danh mục.")),
    "year-out-of-range": ("error", gettext_noop("Năm nằm ngoài thời gian thực hiện chương trình.")),
    "duplicate-cell": ("error", gettext_noop("Một dòng có hai ô cho cùng năm và nguồn.")),
    "negative-cell": ("error", gettext_noop("Số lượng hoặc kinh phí âm.")),
    "amount-without-quantity": ("warning", gettext_noop("Ô có kinh phí nhưng số lượng bằng 0.")),
    "line-quantity-mismatch": ("error", gettext_noop("Tổng số lượng của dòng khác tổng các ô.")),
    "line-amount-mismatch": ("error", gettext_noop("Tổng kinh phí của dòng khác tổng các ô.")),
    "line-amount-rounding": ("info", gettext_noop("Tổng kinh phí của dòng là số làm tròn.")),
    "unit-cost-over-cap": ("error", gettext_noop("Kinh phí cho một đơn vị vượt mức tối đa.")),
    "fund-total-mismatch": ("error", gettext_noop("Tổng kinh phí một nguồn khác tổng các dòng.")),
    "fund-total-rounding": ("info", gettext_noop("Tổng kinh phí một nguồn là số làm tròn.")),
    "fund-total-unstated": (
        "warning",
        gettext_noop("Văn bản không nêu tổng kinh phí của một nguồn có dùng."),
    ),
    "grand-total-mismatch": (
        "error",
        gettext_noop("Tổng kinh phí khác tổng các nguồn ghi trong văn bản."),
    ),
    "grand-total-rounding": (
        "info",
        gettext_noop("Tổng kinh phí là số làm tròn của tổng các nguồn."),
    ),
    "grand-total-lines-mismatch": ("error", gettext_noop("Tổng kinh phí khác tổng các dòng.")),
    "grand-total-lines-rounding": (
        "info",
        gettext_noop("Tổng kinh phí là số làm tròn của tổng các dòng."),
    ),
    "year-fund-total-mismatch": (
        "error",
        gettext_noop("Tổng theo năm và nguồn in trong bảng bị sai."),
    ),
    "year-fund-total-rounding": (
        "info",
        gettext_noop("Tổng theo năm và nguồn in trong bảng là số làm tròn."),
    ),
    "no-budget-table": (
        "info",
        gettext_noop("Chưa có dòng kinh phí chi tiết để đối chiếu các tổng."),
    ),
    "target-conflict": (
        "warning",
        gettext_noop("Một chỉ tiêu được nêu nhiều lần với số khác nhau."),
    ),
    "target-unknown-line": ("error", gettext_noop("Chỉ tiêu trỏ tới dòng không có trong bảng.")),
    "target-key-unmatched": (
        "info",
        gettext_noop("Khóa chỉ tiêu không ứng với chỉ tiêu báo cáo nào."),
    ),
    "target-lines-mismatch": (
        "warning",
        gettext_noop("Chỉ tiêu khác tổng số lượng các dòng thực hiện nó."),
    ),
}
"""Code → (severity, short Vietnamese description)."""

UnitCostCap = Callable[[ActivityLineData, Cell], int | None]
"""Hook giving the highest amount per unit (đồng) allowed for a cell, or ``None`` for no cap."""


@dataclass(frozen=True)
class Finding:
    """Phát hiện: one result of the checker.

    ``line`` is the ``order`` of the line concerned (as text), ``None`` for programme-wide
    findings. ``numbers`` holds the figures of the message: money in đồng as ``int``,
    quantities and other values as ``str`` (never ``float``).
    """

    severity: str
    code: str
    message: str
    line: str | None = None
    numbers: dict[str, int | str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"Mức độ «{self.severity}» không hợp lệ.")
        if self.code not in CODES:
            raise ValueError(f"Mã phát hiện «{self.code}» không có trong danh mục.")
        if CODES[self.code][0] != self.severity:
            raise ValueError(f"Mã «{self.code}» phải có mức độ «{CODES[self.code][0]}».")

    @property
    def label(self) -> str:
        """What kind of finding it is, for people (the code is for machines and tests)."""
        return _(CODES[self.code][1])

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "numbers": dict(self.numbers),
        }


def _finding(
    code: str, message: str, line: ActivityLineData | None = None, /, **numbers: int | str
) -> Finding:
    return Finding(
        severity=CODES[code][0],
        code=code,
        message=message,
        line=None if line is None else str(line.order),
        numbers=numbers,
    )


# --------------------------------------------------------------------------------------------
# Totals (always computed from the cells)
# --------------------------------------------------------------------------------------------
class LineTotals(NamedTuple):
    """Tổng của một dòng: quantity (Decimal) and amount (đồng) summed over its cells."""

    quantity: Decimal
    amount: int


def line_totals(line: ActivityLineData) -> LineTotals:
    """Sum a line's cells."""
    return LineTotals(
        quantity=sum((c.quantity for c in line.cells), Decimal(0)),
        amount=sum(c.amount for c in line.cells),
    )


def _fund_rank(fund: str) -> tuple[int, str]:
    order = list(FUNDS)
    return (order.index(fund), "") if fund in FUNDS else (len(order), fund)


def fund_totals(p: ProgrammeData) -> dict[str, int]:
    """Tổng kinh phí theo nguồn: amount per fund over all cells, in ``FUNDS`` order."""
    totals: dict[str, int] = defaultdict(int)
    for line in p.lines:
        for cell in line.cells:
            totals[cell.fund] += cell.amount
    return {fund: totals[fund] for fund in sorted(totals, key=_fund_rank)}


def year_fund_totals(p: ProgrammeData) -> dict[tuple[int, str], int]:
    """Tổng kinh phí theo năm và nguồn: amount per (year, fund), sorted by year then fund."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for line in p.lines:
        for cell in line.cells:
            totals[(cell.year, cell.fund)] += cell.amount
    return {k: totals[k] for k in sorted(totals, key=lambda k: (k[0], _fund_rank(k[1])))}


def group_totals(p: ProgrammeData) -> dict[str, int]:
    """Tổng kinh phí theo nhóm nội dung: amount per group code, in catalogue order."""
    totals: dict[str, int] = defaultdict(int)
    for line in p.lines:
        totals[line.group_code] += line_totals(line).amount
    known = [g.code for g in CONTENT_GROUPS if g.code in totals]
    unknown = sorted(code for code in totals if code not in CONTENT_GROUPS_BY_CODE)
    return {code: totals[code] for code in known + unknown}


def grand_total(p: ProgrammeData) -> int:
    """Tổng kinh phí: the sum of every cell of every line."""
    return sum(line_totals(line).amount for line in p.lines)


# --------------------------------------------------------------------------------------------
# Wording helpers
# --------------------------------------------------------------------------------------------
def _dec(value: Decimal) -> str:
    """A Decimal as plain text without exponent: ``Decimal("5E+3")`` → ``"5000"``."""
    text = format(value.normalize(), "f")
    return text


def _qty(value: Decimal, unit: str = "") -> str:
    number = format_vn_number(value)
    return f"{number} {_unit(unit)}".rstrip()


def _unit(unit: str) -> str:
    """Lower-case a unit's first letter for use inside a sentence, unless it is an acronym."""
    if len(unit) > 1 and unit[:2].isupper():
        return unit
    return unit[:1].lower() + unit[1:]


def _short(name: str, limit: int = 70) -> str:
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut}…"


def _label(line: ActivityLineData) -> str:
    return _("Dòng %(order)s «%(name)s»") % {"order": line.order, "name": _short(line.name)}


def _where(line: ActivityLineData, cell: Cell) -> str:
    return _("%(line)s, năm %(year)s, nguồn %(fund)s") % {
        "line": _label(line),
        "year": cell.year,
        "fund": _fund_label(cell.fund),
    }


def _fund_label(fund: str) -> str:
    return FUNDS.get(fund, fund)


def _classify(printed: int, other: int, unit: int, roundings: int = 1) -> str | None:
    """``None`` if equal, ``"rounding"`` if the gap can come from rounding, else ``"mismatch"``.

    ``roundings`` is how many figures in the comparison were each rounded to ``unit``: one when
    a printed figure meets an exact sum, n + 1 when a printed total meets the sum of n printed
    parts (each may be off by half a unit).
    """
    if printed == other:
        return None
    if unit > 1 and printed % unit == 0 and abs(printed - other) * 2 <= unit * roundings:
        return "rounding"
    return "mismatch"


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------
def _check_line_structure(p: ProgrammeData, line: ActivityLineData) -> Iterable[Finding]:
    if line.group_code not in CONTENT_GROUPS_BY_CODE:
        yield _finding(
            "unknown-group",
            _("%(line)s: nhóm nội dung «%(group)s» không có trong danh mục.")
            % {"line": _label(line), "group": line.group_code},
            line,
            group=line.group_code,
        )
    seen: set[tuple[int, str]] = set()
    for cell in line.cells:
        where = _where(line, cell)
        if cell.fund not in FUNDS:
            yield _finding(
                "unknown-fund",
                _("%(where)s: nguồn kinh phí «%(fund)s» không có trong danh mục.")
                % {"where": where, "fund": cell.fund},
                line,
                year=cell.year,
                fund=cell.fund,
            )
        if cell.year not in p.years:
            yield _finding(
                "year-out-of-range",
                _("%(where)s: năm %(year)s nằm ngoài thời gian thực hiện %(start)s-%(end)s.")
                % {"where": where, "year": cell.year, "start": p.start_year, "end": p.end_year},
                line,
                year=cell.year,
                fund=cell.fund,
            )
        key = (cell.year, cell.fund)
        if key in seen:
            yield _finding(
                "duplicate-cell",
                _("%(where)s: có hai ô cho cùng năm và nguồn.") % {"where": where},
                line,
                year=cell.year,
                fund=cell.fund,
            )
        seen.add(key)
        if cell.quantity < 0 or cell.amount < 0:
            yield _finding(
                "negative-cell",
                _("%(where)s: số lượng %(quantity)s và kinh phí %(amount)s không được âm.")
                % {
                    "where": where,
                    "quantity": _qty(cell.quantity),
                    "amount": format_money(cell.amount, p.printed_unit),
                },
                line,
                year=cell.year,
                fund=cell.fund,
                quantity=_dec(cell.quantity),
                amount=cell.amount,
            )
        elif cell.amount > 0 and cell.quantity == 0:
            yield _finding(
                "amount-without-quantity",
                _("%(where)s: có kinh phí %(amount)s nhưng số lượng bằng 0.")
                % {"where": where, "amount": format_money(cell.amount, p.printed_unit)},
                line,
                year=cell.year,
                fund=cell.fund,
                amount=cell.amount,
            )


def _check_line_totals(p: ProgrammeData, line: ActivityLineData) -> Iterable[Finding]:
    totals = line_totals(line)
    if line.stated_total_quantity is not None and line.stated_total_quantity != totals.quantity:
        yield _finding(
            "line-quantity-mismatch",
            _("%(line)s: tổng số lượng ghi %(stated)s nhưng cộng các ô được %(computed)s.")
            % {
                "line": _label(line),
                "stated": _qty(line.stated_total_quantity, line.unit),
                "computed": _qty(totals.quantity, line.unit),
            },
            line,
            stated=_dec(line.stated_total_quantity),
            computed=_dec(totals.quantity),
        )
    if line.stated_total_amount is not None:
        stated = line.stated_total_amount
        kind = _classify(stated, totals.amount, p.printed_unit)
        money = format_money
        unit = p.printed_unit
        numbers: dict[str, int | str] = {
            "stated": stated,
            "computed": totals.amount,
            "difference": stated - totals.amount,
        }
        if kind == "rounding":
            yield _finding(
                "line-amount-rounding",
                _("%(line)s: tổng kinh phí ghi %(stated)s là số làm tròn của %(computed)s.")
                % {
                    "line": _label(line),
                    "stated": money(stated, unit),
                    "computed": money(totals.amount, unit),
                },
                line,
                **numbers,
            )
        elif kind == "mismatch":
            yield _finding(
                "line-amount-mismatch",
                _(
                    "%(line)s: tổng kinh phí ghi %(stated)s nhưng cộng các ô được %(computed)s "
                    "(chênh %(difference)s)."
                )
                % {
                    "line": _label(line),
                    "stated": money(stated, unit),
                    "computed": money(totals.amount, unit),
                    "difference": money(abs(stated - totals.amount), unit),
                },
                line,
                **numbers,
            )


def _check_unit_costs(
    p: ProgrammeData, line: ActivityLineData, cap_for: UnitCostCap
) -> Iterable[Finding]:
    for cell in line.cells:
        if cell.quantity <= 0:
            continue
        cap = cap_for(line, cell)
        if cap is None or cell.amount <= cap * cell.quantity:
            continue
        unit_cost = (Decimal(cell.amount) / cell.quantity).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        unit = _unit(line.unit)
        yield _finding(
            "unit-cost-over-cap",
            _(
                "%(where)s: kinh phí %(amount)s cho %(quantity)s là %(unit_cost)s mỗi %(unit)s, "
                "vượt mức tối đa %(cap)s mỗi %(unit)s."
            )
            % {
                "where": _where(line, cell),
                "amount": format_money(cell.amount, p.printed_unit),
                "quantity": _qty(cell.quantity, line.unit),
                "unit_cost": format_money(int(unit_cost), p.printed_unit),
                "unit": unit,
                "cap": format_money(cap, p.printed_unit),
            },
            line,
            year=cell.year,
            fund=cell.fund,
            quantity=_dec(cell.quantity),
            amount=cell.amount,
            unit_cost=int(unit_cost),
            cap=cap,
        )


def _check_fund_totals(p: ProgrammeData) -> Iterable[Finding]:
    computed = fund_totals(p)
    unit = p.printed_unit
    for fund, stated in p.stated_fund_totals.items():
        exact = computed.get(fund, 0)
        kind = _classify(stated, exact, unit)
        numbers: dict[str, int | str] = {
            "fund": fund,
            "stated": stated,
            "computed": exact,
            "difference": stated - exact,
        }
        shown = {
            "fund": _fund_label(fund),
            "stated": format_money(stated, unit),
            "computed": format_money(exact, unit),
            "difference": format_money(abs(stated - exact), unit),
        }
        if kind == "rounding":
            yield _finding(
                "fund-total-rounding",
                _(
                    "Tổng kinh phí nguồn %(fund)s ghi %(stated)s là số làm tròn của %(computed)s "
                    "cộng từ các dòng."
                )
                % shown,
                **numbers,
            )
        elif kind == "mismatch":
            yield _finding(
                "fund-total-mismatch",
                _(
                    "Tổng kinh phí nguồn %(fund)s ghi %(stated)s nhưng cộng các dòng được "
                    "%(computed)s (chênh %(difference)s)."
                )
                % shown,
                **numbers,
            )
    if p.stated_fund_totals:
        for fund, exact in computed.items():
            if fund not in p.stated_fund_totals and exact != 0:
                yield _finding(
                    "fund-total-unstated",
                    _(
                        "Các dòng có %(computed)s từ nguồn %(fund)s nhưng văn bản không nêu tổng "
                        "kinh phí của nguồn này."
                    )
                    % {"computed": format_money(exact, unit), "fund": _fund_label(fund)},
                    fund=fund,
                    computed=exact,
                )


def _check_grand_total(p: ProgrammeData) -> Iterable[Finding]:
    stated = p.stated_grand_total
    if stated is None:
        return
    unit = p.printed_unit
    if p.stated_fund_totals:
        parts = " + ".join(
            f"{_fund_label(f)} {format_money(v, unit)}" for f, v in p.stated_fund_totals.items()
        )
        total = sum(p.stated_fund_totals.values())
        kind = _classify(stated, total, unit, roundings=len(p.stated_fund_totals) + 1)
        shown = {
            "stated": format_money(stated, unit),
            "parts": parts,
            "total": format_money(total, unit),
            "difference": format_money(abs(stated - total), unit),
        }
        numbers: dict[str, int | str] = {
            "stated": stated,
            "sum_of_funds": total,
            "difference": stated - total,
        }
        if kind == "rounding":
            yield _finding(
                "grand-total-rounding",
                _(
                    "Tổng kinh phí ghi %(stated)s là số làm tròn của tổng các nguồn (%(parts)s) "
                    "là %(total)s."
                )
                % shown,
                **numbers,
            )
        elif kind == "mismatch":
            sentence = (
                _(
                    "Tổng kinh phí ghi %(stated)s nhưng cộng các nguồn (%(parts)s) được "
                    "%(total)s: tổng ghi thiếu %(difference)s."
                )
                if stated < total
                else _(
                    "Tổng kinh phí ghi %(stated)s nhưng cộng các nguồn (%(parts)s) được "
                    "%(total)s: tổng ghi thừa %(difference)s."
                )
            )
            yield _finding(
                "grand-total-mismatch",
                sentence % shown,
                **numbers,
            )
    if p.lines:
        exact = grand_total(p)
        kind = _classify(stated, exact, unit)
        numbers = {"stated": stated, "computed": exact, "difference": stated - exact}
        shown = {
            "stated": format_money(stated, unit),
            "computed": format_money(exact, unit),
            "difference": format_money(abs(stated - exact), unit),
        }
        if kind == "rounding":
            yield _finding(
                "grand-total-lines-rounding",
                _("Tổng kinh phí ghi %(stated)s là số làm tròn của %(computed)s cộng từ các dòng.")
                % shown,
                **numbers,
            )
        elif kind == "mismatch":
            yield _finding(
                "grand-total-lines-mismatch",
                _(
                    "Tổng kinh phí ghi %(stated)s nhưng cộng các dòng được %(computed)s (chênh "
                    "%(difference)s)."
                )
                % shown,
                **numbers,
            )


def _check_year_fund_totals(p: ProgrammeData) -> Iterable[Finding]:
    computed = year_fund_totals(p)
    unit = p.printed_unit
    for (year, fund), printed in sorted(
        p.printed_year_fund_totals.items(), key=lambda kv: (kv[0][0], _fund_rank(kv[0][1]))
    ):
        exact = computed.get((year, fund), 0)
        kind = _classify(printed, exact, unit)
        numbers: dict[str, int | str] = {
            "year": year,
            "fund": fund,
            "printed": printed,
            "computed": exact,
            "difference": printed - exact,
        }
        shown = {
            "where": _("Năm %(year)s, nguồn %(fund)s") % {"year": year, "fund": _fund_label(fund)},
            "printed": format_money(printed, unit),
            "computed": format_money(exact, unit),
            "difference": format_money(abs(printed - exact), unit),
        }
        if kind == "rounding":
            yield _finding(
                "year-fund-total-rounding",
                _(
                    "%(where)s: dòng tổng in %(printed)s, số chính xác cộng từ các dòng là "
                    "%(computed)s (làm tròn %(difference)s)."
                )
                % shown,
                **numbers,
            )
        elif kind == "mismatch":
            yield _finding(
                "year-fund-total-mismatch",
                _(
                    "%(where)s: dòng tổng in %(printed)s nhưng cộng các dòng được %(computed)s "
                    "(chênh %(difference)s)."
                )
                % shown,
                **numbers,
            )


def _check_targets(p: ProgrammeData) -> Iterable[Finding]:
    by_key: dict[str, list[Target]] = defaultdict(list)
    for target in p.targets:
        by_key[target.key].append(target)
        if target.group_code not in CONTENT_GROUPS_BY_CODE:
            yield _finding(
                "unknown-group",
                _("Chỉ tiêu «%(target)s»: nhóm nội dung «%(group)s» không có trong danh mục.")
                % {"target": target.name, "group": target.group_code},
                key=target.key,
                group=target.group_code,
            )
    for key, targets in by_key.items():
        quantities = {t.quantity for t in targets}
        if len(quantities) > 1:
            statements = "; ".join(
                _("phần %(section)s ghi %(quantity)s")
                % {"section": SECTIONS[t.section].lower(), "quantity": _qty(t.quantity, t.unit)}
                for t in targets
            )
            numbers: dict[str, int | str] = {"key": key}
            for i, t in enumerate(targets, start=1):
                numbers[f"quantity_{i}"] = _dec(t.quantity)
                numbers[f"section_{i}"] = t.section
            yield _finding(
                "target-conflict",
                _(
                    "Chỉ tiêu «%(target)s» được nêu %(n)s lần với số khác nhau: %(statements)s. "
                    "Cần thống nhất một con số."
                )
                % {"target": targets[0].name, "n": len(targets), "statements": statements},
                **numbers,
            )
    lines = {line.order: line for line in p.lines}
    for target in p.targets:
        if not target.lines:
            continue
        missing = [order for order in target.lines if order not in lines]
        for order in missing:
            yield _finding(
                "target-unknown-line",
                _("Chỉ tiêu «%(target)s» trỏ tới dòng số %(order)s, không có trong bảng.")
                % {"target": target.name, "order": order},
                key=target.key,
                order=order,
            )
        if missing:
            continue
        computed = sum((line_totals(lines[o]).quantity for o in target.lines), Decimal(0))
        if computed != target.quantity:
            orders = ", ".join(str(o) for o in target.lines)
            yield _finding(
                "target-lines-mismatch",
                _(
                    "Chỉ tiêu «%(target)s» (%(section)s) ghi %(stated)s nhưng dòng %(orders)s của "
                    "bảng cộng được %(computed)s."
                )
                % {
                    "target": target.name,
                    "section": SECTIONS[target.section].lower(),
                    "stated": _qty(target.quantity, target.unit),
                    "orders": orders,
                    "computed": _qty(computed),
                },
                key=target.key,
                stated=_dec(target.quantity),
                computed=_dec(computed),
            )


def check_programme(
    p: ProgrammeData,
    *,
    unit_cost_cap: UnitCostCap | None = None,
    comparable_keys: Collection[str] | None = None,
) -> list[Finding]:
    """Check a programme and return its findings, line by line then programme-wide.

    ``unit_cost_cap(line, cell)`` gives the highest amount per unit (in đồng) allowed for the
    cell, or ``None``; it is called for every cell with a positive quantity. The norms module
    (mức hỗ trợ) fills it in; without it no unit cost is checked. ``comparable_keys`` are the
    target keys the reporting dashboards compare (``reporting.target_keys``); with it, a target
    whose key is not among them is flagged.
    """
    findings: list[Finding] = []
    orders: set[int] = set()
    for line in sorted(p.lines, key=lambda item: item.order):
        if line.order in orders:
            findings.append(
                _finding(
                    "duplicate-line-order",
                    _("%(line)s: số thứ tự %(order)s đã dùng cho một dòng khác.")
                    % {"line": _label(line), "order": line.order},
                    line,
                    order=line.order,
                )
            )
        orders.add(line.order)
        findings.extend(_check_line_structure(p, line))
        findings.extend(_check_line_totals(p, line))
        if unit_cost_cap is not None:
            findings.extend(_check_unit_costs(p, line, unit_cost_cap))
    if p.lines:
        findings.extend(_check_fund_totals(p))
        findings.extend(_check_year_fund_totals(p))
    elif p.stated_fund_totals or p.printed_year_fund_totals:
        findings.append(
            _finding(
                "no-budget-table",
                _(
                    "Chương trình chưa có dòng kinh phí chi tiết nên chưa đối chiếu được tổng kinh "
                    "phí theo nguồn và theo năm với các dòng."
                ),
            )
        )
    findings.extend(_check_grand_total(p))
    findings.extend(_check_targets(p))
    if comparable_keys is not None:
        findings.extend(_check_target_keys(p, comparable_keys))
    return findings


def _check_target_keys(p: ProgrammeData, comparable: Collection[str]) -> Iterable[Finding]:
    seen: set[str] = set()
    for target in p.targets:
        if target.key in comparable or target.key in seen:
            continue
        seen.add(target.key)
        yield _finding(
            "target-key-unmatched",
            _(
                "Chỉ tiêu «%(target)s» (khóa «%(key)s») không ứng với chỉ tiêu báo cáo nào nên "
                "không được so sánh, cộng vào chỉ tiêu quốc gia trên bảng tổng hợp. Nếu là cùng "
                "một chỉ tiêu, thêm ánh xạ khóa chỉ tiêu (Quản trị › Ánh xạ khóa chỉ tiêu)."
            )
            % {"target": target.name, "key": target.key},
            key=target.key,
        )
