"""Tests of the appendix workbook (phụ lục kinh phí .xlsx): export, import, round trips.

Pure: no database. One test opens the exported file with real LibreOffice.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from khuyencong.core.testing import libreoffice_convert, pdf_text
from khuyencong.programs.consistency import check_programme
from khuyencong.programs.excel import (
    MAX_UPLOAD_BYTES,
    SHEET_APPENDIX,
    SHEET_INFO,
    AppendixImportError,
    RowError,
    appendix_funds,
    export_appendix,
    import_appendix,
    normalise_programme,
    too_large_message,
)
from khuyencong.programs.programme_data import (
    CONTENT_GROUPS,
    FUNDS,
    KCDP,
    KCQG,
    MILLION,
    ActivityLineData,
    Cell,
    ProgrammeData,
)
from khuyencong.programs.seeds import SEED_PROGRAMMES

SON_LA = SEED_PROGRAMMES["son-la-2026-2030"]
HEADER = 5  # the header starts on row 5: title, subtitle, decision, unit line above it


# ---------------------------------------------------------------------------------------------
# Helpers: open an exported file, find its rows and columns, save it back
# ---------------------------------------------------------------------------------------------
def sheet(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))[SHEET_APPENDIX]


def save(ws: Any) -> bytes:
    out = io.BytesIO()
    ws.parent.save(out)
    return out.getvalue()


def row_of(ws: Any, order: int) -> int:
    """The sheet row of the line whose STT is ``order``."""
    for row in range(HEADER + 3, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == order:
            return row
    raise AssertionError(f"no line {order}")


def row_labelled(ws: Any, label: str) -> int:
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row=row, column=1).value
        if isinstance(value, str) and value.startswith(label):
            return row
    raise AssertionError(f"no row {label}")


def column_of(ws: Any, year: int | None, fund: str | None, block: str) -> int:
    """Column index of a header: ``block`` is "Số lượng", "Kinh phí" or a fixed column label."""
    current_block, current_year = "", None
    for col in range(1, ws.max_column + 1):
        top = ws.cell(row=HEADER, column=col).value
        if top is not None:
            current_block, current_year = str(top), None
            if year is None and current_block.startswith(block):
                return col
        mid = ws.cell(row=HEADER + 1, column=col).value
        if mid is not None:
            current_year = int(str(mid).split()[-1])
        bottom = ws.cell(row=HEADER + 2, column=col).value
        if (
            current_block.startswith(block)
            and current_year == year
            and bottom == FUNDS.get(fund or "", fund)
        ):
            return col
    raise AssertionError(f"no column {block} {year} {fund}")


def decimal_of(value: object) -> Decimal:
    """A numeric cell's value as Decimal (openpyxl reads 62.5 as a float: via its repr)."""
    assert isinstance(value, int | float), value
    assert not isinstance(value, bool), value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def import_errors(content: bytes, base: ProgrammeData = SON_LA, **kwargs: Any) -> list[RowError]:
    with pytest.raises(AppendixImportError) as caught:
        import_appendix(content, base=base, **kwargs)
    assert caught.value.errors, "an import error must carry at least one problem"
    return caught.value.errors


def edited(change: Callable[[Any], None], p: ProgrammeData = SON_LA) -> bytes:
    """Export ``p``, let ``change`` edit the appendix sheet, return the saved file."""
    ws = sheet(export_appendix(p))
    change(ws)
    return save(ws)


# ---------------------------------------------------------------------------------------------
# Round trips of the seeds
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(SEED_PROGRAMMES))
def test_seed_programmes_round_trip_exactly(code: str) -> None:
    p = SEED_PROGRAMMES[code]
    content = export_appendix(p)
    assert content.startswith(b"PK\x03\x04")
    back = import_appendix(content, base=p, filename="phu-luc.xlsx")
    # Literally equal: lines, order, names, units, groups, every cell, stated totals.
    assert back == p
    assert back.lines == p.lines
    assert normalise_programme(back) == normalise_programme(p)


