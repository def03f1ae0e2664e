"""Reading an uploaded table (.xlsx or .csv) against a template: the part of every import that
knows nothing of what the rows are (bảng nhập). No ORM, no HTTP.

An import (``registry.importing`` for establishments, ``accounts.importing`` for officers) names
its :class:`Template` — the columns with their headers, the data sheet, what one row is — and
runs three steps: :func:`read_table` here (the file: type from the content, size, header),
then its own reading of the cells (with :class:`~khuyencong.core.cells.RowReader` and the
converters of ``core/cells.py``), then its
own rules against the database. One error anywhere stops the whole import.

- **Row numbers are spreadsheet row numbers**: the header is row 1, the first record row 2, as
  Excel and LibreOffice show them; a CSV file is numbered the same way. Empty rows are skipped
  but keep their place in the numbering.
- **Columns are found by their header**, compared without case, accents or extra spaces, so
  their order does not matter. Every column of the template must be there; an unknown column is
  an error (usually a mistyped header whose data would otherwise be lost silently), except the
  template's ``ignored`` ones (informational columns an export adds).
- The size, archive, row and time limits are the template's :class:`~khuyencong.core.uploads.
  UploadLimits` (``core/uploads.py``, the one upload guard): an .xlsx that declares too many
  members or inflated bytes is refused before it is read; rows are streamed, a long run of blank
  rows ends the table. Formula cells are read through the values Excel saved with them.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from khuyencong.core import uploads
from khuyencong.core.text import fold, nfc

MAX_ERRORS = 200
"""The upload page (and a background job) keeps this many errors; the count is always given."""

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a template: its field, its header and what it accepts."""

    key: str
    header: str
    required: bool
    allowed: str
    example: str
    max_length: int = 0


@dataclass(frozen=True)
class Template:
    """What a file must look like: ``columns`` in row 1 of the sheet named ``sheet`` (else the
    first sheet); ``item`` names one row in messages ("cơ sở"), ``title`` the whole list
    ("danh sách cơ sở"); headers in ``ignored`` are read past; ``limits`` bound the file."""

    columns: tuple[Column, ...]
    sheet: str
    item: StrOrPromise
    title: StrOrPromise
    limits: uploads.UploadLimits
    ignored: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def by_folded_header(self) -> dict[str, Column]:
        return {fold(c.header): c for c in self.columns}

    @cached_property
    def ignored_folded(self) -> frozenset[str]:
        return frozenset(fold(h) for h in self.ignored)


# --------------------------------------------------------------------------------------------
# Errors and the rows read
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    """Lỗi nhập: ``row`` as the spreadsheet shows it (``None``: the whole file), ``column`` the
    template header (``None``: the whole row or file), ``message`` a Vietnamese sentence naming
    both and saying what to fix."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowError:
        return cls(data.get("row"), data.get("column"), str(data.get("message", "")))


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, header): nothing was imported."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors: list[RowError] = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))


@dataclass
class Table:
    """The file's rows, raw: ``rows`` are (spreadsheet row number, values by column key)."""

    kind: str  # "xlsx" | "csv"
    filename: str
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    complete: bool = True  # False: a preview stopped after its rows, the file holds more

    @property
    def row_count(self) -> int:
        return len(self.rows)


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------
def file_label(filename: str) -> str:
    return f" “{filename}”" if filename else ""


def _megabytes(size: int) -> str:
    value = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"))
    return f"{value}".replace(".", ",")


