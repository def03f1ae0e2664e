"""Tables of the selection as .xlsx (openpyxl, no ORM, no HTTP): the lower authority's short-list
(PL5), the results of a round. In Vietnamese whatever the interface language; text always text
(never a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from openpyxl import Workbook

from khuyencong.core import xlsx

if TYPE_CHECKING:
    from .models import Entry
    from .selectors.results import ResultTable

SHORTLIST_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Tên sản phẩm", 36),
    ("Nhóm sản phẩm", 30),
    ("Cơ sở sản xuất", 34),
    ("Xã, phường", 20),
    ("Người đại diện", 22),
    ("Điện thoại", 14),
    ("Giấy chứng nhận cấp dưới", 24),
    ("Hiệu lực đến", 12),
    ("Ghi chú", 30),
)


def workbook_bytes(
    title: str, columns: Sequence[tuple[str, float]], rows: Iterable[Sequence[object]]
) -> bytes:
    """One sheet: a styled header and the rows (text never a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    headers = [header for header, _width in columns]
    xlsx.write_row(sheet, 1, headers)  # a judge's name is a header: text, never a formula
    xlsx.style_header(sheet, len(headers))
    number = 1
    for number, values in enumerate(rows, start=2):
        xlsx.write_row(sheet, number, values)
    xlsx.set_widths(sheet, [width for _header, width in columns])
    xlsx.add_auto_filter(sheet, len(headers))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shortlist_xlsx(entries: Sequence[Entry]) -> bytes:
    """Danh sách sản phẩm đề xuất (PL5), one row per forwarded entry (relations loaded)."""
    rows = []
    for n, entry in enumerate(entries, start=1):
        certificate = entry.basis_certificate
        rows.append(
            (
                n,
                entry.product.name,
                f"{entry.product.group}. {entry.product.get_group_display()}",
                entry.establishment.name,
                entry.commune.name,
                entry.representative,
                entry.phone,
                certificate.number if certificate else "",
                certificate.valid_until if certificate else None,
                entry.prerequisite_note,
            )
        )
    return workbook_bytes("Danh sách đề xuất (PL5)", SHORTLIST_COLUMNS, rows)


def results_xlsx(table: ResultTable) -> bytes:
    """Kết quả bình chọn: one row per entry in rank order; one column per judge (their total,
    empty where they did not score the entry), the mean, the rank, the result, the
    certificate. Numbers are numbers (a judge column sums in Excel)."""
    judges = [(j.name, 12.0) for j in table.judges]
    columns = [
        *RESULT_COLUMNS[:5],
        *judges,
        *RESULT_COLUMNS[5:],
    ]
    rows = []
    for n, row in enumerate(table.rows, start=1):
        entry = row.entry
        rows.append(
            (
                n,
                entry.product.name,
                f"{entry.product.group}. {entry.product.get_group_display()}",
                entry.establishment.name,
                entry.commune.name,
                *row.cells,
                entry.mean,
                entry.rank,
                "Đồng hạng" if row.tied else "",
                "Đạt" if entry.passed else "Không đạt",
                row.certificate.number if row.certificate else "",
            )
        )
    return workbook_bytes("Kết quả bình chọn", columns, rows)


RESULT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Tên sản phẩm", 36),
    ("Nhóm sản phẩm", 30),
    ("Cơ sở sản xuất", 34),
    ("Xã, phường", 20),
    ("Điểm trung bình", 12),
    ("Xếp hạng", 9),
    ("Ghi chú", 11),
    ("Kết quả", 10),
    ("Số giấy chứng nhận", 20),
)