def test_son_la_round_trip_cell_by_cell() -> None:
    back = import_appendix(export_appendix(SON_LA), base=replace(SON_LA, lines=()))
    assert len(back.lines) == 25
    for mine, theirs in zip(back.lines, SON_LA.lines, strict=True):
        assert (mine.order, mine.group_code, mine.name, mine.unit) == (
            theirs.order,
            theirs.group_code,
            theirs.name,
            theirs.unit,
        )
        assert [(c.year, c.fund, c.quantity, c.amount) for c in mine.cells] == [
            (c.year, c.fund, c.quantity, c.amount) for c in theirs.cells
        ]
    # Domestic study tours: 62,5 triệu đồng each, still exactly 62.500.000 đồng.
    tours = back.line(23)
    assert [c.amount for c in tours.cells if c.amount] == [62_500_000] * 4
    assert all(isinstance(c.amount, int) for line in back.lines for c in line.cells)
    assert back.line(20).stated_total_quantity == Decimal(5000)


def test_import_replaces_only_the_lines() -> None:
    base = replace(SON_LA, lines=(), title="Bản nháp", remarks=("ghi chú",))
    back = import_appendix(export_appendix(SON_LA), base=base)
    assert back.lines == SON_LA.lines
    assert back == replace(base, lines=SON_LA.lines)


def test_programme_without_lines_exports_default_funds_and_reads_back_empty() -> None:
    p = SEED_PROGRAMMES["dak-lak-2026-2030"]
    assert appendix_funds(p) == (KCQG, KCDP)
    ws = sheet(export_appendix(p))
    funds = [ws.cell(row=HEADER + 2, column=c).value for c in range(6, 16)]
    assert funds == ["KCQG", "KCĐP"] * 5
    assert import_appendix(export_appendix(p), base=p).lines == ()


# ---------------------------------------------------------------------------------------------
# The exported workbook
# ---------------------------------------------------------------------------------------------
def test_son_la_totals_row() -> None:
    ws = sheet(export_appendix(SON_LA))
    total = row_labelled(ws, "Tổng cộng")
    assert total == row_of(ws, 25) + 1
    grand = ws.cell(row=total, column=column_of(ws, None, None, "Tổng kinh phí")).value
    assert decimal_of(grand) == Decimal(25_965)
    by_fund: dict[str, Decimal] = {KCQG: Decimal(0), KCDP: Decimal(0)}
    for year in range(2026, 2031):
        for fund in (KCQG, KCDP):
            cell = ws.cell(row=total, column=column_of(ws, year, fund, "Kinh phí"))
            assert cell.data_type == "n"  # a number, not text, not a formula
            by_fund[fund] += decimal_of(cell.value)
    assert by_fund == {KCQG: Decimal(7_530), KCDP: Decimal(18_435)}
    # The exact yearly KCĐP totals, not the document's roundings (3.563 …).
    assert decimal_of(ws.cell(row=total, column=column_of(ws, 2027, KCDP, "Kinh phí")).value) == (
        Decimal("3562.5")
    )
    of_which = row_labelled(ws, "Trong đó: Kinh phí khuyến công quốc gia")
    total_col = column_of(ws, None, None, "Tổng kinh phí")
    assert decimal_of(ws.cell(row=of_which, column=total_col).value) == Decimal(7_530)
    assert decimal_of(ws.cell(row=of_which + 1, column=total_col).value) == Decimal(18_435)


