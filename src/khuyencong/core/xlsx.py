"""Small helpers shared by the list exports to .xlsx (openpyxl, no ORM, no HTTP).

A list export is one sheet: a styled header row (bold, frozen, with an auto-filter) and one
row per record. Text is always written as text: a value typed by someone that starts with
``=`` (``=HYPERLINK(...)``) is never stored as a formula, so the spreadsheet program of
whoever opens the export never runs it.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5C99")

#: Whole đồng, with thousands separators (Excel shows them in the reader's locale).
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"


def style_header(ws: Any, count: int, *, freeze: str = "B2", height: float = 45) -> None:
    """Bold, filled, wrapped header cells in row 1; the header (and the columns left of
    ``freeze``) stay in view while scrolling."""
    for index in range(1, count + 1):
        cell = ws.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = height
    ws.freeze_panes = freeze


def add_auto_filter(ws: Any, count: int) -> None:
    """An auto-filter over the header and every data row."""
    ws.auto_filter.ref = f"A1:{get_column_letter(count)}{max(ws.max_row, 1)}"


def keep_text(ws: Any, row: int, values: Sequence[object]) -> None:
    """Cells of ``row`` whose value is text starting with ``=`` stay text, never a formula."""
    for index, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith("="):
            ws.cell(row=row, column=index).data_type = "s"


def write_row(
    ws: Any,
    row: int,
    values: Sequence[object],
    *,
    money: frozenset[int] = frozenset(),
) -> None:
    """Write one data row at ``row`` (pass the number: ``ws.max_row`` scans the whole sheet):
    text stays text, dates get ``DATE_FORMAT``, and the (0-based) ``money`` positions are
    written as integers with ``MONEY_FORMAT`` (never floats)."""
    for index in money:
        value = values[index]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"money must be whole đồng (int), got {value!r}")
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        elif column - 1 in money:
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
