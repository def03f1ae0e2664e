"""Biểu tổng hợp Mẫu 2 (.xlsx): one row per proposed project, amounts in triệu đồng.

Pure over :class:`~khuyencong.planning.presentation.PlanSheet` (openpyxl, no ORM). Layout::

    UBND TỈNH ...                                                    Mẫu 2
    SỞ CÔNG THƯƠNG
            TỔNG HỢP KẾ HOẠCH KHUYẾN CÔNG QUỐC GIA NĂM 2027
                       (dự thảo / kèm theo quyết định ...)
                                                     Đơn vị tính: triệu đồng
    STT | Tên đề án | Đơn vị thực hiện | Đơn vị thụ hưởng | Địa điểm | Nội dung |
        Tổng kinh phí | Trong đó: KCQG [| KCĐP] | Đối ứng | Khác | Thời gian thực hiện
    (1)   (2) ...
    rows ...
    Tổng cộng

Totals are written as numbers, not formulas (openpyxl cannot compute them: a viewer that does
not recalculate would show an empty cell). Amounts are exact decimals of triệu đồng with the
Vietnamese number format, as in the programme appendix export.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from khuyencong.core.formatting import format_date

from .presentation import PlanSheet

MILLION = Decimal(1_000_000)
_FONT_NAME = "Times New Roman"
_FONT = Font(name=_FONT_NAME, size=11)
_BOLD = Font(name=_FONT_NAME, size=11, bold=True)
_ITALIC = Font(name=_FONT_NAME, size=11, italic=True)
_TITLE = Font(name=_FONT_NAME, size=13, bold=True)
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_FMT_WHOLE = "[$-42A]#,##0_)"
_FMT_FRACTION = "[$-42A]#,##0.0#####_)"

SHEET_TITLE = "Mẫu 2"


def _million(amount: int) -> int | Decimal:
    value = Decimal(amount) / MILLION
    return int(value) if value == value.to_integral_value() else value.normalize()


def _set(ws: Worksheet, row: int, column: int, value: Any, **style: Any) -> Any:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # a name starting with "=" stays text
    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
        cell.value = value if isinstance(value, int) else float(value)
        cell.number_format = _FMT_WHOLE if isinstance(value, int) else _FMT_FRACTION
    else:
        cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _columns(sheet: PlanSheet) -> list[tuple[str, str, float]]:
    """(key, header, width) of every column, in order."""
    columns = [
        ("stt", "STT", 5.0),
        ("name", "Tên đề án", 34.0),
        ("implementing_unit", "Đơn vị thực hiện", 22.0),
        ("beneficiary", "Đơn vị thụ hưởng", 22.0),
        ("location", "Địa điểm thực hiện", 16.0),
        ("content", "Nội dung hỗ trợ", 22.0),
        ("total_cost", "Tổng kinh phí", 11.0),
    ]
    if sheet.show_kcqg_column:
        columns.append(("kcqg", "Kinh phí KCQG", 11.0))
    if sheet.show_kcdp_column:
        columns.append(("kcdp", "Kinh phí KCĐP", 11.0))
    columns += [
        ("counterpart", "Vốn đối ứng", 11.0),
        ("other", "Nguồn khác", 10.0),
        ("timing", "Thời gian thực hiện", 14.0),
    ]
    return columns


MONEY_KEYS = ("total_cost", "kcqg", "kcdp", "counterpart", "other")


def subtitle(sheet: PlanSheet) -> str:
    if sheet.is_approved and sheet.decision_number and sheet.decision_date:
        return (
            f"(Kèm theo Quyết định số {sheet.decision_number} "
            f"ngày {format_date(sheet.decision_date)})"
        )
    revision = f", điều chỉnh lần {sheet.revision}" if sheet.revision else ""
    return f"({sheet.status_label}{revision})"


def plan_xlsx(sheet: PlanSheet) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = SHEET_TITLE
    columns = _columns(sheet)
    last = len(columns)
    index = {key: i + 1 for i, (key, _h, _w) in enumerate(columns)}
    for i, (_key, _header, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    # Title block.
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    _set(ws, 1, 1, f"UBND {sheet.province.upper()}", font=_FONT, alignment=_CENTER)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    _set(ws, 2, 1, "SỞ CÔNG THƯƠNG", font=_BOLD, alignment=_CENTER)
    _set(ws, 1, last, SHEET_TITLE, font=Font(name=_FONT_NAME, size=11, bold=True, italic=True))
    ws.cell(row=1, column=last).alignment = _RIGHT
    title = f"TỔNG HỢP KẾ HOẠCH KHUYẾN CÔNG {sheet.fund_kind.upper()} NĂM {sheet.year}"
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=last)
    _set(ws, 4, 1, title, font=_TITLE, alignment=_CENTER)
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=last)
    _set(
        ws, 5, 1, f"{sheet.province[0].upper()}{sheet.province[1:]}", font=_BOLD, alignment=_CENTER
    )
    ws.merge_cells(start_row=6, start_column=1, end_row=6, end_column=last)
    _set(ws, 6, 1, subtitle(sheet), font=_ITALIC, alignment=_CENTER)
    ws.merge_cells(start_row=7, start_column=last - 2, end_row=7, end_column=last)
    _set(ws, 7, last - 2, "Đơn vị tính: triệu đồng", font=_ITALIC, alignment=_RIGHT)

    # Header: two rows, "Trong đó" spanning the sources; then the column numbers.
    head1, head2, numbers = 8, 9, 10
    first_source = index["total_cost"] + 1
    last_source = index["other"]
    for key, header, _width in columns:
        col = index[key]
        if first_source <= col <= last_source:
            _set(ws, head2, col, header, font=_BOLD, alignment=_CENTER)
        else:
            ws.merge_cells(start_row=head1, start_column=col, end_row=head2, end_column=col)
            _set(ws, head1, col, header, font=_BOLD, alignment=_CENTER)
    ws.merge_cells(
        start_row=head1, start_column=first_source, end_row=head1, end_column=last_source
    )
    _set(ws, head1, first_source, "Trong đó", font=_BOLD, alignment=_CENTER)
    for col in range(1, last + 1):
        _set(ws, numbers, col, f"({col})", font=_ITALIC, alignment=_CENTER)
        for row in (head1, head2, numbers):
            ws.cell(row=row, column=col).border = _BORDER
            ws.cell(row=row, column=col).fill = _HEADER_FILL
    ws.row_dimensions[head2].height = 30

    # One row per proposed project.
    row = numbers + 1
    for item in sheet.rows:
        values: dict[str, Any] = {
            "stt": item.number,
            "name": item.name,
            "implementing_unit": item.implementing_unit,
            "beneficiary": item.beneficiary,
            "location": item.location,
            "content": item.content,
            "timing": item.timing,
        }
        for key in MONEY_KEYS:
            values[key] = _million(getattr(item, key))
        for key, _header, _width in columns:
            col = index[key]
            value = values[key]
            style = _RIGHT if key in MONEY_KEYS else _CENTER if key == "stt" else _LEFT
            _set(ws, row, col, value, font=_FONT, alignment=style, border=_BORDER)
        longest = max(len(item.name) / 32, len(item.beneficiary) / 20, len(item.content) / 20)
        ws.row_dimensions[row].height = max(15.0, 15.0 * (int(longest) + 1))
        row += 1

    # Total row.
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=index["content"])
    _set(ws, row, 1, "Tổng cộng", font=_BOLD, alignment=_CENTER)
    totals = {
        "total_cost": sheet.total.total_cost,
        "kcqg": sheet.total.kcqg,
        "kcdp": sheet.total.kcdp,
        "counterpart": sheet.total.counterpart,
        "other": sheet.total.other,
    }
    for col in range(1, last + 1):
        ws.cell(row=row, column=col).border = _BORDER
    for key, amount in totals.items():
        if key in index:
            _set(ws, row, index[key], _million(amount), font=_BOLD, alignment=_RIGHT)

    # Signatures.
    row += 2
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    _set(ws, row, 1, "NGƯỜI LẬP BIỂU", font=_BOLD, alignment=_CENTER)
    ws.merge_cells(start_row=row, start_column=last - 3, end_row=row, end_column=last)
    _set(ws, row, last - 3, "THỦ TRƯỞNG ĐƠN VỊ", font=_BOLD, alignment=_CENTER)
    ws.merge_cells(start_row=row + 1, start_column=last - 3, end_row=row + 1, end_column=last)
    _set(ws, row + 1, last - 3, "(Ký, ghi rõ họ tên, đóng dấu)", font=_ITALIC, alignment=_CENTER)

    # Printing: A4 landscape, one page wide, the header repeated.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head1}:{numbers}"
    ws.print_area = f"A1:{get_column_letter(last)}{row + 1}"
    # A coordinate, not a cell: with no project row that cell lies in the merged total row.
    ws.freeze_panes = f"C{numbers + 1}"
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.4

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