def test_numbers_are_numeric_cells_in_trieu_dong() -> None:
    ws = sheet(export_appendix(SON_LA))
    row = row_of(ws, 23)
    cell = ws.cell(row=row, column=column_of(ws, 2027, KCDP, "Kinh phí"))
    assert cell.data_type == "n"
    assert decimal_of(cell.value) == Decimal("62.5")
    assert "0.0" in cell.number_format  # shows its decimals
    whole = ws.cell(row=row_of(ws, 1), column=column_of(ws, None, None, "Tổng kinh phí"))
    assert whole.value == 2000
    assert isinstance(whole.value, int)
    formulas = [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_header_layout() -> None:
    wb = load_workbook(io.BytesIO(export_appendix(SON_LA)))
    assert wb.sheetnames == [SHEET_APPENDIX, SHEET_INFO]
    ws = wb[SHEET_APPENDIX]
    assert ws["A1"].value == "PHỤ LỤC"
    assert "SƠN LA" in ws["A2"].value
    assert ws["A3"].value == (
        "(Kèm theo Quyết định số 1113/QĐ-UBND ngày 11 tháng 5 năm 2026 của Ủy ban nhân dân "
        "tỉnh Sơn La)"
    )
    assert ws["A4"].value == "Đơn vị tính: triệu đồng"
    header = [ws.cell(row=HEADER, column=c).value for c in range(1, ws.max_column + 1)]
    assert [h for h in header if h] == [
        "STT",
        "Nhóm nội dung",
        "Nội dung",
        "Đơn vị tính",
        "Tổng số lượng",
        "Số lượng",
        "Tổng kinh phí",
        "Kinh phí (triệu đồng)",
        "Ghi chú",
    ]
    years = [ws.cell(row=HEADER + 1, column=c).value for c in range(1, ws.max_column + 1)]
    assert [y for y in years if y] == [f"Năm {y}" for y in range(2026, 2031)] * 2
    funds = [ws.cell(row=HEADER + 2, column=c).value for c in range(6, 16)]
    assert funds == ["KCQG", "KCĐP"] * 5
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Fixed columns over three rows; "Số lượng" over F:O; each year over its two funds.
    assert {"A5:A7", "B5:B7", "C5:C7", "D5:D7", "E5:E7", "P5:P7", "AA5:AA7"} <= merged
    assert {"F5:O5", "Q5:Z5"} <= merged
    assert {"F6:G6", "H6:I6", "N6:O6", "Q6:R6", "Y6:Z6"} <= merged
    assert ws["F5"].value == "Số lượng"
    assert ws["Q5"].value == "Kinh phí (triệu đồng)"
    assert ws["F6"].value == "Năm 2026"
    assert ws.freeze_panes == "D8"
    assert ws.print_title_rows == "$5:$7"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["C"].width > 30
    assert ws["C9"].alignment.wrap_text
    # Group headings: Roman STT, the group name, no figures.
    assert ws["A8"].value == "I"
    assert ws["C8"].value == CONTENT_GROUPS[0].name
    info = wb[SHEET_INFO]
    values = {
        info.cell(row=r, column=1).value: info.cell(row=r, column=2).value for r in range(1, 20)
    }
    assert values["Mã chương trình"] == SON_LA.code
    assert values["Mã đơn vị hành chính"] == "14"
    assert values["Thời gian thực hiện"] == "2026 - 2030"
    assert values["Số quyết định phê duyệt"] == "1113/QĐ-UBND"
    assert "triệu đồng" in values["Đơn vị tính"]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    line = ActivityLineData(
        group_code="nhom-2",
        name='=HYPERLINK("http://example.invalid","Bấm vào đây")',
        unit="#N/A",
        order=1,
        cells=(Cell(2026, KCDP, Decimal(1), 1),),
        notes="=1+1",
    )
    p = replace(SON_LA, lines=(line,))
    content = export_appendix(p)
    ws = sheet(content)
    assert ws.cell(row=row_of(ws, 1), column=3).data_type == "s"
    assert normalise_programme(import_appendix(content, base=p)) == normalise_programme(p)


def test_export_refuses_what_the_table_cannot_show() -> None:
    outside = replace(
        SON_LA,
        lines=(replace(SON_LA.lines[0], cells=(Cell(2031, KCQG, Decimal(1), MILLION),)),),
    )
    with pytest.raises(ValueError, match="2031"):
        export_appendix(outside)
    twice = replace(
        SON_LA,
        lines=(
            replace(
                SON_LA.lines[0],
                cells=(Cell(2026, KCQG, Decimal(1), 1), Cell(2026, KCQG, Decimal(2), 2)),
            ),
        ),
    )
    with pytest.raises(ValueError, match="hai ô"):
        export_appendix(twice)


# ---------------------------------------------------------------------------------------------
# What the importer accepts besides the exported file
# ---------------------------------------------------------------------------------------------
def test_numbers_typed_as_vietnamese_text_and_empty_cells() -> None:
    def change(ws: Any) -> None:
        tours = row_of(ws, 23)
        ws.cell(row=tours, column=column_of(ws, 2027, KCDP, "Kinh phí")).value = "62,5"
        ws.cell(row=tours, column=column_of(ws, 2028, KCDP, "Kinh phí")).value = "62.5"
        ws.cell(row=row_of(ws, 20), column=5).value = "5.000"
        ws.cell(
            row=row_of(ws, 4), column=column_of(ws, None, None, "Tổng kinh phí")
        ).value = "6.900"
        # Zeros may be left empty or written as a dash.
        for order in range(1, 26):
            for col in range(6, column_of(ws, None, None, "Ghi chú")):
                cell = ws.cell(row=row_of(ws, order), column=col)
                if cell.value == 0:
                    cell.value = None if col % 2 else "-"

    back = import_appendix(edited(change), base=SON_LA)
    assert normalise_programme(back) == normalise_programme(SON_LA)
    # Empty cells read as zero: the grid stays full, so the file's columns are kept.
    assert back == SON_LA


def test_text_is_cleaned_and_headers_compared_loosely() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 1), column=3).value = "  Hỗ trợ mô hình\ntrình diễn   mới "
        ws.cell(row=HEADER, column=3).value = "nội dung hỗ trợ"
        ws.cell(row=HEADER, column=4).value = "ĐƠN VỊ  TÍNH"
        ws.cell(row=HEADER + 2, column=7).value = "KCDP"

    back = import_appendix(edited(change), base=SON_LA)
    assert back.line(1).name == "Hỗ trợ mô hình trình diễn mới"


