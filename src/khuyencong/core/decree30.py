"""Thể thức văn bản hành chính theo Nghị định 30/2020/NĐ-CP, for python-docx.

Reusable building blocks for the Word documents the system issues (quyết định, báo cáo, kế
hoạch, biên bản, phụ lục): pure functions over a python-docx ``Document`` (or a table cell)
that lay out what Decree 30 prescribes (Phụ lục I of the decree):

- khổ giấy và lề: A4, portrait or landscape; margins top/bottom 20 mm, left 30 mm (the binding
  edge), right 15 mm — :func:`setup_section`;
- phông chữ: Times New Roman (also for East Asian text, so that Vietnamese renders), 13 pt —
  :func:`set_default_font`;
- the header table (phần đầu văn bản) — :func:`add_header`: left, the parent body (cơ quan chủ
  quản, caps) over the issuing body (cơ quan ban hành, caps bold) with a short rule, then
  "Số: 15/QĐ-UBND"; right, the national title (quốc hiệu, caps bold 12-13) over the motto (tiêu
  ngữ, bold 13-14) with a rule as long as the motto, then the italic place and date
  ("Sơn La, ngày 11 tháng 5 năm 2026");
- tên loại và trích yếu nội dung (document type, caps bold; summary, bold) —
  :func:`add_document_title`;
- chữ ký (signature block with TM., KT., Q., TL., TUQ.) — :class:`Signature`,
  :func:`add_signature_block`;
- nơi nhận (recipients, "Nơi nhận:" bold italic 12, ending "- Lưu: VT, ...") —
  :func:`add_recipients_block`; :func:`add_closing` puts both side by side;
- số trang (page numbers, centred in the top margin, not on the first page) —
  :func:`add_page_numbers`;
- table helpers for annexes (phụ lục): column widths, header rows repeated on every page.

Sizes are in points; lengths are python-docx ``Length`` values (``Mm(30)``).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Emu, Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from khuyencong.core.formatting import format_date, format_long_date

__all__ = [
    "A4_HEIGHT",
    "A4_WIDTH",
    "BODY_SIZE",
    "DEFAULT_MARGINS",
    "FONT_NAME",
    "MOTTO",
    "NATIONAL_TITLE",
    "SIGNATURE_PREFIXES",
    "TYPE_CODES",
    "Container",
    "Margins",
    "Signature",
    "add_body_paragraph",
    "add_closing",
    "add_document_title",
    "add_header",
    "add_page_numbers",
    "add_paragraph",
    "add_recipients_block",
    "add_rule",
    "add_signature_block",
    "decision_reference",
    "document_bytes",
    "document_number",
    "keep_row_with_next",
    "new_document",
    "number_line",
    "parse_document_number",
    "place_date_line",
    "prevent_row_split",
    "recipients_lines",
    "repeat_header_rows",
    "set_cell_margins",
    "set_cell_text",
    "set_column_widths",
    "set_default_font",
    "set_run_font",
    "setup_section",
    "short_body_name",
    "signature_lines",
    "text_width",
]

A4_WIDTH: Length = Mm(210)
A4_HEIGHT: Length = Mm(297)
FONT_NAME = "Times New Roman"
BODY_SIZE = 13
"""Cỡ chữ nội dung: Decree 30 allows 13-14 pt."""
FIRST_LINE_INDENT: Length = Mm(10)
"""Lùi đầu dòng of body paragraphs (1-1.27 cm)."""
ZERO: Length = Emu(0)

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
"""Quốc hiệu."""
MOTTO = "Độc lập - Tự do - Hạnh phúc"
"""Tiêu ngữ."""

SIGNATURE_PREFIXES: dict[str, str] = {
    "TM.": "thay mặt (tập thể)",
    "KT.": "ký thay (người đứng đầu)",
    "Q.": "quyền",
    "TL.": "thừa lệnh",
    "TUQ.": "thừa ủy quyền",
}
"""Quyền hạn ký: prefix → meaning."""

TYPE_CODES: dict[str, str] = {
    "QĐ": "Quyết định",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "TB": "Thông báo",
    "HĐ": "Hợp đồng",
    "CV": "Công văn",
}
"""Chữ viết tắt tên loại văn bản (Phụ lục III of the decree) → the type's name."""

_BODY_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
)

Container: TypeAlias = DocxDocument | _Cell
"""Where paragraphs and tables go: the document body or a table cell."""


