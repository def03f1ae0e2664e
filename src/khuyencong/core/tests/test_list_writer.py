"""The shared list export writer (write-only, constant memory): the same cells as before, and a
print setup on top."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from openpyxl import load_workbook

from khuyencong.core.xlsx import ListWriter, check_money


def _written(rows: list[list[object]]) -> object:
    writer = ListWriter(
        "Danh sách", ["Tên", "Mã", "Tiền (đồng)", "Ngày"], [30, 10, 16, 12],
        money=frozenset({2}), text=frozenset({1}), freeze="B2",
    )  # fmt: skip
    for row in rows:
        writer.append(row)
    return load_workbook(io.BytesIO(writer.bytes()))["Danh sách"]


def test_cells_header_filter_and_print_setup():
    ws = _written([['=HYPERLINK("x")', "0123", 25_965_000, datetime.date(2026, 3, 2)]])
    assert [c.value for c in ws[1]] == ["Tên", "Mã", "Tiền (đồng)", "Ngày"]
    assert ws["A1"].font.bold
    name, code, money, day = ws[2]
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")  # never a formula
    assert (code.value, code.number_format) == ("0123", "@")
    assert (money.value, money.number_format) == (25_965_000, "#,##0")
    assert day.number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:D2"
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["A"].width == 30


def test_money_must_be_whole_dong():
    with pytest.raises(TypeError, match="whole đồng"):
        check_money(["Cơ sở", "1", 1.5, None], frozenset({2}))


def test_a_row_refused_midway_closes_the_sheet_and_removes_its_temporary_file():
    # Left to the garbage collector, a half-written write-only sheet reports an lxml error
    # ("Exception ignored in <generator ... _write_rows>") and its temporary file stays behind.
    writer = ListWriter("Danh sách", ["Tên", "Tiền"], [30, 16], money=frozenset({1}))
    rows = [["Cơ sở A", 1_000], ["Cơ sở B", 1.5]]
    with pytest.raises(TypeError, match="whole đồng"):
        writer.extend(rows)
    assert writer.sheet.closed
    assert not os.path.exists(writer.sheet._writer.out)
    writer.close()  # closing twice is harmless


def test_after_save_nothing_is_left_and_close_is_harmless():
    writer = ListWriter("Danh sách", ["Tên"], [30]).extend([["Cơ sở A"]])
    content = writer.bytes()
    writer.close()
    assert not os.path.exists(writer.sheet._writer.out)
    ws = load_workbook(io.BytesIO(content))["Danh sách"]
    assert [c.value for c in ws["A"]] == ["Tên", "Cơ sở A"]
