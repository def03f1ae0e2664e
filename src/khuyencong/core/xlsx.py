"""Small helpers shared by the exports to .xlsx (openpyxl; XlsxWriter for the long lists; no
ORM, no HTTP).

A list export is one sheet: a styled header row (bold, frozen, with an auto-filter) and one
row per record. Text is always written as text: a value typed by someone that starts with
``=`` (``=HYPERLINK(...)``) is never stored as a formula, so the spreadsheet program of
whoever opens the export never runs it.
"""

from __future__ import annotations

import datetime
import decimal
import io
import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

import xlsxwriter
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell

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


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    # Characters XML cannot hold are written as Excel writes them (_xHHHH_), never dropped.
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char) or f"_x{ord(char):04X}_"


def _inline_text(value: str) -> str:
    if _NEEDS_ESCAPE.search(value):
        value = _NEEDS_ESCAPE.sub(_escape, value)
    if value[0].isspace() or value[-1].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _serial(value: datetime.date) -> str:
    """Excel's serial date (days since 1899-12-30, the time as a fraction of a day)."""
    if not isinstance(value, datetime.datetime):
        return str((value - _EXCEL_EPOCH.date()).days)
    if value.tzinfo is not None:
        raise TypeError(f"Excel holds no time zone: convert {value!r} to local time first")
    delta = value - _EXCEL_EPOCH
    return repr(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400)


