"""Nhập danh sách cơ sở CNNT từ .xlsx hoặc .csv: reading and checking a file, without the ORM.

The service (``services.import_establishments``) runs three steps, the first two of which live
here and touch no database:

1. :func:`read_table` — what the file is (decided from its content, not its name), its size and
   its header row, read by :mod:`khuyencong.core.tabular` against :data:`TEMPLATE` (shared with
   every other import). Problems of the whole file raise :class:`ImportFileError`.
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

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import bounds, cells, tabular, uploads
from khuyencong.core.cells import BadCell, CommuneRef
from khuyencong.core.tabular import (
    MAX_ERRORS,
    Column,
    ImportFileError,
    RowError,
    Table,
    Template,
    cell_error,
    limited,
)
from khuyencong.core.text import fold

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
    "TEMPLATE",
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

BACKGROUND_THRESHOLD = 2_000
"""Files with more rows than this are imported by the task worker, with a progress page."""

SHEET_DATA = "Danh sách cơ sở"
SHEET_GUIDE = "Hướng dẫn"

_DATE_TEXT = re.compile(r"(?:\d{1,2}[/.-])?(?:\d{1,2}[/.-])?(\d{4})")


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------
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

TEMPLATE = Template(
    columns=COLUMNS,
    sheet=SHEET_DATA,
    item=gettext_lazy("cơ sở"),
    title=gettext_lazy("danh sách cơ sở"),
    limits=LIMITS,
    ignored=INFO_HEADERS,
)


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


# --------------------------------------------------------------------------------------------
# Errors and results
# --------------------------------------------------------------------------------------------
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
# Step 1: the file (core.tabular)
# --------------------------------------------------------------------------------------------
def read_table(
    content: bytes,
    filename: str = "",
    *,
    preview: int = 0,
    budget: uploads.Budget | None = None,
) -> Table:
    """Đọc tệp danh sách cơ sở (see :func:`khuyencong.core.tabular.read_table`): ``preview`` >
    0 reads only that many rows (``complete`` says whether there are more); reading stops when
    ``budget`` (default: the request's, :data:`LIMITS`) is spent."""
    return tabular.read_table(content, filename, TEMPLATE, preview=preview, budget=budget)


def too_large_message(size: int | None = None, filename: str = "") -> str:
    """The sentence for a file over :data:`MAX_UPLOAD_BYTES` (views check the size first)."""
    return tabular.too_large_message(size, filename, LIMITS)


# --------------------------------------------------------------------------------------------
# Step 2: the cells
# --------------------------------------------------------------------------------------------
def _count(value: object, label: str) -> int:
    number = cells.whole_number(value)
    if number is None:
        return 0
    return cells.checked(lambda n: validation.employees(n, label), number)


def _year(value: object, today: date) -> int | None:
    if isinstance(value, datetime | date):
        year: int | None = value.year
    elif isinstance(value, str) and (match := _DATE_TEXT.fullmatch(value.strip())):
        year = int(match.group(1))
    else:
        try:
            year = cells.whole_number(value)
        except BadCell:
            raise BadCell(
                _("“%(value)s” không phải năm: hãy nhập năm có 4 chữ số, ví dụ 2015.")
                % {"value": tabular.show(value)}
            ) from None
    if year is None:
        return None
    return cells.checked(lambda y: validation.founded_year(y, today=today), year)


def _phone(value: object) -> str:
    return cells.checked(validation.phone, cells.phone_text(value))


def _tax_code(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = tabular.text(value)
        if not digits.isdigit():
            raise BadCell(_("“%(value)s” không phải mã số thuế.") % {"value": tabular.show(value)})
        if len(digits) in (9, 11):
            raise BadCell(
                _(
                    "ô đang ở dạng số nên Excel đã bỏ số 0 ở đầu (đọc được “%(value)s”): hãy "
                    "định dạng cột “Mã số thuế” là Văn bản (Text) rồi gõ lại mã đầy đủ."
                )
                % {"value": digits}
            )
        value = digits
    try:
        return normalise_identifier(tabular.text(value))
    except IdentifierError as exc:
        raise BadCell(str(exc)) from None


def _legal_form_allowed() -> str:
    return ", ".join(f"“{label}”" for _value, label in LEGAL_FORM_LABELS)


def _product_group_allowed() -> str:
    return _("số 1, 2, 3, 4 hoặc tên nhóm (%(names)s)") % {
        "names": "; ".join(f"{value} – {label}" for value, label in PRODUCT_GROUP_LABELS)
    }


class _RowReader(cells.RowReader):
    """Reads one establishment's cells, collecting an error per bad cell."""

    def __init__(self, number: int, values: Mapping[str, object], today: date) -> None:
        super().__init__(TEMPLATE, number, values)
        self.today = today

    def count(self, key: str) -> int:
        label = validation.EMPLOYEE_LABELS[key]
        return int(self.get(key, lambda value: _count(value, label), 0))

    def read(self) -> EstablishmentRow:
        g = self.get
        row = EstablishmentRow(
            row=self.number,
            name=g("name", tabular.text, ""),
            legal_form=g(
                "legal_form",
                lambda v: cells.choice(v, _LEGAL_FORMS, _("loại hình"), _legal_form_allowed()),
                "",
            ),
            tax_code=g("tax_code", _tax_code, ""),
            address=g("address", tabular.text, ""),
            commune_code=g("commune_code", cells.commune_code, ""),
            product_group=g(
                "product_group",
                lambda v: cells.choice(
                    v, _PRODUCT_GROUPS, _("nhóm sản phẩm"), _product_group_allowed()
                ),
                "",
            ),
            main_products=g("main_products", tabular.text, ""),
            owner_name=g("owner_name", tabular.text, ""),
            owner_gender=g(
                "owner_gender",
                lambda v: cells.choice(v, _GENDERS, _("giới tính"), "Nam, Nữ, Khác"),
                "",
            ),
            owner_ethnic_minority=g("owner_ethnic_minority", cells.yes_no, False),
            employees_total=self.count("employees_total"),
            employees_female=self.count("employees_female"),
            employees_ethnic_minority=self.count("employees_ethnic_minority"),
            founded_year=g("founded_year", lambda v: _year(v, self.today), None),
            craft_village=g("craft_village", tabular.text, ""),
            phone=g("phone", _phone, ""),
            email=g("email", cells.email, ""),
        )
        if any(e.column == COLUMN_BY_KEY["employees_total"].header for e in self.errors):
            return row  # the total is unknown: comparing with it would only add noise
        parts = {
            key: (validation.EMPLOYEE_LABELS[key], getattr(row, key))
            for key in ("employees_female", "employees_ethnic_minority")
        }
        for key, reason in validation.employee_parts(row.employees_total, parts).items():
            self.fail(key, reason)
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
        error = cells.commune_error(
            row.row,
            commune_col,
            row.commune_code,
            context.communes,
            scope_name=context.scope_name,
            outside=_(
                "bạn chỉ nhập được cơ sở của các xã trong phạm vi; hãy bỏ dòng này hoặc gửi cho "
                "đơn vị quản lý xã đó."
            ),
        )
        if error is not None:
            errors.append(error)
        if row.tax_code:
            earlier = first_by_tax.setdefault(row.tax_code, row.row)
            if earlier != row.row:
                errors.append(
                    cell_error(
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
                    cell_error(
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
                    cell_error(
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
                    cell_error(
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
    return tabular.sort_errors(errors, TEMPLATE)
