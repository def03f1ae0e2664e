"""Exports of the dashboards (xuất những gì đang xem), through ``core.xlsx.ListWriter``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from khuyencong.core import xlsx

from . import dashboard, display
from .models import Indicator
from .periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_xlsx(board: dashboard.Board, indicator: Indicator) -> bytes:
    """The page's three tables: every indicator of the area (target, reported, live,
    difference), the year's plan by fund against what was achieved, then the chosen indicator
    per unit."""
    writer = xlsx.ListWriter(
        f"Tong hop {board.period.code}",
        [
            "Đơn vị",
            "Mã chỉ tiêu",
            "Chỉ tiêu",
            "Phân tổ",
            "Chỉ tiêu giai đoạn",
            "Theo báo cáo",
            "Theo dữ liệu hệ thống",
            "Chênh lệch",
            f"Kế hoạch năm {board.period.year}",
            "Đạt so với kế hoạch năm (%)",
        ],
        [28, 20, 50, 22, 16, 18, 18, 16, 18, 14],
        freeze="C2",
    )
    for row in dashboard.indicator_rows(board):
        for key, cell in [("", row.cell), *row.keys]:
            writer.append(
                [
                    board.area.name,
                    row.indicator.code,
                    row.indicator.label,
                    display.key_label(key),
                    row.target if key == "" else None,
                    cell.reported.value if cell.reported else None,
                    cell.live.value if cell.live else None,
                    cell.difference,
                ]
            )
    for plan in board.plan:
        writer.append(
            [
                board.area.name,
                plan.indicator.code,
                plan.indicator.label,
                display.key_label(plan.fund),
                None,
                None,
                plan.achieved.value if plan.achieved else None,
                None,
                plan.planned,
                plan.share,
            ]
        )
    for unit, cell in dashboard.by_unit(board, indicator.code):
        writer.append(
            [
                unit.name,
                indicator.code,
                indicator.label,
                display.key_label(""),
                None,
                cell.reported.value if cell.reported else None,
                cell.live.value if cell.live else None,
                cell.difference,
            ]
        )
    return writer.bytes()


def chart_xlsx(board: dashboard.Board, indicator: Indicator) -> bytes:
    """The chart's data as drawn: one row per bar (the lower unit and its live figure)."""
    writer = xlsx.ListWriter(
        f"Bieu do {board.period.code}",
        ["Đơn vị", "Mã đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Theo dữ liệu hệ thống"],
        [40, 12, 20, 50, 14, 20],
        text=frozenset({1}),
        money=frozenset({5}) if indicator.is_money else frozenset(),
    )
    for unit, value in dashboard.chart_bars(board, indicator):
        writer.append(
            [
                unit.name,
                unit.code,
                indicator.code,
                indicator.label,
                indicator.unit_of_measure,
                value,
            ]
        )
    return writer.bytes()


def status_xlsx(rows: list[Any], period: Period) -> bytes:
    """The submissions table as shown (same period, same scope)."""
    writer = xlsx.ListWriter(
        f"Tinh hinh nop {period.code}",
        [
            "Đơn vị báo cáo",
            "Mã đơn vị",
            "Lịch báo cáo",
            "Trạng thái",
            "Hạn nộp",
            "Gửi lúc",
            "Đúng hạn",
            "Khóa nhập liệu sau ngày",
        ],
        [40, 12, 40, 30, 14, 14, 14, 18],
        text=frozenset({1}),
    )
    for row in rows:
        report = row.due.report
        writer.append(
            [
                row.due.reporter_label,
                row.due.unit.code,
                row.due.schedule.name,
                str(row.state),
                report.due_on if report else None,
                timezone.localdate(report.submitted_at) if report and report.submitted_at else None,
                str(row.timeliness),
                report.lock_on if report else None,
            ]
        )
    return writer.bytes()


REPORT_COLUMNS = (
    ("Kỳ", 10),
    ("Mã đơn vị", 12),
    ("Đơn vị", 36),
    ("Lịch báo cáo", 40),
    ("Trạng thái", 24),
    ("Hạn nộp", 12),
    ("Gửi lần đầu", 12),
    ("Nộp muộn", 10),
    ("Khóa nhập liệu sau ngày", 14),
    ("Phê duyệt", 12),
    ("Được chấp nhận", 12),
    ("Thuyết minh", 60),
)