def too_large_message(size: int | None, filename: str, limits: uploads.UploadLimits) -> str:
    """The sentence for a file over the limit (views check the size first)."""
    shown = f" ({_megabytes(size)} MB)" if size is not None else ""
    return _(
        "Tệp%(name)s%(size)s lớn hơn giới hạn %(limit)s MB: hãy chia danh sách thành nhiều tệp "
        "nhỏ hơn rồi nhập lần lượt."
    ) % {"name": file_label(filename), "size": shown, "limit": limits.max_bytes // (1024 * 1024)}


def fail(message: str) -> ImportFileError:
    return ImportFileError([RowError(None, None, message)])


def cell_error(row: int, column: Column, reason: str) -> RowError:
    return RowError(
        row,
        column.header,
        _("Dòng %(row)s, cột “%(column)s”: %(reason)s")
        % {"row": row, "column": column.header, "reason": reason},
    )


def limited(errors: Sequence[RowError], limit: int = MAX_ERRORS) -> list[RowError]:
    """The first ``limit`` errors (the count of all of them is shown beside)."""
    return list(errors[:limit])


def sort_errors(errors: Iterable[RowError], template: Template) -> list[RowError]:
    """File errors first, then by row, then in the template's column order."""
    order = {c.header: i for i, c in enumerate(template.columns)}
    return sorted(errors, key=lambda e: (e.row or 0, order.get(e.column or "", -1)))


# --------------------------------------------------------------------------------------------
# Step 1: the file
# --------------------------------------------------------------------------------------------
def clean(value: str) -> str:
    return " ".join(nfc(_ILLEGAL.sub(" ", value)).split())


def show(value: object) -> str:
    """A cell's value for a message, cut at 40 characters."""
    shown = text(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


def read_table(
    content: bytes,
    filename: str,
    template: Template,
    *,
    preview: int = 0,
    budget: uploads.Budget | None = None,
) -> Table:
    """Đọc tệp: decide the type from the content, check size and header, return the rows.

    Raises :class:`ImportFileError` with every problem of the header at once. ``preview`` > 0
    reads only that many rows with data (``complete`` says whether the file has more); reading
    stops when ``budget`` (default: the template's limits) is spent.
    """
    budget = budget or uploads.Budget(template.limits.seconds, filename=filename)
    try:
        return _read_table(content, filename, template, preview, budget)
    except uploads.UploadRefused as exc:
        raise fail(str(exc)) from None


def _read_table(
    content: bytes, filename: str, template: Template, preview: int, budget: uploads.Budget
) -> Table:
    name = file_label(filename)
    if not content:
        raise fail(
            _("Tệp%(name)s rỗng: hãy chọn lại tệp %(title)s.")
            % {"name": name, "title": template.title}
        )
    if len(content) > template.limits.max_bytes:
        raise fail(too_large_message(len(content), filename, template.limits))
    reading = _Reading(filename, template, preview, budget)
    if content.startswith(_ZIP):
        return _read_xlsx(content, reading)
    if content.startswith(_OLE):
        raise fail(
            _(
                "Tệp%(name)s là bảng tính Excel cũ (.xls) hoặc đã đặt mật khẩu: hãy mở bằng "
                "Excel, bỏ mật khẩu nếu có và lưu lại dưới dạng “Excel Workbook (.xlsx)”."
            )
            % {"name": name}
        )
    not_a_table = _(
        "Tệp%(name)s không phải bảng tính .xlsx hay tệp .csv (UTF-8): hãy tải lên tệp mẫu đã "
        "điền (đuôi .xlsx) hoặc bảng tính lưu dưới dạng “CSV UTF-8”."
    ) % {"name": name}
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        # A real workbook is always a zip: this one was renamed or is damaged.
        raise fail(not_a_table)
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if filename.lower().endswith((".csv", ".txt")) and b"\x00" not in content:
            raise fail(
                _(
                    "Tệp%(name)s không ở mã UTF-8 nên chữ tiếng Việt sẽ bị hỏng: trong Excel "
                    "chọn “Lưu thành” → “CSV UTF-8 (Comma delimited) (*.csv)” rồi tải lên lại."
                )
                % {"name": name}
            ) from None
        raise fail(not_a_table) from None
    if "\x00" in decoded:
        raise fail(not_a_table)
    return _read_csv(decoded, reading)


@dataclass(frozen=True)
class _Reading:
    """What every step of reading one file needs."""

    filename: str
    template: Template
    preview: int
    budget: uploads.Budget


def _read_xlsx(content: bytes, reading: _Reading) -> Table:
    filename = reading.filename
    invalid = _("Tệp%(name)s không phải là tệp Excel .xlsx hợp lệ") % {"name": file_label(filename)}
    archive = uploads.read_archive(content)
    if archive is None:
        raise fail(_("%(invalid)s: tệp bị hỏng hoặc tải lên chưa hết.") % {"invalid": invalid})
    if archive.mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise fail(
            _("%(invalid)s: đây là bảng tính OpenDocument (.ods), hãy lưu lại dưới dạng .xlsx.")
            % {"invalid": invalid}
        )
    if "xl/workbook.xml" not in archive.names:
        raise fail(_("%(invalid)s: tệp nén không chứa bảng tính Excel.") % {"invalid": invalid})
    uploads.check_archive(archive, reading.template.limits, filename=filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dropped features (data validation): irrelevant
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on a broken file; all mean the same here
        raise fail(
            _("%(invalid)s: tệp bị hỏng hoặc không phải bảng tính Excel.") % {"invalid": invalid}
        ) from None
    try:
        if reading.template.sheet in workbook.sheetnames:
            sheet = workbook[reading.template.sheet]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise fail(_("%(invalid)s: tệp không có trang tính nào.") % {"invalid": invalid})
        try:
            return _table("xlsx", sheet.iter_rows(values_only=True), reading)
        except (ImportFileError, uploads.UploadRefused):
            raise
        except Exception:
            raise fail(
                _("%(invalid)s: không đọc được nội dung trang tính.") % {"invalid": invalid}
            ) from None
    finally:
        workbook.close()


def _read_csv(decoded: str, reading: _Reading) -> Table:
    first_line = decoded.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
        return _table("csv", reader, reading)
    except csv.Error as exc:
        raise fail(
            _("Tệp CSV%(name)s bị lỗi định dạng (%(detail)s): hãy lưu lại bằng Excel rồi tải lên.")
            % {"name": file_label(reading.filename), "detail": exc}
        ) from None


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_name(kind: str, index: int) -> str:
    if kind == "xlsx":
        return _("cột %(letter)s") % {"letter": get_column_letter(index + 1)}
    return _("cột thứ %(n)s") % {"n": index + 1}


def _table(kind: str, raw_rows: Iterable[Sequence[object]], reading: _Reading) -> Table:
    rows = iter(raw_rows)
    header = next(rows, None)
    template = reading.template
    positions = _read_header(kind, list(header or ()), template)
    table = Table(kind=kind, filename=reading.filename)
    for number, values in uploads.sheet_rows(
        rows, template.limits, filename=reading.filename, budget=reading.budget, first=2
    ):
        if all(is_empty(v) for v in values):
            continue
        if reading.preview and len(table.rows) == reading.preview:
            table.complete = False
            break
        width = len(values)
        table.rows.append(
            (number, {key: values[i] if i < width else None for key, i in positions.items()})
        )
    if not table.rows:
        raise fail(
            _(
                "Tệp%(name)s không có dòng dữ liệu nào dưới dòng tiêu đề: hãy điền mỗi %(item)s "
                "một dòng, bắt đầu từ dòng 2."
            )
            % {"name": file_label(reading.filename), "item": template.item}
        )
    return table


def _read_header(kind: str, cells: list[object], template: Template) -> dict[str, int]:
    """Map each template column to its position in the header row (row 1)."""
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if is_empty(cell):
            continue
        key = fold(text(cell)).rstrip(" *:")
        if key in template.ignored_folded:
            continue
        column = template.by_folded_header.get(key)
        where = _column_name(kind, index)
        if column is None:
            errors.append(
                RowError(
                    1,
                    None,
                    _(
                        "Dòng 1 (tiêu đề), %(where)s: “%(value)s” không phải tên cột của mẫu: "
                        "hãy sửa tên cột cho đúng mẫu hoặc xóa cột này."
                    )
                    % {"where": where, "value": show(cell)},
                )
            )
        elif column.key in positions:
            errors.append(
                RowError(
                    1,
                    column.header,
                    _(
                        "Dòng 1 (tiêu đề): cột “%(column)s” xuất hiện hai lần (%(first)s và "
                        "%(second)s): hãy xóa một cột."
                    )
                    % {
                        "column": column.header,
                        "first": _column_name(kind, positions[column.key]),
                        "second": where,
                    },
                )
            )
        else:
            positions[column.key] = index
    missing = [c.header for c in template.columns if c.key not in positions]
    if missing:
        if len(missing) == len(template.columns):
            raise fail(
                _(
                    "Dòng 1 của tệp không phải dòng tiêu đề của mẫu %(title)s. Hãy tải tệp mẫu "
                    "từ hệ thống và giữ nguyên dòng 1 với %(n)s cột: %(headers)s."
                )
                % {
                    "title": template.title,
                    "n": len(template.columns),
                    "headers": ", ".join(f"“{h}”" for h in template.headers),
                }
            )
        errors.extend(
            RowError(
                1,
                header,
                _(
                    "Dòng 1 (tiêu đề): thiếu cột “%(column)s”. Hãy thêm cột này (có thể để trống "
                    "nếu không bắt buộc) hoặc dùng tệp mẫu tải từ hệ thống."
                )
                % {"column": header},
            )
            for header in missing
        )
    if errors:
        raise ImportFileError(errors)
    return positions


# --------------------------------------------------------------------------------------------
# A cell as text (step 2, the converters, is core.cells)
# --------------------------------------------------------------------------------------------
def text(value: object) -> str:
    """A cell as one line of text: numbers written plainly, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))
