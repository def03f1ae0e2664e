"""Nhập danh sách cán bộ xã từ .xlsx: reading and checking the file, without the ORM.

The shape of ``registry.importing``: :func:`read_table` (the file, by
:mod:`khuyencong.core.tabular`), :func:`parse_rows` (every cell, an error per bad cell) and
:func:`check_rows` (the rules that need the database, given as an :class:`OfficerContext` the
service fills: the commune is current and in the administrator's scope, no e-mail address twice
in the file or already an account). ``services.import_officers`` creates every account or none.
Row numbers are the spreadsheet's (header = row 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import cells, tabular, uploads
from khuyencong.core.cells import CommuneRef
from khuyencong.core.tabular import Column, RowError, Table, Template, cell_error
from khuyencong.registry import validation

SHEET_DATA = "Danh sách cán bộ xã"
LIMITS = uploads.OFFICER_IMPORT

COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", True, "Họ và tên đầy đủ, có dấu.", "Lò Văn Minh", 150),
    Column(
        "email",
        "Thư điện tử",
        True,
        "Địa chỉ thư điện tử riêng của cán bộ: dùng để đăng nhập và nhận thư đặt mật khẩu.",
        "minh.lv@chiengson.sonla.gov.vn",
        254,
    ),
    Column("phone", "Điện thoại", False, "Số điện thoại, giữ số 0 ở đầu.", "0912345678", 30),
    Column(
        "commune_code",
        "Mã xã",
        True,
        "Mã 5 chữ số của xã/phường/đặc khu đang hiệu lực, tra ở trang “Đơn vị”. Chỉ được nhập "
        "cán bộ của các xã trong phạm vi của bạn.",
        "03985",
    ),
    Column("title", "Chức danh", False, "Chức danh của cán bộ.", "Công chức Kinh tế", 150),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
TEMPLATE = Template(
    columns=COLUMNS,
    sheet=SHEET_DATA,
    item=gettext_lazy("cán bộ"),
    title=gettext_lazy("danh sách cán bộ xã"),
    limits=LIMITS,
)
NOTES = (
    "Điền mỗi cán bộ một dòng ở trang “Danh sách cán bộ xã”, bắt đầu từ dòng 2; giữ nguyên "
    "dòng 1 (tên các cột).",
    "Mỗi dòng tạo một tài khoản với vai trò “Cán bộ UBND xã/phường” tại xã ghi ở cột “Mã xã”; "
    "hệ thống gửi thư để cán bộ tự đặt mật khẩu.",
    "Việc nhập là tất cả hoặc không: nếu tệp có lỗi, hệ thống liệt kê mọi lỗi theo số dòng và "
    "cột, không tạo tài khoản nào; sửa xong thì tải lên lại cả tệp.",
    "Một địa chỉ thư điện tử chỉ là một tài khoản: cán bộ đã có tài khoản thì giao thêm vai trò "
    "trên trang của tài khoản đó.",
)


@dataclass(frozen=True)
class OfficerRow:
    """One officer read from the file (a bad cell holds a neutral value and has an error)."""

    row: int
    full_name: str
    email: str
    phone: str
    commune_code: str
    title: str


@dataclass(frozen=True)
class OfficerContext:
    """What :func:`check_rows` needs from the database: the current communes the file names
    (unknown codes absent), the administrator's scope for messages, and which of the file's
    e-mail addresses are already accounts."""

    communes: Mapping[str, CommuneRef]
    scope_name: str = ""
    existing_emails: frozenset[str] = field(default_factory=frozenset)


def read_table(content: bytes, filename: str = "") -> Table:
    return tabular.read_table(content, filename, TEMPLATE)


def _phone(value: object) -> str:
    return cells.checked(validation.phone, cells.phone_text(value))


def _email(value: object) -> str:
    return cells.email(value).lower()


def parse_rows(table: Table) -> tuple[list[OfficerRow], list[RowError]]:
    rows: list[OfficerRow] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        reader = cells.RowReader(TEMPLATE, number, values)
        g = reader.get
        rows.append(
            OfficerRow(
                row=number,
                full_name=g("full_name", tabular.text, ""),
                email=g("email", _email, ""),
                phone=g("phone", _phone, ""),
                commune_code=g("commune_code", cells.commune_code, ""),
                title=g("title", tabular.text, ""),
            )
        )
        errors.extend(reader.errors)
    return rows, errors


def check_rows(rows: Sequence[OfficerRow], context: OfficerContext) -> list[RowError]:
    """Commune, scope and duplicate rules."""
    commune_col = TEMPLATE.by_key["commune_code"]
    email_col = TEMPLATE.by_key["email"]
    errors: list[RowError] = []
    first_by_email: dict[str, int] = {}
    for row in rows:
        error = cells.commune_error(
            row.row,
            commune_col,
            row.commune_code,
            context.communes,
            scope_name=context.scope_name,
            outside=_(
                "bạn chỉ tạo được tài khoản cho cán bộ các xã trong phạm vi; hãy bỏ dòng này."
            ),
        )
        if error is not None:
            errors.append(error)
        if not row.email:
            continue
        earlier = first_by_email.setdefault(row.email, row.row)
        if earlier != row.row:
            errors.append(
                cell_error(
                    row.row,
                    email_col,
                    _(
                        "“%(email)s” trùng với dòng %(earlier)s của tệp: mỗi địa chỉ thư điện tử "
                        "là một tài khoản, hãy sửa một trong hai dòng (%(earlier)s và %(row)s)."
                    )
                    % {"email": row.email, "earlier": earlier, "row": row.row},
                )
            )
        elif row.email in context.existing_emails:
            errors.append(
                cell_error(
                    row.row,
                    email_col,
                    _(
                        "“%(email)s” đã là tài khoản trong hệ thống: hãy xóa dòng này và giao "
                        "thêm vai trò trên trang của tài khoản đó."
                    )
                    % {"email": row.email},
                )
            )
    return errors


def sort_errors(errors: Sequence[RowError]) -> list[RowError]:
    return tabular.sort_errors(errors, TEMPLATE)
