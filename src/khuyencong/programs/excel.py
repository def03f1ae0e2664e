"""Phụ lục kinh phí của chương trình khuyến công dạng Excel: xuất và nhập (.xlsx).

Pure functions over :class:`~khuyencong.programs.programme_data.ProgrammeData` (openpyxl, no ORM,
no HTTP):

- :func:`export_appendix` — xuất phụ lục: the programme's budget appendix ("Nội dung và dự kiến
  kinh phí thực hiện chương trình"), laid out like the Sơn La appendix of QĐ 1113/QĐ-UBND, plus a
  second sheet "Thông tin" describing the programme and the rules of the table.
- :func:`import_appendix` — nhập phụ lục: reads the same layout back, all or nothing. Every
  problem found is collected into one :class:`AppendixImportError` whose :class:`RowError` items
  are Vietnamese sentences naming the row, the column and what to fix.
- :func:`normalise_programme` — dạng chuẩn: the one normalisation under which a programme and
  the import of its export compare equal.

Layout of the sheet "Phụ lục" (one row per activity line, in appendix order)::

    STT | Nhóm nội dung | Nội dung | Đơn vị tính | Tổng số lượng | Số lượng: Năm × nguồn ... |
        Tổng kinh phí | Kinh phí (triệu đồng): Năm × nguồn ... | Ghi chú

Rows whose STT is a Roman numeral (I … VI) are content-group headings, the "Tổng cộng" row and
the "Trong đó" rows below it are computed totals: the importer recognises and skips them.

Decisions worth knowing (each is explained where it is made):

- Money is in triệu đồng in the sheet and in integer đồng in the programme; every conversion goes
  through :class:`~decimal.Decimal` and :func:`million_to_dong`, never through float arithmetic.
- Totals are written as numbers, not formulas: openpyxl cannot compute formulas, so a formula
  written here would have no cached value and would read as empty in viewers that do not
  recalculate (previews, mobile viewers, other programs reading the file).
- "Tổng số lượng" / "Tổng kinh phí" of a line are the figures *stated* for the line: the importer
  stores them as ``stated_total_quantity`` / ``stated_total_amount`` and does not refuse a file
  where they disagree with the cells. The consistency checker (``consistency.py``) reports such
  a line (``line-quantity-mismatch`` / ``line-amount-mismatch``, or a rounding), which is what the
  domain asks for documents that print wrong totals: reproduce them, then flag them.
- The "Tổng cộng" row is computed from the cells on export and ignored on import: the programme's
  printed totals belong to the decision text, not to the line table.
- Import keeps the grid full: one cell per year × fund column of the file, an empty cell being 0.
  So the seeds (which list every cell) come back literally equal, and the funds the file shows
  stay in the programme; :func:`normalise_programme` is the equivalence for sparse programmes.
- Formulas typed by officials are read through the results Excel/LibreOffice saved with them;
  a formula without a saved result is an error, never a silent 0.
- A file whose sheet "Thông tin" names another programme is refused: the years of two
  programmes often match, and importing one province's lines into another must not happen.
- Numbers are written with the "[$-42A]" (Vietnamese) format tag: LibreOffice prints
  "25.965" and "62,5" whatever the machine's locale; Excel shows its user's own separators.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from khuyencong.core import bounds, uploads
from khuyencong.core.text import nfc
from khuyencong.programs.consistency import grand_total, line_totals, year_fund_totals
from khuyencong.programs.programme_data import (
    CONTENT_GROUPS,
    CONTENT_GROUPS_BY_CODE,
    FUND_NAMES,
    FUNDS,
    KCDP,
    KCQG,
    LEVELS,
    ActivityLineData,
    Cell,
    ProgrammeData,
    format_vn_number,
    million_to_dong,
    parse_vn_number,
)

__all__ = [
    "DEFAULT_FUNDS",
    "MAX_UPLOAD_BYTES",
    "SHEET_APPENDIX",
    "SHEET_INFO",
    "AppendixImportError",
    "RowError",
    "appendix_funds",
    "export_appendix",
    "import_appendix",
    "normalise_line",
    "normalise_programme",
    "too_large_message",
]

LIMITS = uploads.PROGRAMME_IMPORT
"""Size, archive, row and time limits of an uploaded appendix (``core/uploads.py`` says why)."""

MAX_UPLOAD_BYTES = LIMITS.max_bytes
"""Giới hạn dung lượng tệp tải lên, checked before anything is parsed."""

MAX_COLUMNS = 256
"""Widest row read: ten years × four funds × two blocks is 90 columns."""

MAX_ERRORS = 200
"""Report at most this many problems: past that the file is plainly not the appendix."""

SHEET_APPENDIX = "Phụ lục"
SHEET_INFO = "Thông tin"

DEFAULT_FUNDS: tuple[str, ...] = (KCQG, KCDP)
"""Fund columns of a programme that has no cells yet (the two funds of the KC programmes)."""

# Header labels, as written; the importer compares them case- and spacing-insensitively and
# also accepts the synonyms in ``_FIXED_HEADERS`` (the wording of the Sơn La appendix).
H_STT = "STT"
H_GROUP = "Nhóm nội dung"
H_NAME = "Nội dung"
H_UNIT = "Đơn vị tính"
H_TOTAL_QTY = "Tổng số lượng"
H_QTY = "Số lượng"
H_TOTAL_AMOUNT = "Tổng kinh phí"
H_AMOUNT = "Kinh phí (triệu đồng)"
H_NOTES = "Ghi chú"
TOTAL_LABEL = "Tổng cộng"
OF_WHICH = "Trong đó"

_FIRST_DATA_COLUMN = 6  # F: the first year × fund column; A…E are STT … Tổng số lượng.
_HEADER_SEARCH_ROWS = 30
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_RE = re.compile(r"[IVXLC]+")
_YEAR_RE = re.compile(r"(?:năm\s*)?(\d{4})")
_GROUP_RE = re.compile(r"(?:nhóm\s*|nhom-)?(\d+)")
# Characters that the XML of an .xlsx cannot hold (openpyxl raises IllegalCharacterError).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number, no more.


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """Lỗi nhập: one problem of an uploaded appendix.

    ``row`` is the sheet's row number as Excel shows it (``None`` for a problem of the whole
    file), ``column`` the column's label (``"2027 KCĐP (kinh phí)"``), ``message`` a Vietnamese
    sentence that names the place and says what to fix.
    """

    row: int | None
    column: str | None
    message: str


class AppendixImportError(Exception):
    """Tệp phụ lục không nhập được: carries every problem found, nothing was imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors: list[RowError] = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))