def test_line_totals_are_stored_as_stated_and_flagged_by_the_checker() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 1), column=column_of(ws, None, None, "Tổng kinh phí")).value = 2100
        # The total row is computed on export and skipped on import, even when wrong.
        total = row_labelled(ws, "Tổng cộng")
        ws.cell(row=total, column=column_of(ws, None, None, "Tổng kinh phí")).value = 1

    back = import_appendix(edited(change), base=SON_LA)
    assert back.line(1).stated_total_amount == 2_100 * MILLION
    findings = [f for f in check_programme(back) if f.severity == "error"]
    assert [(f.code, f.line) for f in findings] == [("line-amount-mismatch", "1")]


def test_line_named_like_a_total_is_still_a_line() -> None:
    line = ActivityLineData(
        group_code="nhom-6",
        name="Tổng cộng các hội nghị",
        unit="Hội nghị",
        order=7,
        cells=(Cell(2026, KCQG, Decimal(2), 3 * MILLION),),
    )
    p = replace(SON_LA, lines=(line,))
    assert normalise_programme(import_appendix(export_appendix(p), base=p)) == normalise_programme(
        p
    )


# ---------------------------------------------------------------------------------------------
# Bad files: every problem reported, with row, column and a Vietnamese sentence
# ---------------------------------------------------------------------------------------------
def test_wrong_headers() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=HEADER, column=3).value = "Tên"
        ws.cell(row=HEADER, column=4).value = None
        ws.cell(row=HEADER + 2, column=7).value = "Quỹ X"

    errors = import_errors(edited(change))
    assert [(e.row, e.column) for e in errors] == [
        (5, "Nội dung"),
        (5, "Đơn vị tính"),
        (7, "Số lượng"),
    ]
    assert errors[0].message == "Dòng 5: tiêu đề cột C (ô C5) phải là “Nội dung”, tệp ghi “Tên”."
    assert errors[1].message == (
        "Dòng 5: tiêu đề cột D (ô D5) phải là “Đơn vị tính”, ô đang để trống."
    )
    assert "“Quỹ X”, không phải nguồn kinh phí trong danh mục" in errors[2].message


def test_no_header_at_all() -> None:
    wb = Workbook()
    wb.active["A1"] = "Bảng kê"
    out = io.BytesIO()
    wb.save(out)
    [error] = import_errors(out.getvalue())
    assert error.column == "STT"
    assert error.message.startswith("Không tìm thấy dòng tiêu đề của bảng")


def test_text_in_a_number_cell() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 12), column=column_of(ws, 2027, KCDP, "Kinh phí")).value = "abc"

    [error] = import_errors(edited(change))
    row = row_of(sheet(export_appendix(SON_LA)), 12)
    assert error == RowError(
        row,
        "2027 KCĐP (kinh phí)",
        f"Dòng {row}, cột “2027 KCĐP (kinh phí)” (ô T{row}): “abc” không phải là số.",
    )


def test_negative_amount_and_quantity() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 2), column=column_of(ws, 2028, KCQG, "Kinh phí")).value = -5
        ws.cell(row=row_of(ws, 3), column=column_of(ws, 2026, KCQG, "Số lượng")).value = "-1"

    errors = import_errors(edited(change))
    assert [(e.row, e.column) for e in errors] == [
        (10, "2028 KCQG (kinh phí)"),
        (11, "2026 KCQG (số lượng)"),
    ]
    assert errors[0].message.startswith("Dòng 10, cột “2028 KCQG (kinh phí)” (ô U10): ")
    assert errors[0].message.endswith("kinh phí không được âm (-5).")
    assert errors[1].message.endswith("số lượng không được âm (-1).")


