"""Phụ lục kinh phí as Word and PDF (documents.appendix_docx / appendix_pdf)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from khuyencong.core.testing import pdf_text
from khuyencong.programs import consistency, documents
from khuyencong.programs.programme_data import MILLION, format_vn_number
from khuyencong.programs.seeds import SEED_PROGRAMMES

SON_LA = SEED_PROGRAMMES["son-la-2026-2030"]
TARGETS_ONLY = ["quoc-gia-2026-2030", "dak-lak-2026-2030", "khanh-hoa-2026-2030"]
HEADER_ROWS = 3
ROMAN = {"I", "II", "III", "IV", "V", "VI"}


def _pdf_text(path: Path) -> str:
    return pdf_text(path)


def _pdf_size(path: Path) -> tuple[float, float]:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.fail("pdfinfo is missing: apt-get install poppler-utils")
    out = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    assert match is not None, out
    return float(match.group(1)), float(match.group(2))


@pytest.fixture(scope="module")
def son_la_docx() -> bytes:
    return documents.appendix_docx(SON_LA)


@pytest.fixture(scope="module")
def son_la_doc(son_la_docx):
    return Document(io.BytesIO(son_la_docx))


@pytest.fixture(scope="module")
def son_la_table(son_la_doc):
    assert len(son_la_doc.tables) == 1
    return son_la_doc.tables[0]


def _body_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows[HEADER_ROWS:]]


def _row(table, first_cells: str):
    for cells in _body_rows(table):
        if cells[1].startswith(first_cells):
            return cells
    raise AssertionError(f"no row «{first_cells}»")


# --------------------------------------------------------------------------------------------
# The layout (bố cục)
# --------------------------------------------------------------------------------------------
def test_annex_rows_of_son_la():
    annex = documents.annex(SON_LA)
    kinds = [row.kind for row in annex.rows]
    assert kinds.count("line") == 25
    assert kinds.count("group") == 6
    assert kinds.count("total") == 1
    assert kinds.count("fund") == 2
    assert kinds[-3:] == ["total", "fund", "fund"]
    assert annex.years == (2026, 2027, 2028, 2029, 2030)
    assert annex.fund_labels == ("KCQG", "KCĐP")
    assert len(annex.columns) == 10
    assert (
        annex.title
        == "KINH PHÍ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG TỈNH SƠN LA GIAI ĐOẠN 2026 - 2030"
    )
    assert annex.reference == (
        "Kèm theo Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La"
    )


def test_group_rows_carry_the_group_subtotals():
    annex = documents.annex(SON_LA)
    groups = [row for row in annex.rows if row.kind == "group"]
    expected = consistency.group_totals(SON_LA)
    assert [row.number for row in groups] == ["I", "II", "III", "IV", "V", "VI"]
    assert [row.total_amount for row in groups] == [
        format_vn_number(amount // MILLION) for amount in expected.values()
    ]
    # Group VI (năng lực tổ chức): the domestic study tours put halves into the KCĐP columns.
    assert groups[-1].amounts[3] == "212,5"


def test_totals_are_computed_exactly_not_the_printed_roundings():
    total = next(row for row in documents.annex(SON_LA).rows if row.kind == "total")
    assert total.total_amount == "25.965"
    # 2027 KCĐP: the decision prints 3.563, the lines add up to 3.562,5.
    assert total.amounts[3] == "3.562,5"
    assert total.amounts == (
        "300", "2.075", "1.550", "3.562,5", "1.350", "4.757,5", "1.880", "4.507,5", "2.450",
        "3.532,5",
    )  # fmt: skip


def test_title_normalises_the_year_range():
    annex = documents.annex(SEED_PROGRAMMES["khanh-hoa-2026-2030"])
    assert annex.title == (
        "CHỈ TIÊU CỦA CHƯƠNG TRÌNH KHUYẾN CÔNG GIAI ĐOẠN 2026 - 2030 TRÊN ĐỊA BÀN TỈNH KHÁNH HÒA"
    )


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------
def test_docx_is_landscape_a4_with_decree_30_margins(son_la_doc):
    section = son_la_doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert son_la_doc.styles["Normal"].font.name == "Times New Roman"


def test_docx_heading(son_la_doc):
    texts = [p.text for p in son_la_doc.paragraphs if p.text]
    assert texts[:4] == [
        "Phụ lục",
        "KINH PHÍ THỰC HIỆN CHƯƠNG TRÌNH KHUYẾN CÔNG TỈNH SƠN LA GIAI ĐOẠN 2026 - 2030",
        "(Kèm theo Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La)",
        "Đơn vị tính: triệu đồng",
    ]


def test_docx_header_rows_are_merged_and_repeated(son_la_table):
    assert len(son_la_table.columns) == 25
    rows = son_la_table.rows
    for index, row in enumerate(rows):
        header = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        assert header == (index < HEADER_ROWS), index
    first = rows[0]._tr.tc_lst
    assert [tc.grid_span for tc in first] == [1, 1, 1, 11, 11]
    assert [row.cells[3].text for row in rows[:3]] == ["Số lượng", "Tổng số", "Tổng số"]
    assert rows[0].cells[14].text == "Kinh phí hỗ trợ"
    assert rows[1].cells[15].text == "Năm 2026"
    assert [cell.text for cell in rows[2].cells[4:6]] == ["KCQG", "KCĐP"]
    assert rows[1].cells[14].text == "Tổng kinh phí"


def test_docx_rows_lines_groups_and_total(son_la_table):
    rows = _body_rows(son_la_table)
    numbers = [cells[0] for cells in rows]
    assert [n for n in numbers if n.isdigit()] == [str(i) for i in range(1, 26)]
    assert [n for n in numbers if n in ROMAN] == ["I", "II", "III", "IV", "V", "VI"]
    assert len(rows) == 25 + 6 + 1 + 2
    total = _row(son_la_table, "Tổng cộng")
    assert total[14] == "25.965"
    assert _row(son_la_table, "Trong đó: Kinh phí khuyến công quốc gia")[14] == "7.530"
    assert _row(son_la_table, "Trong đó: Kinh phí khuyến công địa phương")[14] == "18.435"


def test_docx_line_cells(son_la_table):
    tours = _row(son_la_table, "Tổ chức đoàn khảo sát, học tập kinh nghiệm")
    assert tours[0] == "23"
    assert tours[2] == "Đoàn"
    assert tours[3] == "4"
    assert tours[14] == "250"
    assert tours[15:] == ["-", "-", "-", "62,5", "-", "62,5", "-", "62,5", "-", "62,5"]
    bulletins = _row(son_la_table, "Xuất bản bản tin")
    assert bulletins[3] == "5.000"
    assert bulletins[4:14] == ["-", "-", "-", "-", "-", "2.500", "-", "2.500", "-", "-"]


def test_docx_group_row_spans_the_quantity_columns(son_la_table):
    group_row = son_la_table.rows[HEADER_ROWS]
    cells = group_row._tr.tc_lst
    assert [tc.grid_span for tc in cells[:3]] == [1, 13, 1]
    assert group_row.cells[0].text == "I"
    assert group_row.cells[1].text.startswith("Hỗ trợ xây dựng mô hình trình diễn kỹ thuật")
    assert group_row.cells[14].text == "12.350"


def test_docx_table_fits_between_the_margins(son_la_doc, son_la_table):
    section = son_la_doc.sections[0]
    width = int(section.page_width) - int(section.left_margin) - int(section.right_margin)
    grid = son_la_table._tbl.tblGrid.gridCol_lst
    assert len(grid) == 25
    assert sum(int(col.w) for col in grid) <= width
    size = son_la_table.rows[HEADER_ROWS + 1].cells[1].paragraphs[0].runs[0].font.size
    assert 8 <= size.pt <= 9


def test_docx_omits_the_reference_when_the_decision_is_unknown():
    programme = SEED_PROGRAMMES["dak-lak-2026-2030"]
    assert programme.decision_number is None
    document = Document(io.BytesIO(documents.appendix_docx(programme)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kèm theo" not in text
    assert "Quyết định số" not in text
    assert "CHỈ TIÊU CỦA CHƯƠNG TRÌNH KHUYẾN CÔNG TỈNH ĐẮK LẮK GIAI ĐOẠN 2026 - 2030" in text


@pytest.mark.parametrize("code", TARGETS_ONLY)
def test_docx_of_a_targets_only_programme_lists_its_targets(code):
    programme = SEED_PROGRAMMES[code]
    assert not programme.lines
    document = Document(io.BytesIO(documents.appendix_docx(programme)))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    (table,) = document.tables
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["STT", "Chỉ tiêu", "Đơn vị tính", "Số lượng", "Nêu tại phần", "Nguyên văn"]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    target_rows = [cells for cells in rows if cells[0].isdigit()]
    assert len(target_rows) == len(programme.targets)
    for cells, target in zip(target_rows, _targets_in_group_order(programme), strict=True):
        assert cells[1] == target.name
        assert cells[2] == target.unit
        assert cells[3].endswith(format_vn_number(target.quantity))
        assert cells[4] in ("Mục tiêu", "Nội dung")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def _targets_in_group_order(programme):
    order = {f"nhom-{n}": n for n in range(1, 7)}
    return sorted(programme.targets, key=lambda t: order[t.group_code])


def test_docx_targets_of_dak_lak():
    document = Document(io.BytesIO(documents.appendix_docx(SEED_PROGRAMMES["dak-lak-2026-2030"])))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    machinery = next(cells for cells in rows if cells[1].startswith("Cơ sở CNNT ứng dụng máy"))
    assert machinery[2:5] == ["cơ sở", "dự kiến 98", "Nội dung"]
    assert any(cells[1] == "Lượt người được đào tạo về sản xuất sạch hơn" for cells in rows)


def test_libreoffice_opens_the_docx(son_la_docx, libreoffice_pdf):
    pdf = libreoffice_pdf(son_la_docx, "phu-luc.docx")
    width, height = _pdf_size(pdf)
    assert (round(width), round(height)) == (842, 595)
    text = _pdf_text(pdf)
    for expected in ("Phụ lục", "Tổng cộng", "25.965", "7.530", "18.435", "3.562,5", "62,5"):
        assert expected in text
    assert "Kèm theo Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La" in text
    # The header rows are repeated: "Kinh phí hỗ trợ" on every page.
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    assert all("Kinh phí hỗ trợ" in page for page in pages)


def test_libreoffice_opens_a_targets_only_docx(libreoffice_pdf):
    programme = SEED_PROGRAMMES["khanh-hoa-2026-2030"]
    pdf = libreoffice_pdf(documents.appendix_docx(programme), "chi-tieu.docx")
    text = _pdf_text(pdf)
    assert "Kèm theo Quyết định số 524/QĐ-UBND ngày 9/2/2026 của UBND tỉnh Khánh Hòa" in text
    assert "Chỉ tiêu" in text


# --------------------------------------------------------------------------------------------
# HTML and PDF (WeasyPrint)
# --------------------------------------------------------------------------------------------
def test_html_has_repeating_header_and_all_rows():
    html = documents.appendix_html(SON_LA)
    assert "size: A4 landscape" in html
    assert "margin: 20mm 15mm 20mm 30mm" in html
    assert "display: table-header-group" in html
    assert '"Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif", serif' in html
    assert html.count('<tr class="line">') == 25
    assert html.count('<tr class="group">') == 6
    assert html.count('<tr class="total">') == 1
    assert "<thead>" in html


@pytest.fixture(scope="module")
def son_la_pdf(tmp_path_factory) -> Path:
    content = documents.appendix_pdf(SON_LA)
    assert content.startswith(b"%PDF")
    path = tmp_path_factory.mktemp("pdf") / "phu-luc.pdf"
    path.write_bytes(content)
    return path


def test_pdf_is_landscape_a4(son_la_pdf):
    width, height = _pdf_size(son_la_pdf)
    assert (round(width), round(height)) == (842, 595)


def test_pdf_text_has_vietnamese_and_the_totals(son_la_pdf):
    text = _pdf_text(son_la_pdf)
    for expected in (
        "Phụ lục",
        "Sơn La",
        "Tổng cộng",
        "25.965",
        "7.530",
        "18.435",
        "3.562,5",
        "62,5",
        "Kèm theo Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La",
        "Nội dung",
        "Hỗ trợ xây dựng và đăng ký",
        "nhãn hiệu sản phẩm",
        "Đoàn",
    ):
        assert expected in text
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    assert all("Kinh phí hỗ trợ" in page for page in pages)


def test_pdf_of_a_targets_only_programme(tmp_path):
    programme = SEED_PROGRAMMES["dak-lak-2026-2030"]
    path = tmp_path / "chi-tieu.pdf"
    path.write_bytes(documents.appendix_pdf(programme))
    text = _pdf_text(path)
    assert "CHỈ TIÊU CỦA CHƯƠNG TRÌNH KHUYẾN CÔNG TỈNH ĐẮK LẮK" in text
    assert "dự kiến 98" in text
    assert "Kèm theo" not in text
