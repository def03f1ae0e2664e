"""Small helpers shared by the list exports to .xlsx (openpyxl, no ORM, no HTTP).

A list export is one sheet: a styled header row (bold, frozen, with an auto-filter) and one
row per record. Text is always written as text: a value typed by someone that starts with
``=`` (``=HYPERLINK(...)``) is never stored as a formula, so the spreadsheet program of
whoever opens the export never runs it.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .tabular import Template

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
    check_money(values, money)
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        elif column - 1 in money:
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT


def check_money(values: Sequence[object], money: frozenset[int]) -> None:
    """Money cells hold whole đồng (int), never a float or a decimal."""
    for index in money:
        value = values[index]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"money must be whole đồng (int), got {value!r}")


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class ListWriter:
    """A list export written row by row in openpyxl's write-only mode: memory stays constant
    however many rows (the normal mode keeps every cell object, ~2 GB for 300,000 rows).

    One sheet: the styled header row, frozen at ``freeze``, an auto-filter, column widths, and a
    print setup (landscape, fitted to the page width, the header row repeated on every printed
    page). Text stays text (never a formula); the 0-based ``money`` columns are whole đồng with
    ``MONEY_FORMAT``, ``text`` columns keep the text format (leading zeros) for later edits,
    dates get ``DATE_FORMAT``.

    Fill it with :meth:`extend`: a row refused half-way (money not whole đồng, a failing query)
    closes the half-written sheet at once and removes its temporary file. Left to the garbage
    collector, openpyxl's row generator reports an lxml error and the file stays behind.
    """

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        widths: Sequence[float],
        *,
        money: frozenset[int] = frozenset(),
        text: frozenset[int] = frozenset(),
        freeze: str = "B2",
    ) -> None:
        from openpyxl.worksheet.properties import PageSetupProperties

        self.workbook = Workbook(write_only=True)
        self.sheet = ws = self.workbook.create_sheet(title)
        self.count = len(headers)
        self.money = money
        self.text = text
        self.rows = 1
        set_widths(ws, widths)
        ws.freeze_panes = freeze
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = "1:1"
        ws.row_dimensions[1].height = 45
        header = []
        for value in headers:
            cell = WriteOnlyCell(ws, value)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)

    def append(self, values: Sequence[object]) -> None:
        ws, row = self.sheet, list(values)
        check_money(row, self.money)
        for index in self.money:
            cell = WriteOnlyCell(ws, row[index])
            cell.number_format = MONEY_FORMAT
            row[index] = cell
        for index, value in enumerate(row):
            if index in self.money:
                continue
            if index in self.text or (isinstance(value, str) and value.startswith("=")):
                cell = WriteOnlyCell(ws, value)
                cell.data_type = "s"  # text, never a formula
                if index in self.text:
                    cell.number_format = "@"
                row[index] = cell
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value)
                cell.number_format = DATE_FORMAT
                row[index] = cell
        ws.append(row)
        self.rows += 1

    def extend(self, rows: Iterable[Sequence[object]]) -> ListWriter:
        """Append every row of ``rows``; on any error :meth:`close` before raising it."""
        try:
            for values in rows:
                self.append(values)
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Drop the sheet without saving it (idempotent; nothing to do once saved, as
        ``save`` removes the temporary file itself)."""
        ws = self.sheet
        if ws.closed:
            return
        try:
            ws.close()  # ends the row generator and the XML cleanly
        finally:
            ws._writer.cleanup()

    def save(self, out: BinaryIO) -> None:
        """Write the file into ``out`` (a temporary file for a download, or memory)."""
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.count)}{self.rows}"
        self.workbook.save(out)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()


def import_template(
    template: Template, *, title: str, notes: Sequence[str], guide_sheet: str = "Hướng dẫn"
) -> bytes:
    """Tệp mẫu nhập for a :class:`~khuyencong.core.tabular.Template`: row 1 of the data sheet
    holds exactly its headers; the guide sheet says what each column accepts, with an example.
    In Vietnamese, the language of the file."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = template.sheet
    ws.append(list(template.headers))
    style_header(ws, len(template.headers), freeze="A2", height=30)
    set_widths(ws, [max(16, min(40, len(c.example) + 6)) for c in template.columns])
    for index in range(1, len(template.headers) + 1):
        # Codes and phone numbers keep their leading zeros.
        ws.column_dimensions[get_column_letter(index)].number_format = "@"
    guide = wb.create_sheet(guide_sheet)
    guide.append([title])
    guide["A1"].font = Font(bold=True, size=13)
    for note in notes:
        guide.append([note])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Giá trị được chấp nhận", "Ví dụ"])
    for cell in guide[guide.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for column in template.columns:
        guide.append(
            [column.header, "Có" if column.required else "Không", column.allowed, column.example]
        )
    set_widths(guide, [28, 10, 80, 32])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.data_type = "s"
    wb.active = 0
    return workbook_bytes(wb)