class _SheetRows:
    """The data rows of a list sheet as OOXML ``<row>`` elements, in a temporary file.

    XlsxWriter spends ~4 µs a cell on them (cell tuples, checks, escaping regexes): 24 s of CPU
    for 300,000 establishments × 19 columns, more than the whole export may take. A list
    export's cells are of few kinds (text, whole number, money, date, yes/no), so they are
    written here directly; XlsxWriter writes everything else of the file.
    """

    def __init__(self, count: int, *, money: int, text: int, date: int) -> None:
        self.columns = [xl_col_to_name(index) for index in range(count)]
        self.money, self.text, self.date = f' s="{money}"', f' s="{text}"', f' s="{date}"'
        self.file = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (ListWriter closes it)

    def write(
        self, number: int, values: Sequence[object], money: frozenset[int], text: frozenset[int]
    ) -> None:
        row, columns = str(number), self.columns
        cells = [f'<row r="{row}">']
        for index, value in enumerate(values):
            if index in money:
                ref = columns[index] + row
                if value is None:
                    cells.append(f'<c r="{ref}"{self.money}/>')
                else:
                    cells.append(f'<c r="{ref}"{self.money}><v>{value}</v></c>')
            elif index in text:
                ref = columns[index] + row
                if value is None or value == "":
                    cells.append(f'<c r="{ref}"{self.text}/>')
                else:
                    cells.append(f'<c r="{ref}"{self.text} t="inlineStr">')
                    cells.append(_inline_text(str(value)) + "</c>")
            elif isinstance(value, str):
                if value:  # text, never a formula nor a link
                    cells.append(f'<c r="{columns[index]}{row}" t="inlineStr">')
                    cells.append(_inline_text(value) + "</c>")
            elif value is None:
                continue
            elif isinstance(value, bool):
                cells.append(f'<c r="{columns[index]}{row}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | decimal.Decimal):
                cells.append(f'<c r="{columns[index]}{row}"><v>{value}</v></c>')
            elif isinstance(value, float) and math.isfinite(value):
                cells.append(f'<c r="{columns[index]}{row}"><v>{value!r}</v></c>')
            elif isinstance(value, datetime.date):
                ref = columns[index] + row
                cells.append(f'<c r="{ref}"{self.date}><v>{_serial(value)}</v></c>')
            else:
                raise TypeError(f"cannot write {value!r} into an .xlsx cell")
        cells.append("</row>")
        self.file.write("".join(cells).encode())


class ListWriter:
    """A list export written row by row in constant memory: the rows go to a temporary file
    as they come (openpyxl's normal mode kept every cell, ~2 GB for 300,000 rows), and
    :meth:`save` puts them into the sheet XlsxWriter wrote around them.

    One sheet: the styled header row, frozen at ``freeze``, an auto-filter, column widths, and a
    print setup (landscape, fitted to the page width, the header row repeated on every printed
    page). Text is always written as text (never a formula, a number or a link); the 0-based
    ``money`` columns are whole đồng with ``MONEY_FORMAT``, ``text`` columns keep the text
    format (leading zeros) for later edits, dates get ``DATE_FORMAT``.

    Fill it with :meth:`extend`: a row refused half-way (money not whole đồng, a failing query)
    closes the half-written sheet at once and removes its temporary file.
    """

    #: Rows of one sheet (Excel's limit, header included).
    MAX_ROWS = 1_048_576
    _SHEET = "xl/worksheets/sheet1.xml"

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
        # The file to write into is only known at save(): XlsxWriter opens it then.
        self.workbook = xlsxwriter.Workbook(None, {"in_memory": True})
        self.sheet = ws = self.workbook.add_worksheet(title)
        self.count = len(headers)
        self.money = money
        self.text = text
        self.rows = 1
        for index, width in enumerate(widths):
            # XlsxWriter adds a character's padding to the width it stores: take it off, so
            # the file says ``width`` as openpyxl's did.
            ws.set_column(index, index, width - 5 / 7 if width > 1 else width)
        ws.freeze_panes(*xl_cell_to_rowcol(freeze))
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        header = self.workbook.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#1F5C99",
                "pattern": 1,
                "text_wrap": True,
                "valign": "vcenter",
            }
        )
        ws.set_row(0, 45)
        for index, value in enumerate(headers):
            ws.write_string(0, index, value, header)
        # The cell styles the rows refer to, registered in the file's style sheet by number.
        styles = {
            name: self.workbook.add_format({"num_format": number_format})._get_xf_index()
            for name, number_format in (
                ("money", MONEY_FORMAT),
                ("text", "@"),
                ("date", DATE_FORMAT),
            )
        }
        self._rows = _SheetRows(self.count, **styles)

    def append(self, values: Sequence[object]) -> None:
        check_money(values, self.money)
        if self.rows >= self.MAX_ROWS:
            raise ValueError(f"an .xlsx sheet holds at most {self.MAX_ROWS:,} rows")
        self.rows += 1
        self._rows.write(self.rows, values, self.money, self.text)

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
        """Drop the rows (idempotent; :meth:`save` closes them itself)."""
        self._rows.file.close()

    def save(self, out: BinaryIO) -> None:
        """Write the file into ``out`` (a temporary file for a download, or memory): the
        workbook XlsxWriter made (header, styles, print setup) with the rows put into its sheet,
        copied from the temporary file a block at a time."""
        self.sheet.autofilter(0, 0, self.rows - 1, self.count - 1)
        frame = io.BytesIO()
        self.workbook.filename = frame
        self.workbook.close()
        rows = self._rows.file
        try:
            size = rows.tell()
            rows.seek(0)
            with (
                zipfile.ZipFile(frame) as source,
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
            ):
                for info in source.infolist():
                    content = source.read(info)
                    if info.filename != self._SHEET:
                        target.writestr(info, content, zipfile.ZIP_DEFLATED)
                        continue
                    last = xl_rowcol_to_cell(self.rows - 1, self.count - 1)
                    content = re.sub(
                        rb'<dimension ref="[^"]*"/>',
                        f'<dimension ref="A1:{last}"/>'.encode(),
                        content,
                        count=1,
                    )
                    head, tail = content.split(b"</sheetData>", 1)
                    info.file_size = len(head) + size + len(tail) + len(b"</sheetData>")
                    info.compress_type = zipfile.ZIP_DEFLATED
                    with target.open(info, "w") as sheet:
                        sheet.write(head)
                        shutil.copyfileobj(rows, sheet, 1 << 20)
                        sheet.write(b"</sheetData>" + tail)
        finally:
            rows.close()

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
