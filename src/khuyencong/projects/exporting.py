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

from openpyxl import Workbook

from khuyencong.core import xlsx

SHEET_TITLE = "Danh sách đề án"
#: At most this many projects in one export; above it the user narrows the filters.
MAX_ROWS = 20_000

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


def projects_xlsx(rows: Iterable[ProjectRow]) -> bytes:
    """The projects as an .xlsx: one sheet "Danh sách đề án", a header row (bold, frozen,
    auto-filter) and one row per project."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLE
    ws.append(list(HEADERS))
    for number, row in enumerate(rows, start=2):
        xlsx.write_row(ws, number, row.values(), money=_MONEY)
    xlsx.style_header(ws, len(HEADERS), freeze="C2")  # the code and the title stay in view
    xlsx.set_widths(ws, [width for _header, width in COLUMNS])
    xlsx.add_auto_filter(ws, len(HEADERS))
    return xlsx.workbook_bytes(wb)


def filename(today: datetime.date) -> str:
    return f"de-an-khuyen-cong-{today:%Y%m%d}.xlsx"