def test_missing_year_column() -> None:
    def change(ws: Any) -> None:
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        # Delete 2029 (KCQG, KCĐP) from the amounts, then from the quantities.
        ws.delete_cols(column_of(ws, 2029, KCQG, "Kinh phí"), 2)
        ws.delete_cols(column_of(ws, 2029, KCQG, "Số lượng"), 2)

    errors = import_errors(edited(change))
    assert [e.message for e in errors] == [
        "Thiếu cột năm 2029 trong tiêu đề phần “Số lượng” (dòng 6).",
        "Thiếu cột năm 2029 trong tiêu đề phần “Kinh phí (triệu đồng)” (dòng 6).",
    ]
    assert {e.row for e in errors} == {6}


def test_file_for_other_years_or_another_programme() -> None:
    other_years = replace(SON_LA, start_year=2027, end_year=2031)
    messages = [e.message for e in import_errors(export_appendix(SON_LA), base=other_years)]
    assert "Thiếu cột năm 2031 trong tiêu đề phần “Số lượng” (dòng 6)." in messages
    assert any(m.startswith("Cột năm 2026 trong phần “Số lượng” nằm ngoài") for m in messages)
    [error] = import_errors(export_appendix(SON_LA), base=SEED_PROGRAMMES["khanh-hoa-2026-2030"])
    assert "phụ lục của chương trình “son-la-2026-2030”" in error.message


def test_file_over_the_size_limit_is_refused_before_parsing() -> None:
    content = export_appendix(SON_LA)
    padded = content + b"\0" * (MAX_UPLOAD_BYTES + 1 - len(content))
    [error] = import_errors(padded, filename="phu-luc.xlsx")
    assert error.row is None
    assert error.message.startswith("Tệp “phu-luc.xlsx” lớn hơn giới hạn 5 MB (5 MB)")
    [error] = import_errors(b"x" * (MAX_UPLOAD_BYTES + 1))
    assert "lớn hơn giới hạn 5 MB" in error.message
    assert too_large_message() == (
        "Tệp lớn hơn giới hạn 5 MB: hãy xoá các trang, hình ảnh và định dạng thừa rồi tải lại."
    )
    assert too_large_message(6 * 1024 * 1024 + 100_000, "a.xlsx").startswith(
        "Tệp “a.xlsx” lớn hơn giới hạn 5 MB (6,1 MB): "
    )
    # Exactly at the limit is not refused for its size.
    [error] = import_errors(b"x" * MAX_UPLOAD_BYTES)
    assert "không phải là tệp Excel .xlsx hợp lệ" in error.message


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (PNG, "tải lên tệp phụ lục đã xuất từ hệ thống"),
        ("STT;Nội dung;Kinh phí\n1;Hội chợ;62,5\n".encode(), "tải lên tệp phụ lục"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "Excel cũ (.xls)"),
        (_zip({"readme.txt": b"hello"}), "không chứa bảng tính Excel"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), ".ods"),
        (b"PK\x03\x04 this is not really a zip", "hỏng"),
        (
            _zip({"xl/workbook.xml": b"<not-xml", "[Content_Types].xml": b"<Types/>"}),
            "hỏng hoặc không phải bảng tính Excel",
        ),
    ],
    ids=["png", "text", "xls", "zip", "ods", "broken-zip", "broken-xlsx"],
)
def test_non_xlsx_named_xlsx(content: bytes, detail: str) -> None:
    [error] = import_errors(content, filename="phu-luc.xlsx")
    assert (error.row, error.column) == (None, None)
    assert error.message.startswith("Tệp “phu-luc.xlsx” không phải là tệp Excel .xlsx hợp lệ.")
    assert detail in error.message


def test_truncated_and_empty_uploads() -> None:
    content = export_appendix(SON_LA)
    [error] = import_errors(content[: len(content) // 2])
    assert error.message.startswith("Tệp không phải là tệp Excel .xlsx hợp lệ.")
    [error] = import_errors(b"", filename="a.xlsx")
    assert error.message == "Tệp “a.xlsx” rỗng: hãy chọn lại tệp phụ lục."


def test_unknown_group() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 6), column=2).value = 7

    [error] = import_errors(edited(change))
    assert (error.row, error.column) == (15, "Nhóm nội dung")
    assert error.message == (
        "Dòng 15, cột “Nhóm nội dung” (ô B15): nhóm “7” không có trong danh mục nhóm nội dung: "
        "ghi một số từ 1 đến 6 (xem trang “Thông tin”)."
    )


