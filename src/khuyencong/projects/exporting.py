"""Xuất danh sách đề án khuyến công (.xlsx): what the list page shows, one row per project.

Pure (openpyxl, no ORM, no HTTP): it takes :class:`ProjectRow` values, which
``selectors.export_rows`` reads in a constant number of queries. The file is in Vietnamese
whatever the interface language (a working document exchanged between offices). Money is
whole đồng in integer cells (``#,##0``), dates are real date cells (``dd/mm/yyyy``), and text
is always text: a title typed as ``=HYPERLINK(...)`` is never a formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from khuyencong.core import xlsx

SHEET_TITLE = "Danh sách đề án"
#: At most this many projects in one export (every project of the country fits: the file is
#: written in constant memory); above it the user narrows the filters.
MAX_ROWS = 100_000

#: (header, width) of every column, in order.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Mã đề án", 15),
    ("Tên đề án", 45),
    ("Loại", 13),
    ("Nội dung hỗ trợ", 30),
    ("Tỉnh", 16),
    ("Địa điểm", 20),
    ("Cơ sở thụ hưởng", 36),
    ("Nguồn", 8),
    ("Năm KH", 8),
    ("Tổng kinh phí (đồng)", 16),
    ("Hỗ trợ đề nghị KCQG (đồng)", 16),
    ("Hỗ trợ đề nghị KCĐP (đồng)", 16),
    ("Được duyệt KCQG (đồng)", 16),
    ("Được duyệt KCĐP (đồng)", 16),
    ("Đã giải ngân (tạm ứng + thanh toán, đồng)", 18),
    ("Quyết toán (đồng)", 16),
    ("Số QĐ phê duyệt", 16),
    ("Ngày QĐ", 12),
    ("Trạng thái", 20),
)
HEADERS = tuple(header for header, _width in COLUMNS)
_FIRST_MONEY = HEADERS.index("Tổng kinh phí (đồng)")
_MONEY = frozenset(range(_FIRST_MONEY, HEADERS.index("Quyết toán (đồng)") + 1))


@dataclass(frozen=True)
class ProjectRow:
    """One project as exported: labels already resolved, money in integer đồng."""

    code: str
    title: str
    kind: str
    content: str
    province: str
    location: str
    beneficiaries: tuple[str, ...]
    fund: str
    plan_year: int
    total_cost: int
    support_kcqg: int
    support_kcdp: int
    approved_kcqg: int
    approved_kcdp: int
    disbursed: int
    settled: int
    decision_number: str
    decision_date: datetime.date | None
    status: str

    def values(self) -> list[object]:
        return [
            self.code,
            self.title,
            self.kind,
            self.content,
            self.province,
            self.location,
            "; ".join(self.beneficiaries),
            self.fund,
            self.plan_year,
            self.total_cost,
            self.support_kcqg,
            self.support_kcdp,
            self.approved_kcqg,
            self.approved_kcdp,
            self.disbursed,
            self.settled,
            self.decision_number,
            self.decision_date,
            self.status,
        ]


def projects_xlsx_writer(rows: Iterable[ProjectRow]) -> xlsx.ListWriter:
    """The projects in one sheet "Danh sách đề án": a header row (bold, frozen with the code and
    the title, auto-filter, repeated on printed pages) and one row per project, written in
    constant memory; ``.save(file)`` or ``.bytes()``."""
    writer = xlsx.ListWriter(
        SHEET_TITLE,
        HEADERS,
        [width for _header, width in COLUMNS],
        money=_MONEY,
        freeze="C2",  # the code and the title stay in view
    )
    return writer.extend(row.values() for row in rows)


def projects_xlsx(rows: Iterable[ProjectRow]) -> bytes:
    return projects_xlsx_writer(rows).bytes()


def filename(today: datetime.date) -> str:
    return f"de-an-khuyen-cong-{today:%Y%m%d}.xlsx"
