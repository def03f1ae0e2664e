"""BÁO CÁO (Decree 30/2020/NĐ-CP layout) of a periodic report, as Word, PDF and .xlsx.

Laid out once as a :class:`khuyencong.projects.documents.Paper` (pure data) and drawn by the
same two renderers as the projects' papers (python-docx through ``core.decree30``, WeasyPrint
from ``projects/document_print.html``). The figures are the report's own: its frozen
submission once submitted, its stored draft values before.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from khuyencong.core import decree30, xlsx
from khuyencong.geo.models import UnitLevel
from khuyencong.planning.organisations import centre_name, province_phrase
from khuyencong.projects.documents import (
    NATIONAL_ISSUER,
    Issuer,
    Paper,
    Table,
    Text,
    paper_docx,
    paper_pdf,
)

from . import display, selectors, workflow
from .models import Report

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _issuer(report: Report) -> Issuer:
    unit = report.unit
    if unit.level == UnitLevel.COMMUNE:
        province = unit.province
        name = f"UBND {unit.name}"
        return Issuer(
            parent=f"UBND {province.name}".upper() if province else "",
            lines=(f"ỦY BAN NHÂN DÂN {unit.name}".upper(),),
            name=name,
            head=f"Chủ tịch {name}",
            signature=decree30.Signature(
                title="Chủ tịch", name="", authorities=(("TM.", "Ủy ban nhân dân"),)
            ),
            place=unit.name,
            code="BC-UBND",
            archive=("VT",),
        )
    phrase = province_phrase(unit.name, unit.unit_type)
    if report.reporter == workflow.Reporter.CENTRE:
        centre = centre_name(unit.code, unit.name, unit.unit_type)
        return Issuer(
            parent="SỞ CÔNG THƯƠNG",
            lines=tuple(centre.upper().split(" TỈNH ", 1)[:1]),
            name=centre,
            head=f"Giám đốc {centre}",
            signature=decree30.Signature(title="Giám đốc", name=""),
            place=unit.name,
            code="BC-TTKC",
            archive=("VT",),
        )
    return Issuer(
        parent=f"UBND {phrase}".upper(),
        lines=("SỞ CÔNG THƯƠNG",),
        name=f"Sở Công Thương {phrase}",
        head=f"Giám đốc Sở Công Thương {phrase}",
        signature=decree30.Signature(
            title="Phó Giám đốc", name="", authorities=(("KT.", "Giám đốc"),)
        ),
        place=unit.name,
        code="BC-SCT",
        archive=("VT", "QLCN"),
    )


def _rows(report: Report) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for number, line in enumerate(selectors.lines(report), start=1):
        indicator = line.indicator
        rows.append(
            (
                str(number),
                indicator.label,
                indicator.unit_of_measure,
                display.figure_text(line.total(), indicator),
            )
        )
        for key in line.keys:
            rows.append(
                (
                    "",
                    f"— {display.key_label(key)}",
                    "",
                    display.figure_text(line.total(key), indicator),
                )
            )
    return rows


def paper(report: Report) -> Paper:
    """The report as a BÁO CÁO: basis, the figures table, the narrative, what is missing."""
    issuer = _issuer(report)
    receiver = "Bộ Công Thương (Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công)"
    if report.reporter != workflow.Reporter.PROVINCE:
        receiver = "Sở Công Thương"
    period = report.period_obj
    blocks: list[Any] = [
        Text(
            f"Thực hiện chế độ báo cáo {report.schedule.get_period_kind_display().lower()} về "
            f"hoạt động khuyến công ({report.schedule.basis or report.schedule.name}), "
            f"{issuer.name} báo cáo kết quả {period.label.lower()} (số liệu đến ngày "
            f"{report.cutoff_on.day}/{report.cutoff_on.month}/{report.cutoff_on.year}) như sau:"
        ),
        Text("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", style="heading"),
        Table(
            headers=("STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"),
            rows=tuple(_rows(report)),
            widths=(12, 0, 28, 40),
            numeric=frozenset({3}),
        ),
        Text("II. THUYẾT MINH, ĐÁNH GIÁ", style="heading"),
    ]
    blocks += [Text(p) for p in (report.narrative or "Không có.").splitlines() if p.strip()]
    if report.missing_note:
        blocks += [
            Text("III. ĐƠN VỊ CẤP DƯỚI CHƯA CÓ BÁO CÁO", style="heading"),
            Text(report.missing_note),
        ]
    return Paper(
        issuer=issuer if report.unit.level != UnitLevel.NATIONAL else NATIONAL_ISSUER,
        code=issuer.code,
        number=None,
        issued_on=timezone.localdate(report.last_submitted_at)
        if report.last_submitted_at
        else None,
        doc_type="BÁO CÁO",
        summary=f"Kết quả hoạt động khuyến công {period.label.lower()}",
        blocks=tuple(blocks),
        signatures=(issuer.signature,),
        recipients=(receiver,),
    )


def report_xlsx(report: Report) -> bytes:
    writer = xlsx.ListWriter(
        f"Bao cao {report.period}",
        [
            "Mã chỉ tiêu",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Phân tổ",
            "Của đơn vị",
            "Tổng hợp cấp dưới",
            "Tổng",
            "Mẫu số (tỷ lệ)",
        ],
        [18, 50, 14, 24, 18, 18, 18, 16],
    )
    for line in selectors.lines(report):
        for key in ["", *line.keys]:
            total = line.total(key)
            own, below = line.own.get(key), line.below.get(key)
            writer.append(
                [
                    line.indicator.code,
                    line.indicator.label,
                    line.indicator.unit_of_measure,
                    display.key_label(key),
                    own.numerator if own else None,
                    below.numerator if below else None,
                    total.numerator if total else None,
                    total.denominator if total else None,
                ]
            )
    return writer.bytes()


def render(report: Report, fmt: str) -> bytes:
    if fmt == "xlsx":
        return report_xlsx(report)
    built = paper(report)
    return paper_docx(built) if fmt == "docx" else paper_pdf(built)


def filename(report: Report, fmt: str) -> str:
    return f"bao-cao-{report.unit.code}-{report.period}.{fmt}"