def test_empty_name() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 9), column=3).value = "   "

    [error] = import_errors(edited(change))
    assert error == RowError(
        18, "Nội dung", "Dòng 18, cột “Nội dung” (ô C18): tên nội dung hỗ trợ đang để trống."
    )


def test_several_errors_in_one_file_are_all_reported() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 1), column=column_of(ws, 2026, KCDP, "Kinh phí")).value = "một"
        ws.cell(row=row_of(ws, 2), column=column_of(ws, 2030, KCDP, "Kinh phí")).value = -1
        ws.cell(row=row_of(ws, 3), column=2).value = "nhóm 9"
        ws.cell(row=row_of(ws, 4), column=3).value = None
        ws.cell(row=row_of(ws, 5), column=column_of(ws, 2027, KCQG, "Kinh phí")).value = "0,0000005"
        ws.cell(row=row_of(ws, 7), column=1).value = 6  # the STT of line 6 again
        ws.cell(row=row_of(ws, 8), column=4).value = None
        ws.cell(row=row_of(ws, 10), column=column_of(ws, 2026, KCQG, "Số lượng")).value = True

    errors = import_errors(edited(change))
    assert [(e.row, e.column) for e in errors] == [
        (9, "2026 KCĐP (kinh phí)"),
        (10, "2030 KCĐP (kinh phí)"),
        (11, "Nhóm nội dung"),
        (12, "Nội dung"),
        (13, "2027 KCQG (kinh phí)"),
        (16, "STT"),
        (17, "Đơn vị tính"),
        (19, "2026 KCQG (số lượng)"),
    ]
    messages = [e.message for e in errors]
    assert "“một” không phải là số." in messages[0]
    assert "0,0000005 triệu đồng không phải là một số nguyên đồng" in messages[4]
    assert messages[5].endswith("số thứ tự 6 trùng với dòng 15.")
    assert all(
        m.startswith(f"Dòng {e.row}, cột “{e.column}”")
        for m, e in zip(messages, errors, strict=True)
    )


def test_error_list_is_capped() -> None:
    def change(ws: Any) -> None:
        for order in range(1, 26):
            for col in range(17, 27):  # the 20 amount cells … of every line: 250 problems
                ws.cell(row=row_of(ws, order), column=col).value = "x"

    errors = import_errors(edited(change))
    assert len(errors) == 201
    assert errors[-1] == RowError(
        None, None, "… và 50 lỗi khác: hãy sửa các lỗi trên rồi tải lại tệp."
    )


def test_rows_below_the_total_and_figures_in_a_heading_row() -> None:
    def change(ws: Any) -> None:
        below = row_labelled(ws, "Trong đó: Kinh phí khuyến công địa phương") + 1
        ws.cell(row=below, column=1).value = 26
        ws.cell(row=below, column=3).value = "Dòng thêm sau tổng"
        ws.cell(row=HEADER + 3, column=column_of(ws, 2026, KCQG, "Kinh phí")).value = 5

    errors = import_errors(edited(change))
    assert [(e.row, e.column) for e in errors] == [(8, "STT"), (42, None)]
    assert "dòng tiêu đề nhóm nên không được có số liệu (ô Q8)" in errors[0].message
    assert errors[1].message.startswith("Dòng 42 nằm dưới dòng “Tổng cộng”")


def test_formula_without_a_saved_result() -> None:
    def change(ws: Any) -> None:
        ws.cell(
            row=row_of(ws, 1), column=column_of(ws, None, None, "Tổng kinh phí")
        ).value = "=SUM(Q9:Z9)"

    [error] = import_errors(edited(change))
    assert error.row == 9
    assert "có công thức nhưng tệp chưa lưu kết quả tính" in error.message


def test_a_date_in_a_number_cell() -> None:
    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 1), column=column_of(ws, 2026, KCQG, "Số lượng")).value = datetime(
            2026, 5, 1
        )

    [error] = import_errors(edited(change))
    assert "ngày tháng (01/05/2026), không phải số" in error.message