def reports_xlsx(found: Iterable[Any]) -> xlsx.ListWriter:
    """The report list as filtered on the page (every row, not only the page's), written row
    by row (``export_plans`` reads them in chunks)."""
    writer = xlsx.ListWriter(
        "Bao cao dinh ky",
        [name for name, _width in REPORT_COLUMNS],
        [width for _name, width in REPORT_COLUMNS],
        text=frozenset({1}),
        freeze="D2",
    )
    return writer.extend(_report_row(report) for report in found)


def _report_row(report: Any) -> list[Any]:
    late = report.submitted_late()
    return [
        report.period,
        report.unit.code,
        report.unit.name,
        report.schedule.name,
        report.get_status_display(),
        report.due_on,
        _day(report.submitted_at),
        "" if late is None else ("Muộn" if late else "Đúng hạn"),
        report.lock_on,
        _day(report.approved_at),
        _day(report.accepted_at),
        report.narrative,
    ]


def _day(moment: Any) -> Any:
    return timezone.localdate(moment) if moment else None


#: What each record adds to the figure (the rows add up to it).
SHARE = "Tính vào số liệu"
RECORD_COLUMNS: dict[str, tuple[list[str], list[float]]] = {
    "project": (
        [
            "Đề án",
            "Xã, phường",
            "Trạng thái",
            "Nguồn",
            "Ngày phê duyệt",
            "Kinh phí được duyệt",
            SHARE,
        ],
        [60, 28, 24, 10, 14, 20, 20],
    ),
    "establishment": (["Cơ sở", "Xã, phường", "Chủ cơ sở", SHARE], [50, 28, 30, 14]),
    "certificate": (
        ["Giấy chứng nhận", "Sản phẩm", "Cấp", "Ngày cấp", SHARE],
        [20, 50, 16, 14, 14],
    ),
}


def _record_row(kind: str, record: Any) -> list[Any]:
    if kind == "project":
        return [
            record.title,
            record.location.name if record.location else "",
            record.get_status_display(),
            display.key_label(record.fund),
            record.decision_date,
            record.approved_kcqg + record.approved_kcdp,
            _share(record),
        ]
    if kind == "establishment":
        return [record.name, record.commune.name, record.owner_name, _share(record)]
    return [
        record.number,
        str(record.product),
        record.get_level_display(),
        record.issued_on,
        _share(record),
    ]


def _share(record: Any) -> Any:
    share = getattr(record, "share", None)
    return None if share is None else int(share)


def records_xlsx(
    kind: str, found: Iterable[Any], indicator: Indicator, period: Period
) -> xlsx.ListWriter:
    """Every record behind the figure the drill-down shows (not only the page's first ones),
    written row by row (read in chunks by ``export_plans``): constant memory at national
    size."""
    headers, widths = RECORD_COLUMNS[kind]
    writer = xlsx.ListWriter(
        f"{indicator.code[:20]} {period.code}",
        headers,
        widths,
        money=_money_columns(kind, indicator),
    )
    return writer.extend(_record_row(kind, record) for record in found)


def _money_columns(kind: str, indicator: Indicator) -> frozenset[int]:
    if kind != "project":
        return frozenset()
    return frozenset({5, 6}) if indicator.is_money else frozenset({5})


def reported_xlsx(found: Any, indicator: Indicator, period: Period) -> bytes:
    """The reports a reported figure sums, as its drill-down shows them (``drilldown.reported``,
    already in the user's scope): a row per report with its figure, then its lines and the
    lower units' entries, with who entered each, when and the note."""
    writer = xlsx.ListWriter(
        f"{indicator.code[:20]} {period.code}",
        [
            "Báo cáo",
            "Mã đơn vị",
            "Trạng thái",
            "Phần",
            "Số liệu",
            "Người nhập",
            "Nhập lúc",
            "Ghi chú",
        ],
        [50, 12, 24, 36, 20, 28, 18, 50],
        text=frozenset({1}),
    )
    for summed in found.reports:
        writer.append(_reported_row(summed.report, "", summed.figure, indicator))
        for entry in [*summed.lines, *summed.below]:
            writer.append(_reported_row(entry.report, entry.value, entry.figure, indicator))
    return writer.bytes()


def _reported_row(report: Any, value: Any, figure: Any, indicator: Indicator) -> list[Any]:
    entered = value.entered_at if value else None
    return [
        f"{report.unit.name} — {report.schedule.name}",
        report.unit.code,
        report.get_status_display(),
        value.get_part_display() if value else "Số liệu của báo cáo",
        display.figure_text(figure, indicator),
        str(value.entered_by) if value and value.entered_by else "",
        timezone.localtime(entered).strftime("%d/%m/%Y %H:%M") if entered else "",
        value.note if value else "",
    ]