class _BadCell(Exception):
    """A cell's value cannot be read; ``reason`` completes the sentence after the cell's name."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------------------------
# Text and numbers
# --------------------------------------------------------------------------------------------
def _clean_text(value: str) -> str:
    """One line of text: NFC, no control characters, runs of whitespace as one space, stripped.

    Names and units typed in Excel pick up line breaks (Alt+Enter) and double spaces; reading
    them back cleaned, and writing them cleaned, is what makes a round trip compare equal.
    """
    value = nfc(_ILLEGAL_XML.sub(" ", value))
    return " ".join(value.split())


def _clean_notes(value: str) -> str:
    """Notes may keep their line breaks; only the outer whitespace and \\r go."""
    value = nfc(_ILLEGAL_XML.sub(" ", value))
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _norm(value: object) -> str:
    """A header or label compared loosely: text, NFC, casefolded, single spaces."""
    if value is None:
        return ""
    return _clean_text(str(value)).casefold()


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _show(value: object) -> str:
    """A cell's value quoted in a message, short enough to read."""
    if isinstance(value, float) and math.isfinite(value):
        text = format_vn_number(_float_to_decimal(value))
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        text = format_vn_number(value)
    elif isinstance(value, datetime | date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = _clean_text(str(value))
    return text if len(text) <= 40 else text[:39] + "…"


def _float_to_decimal(value: float) -> Decimal:
    """The number Excel means by a float read from the file, exactly, as a Decimal.

    openpyxl gives floats for numeric cells with a fraction ("62.5" in the XML). Excel keeps 15
    significant digits, so rounding the float to 15 significant digits recovers the number that
    was typed or written (62.5, 0.1) and drops binary noise from formulas (0.1+0.2 gives
    0.30000000000000004, which Excel shows as 0.3). No arithmetic is done on the float.
    """
    return Decimal(format(value, f".{_EXCEL_DIGITS}g"))


def _read_number(value: object) -> Decimal | None:
    """A numeric cell or a number typed as text ("62,5", "1.500"): ``None`` when empty.

    Raises :class:`_BadCell` with the reason when the cell holds something else.
    """
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        raise _BadCell(f"“{value}” không phải là số.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _BadCell("ô không chứa một số hữu hạn.")
        return _float_to_decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, datetime | date | time | timedelta):
        # Excel turns "1.5" typed in some locales into a date: say so, the user sees no date.
        raise _BadCell(
            f"ô đang chứa ngày tháng ({_show(value)}), không phải số: hãy định dạng ô là Số "
            "(Number) rồi nhập lại."
        )
    if isinstance(value, str):
        text = value.strip()
        if text in {"-", "–", "—"}:
            # Vietnamese tables print a dash for nothing.
            return Decimal(0)
        try:
            return parse_vn_number(text)
        except ValueError:
            raise _BadCell(f"“{_show(value)}” không phải là số.") from None
    raise _BadCell(f"“{_show(value)}” không phải là số.")


def _excel_number(value: Decimal | int) -> int | Decimal:
    """A number to write into a cell, exactly: ``int`` when whole, else a plain Decimal.

    openpyxl writes numbers with ``"%.16g"``; a value of at most 15 significant digits (Excel's
    own precision) survives that and reads back exactly through :func:`_float_to_decimal`.
    Anything longer cannot be stored exactly in a spreadsheet: refuse rather than round.
    """
    d = Decimal(value)
    if d == d.to_integral_value():
        whole = int(d)
        if len(str(abs(whole)).rstrip("0")) > _EXCEL_DIGITS:
            raise ValueError(f"Số {format_vn_number(whole)} quá dài để ghi chính xác vào Excel.")
        return whole
    d = d.normalize()
    if len(d.as_tuple().digits) > _EXCEL_DIGITS:
        raise ValueError(f"Số {format_vn_number(d)} quá dài để ghi chính xác vào Excel.")
    return d


def _dong_to_million(amount: int) -> Decimal:
    """đồng → triệu đồng, exact (62_500_000 → 62.5): a Decimal shift, not a division."""
    return Decimal(amount).scaleb(-6)


def _fund_rank(fund: str) -> tuple[int, str]:
    order = list(FUNDS)
    return (order.index(fund), "") if fund in FUNDS else (len(order), fund)


def _fund_label(fund: str) -> str:
    return FUNDS.get(fund, fund)


def _column_label(year: int, fund: str, what: str) -> str:
    """``"2027 KCĐP (kinh phí)"``: how messages name a year × fund column."""
    return f"{year} {_fund_label(fund)} ({what})"


# Fund labels the importer accepts: the code, the short label, with or without "Đ", the name.
_FUND_ALIASES: dict[str, str] = {}
for _code, _label in FUNDS.items():
    for _alias in (_code, _label, FUND_NAMES[_code], _label.replace("Đ", "D")):
        _FUND_ALIASES[_norm(_alias)] = _code


# --------------------------------------------------------------------------------------------
# Normalisation (dạng chuẩn)
# --------------------------------------------------------------------------------------------
def normalise_line(line: ActivityLineData) -> ActivityLineData:
    """Dạng chuẩn của một dòng: what the appendix can say about a line, and nothing more.

    - cells with zero quantity and zero amount are dropped (the table shows them as 0, and an
      empty cell reads as 0);
    - cells are in appendix order: year, then fund in ``FUNDS`` order;
    - a stated total equal to the sum of the cells is dropped: the export prints the sum when
      nothing is stated, so "stated and right" and "not stated" look the same in the table;
    - name and unit are one line of cleaned text, notes are stripped.
    """
    cells = tuple(
        sorted(
            (c for c in line.cells if c.quantity != 0 or c.amount != 0),
            key=lambda c: (c.year, _fund_rank(c.fund)),
        )
    )
    totals = line_totals(line)
    stated_quantity = line.stated_total_quantity
    if stated_quantity is not None and stated_quantity == totals.quantity:
        stated_quantity = None
    stated_amount = line.stated_total_amount
    if stated_amount is not None and stated_amount == totals.amount:
        stated_amount = None
    return replace(
        line,
        name=_clean_text(line.name),
        unit=_clean_text(line.unit),
        notes=_clean_notes(line.notes),
        cells=cells,
        stated_total_quantity=stated_quantity,
        stated_total_amount=stated_amount,
    )


def normalise_programme(p: ProgrammeData) -> ProgrammeData:
    """Dạng chuẩn của chương trình: every line through :func:`normalise_line`, order kept.

    ``normalise_programme(import_appendix(export_appendix(p), base=p)) ==
    normalise_programme(p)`` for every programme the appendix can show.
    """
    return replace(p, lines=tuple(normalise_line(line) for line in p.lines))


# --------------------------------------------------------------------------------------------
# Export (xuất phụ lục)
# --------------------------------------------------------------------------------------------
def appendix_funds(p: ProgrammeData) -> tuple[str, ...]:
    """Nguồn kinh phí hiện trong phụ lục: the funds the lines use, in ``FUNDS`` order.

    A programme without cells shows :data:`DEFAULT_FUNDS` (KCQG and KCĐP).
    """
    used = {cell.fund for line in p.lines for cell in line.cells}
    return tuple(sorted(used, key=_fund_rank)) if used else DEFAULT_FUNDS


def _check_exportable(p: ProgrammeData) -> None:
    """Refuse what the table cannot show without losing it (a year outside the columns, two
    cells in one column). Anything else, even wrong (an unknown group, a negative amount), is
    shown as it is: the importer and the checker will say what is wrong with it."""
    for line in p.lines:
        seen: set[tuple[int, str]] = set()
        for cell in line.cells:
            if cell.year not in p.years:
                raise ValueError(
                    f"Dòng {line.order} có số liệu năm {cell.year}, ngoài thời gian thực hiện "
                    f"chương trình ({p.start_year} - {p.end_year}): không xuất được phụ lục."
                )
            if (cell.year, cell.fund) in seen:
                raise ValueError(
                    f"Dòng {line.order} có hai ô cho năm {cell.year}, nguồn "
                    f"{_fund_label(cell.fund)}: không xuất được phụ lục."
                )
            seen.add((cell.year, cell.fund))


def _decision_phrase(p: ProgrammeData) -> str:
    """``(Kèm theo Quyết định số 1113/QĐ-UBND ngày 11 tháng 5 năm 2026 của …)`` or ``""``."""
    if not p.decision_number:
        return ""
    text = f"Kèm theo Quyết định số {p.decision_number}"
    if p.decision_date is not None:
        d = p.decision_date
        text += f" ngày {d.day} tháng {d.month} năm {d.year}"
    if p.issuing_body:
        text += f" của {p.issuing_body}"
    return f"({text})"


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_GROUP_FILL = PatternFill("solid", fgColor="FAFAFA")
_FONT_NAME = "Times New Roman"  # Decree 30/2020 typeface; LibreOffice maps it to Liberation Serif
_FONT = Font(name=_FONT_NAME, size=11)
_FONT_BOLD = Font(name=_FONT_NAME, size=11, bold=True)
_FONT_ITALIC = Font(name=_FONT_NAME, size=11, italic=True)
_FONT_TITLE = Font(name=_FONT_NAME, size=13, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
# Numbers: thousands grouped, decimals only when there are some. "[$-42A]" tags the format as
# Vietnamese: LibreOffice then prints "25.965" and "62,5" whatever the machine's locale; Excel
# keeps its user's own separators (the tag only names months and currency there).
# "_)" keeps a small gap between the figure and the right border, as printed tables do.
_FMT_WHOLE = "[$-42A]#,##0_)"
_FMT_FRACTION = "[$-42A]#,##0.0#####_)"
_WIDTHS = {"stt": 5.0, "group": 8.0, "name": 46.0, "unit": 10.0, "total_qty": 8.5}
_QTY_WIDTH = 6.5
_TOTAL_AMOUNT_WIDTH = 10.0
_AMOUNT_WIDTH = 8.5
_NOTES_WIDTH = 14.0


def _set(ws: Worksheet, row: int, column: int, value: object, **style: Any) -> Any:
    """Write one cell; text is always text (a name starting with "=" must not become a
    formula in the officials' Excel), numbers get the format that shows them exactly."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        number = _excel_number(value)
        cell.value = number
        cell.number_format = _FMT_WHOLE if isinstance(number, int) else _FMT_FRACTION
    else:
        cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _row_height(texts: Iterable[tuple[str, float]], *, bold: bool = False) -> float:
    """Rough height for wrapped text: Excel does not grow rows by itself when a file opens."""
    lines = 1
    for text, width in texts:
        # A column width counts "0" characters of the default font; Times New Roman 11 fits
        # about 1.4 Vietnamese characters per unit (1.25 in bold). Err on the generous side.
        per_line = max(int(width * (1.25 if bold else 1.4)) - 2, 1)
        needed = sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))
        lines = max(lines, needed)
    return 14.5 * lines + 4.0


def _write_appendix_sheet(ws: Worksheet, p: ProgrammeData) -> None:
    funds = appendix_funds(p)
    columns = [(year, fund) for year in p.years for fund in funds]
    n = len(columns)
    qty_col = {c: _FIRST_DATA_COLUMN + i for i, c in enumerate(columns)}
    total_amount_col = _FIRST_DATA_COLUMN + n
    amount_col = {c: total_amount_col + 1 + i for i, c in enumerate(columns)}
    notes_col = total_amount_col + 1 + n
    last = notes_col
    last_letter = get_column_letter(last)

    # Title block.
    _set(ws, 1, 1, "PHỤ LỤC", font=_FONT_TITLE, alignment=_CENTER)
    _set(
        ws,
        2,
        1,
        f"NỘI DUNG VÀ DỰ KIẾN KINH PHÍ THỰC HIỆN {p.title.upper()}",
        font=_FONT_TITLE,
        alignment=_CENTER,
    )
    _set(ws, 3, 1, _decision_phrase(p), font=_FONT_ITALIC, alignment=_CENTER)
    _set(ws, 4, 1, "Đơn vị tính: triệu đồng", font=_FONT_ITALIC, alignment=_RIGHT)
    for row in (1, 2, 3, 4):
        ws.merge_cells(f"A{row}:{last_letter}{row}")
    ws.row_dimensions[2].height = 36.0

    # Header: three rows; fixed columns span all three, blocks span years, years span funds.
    h = 5
    fixed = [
        (1, H_STT),
        (2, H_GROUP),
        (3, H_NAME),
        (4, H_UNIT),
        (5, H_TOTAL_QTY),
        (total_amount_col, H_TOTAL_AMOUNT),
        (notes_col, H_NOTES),
    ]
    for col, label in fixed:
        _set(ws, h, col, label)
        ws.merge_cells(start_row=h, start_column=col, end_row=h + 2, end_column=col)
    for block, cols in ((H_QTY, qty_col), (H_AMOUNT, amount_col)):
        first = cols[columns[0]]
        _set(ws, h, first, block)
        ws.merge_cells(start_row=h, start_column=first, end_row=h, end_column=first + n - 1)
        for year in p.years:
            start = cols[(year, funds[0])]
            _set(ws, h + 1, start, f"Năm {year}")
            if len(funds) > 1:
                ws.merge_cells(
                    start_row=h + 1,
                    start_column=start,
                    end_row=h + 1,
                    end_column=start + len(funds) - 1,
                )
            for fund in funds:
                _set(ws, h + 2, cols[(year, fund)], _fund_label(fund))
    for row in range(h, h + 3):
        for col in range(1, last + 1):
            cell = ws.cell(row=row, column=col)
            cell.font = _FONT_BOLD
            cell.alignment = _CENTER
            cell.border = _BORDER
            cell.fill = _HEADER_FILL
    ws.row_dimensions[h].height = 33.0
    ws.row_dimensions[h + 1].height = 18.0
    ws.row_dimensions[h + 2].height = 18.0

    # One row per line, with a heading row whenever the content group changes.
    row = h + 3
    first_data_row = row
    previous_group: str | None = None
    for line in p.lines:
        group = CONTENT_GROUPS_BY_CODE.get(line.group_code)
        if line.group_code != previous_group and group is not None:
            _set(ws, row, 1, _ROMAN[group.number - 1], font=_FONT_BOLD, alignment=_CENTER)
            _set(ws, row, 2, group.number, font=_FONT_BOLD, alignment=_CENTER)
            _set(ws, row, 3, group.name, font=_FONT_BOLD, alignment=_LEFT)
            for col in range(1, last + 1):
                ws.cell(row=row, column=col).border = _BORDER
                ws.cell(row=row, column=col).fill = _GROUP_FILL
            ws.row_dimensions[row].height = _row_height([(group.name, _WIDTHS["name"])], bold=True)
            row += 1
        previous_group = line.group_code
        _write_line(ws, row, line, group.number if group else line.group_code)
        cells = {(c.year, c.fund): c for c in line.cells}
        totals = line_totals(line)
        stated_q = line.stated_total_quantity
        stated_a = line.stated_total_amount
        _set(ws, row, 5, stated_q if stated_q is not None else totals.quantity)
        _set(
            ws,
            row,
            total_amount_col,
            _dong_to_million(stated_a if stated_a is not None else totals.amount),
        )
        for column in columns:
            found = cells.get(column)
            _set(ws, row, qty_col[column], found.quantity if found else 0)
            _set(ws, row, amount_col[column], _dong_to_million(found.amount) if found else 0)
        _set(ws, row, notes_col, _clean_notes(line.notes))
        for col in range(5, last + 1):
            ws.cell(row=row, column=col).border = _BORDER
            ws.cell(row=row, column=col).font = _FONT
            if col != notes_col:
                ws.cell(row=row, column=col).alignment = _RIGHT
        ws.cell(row=row, column=notes_col).alignment = _LEFT
        ws.row_dimensions[row].height = _row_height(
            [
                (_clean_text(line.name), _WIDTHS["name"]),
                (_clean_text(line.unit), _WIDTHS["unit"]),
                (_clean_notes(line.notes), _NOTES_WIDTH),
            ]
        )
        row += 1

    # Totals: exact sums of the cells, as numbers (see the module docstring).
    by_column = year_fund_totals(p)
    _set(ws, row, 1, TOTAL_LABEL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _set(ws, row, total_amount_col, _dong_to_million(grand_total(p)))
    for column in columns:
        _set(ws, row, amount_col[column], _dong_to_million(by_column.get(column, 0)))
    _style_total_row(ws, row, last, _FONT_BOLD)
    ws.row_dimensions[row].height = 20.0
    for fund in funds:
        row += 1
        fund_total = sum(amount for (_, f), amount in by_column.items() if f == fund)
        _set(ws, row, 1, f"{OF_WHICH}: {FUND_NAMES.get(fund, fund)} ({_fund_label(fund)})")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        _set(ws, row, total_amount_col, _dong_to_million(fund_total))
        _style_total_row(ws, row, last, _FONT_ITALIC)
        ws.row_dimensions[row].height = 18.0

    # Decimals show only where there are some, also after an official edits a cell in Excel:
    # the per-cell format above fits the exported value, this rule fits whatever is typed.
    ws.conditional_formatting.add(
        f"E{first_data_row}:{get_column_letter(notes_col - 1)}{row}",
        Rule(
            type="expression",
            dxf=DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=_FMT_FRACTION)),
            formula=[f"MOD(E{first_data_row},1)<>0"],
        ),
    )

    # Column widths, panes, printing: A4 landscape, one page wide, header repeated.
    ws.column_dimensions["A"].width = _WIDTHS["stt"]
    ws.column_dimensions["B"].width = _WIDTHS["group"]
    ws.column_dimensions["C"].width = _WIDTHS["name"]
    ws.column_dimensions["D"].width = _WIDTHS["unit"]
    ws.column_dimensions["E"].width = _WIDTHS["total_qty"]
    for column in columns:
        ws.column_dimensions[get_column_letter(qty_col[column])].width = _QTY_WIDTH
        ws.column_dimensions[get_column_letter(amount_col[column])].width = _AMOUNT_WIDTH
    ws.column_dimensions[get_column_letter(total_amount_col)].width = _TOTAL_AMOUNT_WIDTH
    ws.column_dimensions[get_column_letter(notes_col)].width = _NOTES_WIDTH
    ws.freeze_panes = f"D{h + 3}"
    ws.print_title_rows = f"{h}:{h + 2}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = _FONT_NAME


def _write_line(
    ws: Worksheet,
    row: int,
    line: ActivityLineData,
    group: int | str,
) -> None:
    _set(ws, row, 1, line.order, font=_FONT, alignment=_CENTER, border=_BORDER)
    _set(ws, row, 2, group, font=_FONT, alignment=_CENTER, border=_BORDER)
    _set(ws, row, 3, _clean_text(line.name), font=_FONT, alignment=_LEFT, border=_BORDER)
    _set(ws, row, 4, _clean_text(line.unit), font=_FONT, alignment=_CENTER, border=_BORDER)
    # STT and group are identifiers: show them plainly, not "1.234"-grouped.
    ws.cell(row=row, column=1).number_format = "0"
    if isinstance(group, int):
        ws.cell(row=row, column=2).number_format = "0"


def _style_total_row(ws: Worksheet, row: int, last: int, font: Font) -> None:
    for col in range(1, last + 1):
        cell = ws.cell(row=row, column=col)
        cell.border = _BORDER
        cell.font = font
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER if col <= 4 else _RIGHT


def _write_info_sheet(ws: Worksheet, p: ProgrammeData) -> None:
    funds = appendix_funds(p)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    _set(ws, 1, 1, "THÔNG TIN CHƯƠNG TRÌNH VÀ CÁCH ĐỌC PHỤ LỤC", font=_FONT_TITLE)
    rows: list[tuple[str, object]] = [
        (_INFO_CODE, p.code),
        ("Tên chương trình", p.title),
        ("Cấp chương trình", LEVELS.get(p.level, p.level)),
        ("Mã đơn vị hành chính", p.unit_code),
        ("Thời gian thực hiện", f"{p.start_year} - {p.end_year}"),
        ("Số quyết định phê duyệt", p.decision_number or "(văn bản nguồn chưa ghi)"),
        ("Ngày quyết định", p.decision_date or "(văn bản nguồn chưa ghi)"),
        ("Cơ quan ban hành", p.issuing_body or "(văn bản nguồn chưa ghi)"),
        ("Số dòng nội dung", len(p.lines)),
        (
            "Đơn vị tính",
            "Kinh phí ghi bằng triệu đồng (1 triệu đồng = 1.000.000 đồng), đến từng đồng: tối đa "
            "6 chữ số thập phân, ví dụ 62,5 triệu đồng = 62.500.000 đồng. Số lượng ghi theo đơn "
            "vị tính của từng dòng (cột “Đơn vị tính”).",
        ),
        (
            "Nguồn kinh phí",
            "; ".join(f"{_fund_label(f)}: {FUND_NAMES.get(f, f)}" for f in funds) + ".",
        ),
        (
            "Cách nhập lại tệp",
            "Sửa số liệu trong trang “Phụ lục” rồi tải tệp lên. Mỗi dòng nội dung cần STT (số "
            "nguyên dương, không trùng), nhóm nội dung (số 1 - 6, xem bên dưới), tên nội dung "
            "và đơn vị tính. Ô số lượng, kinh phí để trống được hiểu là 0; số ghi dạng số hoặc "
            "chữ kiểu Việt Nam (62,5; 1.500). Không ghi số âm.",
        ),
        (
            "Các dòng tổng",
            "Dòng có STT là số La Mã (I, II, ...) là tiêu đề nhóm; dòng “Tổng cộng” và các dòng "
            "“Trong đó” do hệ thống tính từ các ô, không được đọc khi nhập. Cột “Tổng số lượng” "
            "và “Tổng kinh phí” của mỗi dòng là số ghi trong văn bản: hệ thống tự cộng các ô và "
            "báo nếu khác.",
        ),
    ]
    row = 3
    for label, value in rows:
        _set(ws, row, 1, label, font=_FONT_BOLD, alignment=_LEFT, border=_BORDER)
        cell = _set(ws, row, 2, value, font=_FONT, alignment=_LEFT, border=_BORDER)
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"
        if isinstance(value, str):
            ws.row_dimensions[row].height = _row_height([(value, 100.0)])
        row += 1
    row += 1
    _set(ws, row, 1, "Nhóm nội dung", font=_FONT_BOLD, alignment=_CENTER, border=_BORDER)
    _set(ws, row, 2, "Tên nhóm nội dung", font=_FONT_BOLD, alignment=_CENTER, border=_BORDER)
    for group in CONTENT_GROUPS:
        row += 1
        _set(ws, row, 1, group.number, font=_FONT, alignment=_CENTER, border=_BORDER)
        _set(ws, row, 2, group.name, font=_FONT, alignment=_LEFT, border=_BORDER)
        ws.row_dimensions[row].height = _row_height([(group.name, 100.0)])
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


_INFO_CODE = "Mã chương trình"


def export_appendix(p: ProgrammeData) -> bytes:
    """Xuất phụ lục: the programme's appendix as the bytes of an .xlsx workbook.

    Columns are ``start_year`` … ``end_year`` × :func:`appendix_funds`; amounts are written in
    triệu đồng, exactly. Raises :class:`ValueError` (Vietnamese message) when a cell cannot be
    shown in the table: a year outside the programme, two cells for one year and fund, a number
    longer than Excel's 15 significant digits.
    """
    _check_exportable(p)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new Workbook always has its first sheet
    ws.title = SHEET_APPENDIX
    _write_appendix_sheet(ws, p)
    _write_info_sheet(wb.create_sheet(SHEET_INFO), p)
    wb.active = 0
    wb.properties.title = f"Phụ lục kinh phí - {p.title}"
    wb.properties.creator = "Khuyến công số"
    wb.properties.language = "vi-VN"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Import (nhập phụ lục)
# --------------------------------------------------------------------------------------------
@dataclass
class _Columns:
    """Where the importer found each column (1-based indexes)."""

    total_amount: int | None = None
    notes: int | None = None
    quantity: dict[tuple[int, str], int] = field(default_factory=dict)
    amount: dict[tuple[int, str], int] = field(default_factory=dict)
    last: int = 5


_FIXED_HEADERS: tuple[tuple[int, str, frozenset[str]], ...] = (
    (1, H_STT, frozenset({"stt", "số tt", "số thứ tự"})),
    (2, H_GROUP, frozenset({"nhóm nội dung", "nhóm"})),
    (3, H_NAME, frozenset({"nội dung", "nội dung hỗ trợ"})),
    (4, H_UNIT, frozenset({"đơn vị tính", "đvt"})),
    (5, H_TOTAL_QTY, frozenset({"tổng số lượng"})),
)


def _file_name(filename: str) -> str:
    return f" “{filename}”" if filename else ""


def _fail(message: str) -> AppendixImportError:
    return AppendixImportError([RowError(None, None, message)])


def _open_workbook(content: bytes, filename: str, *, data_only: bool) -> Any:
    """Open the upload read-only (rows streamed, never the whole sheet in memory) or raise one
    clear error; the archive is checked against :data:`LIMITS` before openpyxl reads it."""
    name = _file_name(filename)
    invalid = f"Tệp{name} không phải là tệp Excel .xlsx hợp lệ."
    if not content.startswith(b"PK\x03\x04"):
        if content.startswith(b"\xd0\xcf\x11\xe0"):
            # The OLE container: an old .xls, or an .xlsx encrypted with a password.
            raise _fail(
                f"{invalid} Tệp là bảng tính Excel cũ (.xls) hoặc đã đặt mật khẩu: hãy mở "
                "bằng Excel, bỏ mật khẩu nếu có và lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            )
        raise _fail(f"{invalid} Hãy tải lên tệp phụ lục đã xuất từ hệ thống (đuôi .xlsx).")
    archive = uploads.read_archive(content)
    if archive is None:
        raise _fail(f"{invalid} Tệp bị hỏng hoặc tải lên chưa hết.")
    if archive.mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _fail(f"{invalid} Tệp là bảng tính OpenDocument (.ods): hãy lưu lại dưới dạng .xlsx.")
    if "xl/workbook.xml" not in archive.names:
        raise _fail(f"{invalid} Tệp nén không chứa bảng tính Excel.")
    try:
        uploads.check_archive(archive, LIMITS, filename=filename)
    except uploads.UploadRefused as exc:
        raise _fail(str(exc)) from None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation, slicers): irrelevant here.
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many types on a broken file; all mean the same here
        raise _fail(f"{invalid} Tệp bị hỏng hoặc không phải bảng tính Excel.") from None


@dataclass
class _Sheet:
    """The appendix sheet as values, 1-based (``grid[row][col]``), formulas as their results.

    ``unknown``: (row, ref) of formula cells whose result the file does not carry (written by a
    program that cannot calculate, never opened in Excel): their value is unknown. ``info_code``
    is the programme code the sheet "Thông tin" names ("" when none).
    """

    grid: list[list[object]]
    unknown: list[tuple[int, str]]
    info_code: str
    wide: list[RowError]


def _stream(ws: Any, budget: uploads.Budget, filename: str, formulas: list[tuple[int, int]] | None):
    """Rows of a read-only sheet as value lists (at most :data:`MAX_COLUMNS`), within the limits.

    With ``formulas`` given, the position of every formula cell is appended to it."""

    def rows() -> Any:
        for number, cells in enumerate(ws.iter_rows(), start=1):
            values: list[object] = []
            for col, cell in enumerate(cells, start=1):
                if formulas is not None and cell.data_type == "f":
                    formulas.append((number, col))
                values.append(cell.value)
            yield values

    return uploads.sheet_rows(rows(), LIMITS, filename=filename, budget=budget)


def _info_code(wb: Any) -> str:
    if SHEET_INFO not in wb.sheetnames:
        return ""
    rows = wb[SHEET_INFO].iter_rows(max_row=_HEADER_SEARCH_ROWS, max_col=2, values_only=True)
    for values in rows:
        if len(values) >= 2 and _norm(values[0]) == _norm(_INFO_CODE):
            return "" if _is_empty(values[1]) else _clean_text(str(values[1]))
    return ""


def _read_sheet(content: bytes, filename: str) -> _Sheet:
    """Read the appendix sheet streaming; formula results from a second streamed pass."""
    budget = uploads.Budget(LIMITS.seconds, filename=filename)
    grid: list[list[object]] = [[]]
    wide: list[RowError] = []
    formulas: list[tuple[int, int]] = []
    wb = _open_workbook(content, filename, data_only=False)
    try:
        ws = wb[SHEET_APPENDIX] if SHEET_APPENDIX in wb.sheetnames else wb.worksheets[0]
        title = ws.title
        info_code = _info_code(wb)
        for number, values in _stream(ws, budget, filename, formulas):
            beyond = next(
                (i for i in range(MAX_COLUMNS, len(values)) if not _is_empty(values[i])), None
            )
            if beyond is not None:
                ref = f"{get_column_letter(beyond + 1)}{number}"
                wide.append(
                    RowError(
                        number,
                        None,
                        f"Dòng {number}, ô {ref}: có dữ liệu ngoài bảng phụ lục (quá cột "
                        f"{get_column_letter(MAX_COLUMNS)}): hãy xoá hoặc chuyển vào cột Ghi chú.",
                    )
                )
            blank = all(_is_empty(v) for v in values)
            grid.append([] if blank else [None, *values[:MAX_COLUMNS]])
    except uploads.UploadRefused as exc:
        raise _fail(str(exc)) from None
    except Exception:  # openpyxl fails in many ways on a damaged sheet: one message for all
        raise _fail(f"Tệp{_file_name(filename)}: không đọc được nội dung trang tính.") from None
    finally:
        wb.close()
    unknown: list[tuple[int, str]] = []
    if formulas:
        # Officials sum with formulas: their results are cached in files saved by Excel or
        # LibreOffice, which only the data_only view shows.
        wanted = {(r, c) for r, c in formulas if r < len(grid) and c <= MAX_COLUMNS}
        for r, c in wanted:
            grid[r][c] = None  # the formula's text; its result, if saved, comes next
        cached = _open_workbook(content, filename, data_only=True)
        try:
            last = max(r for r, _c in wanted) if wanted else 0
            for number, values in _stream(cached[title], budget, filename, None):
                if number > last:
                    break
                for col in range(1, len(values) + 1):
                    if (number, col) in wanted:
                        grid[number][col] = values[col - 1]
        except uploads.UploadRefused as exc:
            raise _fail(str(exc)) from None
        except Exception:
            raise _fail(f"Tệp{_file_name(filename)}: không đọc được nội dung trang tính.") from None
        finally:
            cached.close()
        for r, c in sorted(wanted):
            if grid[r][c] is None:
                unknown.append((r, f"{get_column_letter(c)}{r}"))
    return _Sheet(grid, unknown, info_code, wide)


def _value(grid: list[list[object]], row: int, col: int) -> object:
    if row >= len(grid) or col >= len(grid[row]):
        return None
    return grid[row][col]


def _parse_year(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1900 <= value <= 2200 else None
    if isinstance(value, float) and value.is_integer():
        return _parse_year(int(value))
    match = _YEAR_RE.fullmatch(_norm(value))
    return int(match.group(1)) if match else None


class _HeaderReader:
    """Finds the header (the row with "STT" in column A), maps every column, reports problems.

    The header is three rows: block labels (row ``h``), years (``h + 1``, merged over the funds
    of the year: a year is carried to the right until the next one), funds (``h + 2``). Reading
    by position rather than by merged ranges also accepts a file whose merges were lost.
    """

    def __init__(self, grid: list[list[object]], base: ProgrammeData) -> None:
        self.grid = grid
        self.base = base
        self.columns = _Columns()
        self.errors: list[RowError] = []
        self.h = next(
            (
                r
                for r in range(1, min(len(grid), _HEADER_SEARCH_ROWS + 1))
                if _norm(_value(grid, r, 1)) in _FIXED_HEADERS[0][2]
            ),
            None,
        )

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def read(self) -> int | None:
        """The header's first row (``None`` when there is none); problems in ``errors``."""
        h = self.h
        if h is None:
            self.error(
                None,
                H_STT,
                f"Không tìm thấy dòng tiêu đề của bảng (ô “{H_STT}” ở cột A) trong "
                f"{_HEADER_SEARCH_ROWS} dòng đầu của trang “{SHEET_APPENDIX}”: hãy dùng mẫu phụ "
                "lục xuất từ hệ thống.",
            )
            return None
        for col, label, accepted in _FIXED_HEADERS:
            value = _value(self.grid, h, col)
            if _norm(value) not in accepted:
                letter = get_column_letter(col)
                seen = f"tệp ghi “{_show(value)}”" if not _is_empty(value) else "ô đang để trống"
                self.error(
                    h,
                    label,
                    f"Dòng {h}: tiêu đề cột {letter} (ô {letter}{h}) phải là “{label}”, {seen}.",
                )
        before = len(self.errors)
        self.scan_blocks(h)
        self.check_years(h)
        # A missing pair is reported only when nothing else is wrong with the columns:
        # otherwise it mostly echoes a column already reported (an unreadable fund, a year).
        if len(self.errors) == before:
            self.check_pairs(h)
        return h

    def scan_blocks(self, h: int) -> None:
        columns = self.columns
        width = max(len(self.grid[r]) for r in range(h, min(h + 3, len(self.grid))))
        block: dict[tuple[int, str], int] | None = None
        block_name = ""
        year: int | None = None
        for col in range(_FIRST_DATA_COLUMN, width):
            letter = get_column_letter(col)
            top, mid, bottom = (_value(self.grid, r, col) for r in (h, h + 1, h + 2))
            label = _norm(top)
            if label:
                year, block = None, None
                if label == _norm(H_QTY):
                    block, block_name = columns.quantity, H_QTY
                elif label == _norm(H_TOTAL_AMOUNT):
                    columns.total_amount = columns.last = col
                    continue
                elif label == _norm(H_NOTES):
                    columns.notes = columns.last = col
                    continue
                elif label.startswith("kinh phí"):
                    block, block_name = columns.amount, H_AMOUNT
                    if "triệu đồng" not in label:
                        self.error(
                            h,
                            H_AMOUNT,
                            f"Dòng {h}: tiêu đề ô {letter}{h} phải là “{H_AMOUNT}”: kinh phí "
                            f"trong phụ lục ghi bằng triệu đồng, tệp ghi “{_show(top)}”.",
                        )
                else:
                    self.error(
                        h,
                        None,
                        f"Dòng {h}: tiêu đề “{_show(top)}” ở ô {letter}{h} không có trong mẫu phụ "
                        f"lục (các phần hợp lệ: “{H_QTY}”, “{H_TOTAL_AMOUNT}”, “{H_AMOUNT}”, "
                        f"“{H_NOTES}”).",
                    )
                    continue
            if block is None:
                if not (_is_empty(mid) and _is_empty(bottom)):
                    self.error(
                        h,
                        None,
                        f"Dòng {h}: cột {letter} không nằm dưới tiêu đề “{H_QTY}” hay "
                        f"“{H_AMOUNT}”: hãy giữ nguyên tiêu đề của mẫu phụ lục.",
                    )
                continue
            columns.last = col
            if not _is_empty(mid):
                year = _parse_year(mid)
                if year is None:
                    self.error(
                        h + 1,
                        block_name,
                        f"Dòng {h + 1}: ô {letter}{h + 1} ghi “{_show(mid)}”, không phải là năm "
                        "(ví dụ “Năm 2027”).",
                    )
                    continue
            if year is None:
                self.error(
                    h + 1,
                    block_name,
                    f"Dòng {h + 1}: ô {letter}{h + 1} thiếu năm của cột (ví dụ “Năm 2027”).",
                )
                continue
            fund = _FUND_ALIASES.get(_norm(bottom))
            if fund is None:
                what = f"ghi “{_show(bottom)}”" if not _is_empty(bottom) else "đang để trống"
                self.error(
                    h + 2,
                    block_name,
                    f"Dòng {h + 2}: ô {letter}{h + 2} {what}, không phải nguồn kinh phí trong "
                    f"danh mục ({', '.join(FUNDS.values())}).",
                )
            elif (year, fund) in block:
                self.error(
                    h + 2,
                    block_name,
                    f"Dòng {h + 2}: cột {letter} lặp lại năm {year}, nguồn {_fund_label(fund)} "
                    f"trong phần “{block_name}”.",
                )
            else:
                block[(year, fund)] = col

    def check_years(self, h: int) -> None:
        """Every year of the programme in both blocks, and no other year."""
        if self.columns.total_amount is None:
            self.error(h, H_TOTAL_AMOUNT, f"Thiếu cột “{H_TOTAL_AMOUNT}” trong tiêu đề (dòng {h}).")
        expected = set(self.base.years)
        for name, found in ((H_QTY, self.columns.quantity), (H_AMOUNT, self.columns.amount)):
            if not found:
                self.error(h, name, f"Thiếu phần “{name}” trong tiêu đề (dòng {h}).")
                continue
            years = {year for year, _ in found}
            for missing in sorted(expected - years):
                self.error(
                    h + 1,
                    name,
                    f"Thiếu cột năm {missing} trong tiêu đề phần “{name}” (dòng {h + 1}).",
                )
            for extra in sorted(years - expected):
                self.error(
                    h + 1,
                    name,
                    f"Cột năm {extra} trong phần “{name}” nằm ngoài thời gian thực hiện chương "
                    f"trình ({self.base.start_year} - {self.base.end_year}).",
                )

    def check_pairs(self, h: int) -> None:
        """Each year × fund needs both its quantity and its amount column."""
        quantity, amount = self.columns.quantity, self.columns.amount
        for year, fund in sorted(quantity.keys() - amount.keys()):
            self.error(
                h + 2,
                H_AMOUNT,
                f"Thiếu cột kinh phí năm {year}, nguồn {_fund_label(fund)} (có cột số lượng "
                "tương ứng).",
            )
        for year, fund in sorted(amount.keys() - quantity.keys()):
            self.error(
                h + 2,
                H_QTY,
                f"Thiếu cột số lượng năm {year}, nguồn {_fund_label(fund)} (có cột kinh phí "
                "tương ứng).",
            )


def _check_programme_code(info_code: str, base: ProgrammeData) -> list[RowError]:
    """A file exported for another programme is refused: its years may even match."""
    if not info_code or info_code == base.code:
        return []
    return [
        RowError(
            None,
            None,
            f"Tệp này là phụ lục của chương trình “{info_code[:40]}” (trang “{SHEET_INFO}”), "
            f"không phải của chương trình “{base.code}”: hãy tải lên đúng tệp, hoặc xoá trang "
            f"“{SHEET_INFO}” nếu cố ý dùng lại bảng này.",
        )
    ]


class _RowReader:
    """Reads the data rows below the header, collecting every problem."""

    def __init__(self, grid: list[list[object]], header: int, columns: _Columns) -> None:
        self.grid = grid
        self.header = header
        self.columns = columns
        self.errors: list[RowError] = []
        self.lines: list[ActivityLineData] = []
        self.orders: dict[int, int] = {}
        # Quantity and amount columns in the order of the quantity block (the export's order).
        self.year_funds = [yf for yf in columns.quantity if yf in columns.amount]

    def error(self, row: int, col: int, label: str, reason: str) -> None:
        ref = f"{get_column_letter(col)}{row}"
        self.errors.append(RowError(row, label, f"Dòng {row}, cột “{label}” (ô {ref}): {reason}"))

    def read(self) -> None:
        after_total = False
        for row in range(self.header + 3, len(self.grid)):
            values = self.grid[row][1 : self.columns.last + 1]
            if all(_is_empty(v) for v in values):
                continue
            # The label of a total row sits in A (merged over A:D); a line's A is its STT, so a
            # line named "Tổng cộng …" is never mistaken for the total row.
            label = _norm(_value(self.grid, row, 1)) or _norm(_value(self.grid, row, 3))
            if after_total:
                if label.startswith(_norm(OF_WHICH)):
                    continue
                self.errors.append(
                    RowError(
                        row,
                        None,
                        f"Dòng {row} nằm dưới dòng “{TOTAL_LABEL}”: hãy chuyển các dòng nội dung "
                        f"lên trên dòng “{TOTAL_LABEL}” hoặc xoá dòng này.",
                    )
                )
                continue
            if label.startswith(_norm(TOTAL_LABEL)):
                # Computed on export, recomputed from the lines by whoever needs it: skipped.
                after_total = True
                continue
            stt = _value(self.grid, row, 1)
            if isinstance(stt, str) and _ROMAN_RE.fullmatch(stt.strip()):
                self.read_heading(row, stt)
                continue
            self.read_line(row)

    def read_heading(self, row: int, stt: str) -> None:
        """A content-group heading row carries no figures; figures there would be lost."""
        for col in range(4, self.columns.last + 1):
            if not _is_empty(_value(self.grid, row, col)):
                self.errors.append(
                    RowError(
                        row,
                        H_STT,
                        f"Dòng {row}: STT “{stt.strip()}” (số La Mã) là dòng tiêu đề nhóm nên "
                        f"không được có số liệu (ô {get_column_letter(col)}{row}); nếu đây là "
                        "một dòng nội dung, hãy ghi STT bằng số.",
                    )
                )
                return

    def read_line(self, row: int) -> None:
        before = len(self.errors)
        order = self.read_order(row)
        group_code = self.read_group(row)
        name = self.read_text(row, 3, H_NAME, "tên nội dung hỗ trợ đang để trống.")
        unit = self.read_text(row, 4, H_UNIT, "đơn vị tính đang để trống.")
        stated_quantity = self.read_decimal(row, 5, H_TOTAL_QTY, "số lượng")
        stated_amount = None
        if self.columns.total_amount is not None:
            stated_amount = self.read_dong(row, self.columns.total_amount, H_TOTAL_AMOUNT)
        cells: list[Cell] = []
        for year, fund in self.year_funds:
            quantity = self.read_decimal(
                row,
                self.columns.quantity[(year, fund)],
                _column_label(year, fund, "số lượng"),
                "số lượng",
            )
            amount = self.read_dong(
                row, self.columns.amount[(year, fund)], _column_label(year, fund, "kinh phí")
            )
            cells.append(
                Cell(
                    year=year,
                    fund=fund,
                    quantity=quantity if quantity is not None else Decimal(0),
                    amount=amount if amount is not None else 0,
                )
            )
        notes = ""
        if self.columns.notes is not None:
            value = _value(self.grid, row, self.columns.notes)
            notes = "" if _is_empty(value) else _clean_notes(_as_text(value))
        if len(self.errors) > before or order is None or group_code is None:
            return
        self.lines.append(
            ActivityLineData(
                group_code=group_code,
                name=name,
                unit=unit,
                order=order,
                cells=tuple(cells),
                notes=notes,
                stated_total_quantity=stated_quantity,
                stated_total_amount=stated_amount,
            )
        )

    def read_order(self, row: int) -> int | None:
        value = _value(self.grid, row, 1)
        if _is_empty(value):
            self.error(row, 1, H_STT, "thiếu số thứ tự (STT) của dòng nội dung.")
            return None
        try:
            number = _read_number(value)
        except _BadCell:
            number = None
        if number is None or number != number.to_integral_value() or number < 1:
            self.error(
                row, 1, H_STT, f"“{_show(value)}” không phải là số thứ tự (số nguyên dương)."
            )
            return None
        order = int(number)
        if order in self.orders:
            self.error(row, 1, H_STT, f"số thứ tự {order} trùng với dòng {self.orders[order]}.")
            return None
        self.orders[order] = row
        return order

    def read_group(self, row: int) -> str | None:
        value = _value(self.grid, row, 2)
        if _is_empty(value):
            self.error(row, 2, H_GROUP, "thiếu nhóm nội dung: ghi một số từ 1 đến 6.")
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            match = _GROUP_RE.fullmatch(_norm(value))
            number = int(match.group(1)) if match else None
        code = f"nhom-{number}"
        if number is None or code not in CONTENT_GROUPS_BY_CODE:
            self.error(
                row,
                2,
                H_GROUP,
                f"nhóm “{_show(value)}” không có trong danh mục nhóm nội dung: ghi một số từ 1 "
                f"đến {len(CONTENT_GROUPS)} (xem trang “{SHEET_INFO}”).",
            )
            return None
        return code

    def read_text(self, row: int, col: int, label: str, missing: str) -> str:
        value = _value(self.grid, row, col)
        text = "" if _is_empty(value) else _clean_text(_as_text(value))
        if not text:
            self.error(row, col, label, missing)
        return text

    def read_decimal(self, row: int, col: int, label: str, what: str) -> Decimal | None:
        try:
            number = _read_number(_value(self.grid, row, col))
        except _BadCell as problem:
            self.error(row, col, label, problem.reason)
            return None
        if number is not None and number < 0:
            self.error(row, col, label, f"{what} không được âm ({format_vn_number(number)}).")
            return None
        if number is not None and what == "số lượng":
            try:
                bounds.QUANTITY.check(number, "Số lượng")
            except bounds.OutOfBounds as exc:
                self.error(row, col, label, str(exc))
                return None
        return number

    def read_dong(self, row: int, col: int, label: str) -> int | None:
        """An amount in triệu đồng → đồng, exactly; fractions of a đồng are refused."""
        number = self.read_decimal(row, col, label, "kinh phí")
        if number is None:
            return None
        try:
            dong = million_to_dong(number)
        except ValueError:
            self.error(
                row,
                col,
                label,
                f"{format_vn_number(number)} triệu đồng không phải là một số nguyên đồng (kinh "
                "phí ghi bằng triệu đồng, tối đa 6 chữ số thập phân).",
            )
            return None
        try:
            return int(bounds.MONEY.check(dong, "Kinh phí"))
        except bounds.OutOfBounds as exc:
            self.error(row, col, label, str(exc))
            return None


def _as_text(value: object) -> str:
    """Text of a cell that should hold text (a name, a unit): numbers written plainly."""
    if isinstance(value, float) and math.isfinite(value):
        return format(_float_to_decimal(value), "f")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _limited(errors: list[RowError]) -> list[RowError]:
    if len(errors) <= MAX_ERRORS:
        return errors
    rest = len(errors) - MAX_ERRORS
    return [
        *errors[:MAX_ERRORS],
        RowError(None, None, f"… và {rest} lỗi khác: hãy sửa các lỗi trên rồi tải lại tệp."),
    ]


def too_large_message(size: int | None = None, filename: str = "") -> str:
    """Thông báo tệp quá lớn: the sentence for an upload over :data:`MAX_UPLOAD_BYTES`.

    Views and commands that see the size before reading the bytes use it too, so that the
    official reads the same sentence wherever the limit is met.
    """
    shown = ""
    if size is not None:
        megabytes = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"))
        shown = f" ({format_vn_number(megabytes)} MB)"
    return (
        f"Tệp{_file_name(filename)} lớn hơn giới hạn {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
        f"{shown}: hãy xoá các trang, hình ảnh và định dạng thừa rồi tải lại."
    )


def import_appendix(content: bytes, *, base: ProgrammeData, filename: str = "") -> ProgrammeData:
    """Nhập phụ lục: ``base`` with its lines replaced by the lines of the uploaded .xlsx.

    All or nothing: every problem of the file is collected and raised together as
    :class:`AppendixImportError`; on success every line of the file is returned, in file order,
    with one cell per year × fund column of the file (an empty cell reads as 0), amounts in
    đồng. The line totals of the file become ``stated_total_quantity`` / ``stated_total_amount``
    (``None`` when empty); group headings, the "Tổng cộng" row and the "Trong đó" rows are
    skipped. ``filename`` only names the file in messages: the content decides what it is.
    """
    if not isinstance(content, bytes | bytearray | memoryview):
        raise TypeError("content phải là bytes của tệp tải lên.")
    content = bytes(content)
    name = _file_name(filename)
    if not content:
        raise _fail(f"Tệp{name} rỗng: hãy chọn lại tệp phụ lục.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise _fail(too_large_message(len(content), filename))
    sheet = _read_sheet(content, filename)
    grid, unknown = sheet.grid, sheet.unknown

    errors = _check_programme_code(sheet.info_code, base)
    header_reader = _HeaderReader(grid, base)
    header = header_reader.read()
    columns = header_reader.columns
    errors.extend(header_reader.errors)
    if header is None or errors:
        # Without a sound header no row can be read reliably: report the header first.
        raise AppendixImportError(_limited(errors))
    reader = _RowReader(grid, header, columns)
    for row, ref in unknown:
        if row > header + 2:
            reader.errors.append(
                RowError(
                    row,
                    None,
                    f"Dòng {row}, ô {ref}: có công thức nhưng tệp chưa lưu kết quả tính: hãy mở "
                    "tệp bằng Excel hoặc LibreOffice, lưu lại rồi tải lên.",
                )
            )
    reader.errors.extend(sheet.wide)
    reader.read()
    if reader.errors:
        raise AppendixImportError(_limited(reader.errors))
    return replace(base, lines=tuple(reader.lines))