# ---------------------------------------------------------------------------------------------
# Property: random small programmes round-trip exactly (under the one normalisation)
# ---------------------------------------------------------------------------------------------
_TEXT = st.text(
    alphabet=st.characters(
        categories=["L", "N", "P", "S", "Zs"],
        exclude_characters="\ufffe\uffff",
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() != "")

_AMOUNTS = st.one_of(
    st.integers(min_value=0, max_value=4_000).map(lambda k: k * 500_000),  # x.5 triệu đồng
    st.integers(min_value=0, max_value=10**12),  # any whole number of đồng
)
_QUANTITIES = st.one_of(
    st.integers(min_value=0, max_value=10_000).map(Decimal),
    st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def programmes(draw: st.DrawFn) -> ProgrammeData:
    start = draw(st.integers(min_value=2021, max_value=2030))
    end = start + draw(st.integers(min_value=0, max_value=4))
    funds = draw(st.lists(st.sampled_from(list(FUNDS)), min_size=1, max_size=3, unique=True))
    columns = [(year, fund) for year in range(start, end + 1) for fund in funds]
    orders = draw(st.lists(st.integers(1, 10_000), min_size=0, max_size=6, unique=True))
    lines = []
    for order in orders:
        chosen = draw(st.lists(st.sampled_from(columns), unique=True, max_size=len(columns)))
        cells = tuple(
            Cell(year=year, fund=fund, quantity=draw(_QUANTITIES), amount=draw(_AMOUNTS))
            for year, fund in chosen
        )
        stated = draw(st.sampled_from(["none", "sum", "other"]))
        total_q = sum((c.quantity for c in cells), Decimal(0))
        total_a = sum(c.amount for c in cells)
        lines.append(
            ActivityLineData(
                group_code=draw(st.sampled_from([g.code for g in CONTENT_GROUPS])),
                name=draw(_TEXT),
                unit=draw(_TEXT),
                order=order,
                cells=cells,
                notes=draw(st.one_of(st.just(""), _TEXT)),
                stated_total_quantity={
                    "none": None,
                    "sum": total_q,
                    "other": total_q + draw(st.integers(1, 9)),
                }[stated],
                stated_total_amount={
                    "none": None,
                    "sum": total_a,
                    "other": total_a + draw(_AMOUNTS),
                }[stated],
            )
        )
    return replace(SON_LA, start_year=start, end_year=end, lines=tuple(lines), targets=())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes())
def test_random_programmes_round_trip(p: ProgrammeData) -> None:
    back = import_appendix(export_appendix(p), base=p)
    assert normalise_programme(back) == normalise_programme(p)
    assert [line.order for line in back.lines] == [line.order for line in p.lines]
    for mine, theirs in zip(back.lines, p.lines, strict=True):
        # Every cell's amount in đồng, exactly (the grid is full: absent cells read as 0).
        amounts = {(c.year, c.fund): c.amount for c in theirs.cells}
        assert {(c.year, c.fund): c.amount for c in mine.cells if c.amount} == {
            k: v for k, v in amounts.items() if v
        }


def _one_line_per_amount(amounts: list[int]) -> ProgrammeData:
    lines = tuple(
        ActivityLineData(
            "nhom-1", f"Dòng {i}", "Cơ sở", i, (Cell(2026, KCQG, Decimal("0.1"), amount),)
        )
        for i, amount in enumerate(amounts, start=1)
    )
    return replace(SON_LA, lines=lines)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=60))
def test_any_whole_dong_amount_survives_the_sheet(amounts: list[int]) -> None:
    p = _one_line_per_amount(amounts)
    back = import_appendix(export_appendix(p), base=p)
    assert [line.cells[0].amount for line in back.lines] == amounts
    assert [line.cells[0].quantity for line in back.lines] == [Decimal("0.1")] * len(amounts)


def test_tricky_amounts_are_exact() -> None:
    # 0,1 and 0,3 triệu đồng have no exact binary form; 1 đồng is the 6th decimal.
    amounts = [100_000, 300_000, 62_500_000, 1, 999_999_999_999_999]
    p = _one_line_per_amount(amounts)
    back = import_appendix(export_appendix(p), base=p)
    assert [line.cells[0].amount for line in back.lines] == amounts


