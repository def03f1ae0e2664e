"""Tệp mẫu nhập và tệp xuất danh sách cơ sở CNNT (.xlsx, .csv), in the template's columns.

Pure writers (openpyxl and csv, no ORM): they take establishments as objects with the model's
attributes, so an export can be edited and imported again. Cells whose text starts like a
formula (``=``, ``+``, ``-``, ``@``) are written as text, so a name such as ``=HYPERLINK(...)``
typed by someone is never run by the spreadsheet program of whoever opens the export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from khuyencong.core import xlsx

from .importing import (
    COLUMNS,
    GENDER_LABELS,
    HEADERS,
    INFO_HEADERS,
    LEGAL_FORM_LABELS,
    PRODUCT_GROUP_LABELS,
    SHEET_DATA,
    SHEET_GUIDE,
)

_HEADER_FONT = xlsx.HEADER_FONT
_HEADER_FILL = xlsx.HEADER_FILL
_WIDTHS = {
    "name": 36,
    "legal_form": 22,
    "tax_code": 16,
    "address": 30,
    "commune_code": 9,
    "product_group": 16,
    "main_products": 30,
    "owner_name": 22,
    "owner_gender": 10,
    "owner_ethnic_minority": 14,
    "employees_total": 10,
    "employees_female": 10,
    "employees_ethnic_minority": 12,
    "founded_year": 10,
    "craft_village": 20,
    "phone": 15,
    "email": 26,
}
_TEXT_COLUMNS = {"tax_code", "commune_code", "phone"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _label_of(pairs: Sequence[tuple[str, str]], value: str) -> str:
    return next((label for code, label in pairs if code == value), value)


def export_row(establishment: Any, *, with_names: bool = False) -> list[object]:
    """One establishment in the template's columns (labels, not codes, for reading)."""
    e = establishment
    row: list[object] = [
        e.name,
        _label_of(LEGAL_FORM_LABELS, e.legal_form),
        e.tax_code,
        e.address,
        e.commune.code,
        _label_of(PRODUCT_GROUP_LABELS, e.product_group),
        e.main_products,
        e.owner_name,
        _label_of(GENDER_LABELS, e.owner_gender) if e.owner_gender else "",
        "Có" if e.owner_ethnic_minority else "Không",
        e.employees_total,
        e.employees_female,
        e.employees_ethnic_minority,
        e.founded_year if e.founded_year is not None else "",
        e.craft_village,
        e.phone,
        e.email,
    ]
    if with_names:
        province = e.commune.parent
        row += [e.commune.name, province.name if province is not None else ""]
    return row


def _headers(with_names: bool) -> list[str]:
    return [*HEADERS, *(INFO_HEADERS if with_names else ())]


def _safe_csv(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_DANGEROUS) and not _looks_like_phone(text):
        return "'" + text
    return text


def _looks_like_phone(text: str) -> bool:
    return text.startswith("+") and all(ch.isdigit() or ch in " .-()" for ch in text[1:])