# --------------------------------------------------------------------------------------------
# Page and font (khổ giấy, lề, phông chữ)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Margins:
    """Lề trang in millimetres: top, bottom, left (the binding edge) and right."""

    top: int = 20
    bottom: int = 20
    left: int = 30
    right: int = 15


DEFAULT_MARGINS = Margins()
"""Decree 30: top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm; we take the narrow end."""


def setup_section(
    section: Section, *, landscape: bool = False, margins: Margins = DEFAULT_MARGINS
) -> None:
    """Set a section to A4 portrait or landscape (khổ A4, trang dọc/ngang) with Decree 30 margins.

    A landscape annex keeps the same margins, the 30 mm binding margin still on the left: the
    page is printed in landscape on its own, as the decree's annexes are, and the PDF rendering
    (``@page { size: A4 landscape; margin: 20mm 15mm 20mm 30mm }``) uses the same box.
    """
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_HEIGHT, A4_WIDTH
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
    section.top_margin = Mm(margins.top)
    section.bottom_margin = Mm(margins.bottom)
    section.left_margin = Mm(margins.left)
    section.right_margin = Mm(margins.right)
    section.gutter = Mm(0)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def text_width(section: Section) -> Length:
    """Width between the left and right margins (chiều rộng vùng trình bày)."""
    width = section.page_width or A4_WIDTH
    return Emu(int(width) - int(section.left_margin or 0) - int(section.right_margin or 0))


def _set_rfonts(rpr: BaseOxmlElement, name: str) -> None:
    """Give every script slot (ASCII, high ANSI, East Asian, complex) the same font."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)


def set_default_font(
    document: DocxDocument,
    *,
    name: str = FONT_NAME,
    size: float = BODY_SIZE,
    language: str = "vi-VN",
) -> None:
    """Make Times New Roman 13 pt the default (phông chữ mặc định), single spacing, no gaps.

    Sets the document defaults and the Normal style, with ``w:eastAsia`` and ``w:cs`` too (a
    theme font there would show Vietnamese in Calibri or a CJK font), and the proofing language.
    """
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_rfonts(rpr, name)
            for tag in ("w:sz", "w:szCs"):
                el = rpr.find(qn(tag))
                if el is not None:
                    el.set(qn("w:val"), str(round(size * 2)))
            lang = rpr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:val"), language)
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")
    normal = document.styles["Normal"]
    normal.font.name = name
    normal.font.size = Pt(size)
    _set_rfonts(normal.element.get_or_add_rPr(), name)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def new_document(*, landscape: bool = False, size: float = BODY_SIZE) -> DocxDocument:
    """A new A4 document with Decree 30 margins and the default font set."""
    document = Document()
    set_default_font(document, size=size)
    setup_section(document.sections[0], landscape=landscape)
    return document


def document_bytes(document: DocxDocument) -> bytes:
    """Serialise a document to the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Runs and paragraphs