def test_amounts_and_quantities_beyond_their_bounds_are_refused_by_row_and_column() -> None:
    """Issue 10: a cell quantity of 10^13 was accepted and then broke the programme page and its
    export for every viewer. Amounts from 10^15 đồng and quantities from 10^9 are refused."""

    def change(ws: Any) -> None:
        row = row_of(ws, 1)
        ws.cell(row=row, column=6).value = 10**13  # the first year × fund quantity
        ws.cell(row=row, column=column_of(ws, None, None, "Tổng kinh phí")).value = 10**9

    messages = [e.message for e in import_errors(edited(change))]
    assert any("Số lượng phải từ 0 đến 999.999.999,999" in m for m in messages), messages
    assert any("Kinh phí phải từ 0 đến 999.999.999.999.999 đồng" in m for m in messages)


def test_amounts_beyond_excel_precision_are_refused_not_rounded() -> None:
    # 1.234.567.890,123456 triệu đồng: 16 significant digits, more than a cell keeps.
    with pytest.raises(ValueError, match="quá dài"):
        export_appendix(_one_line_per_amount([1_234_567_890_123_456]))


def test_zip_bomb_is_refused_before_reading() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (21 * 1024 * 1024))
    [error] = import_errors(bomb.getvalue())
    assert "sau khi giải nén lớn hơn giới hạn" in error.message


# ---------------------------------------------------------------------------------------------
# A real client: LibreOffice opens the exported file
# ---------------------------------------------------------------------------------------------
def _resave_with_libreoffice(content: bytes, tmp_path: Path) -> bytes:
    """Open and save the file as an official would, with LibreOffice Calc (recalculating)."""
    saved = libreoffice_convert(content, "phu-luc.xlsx", "xlsx:Calc MS Excel 2007 XML", tmp_path)
    return saved.read_bytes()


def test_file_saved_by_libreoffice_with_formulas_imports_the_same(tmp_path: Path) -> None:
    def change(ws: Any) -> None:
        row = row_of(ws, 1)
        total = column_of(ws, None, None, "Tổng kinh phí")
        first = get_column_letter(total + 1)
        last = get_column_letter(total + 10)
        # Officials total with formulas: LibreOffice saves their results, which are read.
        ws.cell(row=row, column=total).value = f"=SUM({first}{row}:{last}{row})"
        ws.cell(row=row, column=5).value = f"=SUM(F{row}:O{row})"

    content = _resave_with_libreoffice(edited(change), tmp_path)
    assert import_appendix(content, base=SON_LA) == SON_LA


def test_libreoffice_opens_the_son_la_appendix(
    libreoffice_pdf: Callable[[bytes, str], Path],
) -> None:
    pdf = libreoffice_pdf(export_appendix(SON_LA), "phu-luc.xlsx")
    assert pdf.stat().st_size > 10_000
    text = pdf_text(pdf)
    # The "[$-42A]" number formats print Vietnamese separators in LibreOffice.
    for expected in ("PHỤ LỤC", "Tổng cộng", "25.965", "7.530", "18.435", "62,5", "3.562,5"):
        assert expected in text


def test_an_appendix_padded_with_endless_blank_rows_imports_without_reading_them() -> None:
    """Issue 10: the programme import loaded the whole (59 MB inflated) workbook into memory.
    It now streams (read-only mode) and stops after a run of blank rows."""
    from khuyencong.core.testing import with_blank_rows

    padded = with_blank_rows(export_appendix(SON_LA), 200_000, then="lost")
    assert import_appendix(padded, base=SON_LA) == SON_LA


def test_data_beyond_the_widest_appendix_row_is_an_error_not_lost() -> None:
    from khuyencong.programs.excel import MAX_COLUMNS

    def change(ws: Any) -> None:
        ws.cell(row=row_of(ws, 1), column=MAX_COLUMNS + 3).value = "ghi chú lạc"

    messages = [e.message for e in import_errors(edited(change))]
    assert any("có dữ liệu ngoài bảng phụ lục" in m for m in messages)


def test_an_appendix_with_too_many_rows_is_refused() -> None:
    from khuyencong.programs.excel import LIMITS

    def change(ws: Any) -> None:
        for r in range(1, LIMITS.max_rows + 2):
            ws.cell(row=r, column=200).value = 1

    [error] = import_errors(edited(change))
    assert f"có hơn {LIMITS.max_rows:,} dòng dữ liệu".replace(",", ".") in error.message
