"""The shared list export writer (constant memory): the same cells as before, and a print setup
on top."""

from __future__ import annotations

import datetime
import decimal
import io
import tempfile

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
    assert ws["A1"].fill.fgColor.rgb.endswith("1F5C99")
    assert ws["A1"].alignment.wrap_text
    assert ws.row_dimensions[1].height == 45
    name, code, money, day = ws[2]
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")  # never a formula
    assert (code.value, code.number_format) == ("0123", "@")
    assert (money.value, money.number_format) == (25_965_000, "#,##0")
    assert (day.value, day.number_format) == (datetime.datetime(2026, 3, 2), "dd/mm/yyyy")
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:D2"
    assert ws.page_setup.orientation == "landscape"
    # One page wide (1 is the default, which a file may leave out), as many pages high as needed.
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert [ws.column_dimensions[c].width for c in "ABCD"] == [30, 10, 16, 12]


def test_every_kind_of_value_reads_back_as_written():
    ws = _written(
        [
            ["http://x.vn", 123, None, datetime.datetime(2026, 3, 2, 8, 30)],
            ["+84 912", None, 0, None],
            ["0912", "", -5, datetime.date(2026, 1, 1)],
            [True, "=1+1", None, decimal.Decimal("2.5")],
            ["", "007", 1, 3.25],
        ]
    )
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert values == [
        ["http://x.vn", "123", None, datetime.datetime(2026, 3, 2, 8, 30)],
        ["+84 912", None, 0, None],
        ["0912", None, -5, datetime.datetime(2026, 1, 1)],
        [True, "=1+1", None, 2.5],
        [None, "007", 1, 3.25],
    ]
    assert ws["A2"].hyperlink is None  # an address stays text, never a link
    assert all(ws.cell(row=r, column=2).number_format == "@" for r in range(2, 7))
    assert ws.auto_filter.ref == "A1:D6"


def test_text_is_kept_exactly_markup_control_characters_and_spaces_included():
    texts = ["Hợp tác xã <Sơn La> & Cộng sự", "  thụt lề ", "tab\tnewline\n"]
    ws = _written([[text, text, None, None] for text in [*texts, "a\x01b"]])
    assert [c.value for c in ws["A"][1:4]] == texts
    assert [c.value for c in ws["B"][1:4]] == texts
    # XML cannot hold U+0001: written as Excel writes it (Excel shows the character again;
    # openpyxl does not decode it) instead of failing the whole export.
    assert ws["A5"].value == ws["B5"].value == "a_x0001_b"


def test_a_time_with_a_time_zone_is_refused():
    moment = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)
    writer = ListWriter("Danh sách", ["Lúc"], [20])
    with pytest.raises(TypeError, match="time zone"):
        writer.extend([[moment]])


def test_money_must_be_whole_dong():
    with pytest.raises(TypeError, match="whole đồng"):
        check_money(["Cơ sở", "1", 1.5, None], frozenset({2}))


def test_a_value_of_no_known_kind_is_refused():
    writer = ListWriter("Danh sách", ["Tên"], [30])
    with pytest.raises(TypeError, match="cannot write"):
        writer.extend([[object()]])


@pytest.fixture
def own_tempdir(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_row_refused_midway_closes_the_sheet_and_removes_its_temporary_file(own_tempdir):
    writer = ListWriter("Danh sách", ["Tên", "Tiền"], [30, 16], money=frozenset({1}))
    rows = [["Cơ sở A", 1_000], ["Cơ sở B", 1.5]]
    with pytest.raises(TypeError, match="whole đồng"):
        writer.extend(rows)
    assert list(own_tempdir.iterdir()) == []
    writer.close()  # closing twice is harmless


def test_after_save_nothing_is_left_and_close_is_harmless(own_tempdir):
    writer = ListWriter("Danh sách", ["Tên"], [30]).extend([["Cơ sở A"]])
    content = writer.bytes()
    writer.close()
    assert list(own_tempdir.iterdir()) == []
    ws = load_workbook(io.BytesIO(content))["Danh sách"]
    assert [c.value for c in ws["A"]] == ["Tên", "Cơ sở A"]
