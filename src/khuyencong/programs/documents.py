"""Phụ lục kinh phí của chương trình khuyến công: the programme's appendix as Word and PDF.

:func:`appendix_docx` and :func:`appendix_pdf` render the same annex (phụ lục) in the layout of
Decree 30/2020/NĐ-CP, landscape A4:

- "Phụ lục", the title ("KINH PHÍ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG ... GIAI ĐOẠN 2026 - 2030")
  and, when the decision's number and date are known, "(Kèm theo Quyết định số 1113/QĐ-UBND
  ngày 11/5/2026 của UBND tỉnh Sơn La)";
- for a programme with a budget table (bảng phân bổ), the table shaped like the Sơn La
  appendix: STT, nội dung, đơn vị tính, tổng số lượng, số lượng theo năm × nguồn (KCQG/KCĐP),
  tổng kinh phí, kinh phí theo năm × nguồn; a heading row per content group (nhóm nội dung)
  with its subtotals, then "Tổng cộng" and one row per fund ("Trong đó"); money in triệu đồng,
  exact (62,5), numbers the Vietnamese way (1.500);
- for a programme without lines (targets only: the national programme, Đắk Lắk, Khánh Hòa),
  the table of its targets (chỉ tiêu) by content group instead.

:func:`annex` builds the rows once (pure, no Django): the two renderers only draw them. Every
total is computed from the cells by :mod:`khuyencong.programs.consistency`, never typed in.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu, Length, Mm

from khuyencong.core import decree30
from khuyencong.programs import consistency
from khuyencong.programs.programme_data import (
    CONTENT_GROUPS,
    CONTENT_GROUPS_BY_CODE,
    FUND_NAMES,
    FUNDS,
    MILLION,
    SECTIONS,
    ProgrammeData,
    Target,
    format_vn_number,
)

__all__ = [
    "Annex",
    "AnnexRow",
    "TargetRow",
    "annex",
    "appendix_docx",
    "appendix_html",
    "appendix_pdf",
]

RowKind = Literal["group", "line", "total", "fund"]

EMPTY = "-"
"""What a zero or missing year × fund cell shows."""

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


# --------------------------------------------------------------------------------------------
# The annex, laid out once (bố cục phụ lục)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AnnexRow:
    """One row of the budget table, every figure already formatted.

    ``kind`` is ``"group"`` (nhóm nội dung, with subtotals), ``"line"`` (dòng nội dung),
    ``"total"`` (Tổng cộng) or ``"fund"`` (trong đó, one fund's part of the total).
    """

    kind: RowKind
    number: str
    name: str
    unit: str
    total_quantity: str
    quantities: tuple[str, ...]
    total_amount: str
    amounts: tuple[str, ...]

    @property
    def is_line(self) -> bool:
        """A line row has quantities; the others span the quantity columns with their name."""
        return self.kind == "line"


@dataclass(frozen=True)
class TargetRow:
    """One row of the targets table (chỉ tiêu); a ``group`` row carries only a number and name."""

    kind: Literal["group", "target"]
    number: str
    name: str
    unit: str = ""
    quantity: str = ""
    section: str = ""
    text: str = ""


@dataclass(frozen=True)
class Annex:
    """Phụ lục: what both renderers draw.

    ``columns`` are the (year, fund code) pairs of the year × fund columns, in order;
    ``rows`` the budget table, empty for a targets-only programme, which has ``target_rows``.
    """

    title: str
    reference: str | None
    years: tuple[int, ...]
    funds: tuple[str, ...]
    rows: tuple[AnnexRow, ...]
    target_rows: tuple[TargetRow, ...]
    heading: str = "Phụ lục"
    unit_note: str = "Đơn vị tính: triệu đồng"

    @property
    def columns(self) -> tuple[tuple[int, str], ...]:
        """Year × fund pairs in printed order: (2026, KCQG), (2026, KCDP), (2027, KCQG), ..."""
        return tuple((year, fund) for year in self.years for fund in self.funds)

    @property
    def fund_labels(self) -> tuple[str, ...]:
        """Short fund labels under each year: ``("KCQG", "KCĐP")``."""
        return tuple(FUNDS.get(fund, fund) for fund in self.funds)

    @property
    def has_budget(self) -> bool:
        """Whether the programme has a budget table (dòng kinh phí chi tiết)."""
        return bool(self.rows)


def _million(amount: int) -> str:
    """Đồng → triệu đồng, exact: ``62_500_000`` → ``"62,5"``."""
    return format_vn_number(Decimal(amount) / MILLION)


def _cell_amount(amount: int | None) -> str:
    return _million(amount) if amount else EMPTY


def _cell_quantity(quantity: Decimal | None) -> str:
    return format_vn_number(quantity) if quantity else EMPTY


def _group_number(code: str) -> str:
    group = CONTENT_GROUPS_BY_CODE.get(code)
    if group is None:
        return ""
    return _ROMAN[group.number - 1] if group.number <= len(_ROMAN) else str(group.number)


def _group_name(code: str) -> str:
    group = CONTENT_GROUPS_BY_CODE.get(code)
    return group.name if group is not None else code


def _group_order(codes: set[str]) -> list[str]:
    known = [g.code for g in CONTENT_GROUPS if g.code in codes]
    return known + sorted(codes - set(known))


def _years_span(text: str) -> str:
    """Write a year range the Decree 30 way: ``"2026-2030"`` → ``"2026 - 2030"``."""
    return re.sub(r"(\d{4})\s*[-–]\s*(\d{4})", r"\1 - \2", text)


def _funds(p: ProgrammeData) -> tuple[str, ...]:
    """The funds of the year × fund columns: those used by a cell, in ``FUNDS`` order."""
    used = set(consistency.fund_totals(p))
    return tuple(f for f in FUNDS if f in used) + tuple(sorted(used - set(FUNDS)))


def _budget_rows(p: ProgrammeData, columns: tuple[tuple[int, str], ...]) -> list[AnnexRow]:
    lines_by_group: dict[str, list[int]] = {}
    for index, line in enumerate(p.lines):
        lines_by_group.setdefault(line.group_code, []).append(index)
    subtotals = consistency.group_totals(p)
    rows: list[AnnexRow] = []
    blank = tuple("" for _ in columns)
    for code in _group_order(set(lines_by_group)):
        lines = sorted((p.lines[i] for i in lines_by_group[code]), key=lambda line: line.order)
        by_column = consistency.year_fund_totals(dataclasses.replace(p, lines=tuple(lines)))
        rows.append(
            AnnexRow(
                kind="group",
                number=_group_number(code),
                name=_group_name(code),
                unit="",
                total_quantity="",
                quantities=blank,
                total_amount=_million(subtotals[code]),
                amounts=tuple(_cell_amount(by_column.get(column)) for column in columns),
            )
        )
        for line in lines:
            cells: dict[tuple[int, str], tuple[Decimal, int]] = {}
            for cell in line.cells:
                quantity, amount = cells.get((cell.year, cell.fund), (Decimal(0), 0))
                cells[(cell.year, cell.fund)] = (quantity + cell.quantity, amount + cell.amount)
            totals = consistency.line_totals(line)
            rows.append(
                AnnexRow(
                    kind="line",
                    number=str(line.order),
                    name=line.name,
                    unit=line.unit,
                    total_quantity=format_vn_number(totals.quantity),
                    quantities=tuple(_cell_quantity(cells.get(c, (None, 0))[0]) for c in columns),
                    total_amount=_million(totals.amount),
                    amounts=tuple(_cell_amount(cells.get(c, (None, 0))[1]) for c in columns),
                )
            )
    by_column = consistency.year_fund_totals(p)
    fund_totals = consistency.fund_totals(p)
    rows.append(
        AnnexRow(
            kind="total",
            number="",
            name="Tổng cộng",
            unit="",
            total_quantity="",
            quantities=blank,
            total_amount=_million(sum(fund_totals.values())),
            amounts=tuple(_cell_amount(by_column.get(column)) for column in columns),
        )
    )
    for fund, amount in fund_totals.items():
        label = FUNDS.get(fund, fund)
        name = FUND_NAMES.get(fund, label)
        rows.append(
            AnnexRow(
                kind="fund",
                number="",
                name=f"Trong đó: {name} ({label})",
                unit="",
                total_quantity="",
                quantities=blank,
                total_amount=_million(amount),
                amounts=tuple(
                    _cell_amount(by_column.get(column)) if column[1] == fund else ""
                    for column in columns
                ),
            )
        )
    return rows


def _quantity_text(target: Target) -> str:
    number = format_vn_number(target.quantity)
    return f"{target.qualifier} {number}" if target.qualifier else number


def _target_rows(p: ProgrammeData) -> list[TargetRow]:
    by_group: dict[str, list[Target]] = {}
    for target in p.targets:
        by_group.setdefault(target.group_code, []).append(target)
    rows: list[TargetRow] = []
    counter = 0
    for code in _group_order(set(by_group)):
        rows.append(TargetRow(kind="group", number=_group_number(code), name=_group_name(code)))
        for target in by_group[code]:
            counter += 1
            rows.append(
                TargetRow(
                    kind="target",
                    number=str(counter),
                    name=target.name,
                    unit=target.unit,
                    quantity=_quantity_text(target),
                    section=SECTIONS.get(target.section, target.section),
                    text=target.text,
                )
            )
    return rows


def annex(p: ProgrammeData) -> Annex:
    """Lay out a programme's annex: the budget table if it has lines, else its targets."""
    reference = decree30.decision_reference(p.decision_number, p.decision_date, p.issuing_body)
    programme = _years_span(p.title).upper()
    if p.lines:
        years = tuple(p.years)
        funds = _funds(p)
        columns = tuple((year, fund) for year in years for fund in funds)
        return Annex(
            title=f"KINH PHÍ THỰC HIỆN {programme}",
            reference=reference,
            years=years,
            funds=funds,
            rows=tuple(_budget_rows(p, columns)),
            target_rows=(),
        )
    return Annex(
        title=f"CHỈ TIÊU CỦA {programme}",
        reference=reference,
        years=tuple(p.years),
        funds=(),
        rows=(),
        target_rows=tuple(_target_rows(p)),
        unit_note="",
    )


# --------------------------------------------------------------------------------------------
# Word (python-docx)
# --------------------------------------------------------------------------------------------
TABLE_SIZE = 8
"""Cỡ chữ bảng: 8 pt so that 25 columns fit on A4 landscape."""
FUND_HEADER_SIZE = 7

# Column widths of the budget table in mm (the 252 mm between the margins of A4 landscape):
# STT, đơn vị tính, tổng số lượng, tổng kinh phí; one quantity and one amount column per year
# × fund; "Nội dung" takes the rest. A quantity column holds "KCQG" at 7 pt, an amount column
# "3.562,5" in bold at 8 pt.
_NUMBER_MM, _UNIT_MM, _TOTAL_QTY_MM, _TOTAL_AMOUNT_MM = 6.5, 11.5, 8.5, 11.5
_QTY_MM, _AMOUNT_MM = 8.3, 9.2
_MIN_NAME_MM = 30.0


def _budget_widths(annex_: Annex, width_mm: float) -> list[Length]:
    n = len(annex_.columns)
    fixed = _NUMBER_MM + _UNIT_MM + _TOTAL_QTY_MM + _TOTAL_AMOUNT_MM + n * (_QTY_MM + _AMOUNT_MM)
    # Half a millimetre to spare: Word stores widths in whole twips, rounded column by column.
    name = max(_MIN_NAME_MM, width_mm - fixed - 0.5)
    return [
        Mm(_NUMBER_MM),
        Mm(name),
        Mm(_UNIT_MM),
        Mm(_TOTAL_QTY_MM),
        *[Mm(_QTY_MM)] * n,
        Mm(_TOTAL_AMOUNT_MM),
        *[Mm(_AMOUNT_MM)] * n,
    ]


def _annex_heading(document: decree30.DocxDocument, annex_: Annex, width: Length) -> None:
    decree30.add_paragraph(document, annex_.heading, size=14, bold=True)
    decree30.add_paragraph(document, annex_.title, size=13, bold=True)
    if annex_.reference:
        decree30.add_paragraph(document, f"({annex_.reference})", size=13, italic=True)
    decree30.add_rule(document, length=Emu(int(width) // 4), within=width, space_before=5)
    if annex_.unit_note:
        decree30.add_paragraph(
            document,
            annex_.unit_note,
            size=11,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            space_before=6,
            space_after=3,
        )
    else:
        decree30.add_paragraph(document, "", space_after=6)


def _budget_table(document: decree30.DocxDocument, annex_: Annex, width: Length) -> None:
    n = len(annex_.columns)
    per_year = len(annex_.funds)
    ncols = 5 + 2 * n
    qty0, amount_total = 4, 4 + n
    amount0 = amount_total + 1
    table = document.add_table(rows=3 + len(annex_.rows), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    decree30.set_cell_margins(table, left=Mm(0.3), right=Mm(0.3), top=Mm(0.2))

    def head(
        row: int,
        col: int,
        text: str,
        *,
        to_row: int | None = None,
        to_col: int | None = None,
        size: float = TABLE_SIZE,
    ) -> None:
        cell = table.cell(row, col)
        if to_row is not None or to_col is not None:
            cell = cell.merge(table.cell(to_row or row, to_col or col))
        decree30.set_cell_text(cell, text, size=size, bold=True)

    head(0, 0, "STT", to_row=2)
    head(0, 1, "Nội dung", to_row=2)
    head(0, 2, "Đơn vị tính", to_row=2)
    head(0, 3, "Số lượng", to_col=3 + n)
    head(0, amount_total, "Kinh phí hỗ trợ", to_col=amount_total + n)
    head(1, 3, "Tổng số", to_row=2)
    head(1, amount_total, "Tổng kinh phí", to_row=2)
    for first in (qty0, amount0):
        for i, year in enumerate(annex_.years):
            start = first + i * per_year
            head(1, start, f"Năm {year}", to_col=start + per_year - 1 if per_year > 1 else None)
            for j, label in enumerate(annex_.fund_labels):
                head(2, start + j, label, size=FUND_HEADER_SIZE)
    decree30.repeat_header_rows(table, 3)

    left, center = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for offset, row in enumerate(annex_.rows):
        table_row = table.rows[3 + offset]
        cells = table_row.cells
        bold = row.kind in ("group", "total")
        italic = row.kind == "fund"
        amounts = [(row.total_amount, right), *[(a, right) for a in row.amounts]]
        if row.is_line:
            texts = [
                (row.number, center),
                (row.name, left),
                (row.unit, center),
                (row.total_quantity, right),
                *[(q, right) for q in row.quantities],
                *amounts,
            ]
            targets = cells
        else:
            # Group, total and fund rows have no quantities: their name spans those columns.
            name = cells[1].merge(cells[amount_total - 1])
            name_align = center if row.kind == "total" else left
            texts = [(row.number, center), (row.name, name_align), *amounts]
            targets = [cells[0], name, *cells[amount_total:]]
        for cell, (text, align) in zip(targets, texts, strict=True):
            decree30.set_cell_text(
                cell,
                text,
                size=TABLE_SIZE,
                bold=bold,
                italic=italic,
                align=center if text == EMPTY else align,
            )
        decree30.prevent_row_split(table_row)
        if row.kind in ("total", "fund") and offset < len(annex_.rows) - 1:
            # Keep "Tổng cộng" and its "Trong đó" rows on one page.
            decree30.keep_row_with_next(table_row)
    decree30.set_column_widths(table, _budget_widths(annex_, int(width) / int(Mm(1))))


def _targets_table(document: decree30.DocxDocument, annex_: Annex, width: Length) -> None:
    headers = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số lượng", "Nêu tại phần", "Nguyên văn")
    fixed = [10.0, 0.0, 24.0, 22.0, 20.0, 0.0]
    rest = int(width) / int(Mm(1)) - sum(fixed) - 0.5
    fixed[1], fixed[5] = rest * 0.45, rest * 0.55
    table = document.add_table(rows=1 + len(annex_.target_rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    decree30.set_cell_margins(table, left=Mm(1), right=Mm(1), top=Mm(0.5))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        decree30.set_cell_text(cell, text, size=11, bold=True)
    decree30.repeat_header_rows(table, 1)
    left, center = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
    for offset, row in enumerate(annex_.target_rows, start=1):
        cells = table.rows[offset].cells
        if row.kind == "group":
            decree30.set_cell_text(cells[0], row.number, size=11, bold=True)
            merged = cells[1].merge(cells[-1])
            decree30.set_cell_text(merged, row.name, size=11, bold=True, align=left)
        else:
            values = (
                (row.number, center),
                (row.name, left),
                (row.unit, center),
                (row.quantity, center),
                (row.section, center),
                (row.text, left),
            )
            for index, (cell, (text, align)) in enumerate(zip(cells, values, strict=True)):
                # The last column quotes the decision: italic.
                decree30.set_cell_text(
                    cell,
                    text,
                    size=11,
                    italic=index == len(values) - 1,
                    align=align,
                    vertical=WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                )
        decree30.prevent_row_split(table.rows[offset])
    decree30.set_column_widths(table, [Mm(w) for w in fixed])


def appendix_docx(p: ProgrammeData) -> bytes:
    """Phụ lục kinh phí as a .docx: landscape A4, Decree 30 layout, Times New Roman.

    The budget table (or, without lines, the targets table) with its three header rows
    repeated on every page; page numbers from the second page.
    """
    annex_ = annex(p)
    document = decree30.new_document(landscape=True)
    section = document.sections[0]
    width = decree30.text_width(section)
    _annex_heading(document, annex_, width)
    if annex_.has_budget:
        _budget_table(document, annex_, width)
    else:
        _targets_table(document, annex_, width)
    decree30.add_page_numbers(section)
    return decree30.document_bytes(document)


# --------------------------------------------------------------------------------------------
# PDF (WeasyPrint, from an HTML template)
# --------------------------------------------------------------------------------------------
def appendix_html(p: ProgrammeData) -> str:
    """The annex as print HTML (``programs/appendix_print.html``), the source of the PDF."""
    from django.template.loader import render_to_string

    annex_ = annex(p)
    return render_to_string(
        "programs/appendix_print.html",
        {
            "annex": annex_,
            "programme": p,
            "fund_colspan": len(annex_.columns),
            "per_year": len(annex_.funds),
            "empty": EMPTY,
        },
    )


def appendix_pdf(p: ProgrammeData) -> bytes:
    """Phụ lục kinh phí as a PDF rendered by WeasyPrint from :func:`appendix_html`."""
    from weasyprint import HTML

    pdf = HTML(string=appendix_html(p)).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when given no target
        raise RuntimeError("WeasyPrint không tạo được tệp PDF.")
    return bytes(pdf)
