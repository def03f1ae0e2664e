"""Reading and checking an import file: the pure rules (no database, no HTTP)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from khuyencong.registry import exporting
from khuyencong.registry.importing import (
    HEADERS,
    MAX_UPLOAD_BYTES,
    CommuneRef,
    ImportFileError,
    RegistryContext,
    check_rows,
    parse_rows,
    read_table,
)

from .helpers import VALID, csv_bytes, row, xlsx_bytes

EXPECTED_HEADERS = [
    "Tên cơ sở",
    "Loại hình",
    "Mã số thuế",
    "Địa chỉ",
    "Mã xã",
    "Nhóm sản phẩm",
    "Sản phẩm chính",
    "Chủ cơ sở",
    "Giới tính chủ cơ sở",
    "Chủ cơ sở là người dân tộc thiểu số",
    "Tổng lao động",
    "Lao động nữ",
    "Lao động dân tộc thiểu số",
    "Năm thành lập",
    "Làng nghề",
    "Điện thoại",
    "Email",
]
CONTEXT = RegistryContext(
    communes={
        "03985": CommuneRef("03985", "Xã Chiềng Sơn", True),
        "03646": CommuneRef("03646", "Phường Tô Hiệu", False),
    },
    scope_name="Xã Chiềng Sơn",
)


def parse(content: bytes, filename: str = "ds.csv"):
    rows, errors = parse_rows(read_table(content, filename), current_year=2026)
    return rows, [e.message for e in errors]


def file_errors(content: bytes, filename: str) -> list[str]:
    with pytest.raises(ImportFileError) as info:
        read_table(content, filename)
    return [e.message for e in info.value.errors]


def test_the_template_has_exactly_the_17_headers_in_order_and_a_guide_sheet():
    wb = load_workbook(io.BytesIO(exporting.template_xlsx()))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == EXPECTED_HEADERS
    assert list(HEADERS) == EXPECTED_HEADERS
    assert ws.max_row == 1  # no sample row that could be imported by mistake
    guide = wb["Hướng dẫn"]
    text = "\n".join(str(c.value) for r in guide.iter_rows() for c in r if c.value)
    for header in EXPECTED_HEADERS:
        assert header in text
    assert "Hộ kinh doanh" in text
    assert "Thủ công mỹ nghệ" in text
    assert "Có hoặc Không" in text


def test_the_template_itself_reads_as_a_file_without_rows():
    assert file_errors(exporting.template_xlsx(), "mau.xlsx") == [
        "Tệp “mau.xlsx” không có dòng dữ liệu nào dưới dòng tiêu đề: hãy điền mỗi cơ sở một "
        "dòng, bắt đầu từ dòng 2."
    ]


def test_a_valid_xlsx_row_is_read_into_every_field():
    rows, errors = parse(xlsx_bytes([row()]), "ds.xlsx")
    assert errors == []
    (r,) = rows
    assert (r.row, r.name, r.legal_form, r.tax_code, r.commune_code) == (
        2,
        "Hợp tác xã chè Chiềng Sơn",
        "htx",
        "5500123456",
        "03985",
    )
    assert (r.product_group, r.owner_gender, r.owner_ethnic_minority) == ("2", "nu", True)
    assert (r.employees_total, r.employees_female, r.employees_ethnic_minority) == (25, 18, 20)
    assert (r.founded_year, r.phone, r.email) == (2015, "0912345678", "htx@example.vn")


@pytest.mark.parametrize(
    ("bom", "delimiter"), [(True, ";"), (False, ";"), (True, ","), (False, ",")]
)
def test_csv_with_or_without_bom_and_with_comma_or_semicolon(bom, delimiter):
    content = csv_bytes(
        [row(), row(name="Cơ sở thứ hai", tax_code="")], bom=bom, delimiter=delimiter
    )
    rows, errors = parse(content)
    assert errors == []
    assert [r.name for r in rows] == ["Hợp tác xã chè Chiềng Sơn", "Cơ sở thứ hai"]
    assert rows[0].row == 2
    assert rows[1].row == 3


def test_columns_are_found_by_header_in_any_order_and_accent_insensitively():
    headers = [h.upper() for h in reversed(HEADERS)]
    headers[0] = "email"
    headers[-1] = "Ten co so"
    content = csv_bytes([list(reversed(row()))], headers=headers)
    rows, errors = parse(content)
    assert errors == []
    assert rows[0].name == "Hợp tác xã chè Chiềng Sơn"
    assert rows[0].email == "htx@example.vn"


def test_an_export_with_its_informational_columns_reads_back():
    content = csv_bytes(
        [[*row(), "Xã Chiềng Sơn", "Sơn La"]], headers=[*HEADERS, "Tên xã/phường", "Tỉnh/thành phố"]
    )
    rows, errors = parse(content)
    assert errors == []
    assert rows[0].commune_code == "03985"


def test_wrong_headers_are_reported_before_any_row():
    headers = list(HEADERS)
    headers[4] = "Xã"  # unknown name, and so "Mã xã" is missing
    errors = file_errors(csv_bytes([row()], headers=headers), "ds.csv")
    assert errors == [
        "Dòng 1 (tiêu đề), cột thứ 5: “Xã” không phải tên cột của mẫu: hãy sửa tên cột cho "
        "đúng mẫu hoặc xóa cột này.",
        "Dòng 1 (tiêu đề): thiếu cột “Mã xã”. Hãy thêm cột này (có thể để trống nếu không bắt "
        "buộc) hoặc dùng tệp mẫu tải từ hệ thống.",
    ]


def test_a_file_without_the_template_header_says_so_and_lists_the_columns():
    (message,) = file_errors(xlsx_bytes([["a", "b"]], headers=["STT", "Họ tên"]), "khac.xlsx")
    assert message.startswith("Dòng 1 của tệp không phải dòng tiêu đề của mẫu danh sách cơ sở.")
    assert "“Tên cơ sở”, “Loại hình”" in message


def test_a_repeated_column_is_an_error():
    errors = file_errors(csv_bytes([[*row(), "x"]], headers=[*HEADERS, "Mã xã"]), "ds.csv")
    assert errors == [
        "Dòng 1 (tiêu đề): cột “Mã xã” xuất hiện hai lần (cột thứ 5 và cột thứ 18): hãy xóa "
        "một cột."
    ]


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (
            b"%PDF-1.7\n\x00\x01\x02binary",
            "danh-sach.xlsx",
            "không phải bảng tính .xlsx hay tệp .csv",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "anh.csv", "không phải bảng tính .xlsx hay tệp .csv"),
        (
            b"Ten co so,Loai hinh\nabc,def\n",
            "doi-ten.xlsx",
            "không phải bảng tính .xlsx hay tệp .csv",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cu.xls", "Excel cũ (.xls)"),
        ("Tên,Email\nÂu,é\n".encode("latin-1"), "ds.csv", "không ở mã UTF-8"),
        (b"PK\x03\x04broken zip", "hong.xlsx", "tệp bị hỏng hoặc tải lên chưa hết"),
        (b"", "rong.csv", "rỗng"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_from_their_content(
    content, filename, expected
):
    (message,) = file_errors(content, filename)
    assert expected in message
    assert filename in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (message,) = file_errors(buffer.getvalue(), "nen.xlsx")
    assert "không chứa bảng tính Excel" in message


def test_an_oversize_file_is_refused_before_reading():
    (message,) = file_errors(b"x" * (MAX_UPLOAD_BYTES + 1), "lon.csv")
    assert "lớn hơn giới hạn 20 MB" in message
    assert "(20,0 MB)" in message


@pytest.mark.parametrize(
    ("values", "column", "fragment"),
    [
        ({"name": ""}, "Tên cơ sở", "ô đang trống"),
        ({"legal_form": "Công ty cổ phần lớn"}, "Loại hình", "không phải loại hình hợp lệ"),
        ({"tax_code": "12345"}, "Mã số thuế", "không phải mã số thuế"),
        ({"commune_code": "Chiềng Sơn"}, "Mã xã", "không phải mã xã"),
        ({"product_group": "7"}, "Nhóm sản phẩm", "không phải nhóm sản phẩm hợp lệ"),
        ({"owner_gender": "N"}, "Giới tính chủ cơ sở", "không phải giới tính hợp lệ"),
        (
            {"owner_ethnic_minority": "có lẽ"},
            "Chủ cơ sở là người dân tộc thiểu số",
            "Có hoặc Không",
        ),
        ({"employees_total": "hai mươi"}, "Tổng lao động", "không phải số nguyên"),
        ({"employees_total": "-3"}, "Tổng lao động", "không được âm"),
        ({"employees_female": "30"}, "Lao động nữ", "nhiều hơn tổng lao động"),
        (
            {"employees_ethnic_minority": "26"},
            "Lao động dân tộc thiểu số",
            "nhiều hơn tổng lao động",
        ),
        ({"founded_year": "2030"}, "Năm thành lập", "từ 1800 đến 2026"),
        ({"phone": "gọi Zalo"}, "Điện thoại", "không phải số điện thoại"),
        ({"email": "htx@"}, "Email", "không phải địa chỉ thư điện tử"),
        ({"name": "x" * 256}, "Tên cơ sở", "quá giới hạn 255 ký tự"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column_with_what_to_fix(values, column, fragment):
    _rows, errors = parse(csv_bytes([row(), row(**{"name": "Cơ sở B", "tax_code": "", **values})]))
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"Dòng 3, cột “{column}”: ")
    assert fragment in errors[0]


@pytest.mark.parametrize(
    ("values", "field", "expected"),
    [
        ({"legal_form": "HTX"}, "legal_form", "htx"),
        ({"legal_form": "ho kinh doanh"}, "legal_form", "hkd"),
        ({"legal_form": "DOANH NGHIỆP NHỎ VÀ VỪA"}, "legal_form", "dnnvv"),
        ({"legal_form": "tht"}, "legal_form", "tht"),
        ({"product_group": "Thủ công mỹ nghệ"}, "product_group", "1"),
        ({"product_group": "thu cong my nghe"}, "product_group", "1"),
        ({"product_group": "4"}, "product_group", "4"),
        ({"owner_gender": "nu"}, "owner_gender", "nu"),
        ({"owner_gender": "KHÁC"}, "owner_gender", "khac"),
        ({"owner_gender": ""}, "owner_gender", ""),
        ({"owner_ethnic_minority": "x"}, "owner_ethnic_minority", True),
        ({"owner_ethnic_minority": "0"}, "owner_ethnic_minority", False),
        ({"owner_ethnic_minority": "Không"}, "owner_ethnic_minority", False),
        ({"owner_ethnic_minority": ""}, "owner_ethnic_minority", False),
        ({"tax_code": "0101.234.567"}, "tax_code", "0101234567"),
        ({"tax_code": "0101234567 001"}, "tax_code", "0101234567-001"),
        ({"employees_total": "1.200"}, "employees_total", 1200),
        (
            {"employees_total": "", "employees_female": "", "employees_ethnic_minority": ""},
            "employees_total",
            0,
        ),
        ({"founded_year": "15/03/2010"}, "founded_year", 2010),
        ({"founded_year": ""}, "founded_year", None),
        ({"commune_code": "3985"}, "commune_code", "03985"),
    ],
)
def test_values_are_accepted_in_the_forms_people_type(values, field, expected):
    rows, errors = parse(csv_bytes([row(**values)]))
    assert errors == []
    assert getattr(rows[0], field) == expected


def test_numbers_that_excel_mangled_in_numeric_cells():
    content = xlsx_bytes([row(tax_code=101234567, commune_code=3985, phone=912345678)])
    rows, errors = parse(content, "ds.xlsx")
    assert rows[0].commune_code == "03985"  # fixed width: padded back
    assert rows[0].phone == "0912345678"
    (message,) = errors  # a tax code has no fixed width: refused with the fix
    assert message.startswith("Dòng 2, cột “Mã số thuế”: ô đang ở dạng số nên Excel đã bỏ số 0")
    assert "Văn bản (Text)" in message


def test_empty_rows_are_skipped_but_keep_their_row_numbers():
    content = xlsx_bytes([row(), [None] * 17, row(name="Cơ sở dòng 4", tax_code="")])
    rows, errors = parse(content, "ds.xlsx")
    assert errors == []
    assert [r.row for r in rows] == [2, 4]


def test_duplicates_within_the_file_name_both_rows():
    content = csv_bytes(
        [
            row(),
            row(name="Cơ sở khác", tax_code="5500.123.456"),  # same tax code, written differently
            row(name="HỢP TÁC XÃ CHE CHIENG SON", tax_code=""),  # same name folded, same commune
            row(
                name="Hợp tác xã chè Chiềng Sơn", tax_code="", commune_code="03646"
            ),  # other commune
        ]
    )
    rows, errors = parse(content)
    assert errors == []
    messages = [e.message for e in check_rows(rows, CONTEXT)]
    assert messages[0] == (
        "Dòng 3, cột “Mã số thuế”: mã số thuế “5500123456” trùng với dòng 2 của tệp: mỗi cơ sở "
        "chỉ khai một lần, hãy xóa hoặc sửa một trong hai dòng (2 và 3)."
    )
    assert messages[1].startswith("Dòng 4, cột “Tên cơ sở”: “HỢP TÁC XÃ CHE CHIENG SON” trùng tên")
    assert "(2 và 4)" in messages[1]
    # Row 5 names the same establishment in another commune: not a duplicate, but out of scope.
    assert messages[2].startswith(
        "Dòng 5, cột “Mã xã”: Phường Tô Hiệu (mã 03646) nằm ngoài phạm vi"
    )
    assert len(messages) == 3


def test_duplicates_against_the_registry_and_unknown_communes():
    context = RegistryContext(
        communes=CONTEXT.communes,
        scope_name="Xã Chiềng Sơn",
        existing_tax_codes={"5500123456": "cơ sở “HTX cũ”, Xã Chiềng Sơn", "5500999999": ""},
        existing_names={("03985", "co so b"): "Cơ sở B"},
    )
    rows, _ = parse(
        csv_bytes(
            [
                row(),
                row(name="Cơ sở B", tax_code=""),
                row(name="Cơ sở C", tax_code="5500999999"),
                row(name="Cơ sở D", tax_code="", commune_code="99999"),
            ]
        )
    )
    messages = [e.message for e in check_rows(rows, context)]
    assert messages == [
        "Dòng 2, cột “Mã số thuế”: mã số thuế “5500123456” đã có trong hệ thống (cơ sở “HTX cũ”, "
        "Xã Chiềng Sơn): không nhập trùng, hãy xóa dòng này khỏi tệp; muốn sửa thông tin thì sửa "
        "trên trang của cơ sở.",
        "Dòng 3, cột “Tên cơ sở”: Xã Chiềng Sơn (mã 03985) đã có cơ sở “Cơ sở B” trong hệ thống "
        "(cùng tên, không phân biệt dấu và chữ hoa): không nhập trùng, hãy xóa dòng này hoặc ghi "
        "tên phân biệt.",
        "Dòng 4, cột “Mã số thuế”: mã số thuế “5500999999” đã được đăng ký cho một cơ sở khác "
        "trong hệ thống (ngoài phạm vi của bạn): hãy kiểm tra lại mã.",
        "Dòng 5, cột “Mã xã”: không có xã/phường nào đang hiệu lực mang mã “99999”: hãy tra lại "
        "mã ở trang “Đơn vị” (mã các xã đã đổi từ ngày 01/7/2025).",
    ]


def test_export_writes_text_never_formulas_and_csv_has_a_bom():
    class Commune:
        code, name, parent = "03985", "Xã Chiềng Sơn", None

    class Row:
        name = '=HYPERLINK("http://x")'
        legal_form, tax_code, address, commune = "htx", "5500123456", "", Commune()
        product_group, main_products, owner_name, owner_gender = "2", "Chè", "", "nu"
        owner_ethnic_minority, employees_total, employees_female = True, 3, 1
        employees_ethnic_minority, founded_year, craft_village = 0, None, ""
        phone, email = "+84 912 345 678", ""

    content = exporting.establishments_csv([Row()])
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(EXPECTED_HEADERS)
    assert "'=HYPERLINK" in text
    assert "+84 912 345 678" in text
    ws = load_workbook(io.BytesIO(exporting.establishments_xlsx([Row()]))).active
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value.startswith("=HYPERLINK")
    assert [ws.cell(2, i).value for i in (2, 6, 9, 10)] == [
        "Hợp tác xã",
        "Chế biến nông, lâm, thủy sản và thực phẩm",
        "Nữ",
        "Có",
    ]


def test_valid_defaults_cover_every_column():
    assert set(VALID) == {
        "name", "legal_form", "tax_code", "address", "commune_code", "product_group",
        "main_products", "owner_name", "owner_gender", "owner_ethnic_minority",
        "employees_total", "employees_female", "employees_ethnic_minority", "founded_year",
        "craft_village", "phone", "email",
    }  # fmt: skip


def test_a_sheet_of_a_million_blank_rows_ends_at_the_first_blank_run() -> None:
    """The decompression bomb of issue 10: a small file inflating to endless styled blank rows
    kept a worker busy for 105 s. Reading now ends after LIMITS.blank_run blank rows: the
    time budget (a clock advancing one second per check, 64 rows apart) is never reached."""
    from khuyencong.core import uploads
    from khuyencong.core.testing import with_blank_rows
    from khuyencong.registry.importing import LIMITS

    bomb = with_blank_rows(xlsx_bytes([row()]), 200_000, then="lost")
    clock_reads = []

    def clock() -> float:
        clock_reads.append(1)
        return float(len(clock_reads))

    budget = uploads.Budget(100, clock=clock)
    table = read_table(bomb, "bom.xlsx", budget=budget)
    assert [number for number, _values in table.rows] == [2]
    assert len(clock_reads) <= LIMITS.blank_run // 64 + 2


def test_a_spent_time_budget_refuses_the_file_and_names_it() -> None:
    from khuyencong.core import uploads

    budget = uploads.Budget(0, filename="ds.xlsx", clock=iter(range(10_000)).__next__)
    with pytest.raises(ImportFileError, match=r"Tệp “ds\.xlsx” cần quá 0 giây để đọc"):
        read_table(xlsx_bytes([row()] * 100), "ds.xlsx", budget=budget)


def test_a_preview_reads_only_its_rows_and_says_the_file_has_more() -> None:
    content = csv_bytes([row(name=f"Cơ sở {i}") for i in range(5)])
    table = read_table(content, "ds.csv", preview=3)
    assert (table.row_count, table.complete) == (3, False)
    table = read_table(content, "ds.csv", preview=5)
    assert (table.row_count, table.complete) == (5, True)


def test_an_archive_with_too_many_members_is_refused_before_reading() -> None:
    from khuyencong.registry.importing import LIMITS

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for i in range(LIMITS.max_entries):
            archive.writestr(f"x/{i}", b"")
    [message] = file_errors(out.getvalue(), "nhieu.xlsx")
    assert "tệp con, nhiều hơn giới hạn" in message
