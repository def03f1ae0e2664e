"""Decree 30/2020/NĐ-CP layout helpers (thể thức văn bản): numbers, dates, header, closing."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from khuyencong.core import decree30
from khuyencong.core.testing import pdf_text


def _reopen(document: decree30.DocxDocument) -> decree30.DocxDocument:
    return Document(io.BytesIO(decree30.document_bytes(document)))


def _mm(*lengths: Length | None) -> tuple[float, ...]:
    """Lengths in whole-ish millimetres (Word stores twips: 20 mm is 1134 twips)."""
    return tuple(round(length.mm, 1) for length in lengths if length is not None)


def _pdf_text(path: Path) -> str:
    return pdf_text(path)


# --------------------------------------------------------------------------------------------
# Số, ký hiệu; địa danh và thời gian; trích dẫn
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (5, "Số: 05/QĐ-UBND"),
        ("5", "Số: 05/QĐ-UBND"),
        (9, "Số: 09/QĐ-UBND"),
        (10, "Số: 10/QĐ-UBND"),
        (15, "Số: 15/QĐ-UBND"),
        (1113, "Số: 1113/QĐ-UBND"),
    ],
)
def test_number_line_pads_numbers_below_ten(number, expected):
    assert decree30.number_line(number, "QĐ-UBND") == expected


def test_number_line_leaves_room_when_the_number_is_not_given_yet():
    assert decree30.number_line(None, "QĐ-UBND") == "Số:       /QĐ-UBND"


def test_number_must_be_positive():
    with pytest.raises(ValueError, match="số dương"):
        decree30.document_number(0, "BC-SCT")


def test_parse_document_number():
    assert decree30.parse_document_number("1113/QĐ-UBND") == (1113, "QĐ-UBND")
    assert decree30.parse_document_number(" 2646 / QĐ-BCT ") == (2646, "QĐ-BCT")
    with pytest.raises(ValueError, match="15/QĐ-UBND"):
        decree30.parse_document_number("QĐ 1113")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 5, 11), "Sơn La, ngày 11 tháng 5 năm 2026"),
        (datetime.date(2026, 1, 3), "Sơn La, ngày 03 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 9), "Sơn La, ngày 09 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 1), "Sơn La, ngày 01 tháng 3 năm 2026"),
        (datetime.date(2025, 12, 31), "Sơn La, ngày 31 tháng 12 năm 2025"),
    ],
)
def test_place_date_line_pads_day_and_first_two_months(day, expected):
    assert decree30.place_date_line("Sơn La", day) == expected


def test_decision_reference():
    reference = decree30.decision_reference(
        "1113/QĐ-UBND", datetime.date(2026, 5, 11), "Ủy ban nhân dân tỉnh Sơn La"
    )
    assert reference == "Kèm theo Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La"
    assert decree30.decision_reference(
        "2646/QĐ-BCT", datetime.date(2025, 9, 23), "Bộ Công Thương"
    ) == ("Kèm theo Quyết định số 2646/QĐ-BCT ngày 23/9/2025 của Bộ Công Thương")
    assert decree30.decision_reference("12/KH-SCT", datetime.date(2026, 1, 5)) == (
        "Kèm theo Kế hoạch số 12/KH-SCT ngày 5/1/2026"
    )
    assert decree30.decision_reference(None, datetime.date(2026, 5, 11), "UBND") is None
    assert decree30.decision_reference("1113/QĐ-UBND", None, "UBND") is None


def test_short_body_name():
    assert decree30.short_body_name("Ủy ban nhân dân tỉnh Khánh Hòa") == "UBND tỉnh Khánh Hòa"
    assert decree30.short_body_name("Hội đồng nhân dân tỉnh Sơn La") == "HĐND tỉnh Sơn La"
    assert decree30.short_body_name("Bộ Công Thương") == "Bộ Công Thương"


# --------------------------------------------------------------------------------------------
# Khổ giấy, lề, phông chữ
# --------------------------------------------------------------------------------------------
def test_new_document_is_a4_portrait_with_decree_30_margins():
    section = _reopen(decree30.new_document()).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert _mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert _mm(section.left_margin, section.right_margin) == (30, 15)
    assert round(decree30.text_width(section).mm) == 165


def test_landscape_section_swaps_the_page_and_keeps_the_margins():
    section = _reopen(decree30.new_document(landscape=True)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert _mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert _mm(section.left_margin, section.right_margin) == (30, 15)
    assert round(decree30.text_width(section).mm) == 252


def test_default_font_is_times_new_roman_13_for_every_script():
    document = _reopen(decree30.new_document())
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(13)
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert rfonts.get(qn(f"w:{slot}")) == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default_fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert default_fonts.get(qn("w:eastAsiaTheme")) is None
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "vi-VN"


# --------------------------------------------------------------------------------------------
# Phần đầu văn bản, tên loại, chữ ký, nơi nhận
# --------------------------------------------------------------------------------------------
def _runs(cell):
    return [run for paragraph in cell.paragraphs for run in paragraph.runs]


def _has_rule(cell) -> bool:
    return any(
        p._p.pPr is not None and p._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}") is not None
        for p in cell.paragraphs
    )


def _decision() -> decree30.DocxDocument:
    document = decree30.new_document()
    decree30.add_header(
        document,
        parent_body="UBND tỉnh Sơn La",
        issuing_body="Sở Công Thương",
        code="QĐ-SCT",
        number=5,
        place="Sơn La",
        issued_on=datetime.date(2026, 5, 11),
    )
    decree30.add_document_title(document, "Quyết định", "Phê duyệt kế hoạch khuyến công năm 2027")
    decree30.add_body_paragraph(document, "Căn cứ Nghị định số 30/2020/NĐ-CP về công tác văn thư.")
    decree30.add_closing(
        document,
        recipients=["Như Điều 3", "UBND tỉnh (b/c);"],
        archive=("VT", "QLCN"),
        signature=decree30.Signature(
            title="Phó Giám đốc", name="Nguyễn Văn An", authorities=(("KT.", "Giám đốc"),)
        ),
    )
    decree30.add_page_numbers(document.sections[0])
    return document


def test_header_table_texts_and_styles():
    document = _reopen(_decision())
    header = document.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs if p.text] == ["UBND TỈNH SƠN LA", "SỞ CÔNG THƯƠNG"]
    parent, body = _runs(left)
    assert not parent.bold
    assert body.bold
    assert _has_rule(left)
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    title, motto = _runs(right)
    assert title.bold
    assert motto.bold
    assert Pt(12) <= title.font.size <= Pt(13)
    assert Pt(13) <= motto.font.size <= Pt(14)
    assert _has_rule(right)
    assert header.cell(1, 0).text == "Số: 05/QĐ-SCT"
    date_cell = header.cell(1, 1)
    assert date_cell.text == "Sơn La, ngày 11 tháng 5 năm 2026"
    assert all(run.italic for run in _runs(date_cell))
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:top")).get(qn("w:val")) == "nil"


def test_issuing_body_on_two_lines_and_letter_subject():
    document = decree30.new_document()
    decree30.add_header(
        document,
        issuing_body=["Ủy ban nhân dân", "tỉnh Sơn La"],
        code="UBND-KT",
        number=None,
        subject="V/v đăng ký nhu cầu hỗ trợ khuyến công năm 2027",
    )
    header = _reopen(document).tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH SƠN LA",
    ]
    assert all(run.bold for run in _runs(header.cell(0, 0)))
    number_cell = [p.text for p in header.cell(1, 0).paragraphs]
    assert number_cell == ["Số:       /UBND-KT", "V/v đăng ký nhu cầu hỗ trợ khuyến công năm 2027"]
    assert header.cell(1, 1).text == ""


def test_document_title_is_caps_bold_centred():
    document = _reopen(_decision())
    texts = [p for p in document.paragraphs if p.text]
    kind, summary = texts[0], texts[1]
    assert kind.text == "QUYẾT ĐỊNH"
    assert kind.alignment == decree30.WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in kind.runs)
    assert summary.text == "Phê duyệt kế hoạch khuyến công năm 2027"
    assert all(run.bold for run in summary.runs)


def test_signature_lines():
    signature = decree30.Signature(
        title="Phó Chủ tịch",
        name="Nguyễn Văn A",
        authorities=(("TM.", "Ủy ban nhân dân"), ("KT.", "Chủ tịch")),
    )
    assert decree30.signature_lines(signature) == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    acting = decree30.Signature(title="", name="Trần B", authorities=(("Q.", "Chủ tịch"),))
    assert decree30.signature_lines(acting) == ["Q. CHỦ TỊCH"]
    with pytest.raises(ValueError, match=r"TM\., KT\., Q\., TL\., TUQ\."):
        decree30.Signature(title="Giám đốc", name="X", authorities=(("T/M", "UBND"),))


def test_recipients_lines_end_with_the_archive():
    assert decree30.recipients_lines(["Như Điều 3", "UBND tỉnh (b/c);", " "], ["VT", "SCT"]) == [
        "- Như Điều 3;",
        "- UBND tỉnh (b/c);",
        "- Lưu: VT, SCT.",
    ]


def test_closing_has_recipients_and_signature():
    document = _reopen(_decision())
    closing = document.tables[-1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)
    lines = [p.text for p in recipients.paragraphs]
    assert lines == ["Nơi nhận:", "- Như Điều 3;", "- UBND tỉnh (b/c);", "- Lưu: VT, QLCN."]
    label = recipients.paragraphs[0].runs[0]
    assert label.bold
    assert label.italic
    assert label.font.size == Pt(12)
    assert [p.text for p in signature.paragraphs] == [
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn An",
    ]
    assert all(run.bold for run in _runs(signature))


def test_page_numbers_skip_the_first_page():
    document = _reopen(_decision())
    section = document.sections[0]
    assert section.different_first_page_header_footer
    xml = section.header._element.xml
    assert "PAGE" in xml
    assert 'w:fldCharType="begin"' in xml


def test_libreoffice_opens_a_decision(libreoffice_pdf):
    pdf = libreoffice_pdf(decree30.document_bytes(_decision()), "quyet-dinh.docx")
    text = _pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-SCT",
        "Sơn La, ngày 11 tháng 5 năm 2026",
        "QUYẾT ĐỊNH",
        "Nơi nhận:",
        "- Lưu: VT, QLCN.",
        "Nguyễn Văn An",
    ):
        assert expected in text