# --------------------------------------------------------------------------------------------
def set_run_font(
    run: Run,
    *,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    name: str = FONT_NAME,
) -> None:
    """Set a run's font, size and style; the font name goes to every script slot."""
    run.font.name = name
    _set_rfonts(run._r.get_or_add_rPr(), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


def add_paragraph(
    container: Container,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    space_before: float = 0,
    space_after: float = 0,
) -> Paragraph:
    """Append one paragraph of a single run (spacing in points)."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if text:
        set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _first_paragraph(container: Container) -> Paragraph:
    """A cell starts with one empty paragraph: reuse it rather than leave a blank line."""
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
            return paragraphs[0]
    return container.add_paragraph()


def _add_line(
    container: Container,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    space_before: float = 0,
    space_after: float = 0,
) -> Paragraph:
    paragraph = _first_paragraph(container)
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def add_rule(
    container: Container, *, length: Length, within: Length, space_before: float = 3
) -> Paragraph:
    """A centred horizontal rule (đường kẻ ngang, nét liền) ``length`` long inside ``within``.

    Drawn as the bottom border of an empty, 1 pt high paragraph whose indents centre it, so
    that Word and LibreOffice show it alike without drawing shapes.
    """
    side = max(0, (int(within) - int(length)) // 2)
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = Emu(side)
    fmt.right_indent = Emu(side)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)
    # Keep the element order the schema wants: pBdr comes before spacing and ind.
    for tag in ("w:spacing", "w:ind", "w:jc"):
        el = ppr.find(qn(tag))
        if el is not None:
            ppr.remove(el)
            ppr.append(el)
    return paragraph


def _estimate_width(text: str, size: float, *, bold: bool = False) -> Length:
    """Rough printed width of ``text`` in Times New Roman (for the length of rules)."""
    em = 0.0
    for char in text:
        if char.isspace():
            em += 0.25
        elif char.isupper():
            em += 0.72
        elif char.isdigit() or char.isalpha():
            em += 0.5
        else:
            em += 0.33
    return Pt(em * size * (1.04 if bold else 1.0))


def add_body_paragraph(
    container: Container,
    text: str,
    *,
    size: float = 14,
    first_line_indent: Length = FIRST_LINE_INDENT,
) -> Paragraph:
    """A body paragraph (nội dung văn bản): justified, first line indented, 6 pt after."""
    paragraph = add_paragraph(
        container, text, size=size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6
    )
    paragraph.paragraph_format.first_line_indent = first_line_indent
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


# --------------------------------------------------------------------------------------------
# Number, date, references (số, ký hiệu, địa danh và thời gian)
# --------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*(\S+)\s*$")


def document_number(number: int | str | None, code: str) -> str:
    """Số và ký hiệu: ``(5, "QĐ-UBND")`` → ``"05/QĐ-UBND"``; ``None`` leaves room to write it.

    Numbers below 10 take a leading zero (Decree 30, Phụ lục I).
    """
    if number is None or number == "":
        return f"{' ' * 6}/{code}"
    value = int(number)
    if value < 1:
        raise ValueError(f"Số văn bản phải là số dương, nhận được {number!r}.")
    return f"{value:02d}/{code}"


def number_line(number: int | str | None, code: str) -> str:
    """``"Số: 05/QĐ-UBND"``: the line under the issuing body."""
    return f"Số: {document_number(number, code)}"


def parse_document_number(text: str) -> tuple[int, str]:
    """``"1113/QĐ-UBND"`` → ``(1113, "QĐ-UBND")``; :class:`ValueError` on anything else."""
    match = _NUMBER.match(text)
    if match is None:
        raise ValueError(f"Số, ký hiệu văn bản «{text}» không đúng dạng «15/QĐ-UBND».")
    return int(match.group(1)), match.group(2)


def place_date_line(place: str, day: datetime.date) -> str:
    """Địa danh và thời gian: ``"Sơn La, ngày 11 tháng 5 năm 2026"`` (day, months 1-2 padded)."""
    return format_long_date(day, place)


def short_body_name(name: str) -> str:
    """``"Ủy ban nhân dân tỉnh Sơn La"`` → ``"UBND tỉnh Sơn La"`` (as references write it)."""
    for long, short in _BODY_ABBREVIATIONS:
        if name.lower().startswith(long.lower()):
            return short + name[len(long) :]
    return name


def decision_reference(
    number: str | None, decided_on: datetime.date | None, issuer: str = ""
) -> str | None:
    """The line under an annex title, without brackets.

    ``("1113/QĐ-UBND", date(2026, 5, 11), "Ủy ban nhân dân tỉnh Sơn La")`` →
    ``"Kèm theo Quyết định số 1113/QĐ-UBND ngày 11/5/2026 của UBND tỉnh Sơn La"``.
    The type comes from the code after the slash (:data:`TYPE_CODES`); ``None`` when the number
    or the date is unknown, so that the caller leaves the line out.
    """
    if not number or decided_on is None:
        return None
    try:
        _, code = parse_document_number(number)
    except ValueError:
        code = ""
    type_name = TYPE_CODES.get(code.split("-")[0], "Văn bản")
    text = f"Kèm theo {type_name} số {number.strip()} ngày {format_date(decided_on)}"
    return f"{text} của {short_body_name(issuer)}" if issuer else text


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
def _remove_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = tblpr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tblpr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)


def set_column_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fix a table's column widths (grid and every cell) and layout, for Word and LibreOffice."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(int(w) for w in widths) // 635))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        start = 0
        for tc in tr.tc_lst:
            # A merged cell spans several grid columns: give it their sum.
            span = tc.grid_span
            tc.width = Emu(sum(int(w) for w in widths[start : start + span]))
            start += span


def set_cell_margins(table: Table, *, left: Length, right: Length, top: Length = ZERO) -> None:
    """Inner cell margins of a whole table (lề trong ô)."""
    tblpr = table._tbl.tblPr
    margins = tblpr.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        tblpr.append(margins)
    for edge, value in (("top", top), ("left", left), ("bottom", top), ("right", right)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(value) // 635))
        el.set(qn("w:type"), "dxa")
        margins.append(el)


def repeat_header_rows(table: Table, count: int) -> None:
    """Mark the first ``count`` rows as header rows repeated on every page (lặp lại tiêu đề)."""
    for row in table.rows[:count]:
        trpr = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        trpr.append(header)
        prevent_row_split(row)


def prevent_row_split(row: _Row) -> None:
    """Keep a row on one page (không ngắt dòng của bảng sang trang sau)."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        trpr.insert(0, cant)


def keep_row_with_next(row: _Row) -> None:
    """Keep a table row on the same page as the next one (giữ với dòng sau)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def set_cell_text(
    cell: _Cell,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    vertical: WD_CELL_VERTICAL_ALIGNMENT = WD_CELL_VERTICAL_ALIGNMENT.CENTER,
) -> None:
    """Replace a cell's content with one paragraph of text."""
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    paragraph = paragraphs[0]
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    cell.vertical_alignment = vertical
    if text:
        set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)


