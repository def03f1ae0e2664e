"""KẾ HOẠCH Khuyến công năm N as a Word document in the layout of Decree 30/2020/NĐ-CP.

Pure over :class:`~khuyencong.planning.presentation.PlanSheet`, drawn with the helpers of
:mod:`khuyencong.core.decree30`: header (UBND tỉnh / Sở Công Thương, "Số: /KH-SCT", place and
date), title, body sections (căn cứ; mục đích, yêu cầu; nội dung và kinh phí with a table by
content group; danh mục đề án with one row per item; tổ chức thực hiện), then the recipients
and the signature block. Amounts in triệu đồng, exact ("62,5").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length, Mm, Pt

from khuyencong.core import decree30
from khuyencong.core.formatting import amount_in_words
from khuyencong.programs.programme_data import format_vn_number

from .models import PlanFund
from .presentation import PlanSheet

TABLE_SIZE = 10
DOC_CODE = "KH-SCT"


def _m(amount: int) -> str:
    """Đồng → triệu đồng text, exact: ``62_500_000`` → ``"62,5"``; zero → ``"-"``."""
    if not amount:
        return "-"
    return format_vn_number(Decimal(amount) / 1_000_000)


def _prose(amount: int) -> str:
    """Đồng → triệu đồng for a sentence: zero is written "0", never "-"."""
    return format_vn_number(Decimal(amount) / 1_000_000)


def _heading(document: decree30.DocxDocument, text: str) -> None:
    paragraph = decree30.add_paragraph(
        document, text, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, space_before=6
    )
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True


def _unit_note(document: decree30.DocxDocument) -> None:
    paragraph = decree30.add_paragraph(
        document,
        "Đơn vị tính: triệu đồng",
        size=11,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        space_after=2,
    )
    paragraph.paragraph_format.keep_with_next = True


def _table(
    document: decree30.DocxDocument,
    headers: list[str],
    rows: list[list[str]],
    widths_mm: list[float],
    *,
    numeric: set[int],
    total: list[str] | None = None,
) -> None:
    table = document.add_table(rows=1 + len(rows) + (1 if total else 0), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    decree30.set_cell_margins(table, left=Mm(0.8), right=Mm(0.8), top=Mm(0.3))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        decree30.set_cell_text(cell, text, size=TABLE_SIZE, bold=True)
    decree30.repeat_header_rows(table, 1)
    left, center, right = (
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
    )
    for offset, values in enumerate(rows, start=1):
        for col, (cell, text) in enumerate(zip(table.rows[offset].cells, values, strict=True)):
            align = center if col == 0 else right if col in numeric else left
            decree30.set_cell_text(cell, text, size=TABLE_SIZE, align=align)
        decree30.prevent_row_split(table.rows[offset])
    if total:
        cells = table.rows[-1].cells
        label_span = min(numeric) - 1 if numeric else 1
        merged = cells[0].merge(cells[label_span]) if label_span > 0 else cells[0]
        decree30.set_cell_text(merged, total[0], size=TABLE_SIZE, bold=True)
        for col in range(label_span + 1, len(headers)):
            text = total[col - label_span] if col - label_span < len(total) else ""
            decree30.set_cell_text(cells[col], text, size=TABLE_SIZE, bold=True, align=right)
    decree30.set_column_widths(table, [Mm(w) for w in widths_mm])


def _fit(widths: list[float], flexible: int, width: Length) -> list[float]:
    available = int(width) / int(Mm(1)) - 0.5
    widths = list(widths)
    widths[flexible] = max(20.0, available - (sum(widths) - widths[flexible]))
    return widths


def plan_docx(sheet: PlanSheet, *, issued_on: datetime.date, place: str | None = None) -> bytes:
    """The plan as a .docx (A4 portrait, Times New Roman, Decree 30 header and closing)."""
    document = decree30.new_document()
    section = document.sections[0]
    width = decree30.text_width(section)
    kind = sheet.fund_kind
    year = sheet.year
    decree30.add_header(
        document,
        parent_body=f"UBND {sheet.province.upper()}",
        issuing_body="SỞ CÔNG THƯƠNG",
        code=DOC_CODE,
        place=place or sheet.province_name,
        issued_on=issued_on,
    )
    summary = f"Khuyến công {kind} năm {year}"
    if sheet.revision:
        summary += f" (điều chỉnh lần {sheet.revision})"
    decree30.add_document_title(document, "Kế hoạch", summary, width=width)

    body = decree30.add_body_paragraph
    if sheet.programme_title:
        body(document, f"Căn cứ {sheet.programme_title};")
    if sheet.is_approved and sheet.decision_number and sheet.decision_date:
        body(
            document,
            f"Căn cứ Quyết định số {sheet.decision_number} ngày "
            f"{sheet.decision_date.day}/{sheet.decision_date.month}/{sheet.decision_date.year} "
            f"phê duyệt kế hoạch khuyến công {kind} năm {year};",
        )
    body(
        document,
        "Căn cứ kết quả đăng ký nhu cầu hỗ trợ của Ủy ban nhân dân các xã, phường và các cơ sở "
        f"công nghiệp nông thôn trên địa bàn {sheet.province};",
    )
    body(
        document,
        f"Sở Công Thương xây dựng Kế hoạch khuyến công {kind} năm {year} như sau:",
    )

    _heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
    body(
        document,
        "Hỗ trợ các cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị tiên tiến, đổi mới "
        "công nghệ, phát triển sản phẩm, nâng cao năng lực sản xuất, góp phần chuyển dịch cơ "
        "cấu kinh tế nông thôn, tạo việc làm, tăng thu nhập cho người lao động.",
    )
    body(
        document,
        "Các đề án, hoạt động được lựa chọn từ nhu cầu đăng ký của các xã, phường và cơ sở, "
        "phù hợp với nội dung, kinh phí của chương trình khuyến công đã được phê duyệt; bảo "
        "đảm đúng mục đích, tiết kiệm, hiệu quả và hoàn thành trong năm kế hoạch.",
    )

    fund_label = sheet.fund_label
    _heading(document, "II. NỘI DUNG VÀ KINH PHÍ")
    total = sheet.total
    body(
        document,
        f"Tổng số đề án, hoạt động: {len(sheet.rows)}. Tổng kinh phí thực hiện: "
        f"{_prose(total.total_cost)} triệu đồng (Bằng chữ: {amount_in_words(total.total_cost)}), "
        f"trong đó kinh phí khuyến công {kind} "
        f"({fund_label}): {_prose(total.for_fund(sheet.fund))} triệu đồng; vốn đối ứng của cơ "
        f"sở: {_prose(total.counterpart)} triệu đồng; nguồn khác: {_prose(total.other)} triệu "
        "đồng.",
    )
    if sheet.groups:
        _unit_note(document)
        group_rows = [
            [
                str(g.number),
                g.name,
                str(g.count),
                _m(g.total_cost),
                _m(g.fund_amount),
                _m(g.allocated),
            ]
            for g in sheet.groups
        ]
        _table(
            document,
            [
                "STT",
                "Nhóm nội dung",
                "Số đề án",
                "Tổng kinh phí",
                f"Kinh phí {fund_label}",
                "Phân bổ theo chương trình",
            ],
            group_rows,
            _fit([10, 0, 15, 22, 22, 24], 1, width),
            numeric={2, 3, 4, 5},
            total=[
                "Tổng cộng",
                str(len(sheet.rows)),
                _m(total.total_cost),
                _m(total.for_fund(sheet.fund)),
                _m(sheet.allocated_total),
            ],
        )

    _heading(document, "III. DANH MỤC ĐỀ ÁN, HOẠT ĐỘNG")
    money_headers = ["Tổng kinh phí"]
    if sheet.show_kcqg_column:
        money_headers.append("KCQG")
    if sheet.show_kcdp_column:
        money_headers.append("KCĐP")
    money_headers += ["Đối ứng", "Khác"]
    headers = ["STT", "Tên đề án, hoạt động", "Đơn vị thực hiện", "Đơn vị thụ hưởng, địa điểm"]
    headers += [*money_headers, "Thời gian"]

    def money(row_total: int, kcqg: int, kcdp: int, counterpart: int, other: int) -> list[str]:
        values = [_m(row_total)]
        if sheet.show_kcqg_column:
            values.append(_m(kcqg))
        if sheet.show_kcdp_column:
            values.append(_m(kcdp))
        return [*values, _m(counterpart), _m(other)]

    item_rows = []
    for r in sheet.rows:
        where = ", ".join(part for part in (r.beneficiary, r.location) if part)
        item_rows.append(
            [
                str(r.number),
                f"{r.name} ({r.content})",
                r.implementing_unit,
                where,
                *money(r.total_cost, r.kcqg, r.kcdp, r.counterpart, r.other),
                r.timing,
            ]
        )
    if item_rows:
        _unit_note(document)
        widths = [10, 0, 22, 26, *[14] * len(money_headers), 15]
        numeric = set(range(4, 4 + len(money_headers)))
        _table(
            document,
            headers,
            item_rows,
            _fit([float(w) for w in widths], 1, width),
            numeric=numeric,
            total=[
                "Tổng cộng",
                *money(total.total_cost, total.kcqg, total.kcdp, total.counterpart, total.other),
            ],
        )
    else:
        body(document, "Chưa có đề án, hoạt động nào trong kế hoạch.")

    _heading(document, "IV. TỔ CHỨC THỰC HIỆN")
    body(
        document,
        f"1. {sheet.centre}: chủ trì tổ chức thực hiện các đề án, hoạt động; hướng dẫn các "
        "cơ sở lập hồ sơ; kiểm tra, giám sát, nghiệm thu và thanh quyết toán theo quy định.",
    )
    body(
        document,
        "2. Ủy ban nhân dân các xã, phường: phối hợp tuyên truyền, theo dõi, giám sát việc "
        "thực hiện các đề án trên địa bàn; báo cáo kết quả theo quy định.",
    )
    body(
        document,
        "3. Các cơ sở công nghiệp nông thôn thụ hưởng: thực hiện đúng nội dung đã đăng ký, bố "
        "trí đủ vốn đối ứng, phối hợp lập hồ sơ và báo cáo kết quả thực hiện.",
    )

    recipients = []
    if sheet.fund == PlanFund.KCQG:
        recipients.append("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (b/c)")
    recipients += [
        f"UBND {sheet.province} (b/c)",
        "Sở Tài chính",
        "UBND các xã, phường",
        sheet.centre,
    ]
    decree30.add_closing(
        document,
        recipients=recipients,
        signature=decree30.Signature(
            title="Phó Giám đốc", name="", authorities=(("KT.", "Giám đốc"),)
        ),
        archive=("VT", "QLCN"),
    )
    decree30.add_page_numbers(section)
    return decree30.document_bytes(document)
