"""Tests of the pure programme representation and of the transcribed seed programmes.

Pure Python: no Django settings, no database.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vietnam_provinces import Province, ProvinceCode

from khuyencong.programs.consistency import (
    fund_totals,
    grand_total,
    group_totals,
    line_totals,
    year_fund_totals,
)
from khuyencong.programs.programme_data import (
    CONTENT_GROUPS,
    CONTENT_GROUPS_BY_CODE,
    DOI_UNG,
    FUND_NAMES,
    FUNDS,
    GROUP_LABEL_MAPPINGS,
    KCDP,
    KCQG,
    KHAC,
    MILLION,
    NSXA,
    ActivityLineData,
    Cell,
    ProgrammeData,
    Target,
    format_dong,
    format_million,
    format_money,
    format_vn_number,
    group_code_for,
    million_to_dong,
    parse_dong,
    parse_vn_number,
)
from khuyencong.programs.seeds import SEED_PROGRAMMES, son_la

SON_LA = SEED_PROGRAMMES["son-la-2026-2030"]
KHANH_HOA = SEED_PROGRAMMES["khanh-hoa-2026-2030"]
QUOC_GIA = SEED_PROGRAMMES["quoc-gia-2026-2030"]
DAK_LAK = SEED_PROGRAMMES["dak-lak-2026-2030"]


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.965", Decimal(25965)),
        ("62,5", Decimal("62.5")),
        ("62.5", Decimal("62.5")),
        ("1.000", Decimal(1000)),
        ("1.500", Decimal(1500)),
        ("5.000", Decimal(5000)),
        ("6000", Decimal(6000)),
        ("04", Decimal(4)),
        ("0", Decimal(0)),
        ("36.383.000.000", Decimal(36383000000)),
        ("1.234,56", Decimal("1234.56")),
        ("3.562,5", Decimal("3562.5")),
        ("-1.500", Decimal(-1500)),
        (" 7.530 ", Decimal(7530)),
        ("\u00a018.435", Decimal(18435)),
    ],
)
def test_parse_vn_number(text: str, expected: Decimal) -> None:
    assert parse_vn_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "1,2,3", "1..0", "1.00.000", ",5", "5,", "1 000", "12.3456.789", "1e3"]
)
def test_parse_vn_number_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="Không đọc được số"):
        parse_vn_number(text)


def test_parse_vn_number_needs_text() -> None:
    with pytest.raises(TypeError):
        parse_vn_number(62.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("62,5", 62_500_000),
        ("62.5", 62_500_000),
        (Decimal("62.5"), 62_500_000),
        ("25.965", 25_965_000_000),
        (7530, 7_530_000_000),
        ("0,000001", 1),
        ("3.562,5", 3_562_500_000),
    ],
)
def test_million_to_dong(value: str | Decimal | int, expected: int) -> None:
    result = million_to_dong(value)
    assert result == expected
    assert type(result) is int


def test_million_to_dong_refuses_fractions_of_a_dong_and_floats() -> None:
    with pytest.raises(ValueError, match="không phải là một số nguyên đồng"):
        million_to_dong("0,0000001")
    with pytest.raises(TypeError, match="float"):
        million_to_dong(62.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        million_to_dong(True)
    with pytest.raises(ValueError, match="hữu hạn"):
        million_to_dong(Decimal("NaN"))
    with pytest.raises(TypeError):
        million_to_dong([62])  # type: ignore[arg-type]


def test_parse_dong() -> None:
    assert parse_dong("36.383.000.000") == 36_383_000_000
    with pytest.raises(ValueError, match="không phải là một số nguyên đồng"):
        parse_dong("1,5")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (36_383_000_000, "36.383.000.000"),
        (Decimal("62.5"), "62,5"),
        (Decimal("3562.50"), "3.562,5"),
        (0, "0"),
        (-1500, "-1.500"),
        (Decimal("5E+3"), "5.000"),
        (Decimal("0.0000001"), "0,0000001"),
        (Decimal("-0.5"), "-0,5"),
    ],
)
def test_format_vn_number(value: int | Decimal, expected: str) -> None:
    assert format_vn_number(value) == expected


def test_format_vn_number_refuses_floats_and_infinities() -> None:
    with pytest.raises(TypeError):
        format_vn_number(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_vn_number(True)
    with pytest.raises(ValueError, match="hữu hạn"):
        format_vn_number(Decimal("Infinity"))


def test_money_formats() -> None:
    assert format_dong(36_383_000_000) == "36.383.000.000 đ"
    assert format_million(62_500_000) == "62,5 triệu đồng"
    assert format_million(25_965_000_000) == "25.965 triệu đồng"
    assert format_million(1) == "0,000001 triệu đồng"
    assert format_money(300_000) == "300.000 đ"
    assert format_money(500_000, MILLION) == "0,5 triệu đồng"


@given(
    st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=6, allow_nan=False)
)
def test_format_then_parse_round_trips(value: Decimal) -> None:
    assert parse_vn_number(format_vn_number(value)) == value


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_then_parse_round_trips_integers(value: int) -> None:
    assert parse_vn_number(format_vn_number(value)) == value


@given(st.integers(min_value=0, max_value=10**15))
def test_million_to_dong_inverts_format_million(amount: int) -> None:
    text = format_million(amount).removesuffix(" triệu đồng")
    assert million_to_dong(text) == amount


# ---------------------------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------------------------
def test_funds() -> None:
    assert FUNDS == {
        KCQG: "KCQG",
        KCDP: "KCĐP",
        NSXA: "Ngân sách xã",
        DOI_UNG: "Vốn đối ứng",
        KHAC: "Khác",
    }
    assert (KCQG, KCDP, NSXA, DOI_UNG, KHAC) == ("KCQG", "KCDP", "NSXA", "DOI_UNG", "KHAC")
    assert set(FUND_NAMES) == set(FUNDS)


def test_content_groups() -> None:
    assert [g.code for g in CONTENT_GROUPS] == [f"nhom-{n}" for n in range(1, 7)]
    assert [g.number for g in CONTENT_GROUPS] == list(range(1, 7))
    assert CONTENT_GROUPS_BY_CODE["nhom-5"].name == (
        "Hỗ trợ tư vấn thông tin phát triển CNNT; công tác truyền thông"
    )
    assert CONTENT_GROUPS_BY_CODE["nhom-6"].name == (
        "Nâng cao năng lực tổ chức thực hiện các hoạt động khuyến công"
    )
    assert all(g.short_name for g in CONTENT_GROUPS)


def test_group_label_mappings_point_at_the_catalogue() -> None:
    for mapping in GROUP_LABEL_MAPPINGS.values():
        assert set(mapping.values()) <= set(CONTENT_GROUPS_BY_CODE)


@pytest.mark.parametrize(
    ("scheme", "label", "expected"),
    [
        ("son-la/phu-luc", "3", "nhom-3"),
        ("son-la/muc-tieu", "g", "nhom-6"),
        ("khanh-hoa/muc-tieu", "c", "nhom-5"),
        ("khanh-hoa/muc-tieu", "đ)", "nhom-4"),
        ("khanh-hoa/noi-dung", "7", "nhom-1"),
        ("dak-lak/noi-dung", "đ", "nhom-5"),
        ("dak-lak/noi-dung", " e) ", "nhom-6"),
    ],
)
def test_group_code_for(scheme: str, label: str, expected: str) -> None:
    assert group_code_for(scheme, label) == expected


def test_group_code_for_unknown() -> None:
    with pytest.raises(KeyError, match="Không có bảng chuyển đổi"):
        group_code_for("ha-noi/muc-tieu", "a")
    with pytest.raises(KeyError, match="không có trong bảng chuyển đổi"):
        group_code_for("son-la/muc-tieu", "đ")


# ---------------------------------------------------------------------------------------------
# Dataclass invariants
# ---------------------------------------------------------------------------------------------
def _programme(**changes: object) -> ProgrammeData:
    base: dict[str, object] = {
        "code": "thu",
        "level": "province",
        "unit_code": "14",
        "title": "Chương trình thử",
        "start_year": 2026,
        "end_year": 2030,
        "decision_number": None,
        "decision_date": None,
        "issuing_body": "",
        "signer": "",
    }
    base.update(changes)
    return ProgrammeData(**base)  # type: ignore[arg-type]


def test_cell_refuses_floats_and_bools() -> None:
    with pytest.raises(TypeError, match="Kinh phí"):
        Cell(2026, KCQG, Decimal(1), 62.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Kinh phí"):
        Cell(2026, KCQG, Decimal(1), True)
    with pytest.raises(TypeError, match="Số lượng"):
        Cell(2026, KCQG, 1.0, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Số lượng"):
        Cell(2026, KCQG, Decimal("NaN"), 1)
    with pytest.raises(TypeError, match="Năm"):
        Cell("2026", KCQG, Decimal(1), 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="nguồn"):
        Cell(2026, 1, Decimal(1), 1)  # type: ignore[arg-type]


def test_line_validation() -> None:
    cell = Cell(2026, KCQG, Decimal(1), 1)
    with pytest.raises(TypeError, match="tuple"):
        ActivityLineData("nhom-1", "x", "Lớp", 1, [cell])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tuple"):
        ActivityLineData("nhom-1", "x", "Lớp", 1, ("ô",))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Tổng số lượng"):
        ActivityLineData("nhom-1", "x", "Lớp", 1, (cell,), stated_total_quantity=1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Tổng kinh phí"):
        ActivityLineData("nhom-1", "x", "Lớp", 1, (cell,), stated_total_amount=1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Số thứ tự"):
        ActivityLineData("nhom-1", "x", "Lớp", 1.0, (cell,))  # type: ignore[arg-type]


def test_target_validation() -> None:
    with pytest.raises(ValueError, match="muc-tieu hoặc noi-dung"):
        Target("nhom-1", "x", "lớp", Decimal(1), "ket-qua", "k", "x")
    with pytest.raises(ValueError, match="khóa"):
        Target("nhom-1", "x", "lớp", Decimal(1), "muc-tieu", "", "x")
    with pytest.raises(TypeError, match="chỉ tiêu"):
        Target("nhom-1", "x", "lớp", 1, "muc-tieu", "k", "x")  # type: ignore[arg-type]


def test_programme_validation() -> None:
    with pytest.raises(ValueError, match="Cấp chương trình"):
        _programme(level="district")
    with pytest.raises(ValueError, match="Năm kết thúc"):
        _programme(start_year=2030, end_year=2026)
    with pytest.raises(ValueError, match="phải dương"):
        _programme(printed_unit=0)
    with pytest.raises(TypeError, match="stated_fund_totals"):
        _programme(stated_fund_totals={KCQG: 1.5})
    with pytest.raises(TypeError, match="printed_year_fund_totals"):
        _programme(printed_year_fund_totals={(2026, KCQG): Decimal(1)})
    with pytest.raises(TypeError, match="phải là dict"):
        _programme(stated_fund_totals=[(KCQG, 1)])
    with pytest.raises(TypeError, match="Tổng kinh phí"):
        _programme(stated_grand_total=Decimal(1))
    with pytest.raises(TypeError, match="tuple"):
        _programme(lines=[])
    with pytest.raises(TypeError, match="Năm bắt đầu"):
        _programme(start_year="2026")


def test_programme_helpers() -> None:
    assert list(SON_LA.years) == [2026, 2027, 2028, 2029, 2030]
    assert SON_LA.line(23).unit == "Đoàn"
    with pytest.raises(KeyError, match="Không có dòng số 26"):
        SON_LA.line(26)
    assert hash(SON_LA) == hash(SON_LA)


def _walk(value: object) -> list[object]:
    """Every value inside a seed (dataclass fields, tuples, dict keys and values)."""
    out: list[object] = [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            out.extend(_walk(getattr(value, f.name)))
    elif isinstance(value, tuple | list):
        for item in value:
            out.extend(_walk(item))
    elif isinstance(value, dict):
        for k, v in value.items():
            out.extend(_walk(k))
            out.extend(_walk(v))
    return out


@pytest.mark.parametrize("code", sorted(SEED_PROGRAMMES))
def test_seeds_hold_no_float(code: str) -> None:
    assert not [v for v in _walk(SEED_PROGRAMMES[code]) if isinstance(v, float)]


# ---------------------------------------------------------------------------------------------
# The seed catalogue
# ---------------------------------------------------------------------------------------------
def test_seed_codes() -> None:
    assert set(SEED_PROGRAMMES) == {
        "quoc-gia-2026-2030",
        "son-la-2026-2030",
        "dak-lak-2026-2030",
        "khanh-hoa-2026-2030",
    }
    for code, programme in SEED_PROGRAMMES.items():
        assert programme.code == code
        assert (programme.start_year, programme.end_year) == (2026, 2030)
        assert programme.source.endswith(".txt")


@pytest.mark.parametrize(
    ("code", "province_name"),
    [
        ("son-la-2026-2030", "Sơn La"),
        ("khanh-hoa-2026-2030", "Khánh Hòa"),
        ("dak-lak-2026-2030", "Đắk Lắk"),
    ],
)
def test_province_codes_follow_vietnam_provinces(code: str, province_name: str) -> None:
    programme = SEED_PROGRAMMES[code]
    assert programme.level == "province"
    province = Province.from_code(ProvinceCode(int(programme.unit_code)))
    assert province.name == province_name


def test_national_programme_is_national() -> None:
    assert QUOC_GIA.level == "national"
    assert QUOC_GIA.unit_code == "VN"


@pytest.mark.parametrize("code", sorted(SEED_PROGRAMMES))
def test_seed_targets_are_well_formed(code: str) -> None:
    programme = SEED_PROGRAMMES[code]
    pairs = [(t.section, t.key) for t in programme.targets]
    assert len(pairs) == len(set(pairs)), "one key per section"
    for target in programme.targets:
        assert target.group_code in CONTENT_GROUPS_BY_CODE
        assert target.quantity > 0
        assert target.text.strip() == target.text
        assert target.qualifier in {"", "khoảng", "dự kiến", "trên", "từ"}


# ---------------------------------------------------------------------------------------------
# Sơn La (QĐ 1113/QĐ-UBND) — the appendix, exactly
# ---------------------------------------------------------------------------------------------
def test_son_la_decision() -> None:
    assert SON_LA.decision_number == "1113/QĐ-UBND"
    assert SON_LA.decision_date == date(2026, 5, 11)
    assert SON_LA.issuing_body == "Ủy ban nhân dân tỉnh Sơn La"
    assert SON_LA.unit_code == "14"
    assert SON_LA.printed_unit == MILLION


def test_son_la_has_25_lines_in_order() -> None:
    assert len(SON_LA.lines) == 25
    assert [line.order for line in SON_LA.lines] == list(range(1, 26))
    groups = [line.group_code for line in SON_LA.lines]
    assert (
        groups
        == ["nhom-1"] * 5
        + ["nhom-2"] * 10
        + ["nhom-3"]
        + ["nhom-4"] * 2
        + ["nhom-5"] * 3
        + ["nhom-6"] * 4
    )


def test_son_la_units() -> None:
    assert [line.unit for line in SON_LA.lines] == [
        "Mô hình", "Mô hình", "Mô hình", "Cơ sở", "Cơ sở",
        "Đợt", "Phòng", "Cơ sở", "Cơ sở", "Hội chợ", "Hội chợ", "Hội chợ", "Cơ sở", "Nhãn hiệu",
        "Cơ sở",
        "Cụm",
        "Lớp", "Doanh nghiệp",
        "Chương trình", "Bản tin", "Hội nghị",
        "Lượt", "Đoàn", "Đoàn", "Xã/phường",
    ]  # fmt: skip


def test_son_la_every_line_has_every_year_and_fund() -> None:
    for line in SON_LA.lines:
        assert [(c.year, c.fund) for c in line.cells] == list(son_la.COLUMNS)


def test_son_la_totals() -> None:
    assert grand_total(SON_LA) == 25_965_000_000
    assert fund_totals(SON_LA) == {KCQG: 7_530_000_000, KCDP: 18_435_000_000}


def test_son_la_year_fund_totals() -> None:
    # The printed total row reads 300 | 2.075 | 1.550 | 3.563 | 1.350 | 4.758 | 1.880 | 4.508 |
    # 2.450 | 3.533 (triệu đồng); the KCĐP figures of 2027-2030 are roundings of x,5.
    assert year_fund_totals(SON_LA) == {
        (2026, KCQG): 300_000_000,
        (2026, KCDP): 2_075_000_000,
        (2027, KCQG): 1_550_000_000,
        (2027, KCDP): 3_562_500_000,
        (2028, KCQG): 1_350_000_000,
        (2028, KCDP): 4_757_500_000,
        (2029, KCQG): 1_880_000_000,
        (2029, KCDP): 4_507_500_000,
        (2030, KCQG): 2_450_000_000,
        (2030, KCDP): 3_532_500_000,
    }


def test_son_la_printed_year_totals_are_kept_as_printed() -> None:
    assert SON_LA.printed_year_fund_totals == {
        (2026, KCQG): 300_000_000,
        (2026, KCDP): 2_075_000_000,
        (2027, KCQG): 1_550_000_000,
        (2027, KCDP): 3_563_000_000,
        (2028, KCQG): 1_350_000_000,
        (2028, KCDP): 4_758_000_000,
        (2029, KCQG): 1_880_000_000,
        (2029, KCDP): 4_508_000_000,
        (2030, KCQG): 2_450_000_000,
        (2030, KCDP): 3_533_000_000,
    }
    printed_kcdp = sum(
        v for (_, fund), v in SON_LA.printed_year_fund_totals.items() if fund == KCDP
    )
    assert printed_kcdp == 18_437_000_000  # two million more than the stated 18.435


def test_son_la_stated_totals() -> None:
    assert SON_LA.stated_grand_total == 25_965_000_000
    assert SON_LA.stated_fund_totals == {KCQG: 7_530_000_000, KCDP: 18_435_000_000}


def test_son_la_group_totals() -> None:
    assert group_totals(SON_LA) == {
        "nhom-1": 12_350_000_000,
        "nhom-2": 9_805_000_000,
        "nhom-3": 600_000_000,
        "nhom-4": 260_000_000,
        "nhom-5": 1_650_000_000,
        "nhom-6": 1_300_000_000,
    }


def test_son_la_line_totals_match_the_printed_ones() -> None:
    for line in SON_LA.lines:
        totals = line_totals(line)
        assert totals.quantity == line.stated_total_quantity, line.order
        assert totals.amount == line.stated_total_amount, line.order


def test_son_la_domestic_study_tours_cost_62_5_million_each() -> None:
    tours = SON_LA.line(23)
    assert tours.name.startswith("Tổ chức đoàn khảo sát")
    assert tours.name.endswith("ở trong nước")
    paid = [(c.year, c.fund, c.quantity, c.amount) for c in tours.cells if c.amount]
    assert paid == [(year, KCDP, Decimal(1), 62_500_000) for year in (2027, 2028, 2029, 2030)]
    assert line_totals(tours) == (Decimal(4), 250_000_000)


@pytest.mark.parametrize(
    ("order", "quantity", "amount"),
    [
        (1, "2", 2_000_000_000),
        (4, "23", 6_900_000_000),
        (10, "1", 1_280_000_000),
        (15, "45", 1_575_000_000),
        (20, "5000", 250_000_000),
        (21, "24", 1_200_000_000),
        (25, "5", 500_000_000),
    ],
)
def test_son_la_sample_lines(order: int, quantity: str, amount: int) -> None:
    assert line_totals(SON_LA.line(order)) == (Decimal(quantity), amount)


def test_son_la_cells_of_line_5() -> None:
    cells = {(c.year, c.fund): (c.quantity, c.amount) for c in SON_LA.line(5).cells if c.amount}
    assert cells == {
        (2027, KCQG): (Decimal(1), 450_000_000),
        (2027, KCDP): (Decimal(1), 450_000_000),
        (2028, KCQG): (Decimal(1), 450_000_000),
        (2029, KCDP): (Decimal(1), 450_000_000),
        (2030, KCQG): (Decimal(1), 450_000_000),
    }


def test_son_la_parse_row_needs_ten_columns() -> None:
    row = ("1", "x", "Lớp", "1", "1 0", "1", "1 0")
    with pytest.raises(ValueError, match="Cần 10 cột"):
        son_la.parse_row(1, row)


def test_son_la_targets() -> None:
    got = [(t.key, t.quantity, t.lines) for t in SON_LA.targets]
    assert got == [
        ("mo-hinh-trinh-dien", 4, (1, 2)),
        ("mo-hinh-sxsh", 2, (3,)),
        ("may-moc-thiet-bi", 23, (4,)),
        ("day-chuyen-cong-nghe", 5, (5,)),
        ("binh-chon-cap-tinh", 2, (6,)),
        ("phong-trung-bay", 5, (7,)),
        ("trung-bay-tai-co-so", 45, (8, 9)),
        ("to-chuc-hoi-cho", 1, (10,)),
        ("ho-tro-tham-gia-hoi-cho", 5, (11,)),
        ("tham-gia-hoi-cho-quang-ba", 9, (12,)),
        ("ve-may-bay-nuoc-ngoai", 8, (13,)),
        ("nhan-hieu", 50, (14,)),
        ("tu-van-thiet-ke-mau-ma", 45, (15,)),
        ("xu-ly-moi-truong-ccn", 2, (16,)),
        ("lop-dao-tao-tay-nghe", 4, (17,)),
        ("thanh-lap-doanh-nghiep", 6, (18,)),
        ("chuong-trinh-truyen-hinh", 4, (19,)),
        ("ban-tin-an-pham", 5000, (20,)),
        ("doan-khao-sat", 5, (23, 24)),
    ]
    assert {t.section for t in SON_LA.targets} == {"muc-tieu"}
    assert {t.group_code for t in SON_LA.targets if t.key == "doan-khao-sat"} == {"nhom-6"}


# ---------------------------------------------------------------------------------------------
# Khánh Hòa (QĐ 524/QĐ-UBND)
# ---------------------------------------------------------------------------------------------
def test_khanh_hoa_decision_and_totals() -> None:
    assert KHANH_HOA.decision_number == "524/QĐ-UBND"
    assert KHANH_HOA.decision_date == date(2026, 2, 9)
    assert KHANH_HOA.unit_code == "56"
    assert KHANH_HOA.lines == ()
    assert KHANH_HOA.stated_fund_totals == {KCQG: 3_135_000_000, KCDP: 33_248_300_000}
    assert KHANH_HOA.stated_grand_total == 36_383_000_000
    assert sum(KHANH_HOA.stated_fund_totals.values()) == 36_383_300_000
    assert KHANH_HOA.printed_unit == 1


def test_khanh_hoa_targets_in_both_sections() -> None:
    objectives = {t.key: t for t in KHANH_HOA.targets if t.section == "muc-tieu"}
    contents = {t.key: t for t in KHANH_HOA.targets if t.section == "noi-dung"}
    assert len(objectives) == 18
    assert len(contents) == 25
    assert set(objectives) <= set(contents)
    differing = {k for k in objectives if objectives[k].quantity != contents[k].quantity}
    assert differing == {"an-pham-quang-ba"}
    assert (objectives["an-pham-quang-ba"].quantity, objectives["an-pham-quang-ba"].unit) == (
        3,
        "brochure",
    )
    assert (contents["an-pham-quang-ba"].quantity, contents["an-pham-quang-ba"].unit) == (
        600,
        "ấn phẩm",
    )
    assert contents["tai-lieu-sxtdbv"].quantity == 6000
    assert contents["may-moc-thiet-bi"].qualifier == "từ"
    assert objectives["tap-huan-co-so"].group_code == "nhom-4"
    assert objectives["phong-su-truyen-hinh"].group_code == "nhom-5"
    assert contents["hoi-nghi-sxtdbv"].group_code == "nhom-1"


# ---------------------------------------------------------------------------------------------
# National (QĐ 2646/QĐ-BCT) and Đắk Lắk: targets only
# ---------------------------------------------------------------------------------------------
def test_national_decision() -> None:
    assert QUOC_GIA.decision_number == "2646/QĐ-BCT"
    assert QUOC_GIA.decision_date == date(2025, 9, 23)
    assert QUOC_GIA.issuing_body == "Bộ Công Thương"
    assert QUOC_GIA.signer == "Nguyễn Sinh Nhật Tân"
    assert QUOC_GIA.lines == ()
    assert QUOC_GIA.stated_fund_totals == {}


def test_national_targets() -> None:
    assert [(t.key, t.quantity, t.group_code) for t in QUOC_GIA.targets] == [
        ("mo-hinh-trinh-dien", 100, "nhom-1"),
        ("may-moc-day-chuyen", 1600, "nhom-1"),
        ("mo-hinh-sxsh", 100, "nhom-1"),
        ("xu-ly-moi-truong", 100, "nhom-3"),
        ("binh-chon-cap-quoc-gia", 2, "nhom-2"),
        ("nhan-hieu", 120, "nhom-2"),
        ("to-chuc-hoi-cho-trong-nuoc", 15, "nhom-2"),
        ("to-chuc-hoi-cho-nuoc-ngoai", 5, "nhom-2"),
        ("tham-gia-hoi-cho-trong-nuoc", 50, "nhom-2"),
        ("tham-gia-hoi-cho-nuoc-ngoai", 12, "nhom-2"),
        ("hoi-nghi-dao-tao-can-bo", 35, "nhom-6"),
        ("hoc-vien", 7500, "nhom-4"),
    ]
    assert QUOC_GIA.targets[-1].qualifier == "khoảng"


def test_dak_lak_targets() -> None:
    assert DAK_LAK.decision_number is None
    assert DAK_LAK.decision_date is None
    assert DAK_LAK.unit_code == "66"
    assert [(t.key, t.quantity, t.group_code) for t in DAK_LAK.targets] == [
        ("may-moc-thiet-bi", 98, "nhom-1"),
        ("lop-sxsh", 5, "nhom-1"),
        ("hoc-vien-sxsh", 300, "nhom-1"),
        ("ket-noi-cung-cau", 2, "nhom-1"),
        ("thuong-hieu", 20, "nhom-2"),
        ("binh-chon-cap-tinh", 2, "nhom-2"),
        ("phong-trung-bay", 25, "nhom-2"),
        ("xuc-tien-dau-tu-ccn", 3, "nhom-3"),
        ("xu-ly-moi-truong", 5, "nhom-3"),
        ("ban-tin", 5, "nhom-5"),
        ("tu-van", 15, "nhom-5"),
        ("kiem-tra-giam-sat", 5, "nhom-6"),
        ("lop-tap-huan-khuyen-cong", 4, "nhom-6"),
        ("hoc-vien-tap-huan-khuyen-cong", 360, "nhom-6"),
        ("doan-khao-sat", 5, "nhom-6"),
    ]
    assert {t.section for t in DAK_LAK.targets} == {"noi-dung"}
