"""Nhập danh sách cơ sở CNNT từ .xlsx hoặc .csv: reading and checking a file, without the ORM.

The service (``services.import_establishments``) runs three steps, the first two of which live
here and touch no database:

1. :func:`read_table` — what the file is (decided from its content, not its name), its size and
   its header row. Problems of the whole file raise :class:`ImportFileError`.
2. :func:`parse_rows` — every cell of every row read into an :class:`EstablishmentRow`, each bad
   cell reported as a :class:`RowError`.
3. :func:`check_rows` — the rules that need the registry, given as a :class:`RegistryContext`
   the service fills: the commune exists and is current, it lies in the user's scope, and no
   establishment appears twice (same tax code, or same name in the same commune) in the file or
   against the registry. Duplicates are errors, never merged.

Decisions worth knowing:

- **Row numbers are spreadsheet row numbers**: the header is row 1, the first establishment is
  row 2, as Excel and LibreOffice show them. A CSV file is numbered the same way (record 1 is the
  header), so an official opening the CSV in Excel finds the row the message names. Empty rows
  are skipped but keep their place in the numbering.
- **Columns are found by their header**, compared without case, accents or extra spaces
  (``"ma xa"`` is ``"Mã xã"``), so their order does not matter. All 17 columns of the template
  must be there; a column the template does not have is an error (it is usually a mistyped
  header, whose data would otherwise be lost silently). The two informational columns of an
  export (:data:`INFO_HEADERS`) are ignored, so an export can be edited and imported again.
- **Numbers Excel has mangled**: a tax code or commune code typed in a numeric cell loses its
  leading zero. A commune code has a fixed width (5 digits), so it is padded back; a tax code
  has no single width, so a 9- or 11-digit number is refused with the fix (format the column as
  Text). A phone number in a numeric cell gets its leading 0 back (Vietnamese numbers dialled
  inside the country all start with 0).
- Values are accepted in the forms people type: "Loại hình" by label or code ("HTX",
  "hop tac xa"), "Nhóm sản phẩm" by number or name, yes/no as Có/Không/x/1/0 (empty = Không),
  whole numbers with or without thousands separators ("1.200").
- Formula cells are read through the values Excel saved with them (``data_only``).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from khuyencong.core import bounds, uploads
from khuyencong.core.text import fold, nfc

from . import validation
from .identifiers import IdentifierError, normalise_identifier
from .models import Gender, LegalForm, ProductGroup

__all__ = [
    "BACKGROUND_THRESHOLD",
    "COLUMNS",
    "HEADERS",
    "INFO_HEADERS",
    "MAX_ERRORS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "SHEET_DATA",
    "CommuneRef",
    "EstablishmentRow",
    "ImportFileError",
    "RegistryContext",
    "RowError",
    "Table",
    "check_rows",
    "limited",
    "parse_rows",
    "read_table",
    "too_large_message",
]

LIMITS = uploads.REGISTRY_IMPORT
"""Size, archive, row and time limits of the file (``core/uploads.py`` says why)."""

MAX_UPLOAD_BYTES = LIMITS.max_bytes
MAX_ROWS = LIMITS.max_rows
"""Most rows one file may hold: a province's whole registry fits; more is split into files."""

MAX_ERRORS = 200
"""The upload page and the job keep this many errors; the total count is always given."""

BACKGROUND_THRESHOLD = 2_000
"""Files with more rows than this are imported by the task worker, with a progress page."""