# --------------------------------------------------------------------------------------------
# Header (quốc hiệu, tiêu ngữ, cơ quan ban hành, số, địa danh và thời gian)
# --------------------------------------------------------------------------------------------
def _lines(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [line for line in value if line]


def add_header(
    container: Container,
    *,
    issuing_body: str | Sequence[str],
    code: str,
    number: int | str | None = None,
    parent_body: str | Sequence[str] | None = None,
    place: str = "",
    issued_on: datetime.date | None = None,
    subject: str = "",
    width: Length | None = None,
    national_title_size: float = 12,
    motto_size: float = 13,
) -> Table:
    """The two-column header table of Decree 30 (phần đầu văn bản), borderless.

    Left: the parent body (``parent_body``, caps), the issuing body (caps, bold; a list gives
    one line each, e.g. ``["ỦY BAN NHÂN DÂN", "TỈNH SƠN LA"]``), a rule a third to a half as
    long, then "Số: 05/QĐ-UBND" and, for a letter (công văn), its "V/v ..." ``subject``.
    Right: the national title and motto with a rule as long as the motto, then the italic
    place and date (omitted when ``issued_on`` is ``None``). Returns the table.
    """
    if width is None:
        width = (
            text_width(container.sections[-1]) if isinstance(container, DocxDocument) else Mm(165)
        )
    left_width = Emu(int(width) * 2 // 5)
    right_width = Emu(int(width) - int(left_width))
    table = container.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _remove_borders(table)
    set_cell_margins(table, left=Mm(1), right=Mm(1))
    set_column_widths(table, [left_width, right_width])
    inner_left = Emu(int(left_width) - int(Mm(2)))
    inner_right = Emu(int(right_width) - int(Mm(2)))

    left = table.cell(0, 0)
    left.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for line in _lines(parent_body):
        _add_line(left, line.upper(), size=13)
    body_lines = [line.upper() for line in _lines(issuing_body)]
    for line in body_lines:
        _add_line(left, line, size=13, bold=True)
    longest = max((_estimate_width(line, 13, bold=True) for line in body_lines), default=Mm(40))
    rule = Emu(min(int(inner_left), max(int(Mm(15)), int(longest) * 2 // 5)))
    add_rule(left, length=rule, within=inner_left)

    right = table.cell(0, 1)
    right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _add_line(right, NATIONAL_TITLE, size=national_title_size, bold=True)
    _add_line(right, MOTTO, size=motto_size, bold=True)
    motto = Emu(min(int(inner_right), int(_estimate_width(MOTTO, motto_size, bold=True))))
    add_rule(right, length=motto, within=inner_right)

    number_cell = table.cell(1, 0)
    _add_line(number_cell, number_line(number, code), size=13, space_before=6)
    if subject:
        _add_line(number_cell, subject, size=12)
    date_cell = table.cell(1, 1)
    if issued_on is not None:
        _add_line(
            date_cell, place_date_line(place, issued_on), size=13, italic=True, space_before=6
        )
    return table


def add_document_title(
    container: Container,
    doc_type: str,
    summary: str = "",
    *,
    size: float = 14,
    width: Length | None = None,
) -> list[Paragraph]:
    """Tên loại và trích yếu nội dung: the type (caps, bold, centred) and the summary (bold).

    ``add_document_title(doc, "Quyết định", "Phê duyệt Chương trình khuyến công ...")``; a
    rule a third of the text width follows the summary. Returns the paragraphs added.
    """
    paragraphs = [add_paragraph(container, doc_type.upper(), size=size, bold=True, space_before=12)]
    if summary:
        paragraphs.append(add_paragraph(container, summary, size=size, bold=True))
        if width is None:
            width = (
                text_width(container.sections[-1])
                if isinstance(container, DocxDocument)
                else Mm(165)
            )
        paragraphs.append(add_rule(container, length=Emu(int(width) // 3), within=width))
    return paragraphs


# --------------------------------------------------------------------------------------------
# Signature and recipients (chữ ký, nơi nhận)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signature:
    """Chữ ký: authority lines, the signer's own title and name.

    ``authorities`` are (prefix, body or head) pairs from the outermost in, e.g.
    ``(("TM.", "Ủy ban nhân dân"), ("KT.", "Chủ tịch"))`` with ``title="Phó Chủ tịch"`` gives
    "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH". For "Q. CHỦ TỊCH" put
    ``(("Q.", "Chủ tịch"),)`` and leave ``title`` empty. Prefixes: :data:`SIGNATURE_PREFIXES`.
    """

    title: str
    name: str
    authorities: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for prefix, _ in self.authorities:
            if prefix not in SIGNATURE_PREFIXES:
                allowed = ", ".join(SIGNATURE_PREFIXES)
                raise ValueError(f"Quyền hạn ký «{prefix}» không hợp lệ (dùng {allowed}).")


def signature_lines(signature: Signature) -> list[str]:
    """The caps lines above the signature: ``["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]``."""
    lines = [f"{prefix} {body.upper()}" for prefix, body in signature.authorities]
    if signature.title:
        lines.append(signature.title.upper())
    return lines


def add_signature_block(
    container: Container,
    signature: Signature,
    *,
    size: float = 14,
    space: float = 60,
    space_before: float = 0,
) -> list[Paragraph]:
    """Chữ ký block, centred: authority and title in bold caps, ``space`` points, name in bold."""
    paragraphs = [
        _add_line(container, line, size=size, bold=True, space_before=space_before if i == 0 else 0)
        for i, line in enumerate(signature_lines(signature))
    ]
    paragraphs.append(
        _add_line(container, signature.name, size=size, bold=True, space_before=space)
    )
    return paragraphs


def recipients_lines(recipients: Sequence[str], archive: Sequence[str] = ("VT",)) -> list[str]:
    """``["UBND tỉnh"], ["VT", "SCT"]`` → ``["- UBND tỉnh;", "- Lưu: VT, SCT."]``."""
    lines = [f"- {r.strip().rstrip(';.')};" for r in recipients if r.strip()]
    lines.append(f"- Lưu: {', '.join(archive)}.")
    return lines


def add_recipients_block(
    container: Container,
    recipients: Sequence[str],
    archive: Sequence[str] = ("VT",),
    *,
    space_before: float = 0,
) -> list[Paragraph]:
    """Nơi nhận: "Nơi nhận:" (bold italic 12) then one line per recipient (11 pt), left-aligned,
    ending with "- Lưu: VT, ..." (the archive: văn thư and the drafting unit)."""
    paragraphs = [
        _add_line(
            container,
            "Nơi nhận:",
            size=12,
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            space_before=space_before,
        )
    ]
    for line in recipients_lines(recipients, archive):
        paragraphs.append(_add_line(container, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT))
    return paragraphs


def add_closing(
    document: DocxDocument,
    *,
    recipients: Sequence[str],
    signature: Signature,
    archive: Sequence[str] = ("VT",),
) -> Table:
    """The end of a document: recipients on the left, the signature block on the right."""
    width = text_width(document.sections[-1])
    table = document.add_table(rows=1, cols=2)
    _remove_borders(table)
    left = Emu(int(width) * 9 // 20)
    set_column_widths(table, [left, Emu(int(width) - int(left))])
    row = table.rows[0]
    row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    row.cells[1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    add_recipients_block(row.cells[0], recipients, archive, space_before=12)
    add_signature_block(row.cells[1], signature, space_before=12)
    return table


# --------------------------------------------------------------------------------------------
# Page numbers (số trang)
# --------------------------------------------------------------------------------------------
def add_page_numbers(section: Section, *, first_page: bool = False, size: float = 13) -> None:
    """Số trang: Arabic numbers centred in the top margin; not on the first page by default."""
    section.different_first_page_header_footer = not first_page
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    set_run_font(run, size=size)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)