def establishments_csv_chunks(
    establishments: Iterable[Any], *, with_names: bool = False
) -> Iterator[bytes]:
    """CSV, comma-separated, UTF-8 with BOM (so Excel shows Vietnamese correctly), produced a
    block of rows at a time (a streamed download keeps memory constant)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(_headers(with_names))
    for count, establishment in enumerate(establishments, start=1):
        writer.writerow([_safe_csv(v) for v in export_row(establishment, with_names=with_names)])
        if count % 1000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def establishments_csv(establishments: Iterable[Any], *, with_names: bool = False) -> bytes:
    return b"".join(establishments_csv_chunks(establishments, with_names=with_names))


def _style_header(ws: Any, count: int) -> None:
    xlsx.style_header(ws, count, freeze="B2")


def _set_widths(ws: Any, with_names: bool) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        dimension = ws.column_dimensions[get_column_letter(index)]
        dimension.width = _WIDTHS[column.key]
        if column.key in _TEXT_COLUMNS:
            dimension.number_format = "@"  # new cells typed here stay text (keep leading zeros)
    if with_names:
        for offset in range(len(INFO_HEADERS)):
            ws.column_dimensions[get_column_letter(len(COLUMNS) + 1 + offset)].width = 24


def establishments_xlsx_writer(
    establishments: Iterable[Any], *, with_names: bool = False
) -> xlsx.ListWriter:
    """The establishments in the template's layout (sheet "Danh sách cơ sở"), written in
    constant memory (:class:`core.xlsx.ListWriter`); ``.save(file)`` or ``.bytes()``."""
    headers = _headers(with_names)
    widths = [_WIDTHS[c.key] for c in COLUMNS] + [24] * (len(headers) - len(COLUMNS))
    text = frozenset(i for i, c in enumerate(COLUMNS) if c.key in _TEXT_COLUMNS)
    writer = xlsx.ListWriter(SHEET_DATA, headers, widths, text=text, freeze="B2")
    return writer.extend(export_row(e, with_names=with_names) for e in establishments)


def establishments_xlsx(establishments: Iterable[Any], *, with_names: bool = False) -> bytes:
    return establishments_xlsx_writer(establishments, with_names=with_names).bytes()


_save = xlsx.workbook_bytes


def template_xlsx() -> bytes:
    """Tệp mẫu nhập: row 1 holds exactly the 17 headers; the sheet "Hướng dẫn" explains them."""
    with translation.override(None):
        return _template()


def _template() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_DATA
    ws.append(list(HEADERS))
    _style_header(ws, len(HEADERS))
    _set_widths(ws, with_names=False)
    last = 5001
    positions = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    lists = {
        "legal_form": ",".join(label for _value, label in LEGAL_FORM_LABELS),
        "product_group": "1,2,3,4",
        "owner_gender": ",".join(label for _value, label in GENDER_LABELS),
        "owner_ethnic_minority": "Có,Không",
    }
    for key, items in lists.items():
        # A drop-down list to help; typing another accepted form is still allowed.
        validation = DataValidation(type="list", formula1=f'"{items}"', allow_blank=True)
        validation.showErrorMessage = False
        validation.add(f"{positions[key]}2:{positions[key]}{last}")
        ws.add_data_validation(validation)

    guide = wb.create_sheet(SHEET_GUIDE)
    guide.append(["Hướng dẫn điền danh sách cơ sở công nghiệp nông thôn"])
    guide["A1"].font = Font(bold=True, size=13)
    notes = [
        "Điền mỗi cơ sở một dòng ở trang “Danh sách cơ sở”, bắt đầu từ dòng 2; giữ nguyên "
        "dòng 1 (tên các cột).",
        "Việc nhập là tất cả hoặc không: nếu tệp có lỗi, hệ thống liệt kê mọi lỗi theo số dòng "
        "và cột, không nhập cơ sở nào; sửa xong thì tải lên lại cả tệp.",
        "Không nhập trùng: hai dòng cùng mã số thuế, hoặc cùng tên trong cùng một xã (không "
        "phân biệt dấu và chữ hoa), hay trùng với cơ sở đã có trong hệ thống đều bị báo lỗi.",
        "Có thể lưu thành tệp .csv (chọn “CSV UTF-8”); dấu phân cách là dấu phẩy hoặc dấu chấm "
        "phẩy.",
    ]
    for note in notes:
        guide.append([note])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Giá trị được chấp nhận", "Ví dụ"])
    header_row = guide.max_row
    for cell in guide[header_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for column in COLUMNS:
        guide.append(
            [column.header, "Có" if column.required else "Không", column.allowed, column.example]
        )
    guide.append([])
    guide.append(["Loại hình", "Mã viết tắt"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for value, label in LEGAL_FORM_LABELS:
        guide.append([label, value.upper()])
    guide.append([])
    guide.append(["Nhóm sản phẩm", "Số"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for value, label in PRODUCT_GROUP_LABELS:
        guide.append([label, value])
    for letter, width in (("A", 36), ("B", 12), ("C", 90), ("D", 28)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in guide["D"]:
        cell.number_format = "@"
    wb.active = 0
    return _save(wb)