SHEET_DATA = "Danh sách cơ sở"
SHEET_GUIDE = "Hướng dẫn"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+")
_DATE_TEXT = re.compile(r"(?:\d{1,2}[/.-])?(?:\d{1,2}[/.-])?(\d{4})")


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of the template: its field, its header and what it accepts."""

    key: str
    header: str
    required: bool
    allowed: str
    example: str
    max_length: int = 0


def _labels(choices: Any) -> list[tuple[str, str]]:
    """(value, Vietnamese label) of a TextChoices, whatever language is active."""
    with translation.override(None):
        return [(value, str(label)) for value, label in choices.choices]


LEGAL_FORM_LABELS = _labels(LegalForm)
PRODUCT_GROUP_LABELS = _labels(ProductGroup)
GENDER_LABELS = _labels(Gender)

COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "Tên cơ sở",
        True,
        "Tên đầy đủ của cơ sở, tối đa 255 ký tự.",
        "Hợp tác xã chè Chiềng Sơn",
        255,
    ),
    Column(
        "legal_form",
        "Loại hình",
        True,
        "Một trong: "
        + "; ".join(f"{label} ({value.upper()})" for value, label in LEGAL_FORM_LABELS)
        + ". Gõ tên hoặc chữ viết tắt, có dấu hay không dấu đều được.",
        "Hợp tác xã",
    ),
    Column(
        "tax_code",
        "Mã số thuế",
        False,
        "Mã số thuế 10 chữ số; chi nhánh 10 chữ số-3 chữ số (0101234567-001); số định danh "
        "cá nhân 12 chữ số của chủ hộ kinh doanh; hoặc số đăng ký hộ kinh doanh (14A8000123). "
        "Để trống nếu chưa có. Giữ định dạng ô là Văn bản để không mất số 0 ở đầu.",
        "5500123456",
        20,
    ),
    Column("address", "Địa chỉ", False, "Thôn/bản, số nhà, đường.", "Bản Áng, Xã Chiềng Sơn", 255),
    Column(
        "commune_code",
        "Mã xã",
        True,
        "Mã 5 chữ số của xã/phường/đặc khu đang hiệu lực (sau ngày 01/7/2025), tra ở trang "
        "“Đơn vị”. Chỉ được nhập cơ sở của các xã trong phạm vi của bạn.",
        "03985",
    ),
    Column(
        "product_group",
        "Nhóm sản phẩm",
        True,
        "Số hoặc tên nhóm: "
        + "; ".join(f"{value} – {label}" for value, label in PRODUCT_GROUP_LABELS)
        + ".",
        "2",
    ),
    Column(
        "main_products",
        "Sản phẩm chính",
        False,
        "Các sản phẩm chính, cách nhau bởi dấu phẩy.",
        "Chè Shan tuyết, chè xanh",
        255,
    ),
    Column(
        "owner_name",
        "Chủ cơ sở",
        False,
        "Họ và tên chủ cơ sở hoặc người đại diện.",
        "Lò Thị Hoa",
        150,
    ),
    Column(
        "owner_gender",
        "Giới tính chủ cơ sở",
        False,
        "Nam, Nữ hoặc Khác; để trống nếu không rõ.",
        "Nữ",
    ),
    Column(
        "owner_ethnic_minority",
        "Chủ cơ sở là người dân tộc thiểu số",
        False,
        "Có hoặc Không (cũng nhận x, 1, 0); để trống là Không.",
        "Có",
    ),
    Column("employees_total", "Tổng lao động", False, "Số nguyên không âm; để trống là 0.", "25"),
    Column(
        "employees_female",
        "Lao động nữ",
        False,
        "Số nguyên không âm, không lớn hơn tổng lao động.",
        "18",
    ),
    Column(
        "employees_ethnic_minority",
        "Lao động dân tộc thiểu số",
        False,
        "Số nguyên không âm, không lớn hơn tổng lao động.",
        "20",
    ),
    Column(
        "founded_year", "Năm thành lập", False, "Năm có 4 chữ số; để trống nếu không rõ.", "2015"
    ),
    Column(
        "craft_village",
        "Làng nghề",
        False,
        "Tên làng nghề được công nhận mà cơ sở thuộc về; để trống nếu không.",
        "",
        200,
    ),
    Column("phone", "Điện thoại", False, "Số điện thoại, giữ số 0 ở đầu.", "0912345678", 30),
    Column("email", "Email", False, "Địa chỉ thư điện tử.", "htxchechiengson@gmail.com", 254),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

INFO_HEADERS: tuple[str, ...] = ("Tên xã/phường", "Tỉnh/thành phố")
"""Columns an export adds for reading; the importer ignores them."""

_HEADER_KEYS = {fold(c.header): c for c in COLUMNS}
_IGNORED_HEADERS = {fold(h) for h in INFO_HEADERS}


def _aliases(pairs: Iterable[tuple[str, str]], extra: Mapping[str, str]) -> dict[str, str]:
    table = {fold(value): value for value, _label in pairs}
    table.update({fold(label): value for value, label in pairs})
    table.update({fold(k): v for k, v in extra.items()})
    return table


_LEGAL_FORMS = _aliases(
    LEGAL_FORM_LABELS,
    {
        "DN": LegalForm.SME,
        "DNNVV": LegalForm.SME,
        "Doanh nghiệp": LegalForm.SME,
        "Doanh nghiệp nhỏ": LegalForm.SME,
        "Doanh nghiệp vừa": LegalForm.SME,
        "Liên hiệp HTX": LegalForm.UNION_OF_COOPERATIVES,
        "THT": LegalForm.COOPERATIVE_GROUP,
        "Tổ hợp tác": LegalForm.COOPERATIVE_GROUP,
        "HKD": LegalForm.HOUSEHOLD,
        "Hộ kinh doanh cá thể": LegalForm.HOUSEHOLD,
        "Hộ gia đình": LegalForm.HOUSEHOLD,
    },
)
_PRODUCT_GROUPS = _aliases(
    PRODUCT_GROUP_LABELS, {f"Nhóm {value}": value for value, _label in PRODUCT_GROUP_LABELS}
)
_GENDERS = _aliases(GENDER_LABELS, {})
_YES = {"co", "x", "1", "yes", "true", "dung"}
_NO = {"khong", "0", "no", "false", "sai", ""}


# --------------------------------------------------------------------------------------------
# Errors and results
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


@dataclass(frozen=True)
class EstablishmentRow:
    """One establishment read from the file, ready to become an ``Establishment``.

    Fields whose cell was bad hold a neutral value (the row also has a :class:`RowError`):
    such a row is never imported, since one error stops the whole import.
    """

    row: int
    name: str
    legal_form: str
    tax_code: str
    address: str
    commune_code: str
    product_group: str
    main_products: str
    owner_name: str
    owner_gender: str
    owner_ethnic_minority: bool
    employees_total: int
    employees_female: int
    employees_ethnic_minority: int
    founded_year: int | None
    craft_village: str
    phone: str
    email: str

    @property
    def name_folded(self) -> str:
        return fold(self.name)

    def model_fields(self) -> dict[str, Any]:
        """The keyword arguments of ``Establishment`` (without the commune)."""
        return {c.key: getattr(self, c.key) for c in COLUMNS if c.key != "commune_code"}


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


@dataclass(frozen=True)
class CommuneRef:
    """A current commune named in the file, as the service found it."""

    code: str
    name: str
    in_scope: bool


@dataclass(frozen=True)
class RegistryContext:
    """What :func:`check_rows` needs from the database, filled by the service.

    ``communes``: the current communes whose code the file names (unknown codes are absent).
    ``scope_name``: the user's scope unit, for messages. ``existing_tax_codes``: tax code →
    how to name the establishment holding it ("" when it lies outside the user's scope, so its
    name is not revealed). ``existing_names``: (commune code, folded name) → the same.
    """

    communes: Mapping[str, CommuneRef]
    scope_name: str = ""
    existing_tax_codes: Mapping[str, str] = field(default_factory=dict)
    existing_names: Mapping[tuple[str, str], str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------------------------
def _file_label(filename: str) -> str:
    return f" “{filename}”" if filename else ""


def _megabytes(size: int) -> str:
    value = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"))
    return f"{value}".replace(".", ",")


def too_large_message(size: int | None = None, filename: str = "") -> str:
    """The sentence for a file over :data:`MAX_UPLOAD_BYTES` (views check the size first)."""
    shown = f" ({_megabytes(size)} MB)" if size is not None else ""
    return _(
        "Tệp%(name)s%(size)s lớn hơn giới hạn %(limit)s MB: hãy chia danh sách thành nhiều tệp "
        "nhỏ hơn rồi nhập lần lượt."
    ) % {"name": _file_label(filename), "size": shown, "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}


def _fail(message: str) -> ImportFileError:
    return ImportFileError([RowError(None, None, message)])


def _cell_error(row: int, column: Column, reason: str) -> RowError:
    return RowError(
        row,
        column.header,
        _("Dòng %(row)s, cột “%(column)s”: %(reason)s")
        % {"row": row, "column": column.header, "reason": reason},
    )


def limited(errors: Sequence[RowError], limit: int = MAX_ERRORS) -> list[RowError]:
    """The first ``limit`` errors (the count of all of them is shown beside)."""
    return list(errors[:limit])


# --------------------------------------------------------------------------------------------
# Step 1: the file
# --------------------------------------------------------------------------------------------
def _clean(value: str) -> str:
    value = nfc(_ILLEGAL.sub(" ", value))
    return " ".join(value.split())


def _show(value: object) -> str:
    text = _text(value)
    return text if len(text) <= 40 else text[:39] + "…"


def read_table(
    content: bytes,
    filename: str = "",
    *,
    preview: int = 0,
    budget: uploads.Budget | None = None,
) -> Table:
    """Đọc tệp: decide the type from the content, check size and header, return the rows.

    Raises :class:`ImportFileError` with every problem of the header at once. ``preview`` > 0
    reads only that many rows with data (``complete`` says whether the file has more); reading
    stops when ``budget`` (default: the request's, :data:`LIMITS`) is spent.
    """
    budget = budget or uploads.Budget(LIMITS.seconds, filename=filename)
    try:
        return _read_table(content, filename, preview, budget)
    except uploads.UploadRefused as exc:
        raise _fail(str(exc)) from None


def _read_table(content: bytes, filename: str, preview: int, budget: uploads.Budget) -> Table:
    name = _file_label(filename)
    if not content:
        raise _fail(_("Tệp%(name)s rỗng: hãy chọn lại tệp danh sách cơ sở.") % {"name": name})
    if len(content) > MAX_UPLOAD_BYTES:
        raise _fail(too_large_message(len(content), filename))
    if content.startswith(_ZIP):
        return _read_xlsx(content, filename, preview, budget)
    if content.startswith(_OLE):
        raise _fail(
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
        raise _fail(not_a_table)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if filename.lower().endswith((".csv", ".txt")) and b"\x00" not in content:
            raise _fail(
                _(
                    "Tệp%(name)s không ở mã UTF-8 nên chữ tiếng Việt sẽ bị hỏng: trong Excel "
                    "chọn “Lưu thành” → “CSV UTF-8 (Comma delimited) (*.csv)” rồi tải lên lại."
                )
                % {"name": name}
            ) from None
        raise _fail(not_a_table) from None
    if "\x00" in text:
        raise _fail(not_a_table)
    return _read_csv(text, filename, preview, budget)


def _read_xlsx(content: bytes, filename: str, preview: int, budget: uploads.Budget) -> Table:
    name = _file_label(filename)
    invalid = _("Tệp%(name)s không phải là tệp Excel .xlsx hợp lệ") % {"name": name}
    archive = uploads.read_archive(content)
    if archive is None:
        raise _fail(
            _("%(invalid)s: tệp bị hỏng hoặc tải lên chưa hết.") % {"invalid": invalid}
        ) from None
    if archive.mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _fail(
            _("%(invalid)s: đây là bảng tính OpenDocument (.ods), hãy lưu lại dưới dạng .xlsx.")
            % {"invalid": invalid}
        )
    if "xl/workbook.xml" not in archive.names:
        raise _fail(_("%(invalid)s: tệp nén không chứa bảng tính Excel.") % {"invalid": invalid})
    uploads.check_archive(archive, LIMITS, filename=filename)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dropped features (data validation): irrelevant
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on a broken file; all mean the same here
        raise _fail(
            _("%(invalid)s: tệp bị hỏng hoặc không phải bảng tính Excel.") % {"invalid": invalid}
        ) from None
    try:
        if SHEET_DATA in workbook.sheetnames:
            sheet = workbook[SHEET_DATA]
        elif workbook.worksheets:
            sheet = workbook.worksheets[0]
        else:
            raise _fail(_("%(invalid)s: tệp không có trang tính nào.") % {"invalid": invalid})
        try:
            return _table("xlsx", filename, sheet.iter_rows(values_only=True), preview, budget)
        except (ImportFileError, uploads.UploadRefused):
            raise
        except Exception:
            raise _fail(
                _("%(invalid)s: không đọc được nội dung trang tính.") % {"invalid": invalid}
            ) from None
    finally:
        workbook.close()


def _read_csv(text: str, filename: str, preview: int, budget: uploads.Budget) -> Table:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _table("csv", filename, reader, preview, budget)
    except csv.Error as exc:
        raise _fail(
            _("Tệp CSV%(name)s bị lỗi định dạng (%(detail)s): hãy lưu lại bằng Excel rồi tải lên.")
            % {"name": _file_label(filename), "detail": exc}
        ) from None


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_name(kind: str, index: int) -> str:
    if kind == "xlsx":
        return _("cột %(letter)s") % {"letter": get_column_letter(index + 1)}
    return _("cột thứ %(n)s") % {"n": index + 1}


def _table(
    kind: str,
    filename: str,
    raw_rows: Iterable[Sequence[object]],
    preview: int,
    budget: uploads.Budget,
) -> Table:
    rows = iter(raw_rows)
    header = next(rows, None)
    positions = _read_header(kind, list(header or ()))
    table = Table(kind=kind, filename=filename)
    for number, values in uploads.sheet_rows(
        rows, LIMITS, filename=filename, budget=budget, first=2
    ):
        if all(_is_empty(v) for v in values):
            continue
        if preview and len(table.rows) == preview:
            table.complete = False
            break
        width = len(values)
        table.rows.append(
            (number, {key: values[i] if i < width else None for key, i in positions.items()})
        )
    if not table.rows:
        raise _fail(
            _(
                "Tệp%(name)s không có dòng dữ liệu nào dưới dòng tiêu đề: hãy điền mỗi cơ sở một "
                "dòng, bắt đầu từ dòng 2."
            )
            % {"name": _file_label(filename)}
        )
    return table


def _read_header(kind: str, cells: list[object]) -> dict[str, int]:
    """Map each template column to its position in the header row (row 1)."""
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if _is_empty(cell):
            continue
        key = fold(_text(cell)).rstrip(" *:")
        if key in _IGNORED_HEADERS:
            continue
        column = _HEADER_KEYS.get(key)
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
                    % {"where": where, "value": _show(cell)},
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
    missing = [c.header for c in COLUMNS if c.key not in positions]
    if missing:
        if len(missing) == len(COLUMNS):
            message = _(
                "Dòng 1 của tệp không phải dòng tiêu đề của mẫu danh sách cơ sở. Hãy tải tệp mẫu "
                "từ hệ thống và giữ nguyên dòng 1 với %(n)s cột: %(headers)s."
            ) % {"n": len(COLUMNS), "headers": ", ".join(f"“{h}”" for h in HEADERS)}
            raise _fail(message)
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
# Step 2: the cells
# --------------------------------------------------------------------------------------------
def _text(value: object) -> str:
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
    return _clean(str(value))


class _BadCell(Exception):
    """A cell's value cannot be used; the message completes "Dòng N, cột “X”: …"."""


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        raise _BadCell(_("“%(value)s” không phải số.") % {"value": _show(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise _BadCell(
                _("“%(value)s” không phải số nguyên: hãy nhập số không có phần lẻ.")
                % {"value": _show(value)}
            )
        return int(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise _BadCell(_("“%(value)s” không phải số nguyên.") % {"value": _show(value)})
        return int(value)
    text = _text(value)
    if not text:
        return None
    compact = text.replace(" ", "")
    if compact.isdigit():
        return int(compact)
    if compact.startswith("-") and compact[1:].isdigit():
        return -int(compact[1:])
    if _THOUSANDS.fullmatch(text):
        return int(re.sub(r"[.,\s]", "", text))
    raise _BadCell(
        _("“%(value)s” không phải số nguyên: hãy nhập chữ số, ví dụ 25.") % {"value": _show(value)}
    )


def _count(value: object, label: str) -> int:
    number = _whole_number(value)
    if number is None:
        return 0
    try:
        return validation.employees(number, label)
    except validation.Invalid as exc:
        raise _BadCell(str(exc)) from None


def _year(value: object, today: date) -> int | None:
    if isinstance(value, datetime | date):
        year: int | None = value.year
    elif isinstance(value, str) and (match := _DATE_TEXT.fullmatch(value.strip())):
        year = int(match.group(1))
    else:
        try:
            year = _whole_number(value)
        except _BadCell:
            raise _BadCell(
                _("“%(value)s” không phải năm: hãy nhập năm có 4 chữ số, ví dụ 2015.")
                % {"value": _show(value)}
            ) from None
    if year is None:
        return None
    try:
        return validation.founded_year(year, today=today)
    except validation.Invalid as exc:
        raise _BadCell(str(exc)) from None


def _choice(value: object, table: Mapping[str, str], what: str, allowed: str) -> str:
    key = fold(_text(value)).rstrip(".")
    if key in table:
        return table[key]
    raise _BadCell(
        _("“%(value)s” không phải %(what)s hợp lệ: hãy dùng một trong %(allowed)s.")
        % {"value": _show(value), "what": what, "allowed": allowed}
    )


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(_text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise _BadCell(
        _("“%(value)s” không rõ là có hay không: hãy ghi Có hoặc Không (hoặc x, 1, 0).")
        % {"value": _show(value)}
    )


def _tax_code(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if not digits.isdigit():
            raise _BadCell(_("“%(value)s” không phải mã số thuế.") % {"value": _show(value)})
        if len(digits) in (9, 11):
            raise _BadCell(
                _(
                    "ô đang ở dạng số nên Excel đã bỏ số 0 ở đầu (đọc được “%(value)s”): hãy "
                    "định dạng cột “Mã số thuế” là Văn bản (Text) rồi gõ lại mã đầy đủ."
                )
                % {"value": digits}
            )
        value = digits
    try:
        return normalise_identifier(_text(value))
    except IdentifierError as exc:
        raise _BadCell(str(exc)) from None


def _commune_code(value: object) -> str:
    text = _text(value).replace(" ", "")
    if not text.isdigit() or len(text) > 5:
        raise _BadCell(
            _(
                "“%(value)s” không phải mã xã: cột này cần mã số 5 chữ số của xã/phường (ví dụ "
                "03985 là Xã Chiềng Sơn, Sơn La), tra ở trang “Đơn vị”."
            )
            % {"value": _show(value)}
        )
    return text.zfill(5)  # a numeric cell drops the leading zero; codes are 5 digits wide


def _phone(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        text = f"+{digits}" if digits.startswith("84") and len(digits) >= 11 else f"0{digits}"
    else:
        text = _text(value)
    try:
        return validation.phone(text)
    except validation.Invalid as exc:
        raise _BadCell(str(exc)) from None


def _email(value: object) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise _BadCell(
            _("“%(value)s” không phải địa chỉ thư điện tử hợp lệ (ví dụ ten@gmail.com).")
            % {"value": _show(value)}
        ) from None
    return text


def _legal_form_allowed() -> str:
    return ", ".join(f"“{label}”" for _value, label in LEGAL_FORM_LABELS)


def _product_group_allowed() -> str:
    return _("số 1, 2, 3, 4 hoặc tên nhóm (%(names)s)") % {
        "names": "; ".join(f"{value} – {label}" for value, label in PRODUCT_GROUP_LABELS)
    }


class _RowReader:
    """Reads one row's cells, collecting an error per bad cell."""

    def __init__(self, number: int, values: Mapping[str, object], today: date) -> None:
        self.number = number
        self.values = values
        self.today = today
        self.errors: list[RowError] = []

    def _fail(self, key: str, reason: str) -> None:
        self.errors.append(_cell_error(self.number, COLUMN_BY_KEY[key], reason))

    def get(self, key: str, convert: Callable[[object], Any], default: Any) -> Any:
        column = COLUMN_BY_KEY[key]
        value = self.values.get(key)
        if _is_empty(value):
            if column.required:
                self._fail(key, _("ô đang trống: cột này bắt buộc phải có giá trị."))
            return default
        try:
            result = convert(value)
        except _BadCell as exc:
            self._fail(key, str(exc))
            return default
        if column.max_length and isinstance(result, str) and len(result) > column.max_length:
            self._fail(
                key,
                _("dài %(n)s ký tự, quá giới hạn %(limit)s ký tự: hãy viết ngắn lại.")
                % {"n": len(result), "limit": column.max_length},
            )
            return default
        return result

    def count(self, key: str) -> int:
        label = validation.EMPLOYEE_LABELS[key]
        return int(self.get(key, lambda value: _count(value, label), 0))

    def read(self) -> EstablishmentRow:
        g = self.get
        row = EstablishmentRow(
            row=self.number,
            name=g("name", _text, ""),
            legal_form=g(
                "legal_form",
                lambda v: _choice(v, _LEGAL_FORMS, _("loại hình"), _legal_form_allowed()),
                "",
            ),
            tax_code=g("tax_code", _tax_code, ""),
            address=g("address", _text, ""),
            commune_code=g("commune_code", _commune_code, ""),
            product_group=g(
                "product_group",
                lambda v: _choice(v, _PRODUCT_GROUPS, _("nhóm sản phẩm"), _product_group_allowed()),
                "",
            ),
            main_products=g("main_products", _text, ""),
            owner_name=g("owner_name", _text, ""),
            owner_gender=g(
                "owner_gender",
                lambda v: _choice(v, _GENDERS, _("giới tính"), "Nam, Nữ, Khác"),
                "",
            ),
            owner_ethnic_minority=g("owner_ethnic_minority", _yes_no, False),
            employees_total=g(
                "employees_total",
                lambda v: _count(v, validation.EMPLOYEE_LABELS["employees_total"]),
                0,
            ),
            employees_female=g(
                "employees_female",
                lambda v: _count(v, validation.EMPLOYEE_LABELS["employees_female"]),
                0,
            ),
            employees_ethnic_minority=g(
                "employees_ethnic_minority",
                lambda v: _count(v, validation.EMPLOYEE_LABELS["employees_ethnic_minority"]),
                0,
            ),
            founded_year=g("founded_year", lambda v: _year(v, self.today), None),
            craft_village=g("craft_village", _text, ""),
            phone=g("phone", _phone, ""),
            email=g("email", _email, ""),
        )
        if any(e.column == COLUMN_BY_KEY["employees_total"].header for e in self.errors):
            return row  # the total is unknown: comparing with it would only add noise
        parts = {
            key: (validation.EMPLOYEE_LABELS[key], getattr(row, key))
            for key in ("employees_female", "employees_ethnic_minority")
        }
        for key, reason in validation.employee_parts(row.employees_total, parts).items():
            self._fail(key, reason)
        return row


def parse_rows(
    table: Table,
    *,
    current_year: int | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> tuple[list[EstablishmentRow], list[RowError]]:
    """Read every row; returns all rows (bad cells hold neutral values) and every cell error.

    ``progress(n)`` is called every ``progress_every`` rows and once at the end.
    """
    today = date(current_year, 1, 1) if current_year else bounds.local_today()
    rows: list[EstablishmentRow] = []
    errors: list[RowError] = []
    for index, (number, values) in enumerate(table.rows, start=1):
        reader = _RowReader(number, values, today)
        rows.append(reader.read())
        errors.extend(reader.errors)
        if progress is not None and index % progress_every == 0:
            progress(index)
    if progress is not None:
        progress(len(table.rows))
    return rows, errors


# --------------------------------------------------------------------------------------------
# Step 3: the registry rules
# --------------------------------------------------------------------------------------------
def check_rows(rows: Sequence[EstablishmentRow], context: RegistryContext) -> list[RowError]:
    """Commune, scope and duplicate rules; the errors come back in row order."""
    name_col = COLUMN_BY_KEY["name"]
    tax_col = COLUMN_BY_KEY["tax_code"]
    commune_col = COLUMN_BY_KEY["commune_code"]
    errors: list[RowError] = []
    first_by_tax: dict[str, int] = {}
    first_by_name: dict[tuple[str, str], int] = {}
    for row in rows:
        commune = context.communes.get(row.commune_code) if row.commune_code else None
        if row.commune_code and commune is None:
            errors.append(
                _cell_error(
                    row.row,
                    commune_col,
                    _(
                        "không có xã/phường nào đang hiệu lực mang mã “%(code)s”: hãy tra lại mã "
                        "ở trang “Đơn vị” (mã các xã đã đổi từ ngày 01/7/2025)."
                    )
                    % {"code": row.commune_code},
                )
            )
        elif commune is not None and not commune.in_scope:
            errors.append(
                _cell_error(
                    row.row,
                    commune_col,
                    _(
                        "%(commune)s (mã %(code)s) nằm ngoài phạm vi %(scope)s của bạn: bạn chỉ "
                        "nhập được cơ sở của các xã trong phạm vi; hãy bỏ dòng này hoặc gửi cho "
                        "đơn vị quản lý xã đó."
                    )
                    % {"commune": commune.name, "code": commune.code, "scope": context.scope_name},
                )
            )
        if row.tax_code:
            earlier = first_by_tax.setdefault(row.tax_code, row.row)
            if earlier != row.row:
                errors.append(
                    _cell_error(
                        row.row,
                        tax_col,
                        _(
                            "mã số thuế “%(code)s” trùng với dòng %(earlier)s của tệp: mỗi cơ sở "
                            "chỉ khai một lần, hãy xóa hoặc sửa một trong hai dòng "
                            "(%(earlier)s và %(row)s)."
                        )
                        % {"code": row.tax_code, "earlier": earlier, "row": row.row},
                    )
                )
            elif row.tax_code in context.existing_tax_codes:
                holder = context.existing_tax_codes[row.tax_code]
                errors.append(
                    _cell_error(
                        row.row,
                        tax_col,
                        (
                            _(
                                "mã số thuế “%(code)s” đã có trong hệ thống (%(holder)s): không "
                                "nhập trùng, hãy xóa dòng này khỏi tệp; muốn sửa thông tin thì "
                                "sửa trên trang của cơ sở."
                            )
                            if holder
                            else _(
                                "mã số thuế “%(code)s” đã được đăng ký cho một cơ sở khác trong "
                                "hệ thống (ngoài phạm vi của bạn): hãy kiểm tra lại mã."
                            )
                        )
                        % {"code": row.tax_code, "holder": holder},
                    )
                )
        if row.name and row.commune_code:
            key = (row.commune_code, row.name_folded)
            earlier = first_by_name.setdefault(key, row.row)
            if earlier != row.row:
                errors.append(
                    _cell_error(
                        row.row,
                        name_col,
                        _(
                            "“%(name)s” trùng tên với dòng %(earlier)s của tệp trong cùng xã (mã "
                            "%(code)s): mỗi cơ sở chỉ khai một lần, hãy xóa hoặc sửa một trong "
                            "hai dòng (%(earlier)s và %(row)s)."
                        )
                        % {
                            "name": row.name,
                            "earlier": earlier,
                            "code": row.commune_code,
                            "row": row.row,
                        },
                    )
                )
            elif key in context.existing_names:
                errors.append(
                    _cell_error(
                        row.row,
                        name_col,
                        _(
                            "%(commune)s (mã %(code)s) đã có cơ sở “%(holder)s” trong hệ thống "
                            "(cùng tên, không phân biệt dấu và chữ hoa): không nhập trùng, hãy "
                            "xóa dòng này hoặc ghi tên phân biệt."
                        )
                        % {
                            "commune": commune.name if commune is not None else _("Xã"),
                            "code": row.commune_code,
                            "holder": context.existing_names[key],
                        },
                    )
                )
    return errors


def sort_errors(errors: Iterable[RowError]) -> list[RowError]:
    """File errors first, then by row, then in the template's column order."""
    order = {c.header: i for i, c in enumerate(COLUMNS)}
    return sorted(
        errors,
        key=lambda e: (e.row or 0, order.get(e.column or "", -1)),
    )
