"""Tests of the pure consistency checker (kiểm tra tính thống nhất của chương trình)."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.programs import consistency
from khuyencong.programs.consistency import (
    CODES,
    SEVERITIES,
    Finding,
    check_programme,
    fund_totals,
    grand_total,
    group_totals,
    line_totals,
    year_fund_totals,
)
from khuyencong.programs.programme_data import (
    CONTENT_GROUPS,
    DOI_UNG,
    FUNDS,
    KCDP,
    KCQG,
    MILLION,
    ActivityLineData,
    Cell,
    ProgrammeData,
    Target,
)
from khuyencong.programs.seeds import SEED_PROGRAMMES

SON_LA = SEED_PROGRAMMES["son-la-2026-2030"]
KHANH_HOA = SEED_PROGRAMMES["khanh-hoa-2026-2030"]


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------
def cell(year: int, fund: str, quantity: str | int, amount: int) -> Cell:
    return Cell(year=year, fund=fund, quantity=Decimal(quantity), amount=amount)


def line(
    order: int,
    *cells: Cell,
    group: str = "nhom-1",
    unit: str = "Lớp",
    name: str = "Lớp tập huấn",
    stated_quantity: str | int | None = None,
    stated_amount: int | None = None,
) -> ActivityLineData:
    return ActivityLineData(
        group_code=group,
        name=name,
        unit=unit,
        order=order,
        cells=cells,
        stated_total_quantity=None if stated_quantity is None else Decimal(stated_quantity),
        stated_total_amount=stated_amount,
    )


def target(
    key: str, quantity: str | int, section: str = "muc-tieu", *, unit: str = "lớp", **kw: object
) -> Target:
    return Target(
        group_code=str(kw.pop("group", "nhom-4")),
        name=str(kw.pop("name", "Lớp tập huấn")),
        unit=unit,
        quantity=Decimal(quantity),
        section=section,
        key=key,
        text=f"Tổ chức {quantity} {unit}",
        **kw,  # type: ignore[arg-type]
    )


def programme(
    *lines: ActivityLineData, targets: tuple[Target, ...] = (), **kw: object
) -> ProgrammeData:
    fields: dict[str, object] = {
        "code": "thu-nghiem",
        "level": "province",
        "unit_code": "14",
        "title": "Chương trình thử nghiệm",
        "start_year": 2026,
        "end_year": 2030,
        "decision_number": "1/QĐ-UBND",
        "decision_date": None,
        "issuing_body": "Ủy ban nhân dân tỉnh",
        "signer": "",
        "lines": lines,
        "targets": targets,
    }
    fields.update(kw)
    return ProgrammeData(**fields)  # type: ignore[arg-type]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


# ---------------------------------------------------------------------------------------------
# The seeds
# ---------------------------------------------------------------------------------------------
def test_son_la_has_four_rounding_infos_and_nothing_else() -> None:
    findings = check_programme(SON_LA)
    assert [(f.severity, f.code) for f in findings] == [("info", "year-fund-total-rounding")] * 4
    assert [(f.numbers["year"], f.numbers["fund"]) for f in findings] == [
        (2027, KCDP),
        (2028, KCDP),
        (2029, KCDP),
        (2030, KCDP),
    ]
    assert [f.numbers["printed"] for f in findings] == [
        3_563_000_000,
        4_758_000_000,
        4_508_000_000,
        3_533_000_000,
    ]
    assert [f.numbers["computed"] for f in findings] == [
        3_562_500_000,
        4_757_500_000,
        4_507_500_000,
        3_532_500_000,
    ]
    assert {f.numbers["difference"] for f in findings} == {500_000}
    assert findings[0].message == (
        "Năm 2027, nguồn KCĐP: dòng tổng in 3.563 triệu đồng, số chính xác cộng từ các dòng là "
        "3.562,5 triệu đồng (làm tròn 0,5 triệu đồng)."
    )
    assert all(f.line is None for f in findings)


def test_khanh_hoa_grand_total_is_300_000_dong_short() -> None:
    findings = check_programme(KHANH_HOA)
    errors = [f for f in findings if f.severity == "error"]
    assert codes(errors) == ["grand-total-mismatch"]
    error = errors[0]
    assert error.numbers == {
        "stated": 36_383_000_000,
        "sum_of_funds": 36_383_300_000,
        "difference": -300_000,
    }
    assert error.message == (
        "Tổng kinh phí ghi 36.383.000.000 đ nhưng cộng các nguồn (KCQG 3.135.000.000 đ + KCĐP "
        "33.248.300.000 đ) được 36.383.300.000 đ: tổng ghi thiếu 300.000 đ."
    )


def test_khanh_hoa_brochure_target_stated_twice() -> None:
    findings = check_programme(KHANH_HOA)
    warnings = [f for f in findings if f.severity == "warning"]
    assert codes(warnings) == ["target-conflict"]
    warning = warnings[0]
    assert warning.numbers["key"] == "an-pham-quang-ba"
    assert (warning.numbers["quantity_1"], warning.numbers["quantity_2"]) == ("3", "600")
    assert "phần mục tiêu ghi 3 brochure" in warning.message
    assert "phần nội dung ghi 600 ấn phẩm" in warning.message


def test_khanh_hoa_has_no_budget_table() -> None:
    findings = check_programme(KHANH_HOA)
    assert codes(findings) == ["no-budget-table", "grand-total-mismatch", "target-conflict"]


@pytest.mark.parametrize("code", ["quoc-gia-2026-2030", "dak-lak-2026-2030"])
def test_targets_only_programmes_have_no_finding(code: str) -> None:
    assert check_programme(SEED_PROGRAMMES[code]) == []


def test_son_la_caps_from_a_norms_hook() -> None:
    """A hook capping domestic study tours at 60 triệu đồng flags the four 62,5 ones."""
    seen: list[tuple[int, int, str]] = []

    def cap(line: ActivityLineData, c: Cell) -> int | None:
        seen.append((line.order, c.year, c.fund))
        return 60 * MILLION if line.order == 23 else None

    findings = check_programme(SON_LA, unit_cost_cap=cap)
    over = [f for f in findings if f.code == "unit-cost-over-cap"]
    assert [(f.line, f.numbers["year"]) for f in over] == [
        ("23", 2027),
        ("23", 2028),
        ("23", 2029),
        ("23", 2030),
    ]
    assert over[0].numbers["unit_cost"] == 62_500_000
    assert over[0].numbers["cap"] == 60_000_000
    assert "62,5 triệu đồng mỗi đoàn" in over[0].message
    assert "vượt mức tối đa 60 triệu đồng mỗi đoàn" in over[0].message
    assert over[0].message.startswith("Dòng 23 «Tổ chức đoàn khảo sát")
    # Called only for cells with a quantity: never for the empty columns.
    assert all(SON_LA.line(o).cells for o, _, _ in seen)
    assert len(seen) == sum(1 for ln in SON_LA.lines for c in ln.cells if c.quantity > 0)


def test_son_la_within_the_national_caps() -> None:
    """The appendix stays within the DOMAIN.md §4 caps (1.000 / 300 / 450 / 500 / 35 tr.đ)."""
    caps = {1: 1000, 3: 500, 4: 300, 5: 450, 14: 35, 15: 35, 16: 1500}

    def cap(line: ActivityLineData, c: Cell) -> int | None:
        return caps[line.order] * MILLION if line.order in caps else None

    assert "unit-cost-over-cap" not in codes(check_programme(SON_LA, unit_cost_cap=cap))


# ---------------------------------------------------------------------------------------------
# Totals
# ---------------------------------------------------------------------------------------------
def test_totals_helpers() -> None:
    p = programme(
        line(2, cell(2027, KCDP, 1, 100), cell(2026, KCQG, 2, 50), group="nhom-2"),
        line(1, cell(2026, DOI_UNG, 1, 7), cell(2026, "LA", 1, 3), group="nhom-9"),
    )
    assert fund_totals(p) == {KCQG: 50, KCDP: 100, DOI_UNG: 7, "LA": 3}
    assert list(fund_totals(p)) == [KCQG, KCDP, DOI_UNG, "LA"]
    assert year_fund_totals(p) == {
        (2026, KCQG): 50,
        (2026, DOI_UNG): 7,
        (2026, "LA"): 3,
        (2027, KCDP): 100,
    }
    assert list(year_fund_totals(p)) == [(2026, KCQG), (2026, DOI_UNG), (2026, "LA"), (2027, KCDP)]
    assert group_totals(p) == {"nhom-2": 150, "nhom-9": 10}
    assert grand_total(p) == 160
    assert line_totals(p.line(2)) == (Decimal(3), 150)
    assert line_totals(line(3)) == (Decimal(0), 0)


# ---------------------------------------------------------------------------------------------
# Every check, on synthetic programmes
# ---------------------------------------------------------------------------------------------
def test_clean_programme_has_no_finding() -> None:
    p = programme(
        line(1, cell(2026, KCQG, 2, 600), stated_quantity=2, stated_amount=600),
        targets=(target("lop", 2, lines=(1,)), target("lop", 2, "noi-dung")),
        stated_fund_totals={KCQG: 600},
        stated_grand_total=600,
        printed_year_fund_totals={(2026, KCQG): 600},
    )
    assert check_programme(p) == []


def test_unknown_group_on_a_line_and_on_a_target() -> None:
    p = programme(line(1, group="nhom-7"), targets=(target("x", 1, group="nhom-0"),))
    findings = [f for f in check_programme(p) if f.code == "unknown-group"]
    assert [f.line for f in findings] == ["1", None]
    assert "nhóm nội dung «nhom-7» không có trong danh mục" in findings[0].message
    assert findings[1].numbers == {"key": "x", "group": "nhom-0"}


def test_duplicate_line_order() -> None:
    f = only(check_programme(programme(line(1), line(1))), "duplicate-line-order")
    assert f.severity == "error"
    assert f.line == "1"


def test_unknown_fund() -> None:
    f = only(check_programme(programme(line(1, cell(2026, "NSTW", 1, 1)))), "unknown-fund")
    assert f.numbers == {"year": 2026, "fund": "NSTW"}
    assert "nguồn kinh phí «NSTW» không có trong danh mục" in f.message


def test_year_out_of_range() -> None:
    f = only(check_programme(programme(line(1, cell(2031, KCQG, 1, 1)))), "year-out-of-range")
    assert "năm 2031 nằm ngoài thời gian thực hiện 2026-2030" in f.message


def test_duplicate_cell() -> None:
    p = programme(line(1, cell(2026, KCQG, 1, 1), cell(2026, KCQG, 1, 1)))
    assert only(check_programme(p), "duplicate-cell").numbers == {"year": 2026, "fund": KCQG}


def test_negative_cell() -> None:
    f = only(check_programme(programme(line(1, cell(2026, KCQG, -1, 5)))), "negative-cell")
    assert f.numbers["quantity"] == "-1"
    assert "không được âm" in f.message


def test_amount_without_quantity() -> None:
    f = only(check_programme(programme(line(1, cell(2026, KCQG, 0, 5)))), "amount-without-quantity")
    assert f.severity == "warning"
    assert "có kinh phí 5 đ nhưng số lượng bằng 0" in f.message


def test_line_quantity_mismatch() -> None:
    p = programme(line(7, cell(2026, KCQG, 2, 10), cell(2027, KCQG, "0.5", 10), stated_quantity=3))
    f = only(check_programme(p), "line-quantity-mismatch")
    assert f.line == "7"
    assert f.numbers == {"stated": "3", "computed": "2.5"}
    assert f.message == (
        "Dòng 7 «Lớp tập huấn»: tổng số lượng ghi 3 lớp nhưng cộng các ô được 2,5 lớp."
    )


def test_line_amount_mismatch_in_dong() -> None:
    p = programme(line(1, cell(2026, KCQG, 1, 1_000_000), stated_amount=1_000_001))
    f = only(check_programme(p), "line-amount-mismatch")
    assert f.numbers == {"stated": 1_000_001, "computed": 1_000_000, "difference": 1}
    assert "(chênh 1 đ)" in f.message


def test_line_amount_rounding_in_millions() -> None:
    p = programme(
        line(1, cell(2026, KCQG, 1, 62_500_000), stated_amount=63_000_000), printed_unit=MILLION
    )
    f = only(check_programme(p), "line-amount-rounding")
    assert f.severity == "info"
    assert "63 triệu đồng là số làm tròn của 62,5 triệu đồng" in f.message
    p = programme(
        line(1, cell(2026, KCQG, 1, 62_500_000), stated_amount=64_000_000), printed_unit=MILLION
    )
    assert "line-amount-mismatch" in codes(check_programme(p))


def test_long_line_names_are_shortened() -> None:
    name = "Hỗ trợ " + "rất " * 40 + "dài"
    p = programme(line(1, cell(2026, KCQG, 1, 1), name=name, stated_amount=2))
    message = only(check_programme(p), "line-amount-mismatch").message
    assert "…»" in message
    assert len(message) < len(name)


def test_unit_cost_over_cap() -> None:
    p = programme(
        line(
            1,
            cell(2026, KCQG, 2, 700),
            cell(2027, KCQG, 2, 600),
            cell(2028, KCQG, 0, 0),
            unit="Cơ sở",
        )
    )
    calls: list[int] = []

    def cap(ln: ActivityLineData, c: Cell) -> int | None:
        calls.append(c.year)
        return 300

    f = only(check_programme(p, unit_cost_cap=cap), "unit-cost-over-cap")
    assert calls == [2026, 2027]  # not called for the empty 2028 cell
    assert f.numbers == {
        "year": 2026,
        "fund": KCQG,
        "quantity": "2",
        "amount": 700,
        "unit_cost": 350,
        "cap": 300,
    }
    assert f.message == (
        "Dòng 1 «Lớp tập huấn», năm 2026, nguồn KCQG: kinh phí 700 đ cho 2 cơ sở là 350 đ mỗi "
        "cơ sở, vượt mức tối đa 300 đ mỗi cơ sở."
    )


def test_unit_cost_cap_none_means_no_cap() -> None:
    p = programme(line(1, cell(2026, KCQG, 1, 10**12)))
    assert check_programme(p, unit_cost_cap=lambda ln, c: None) == []
    assert check_programme(p) == []


def test_unit_cost_with_fractional_quantity() -> None:
    p = programme(line(1, cell(2026, KCQG, "1.5", 301)))
    f = only(check_programme(p, unit_cost_cap=lambda ln, c: 200), "unit-cost-over-cap")
    assert f.numbers["unit_cost"] == 201  # 200,67 rounded for display
    assert check_programme(p, unit_cost_cap=lambda ln, c: 201) == []  # 301 ≤ 201 × 1,5


def test_fund_total_mismatch_rounding_and_unstated() -> None:
    lines = (line(1, cell(2026, KCQG, 1, 62_500_000), cell(2026, KCDP, 1, 1_000_000)),)
    p = programme(*lines, stated_fund_totals={KCQG: 63_000_000}, printed_unit=MILLION)
    findings = check_programme(p)
    assert codes(findings) == ["fund-total-rounding", "fund-total-unstated"]
    assert findings[1].numbers == {"fund": KCDP, "computed": 1_000_000}
    assert "nguồn KCĐP" in findings[1].message

    p = programme(*lines, stated_fund_totals={KCQG: 62_500_000, DOI_UNG: 5, KCDP: 1_000_000})
    f = only(check_programme(p), "fund-total-mismatch")
    assert f.numbers == {"fund": DOI_UNG, "stated": 5, "computed": 0, "difference": 5}
    assert "Vốn đối ứng" in f.message


def test_grand_total_against_stated_funds() -> None:
    p = programme(stated_fund_totals={KCQG: 100, KCDP: 200}, stated_grand_total=310)
    f = only(check_programme(p), "grand-total-mismatch")
    assert f.numbers == {"stated": 310, "sum_of_funds": 300, "difference": 10}
    assert "tổng ghi thừa 10 đ" in f.message

    p = programme(
        stated_fund_totals={KCQG: 2_500_000, KCDP: 1_000_000},
        stated_grand_total=4_000_000,
        printed_unit=MILLION,
    )
    assert codes(check_programme(p)) == ["no-budget-table", "grand-total-rounding"]


def test_grand_total_tolerates_the_rounding_of_every_printed_figure() -> None:
    """Exact 2,5 + 0,5 = 3 triệu đồng printed as 3 + 1 and 3: a rounding, not an error."""
    funds = {KCQG: 3_000_000, KCDP: 1_000_000}
    p = programme(stated_fund_totals=funds, stated_grand_total=3_000_000, printed_unit=MILLION)
    f = only(check_programme(p), "grand-total-rounding")
    assert f.numbers == {"stated": 3_000_000, "sum_of_funds": 4_000_000, "difference": -1_000_000}
    # Beyond half a unit per printed figure (3 × 0,5 triệu đồng) it is an error again.
    p = programme(stated_fund_totals=funds, stated_grand_total=6_000_000, printed_unit=MILLION)
    assert "grand-total-mismatch" in codes(check_programme(p))


def test_grand_total_against_lines() -> None:
    lines = (line(1, cell(2026, KCQG, 1, 1_500_000)),)
    f = only(
        check_programme(programme(*lines, stated_grand_total=2_000_000)),
        "grand-total-lines-mismatch",
    )
    assert f.numbers == {"stated": 2_000_000, "computed": 1_500_000, "difference": 500_000}
    p = programme(*lines, stated_grand_total=2_000_000, printed_unit=MILLION)
    assert codes(check_programme(p)) == ["grand-total-lines-rounding"]


def test_year_fund_totals_rounding_and_mismatch() -> None:
    p = programme(
        line(1, cell(2027, KCDP, 1, 62_500_000), cell(2028, KCDP, 1, 62_500_000)),
        printed_year_fund_totals={
            (2027, KCDP): 63_000_000,
            (2028, KCDP): 64_000_000,
            (2029, KCQG): 1_000_000,
            (2026, KCDP): 0,
        },
        printed_unit=MILLION,
    )
    findings = check_programme(p)
    assert [(f.code, f.numbers["year"]) for f in findings] == [
        ("year-fund-total-rounding", 2027),
        ("year-fund-total-mismatch", 2028),
        ("year-fund-total-mismatch", 2029),
    ]
    assert findings[1].message == (
        "Năm 2028, nguồn KCĐP: dòng tổng in 64 triệu đồng nhưng cộng các dòng được 62,5 triệu "
        "đồng (chênh 1,5 triệu đồng)."
    )


def test_rounding_needs_a_printed_unit_multiple() -> None:
    """With a million unit, 62.600.000 printed for 62.500.000 is not a rounding: it is wrong."""
    p = programme(
        line(1, cell(2027, KCDP, 1, 62_500_000)),
        printed_year_fund_totals={(2027, KCDP): 62_600_000},
        printed_unit=MILLION,
    )
    assert codes(check_programme(p)) == ["year-fund-total-mismatch"]


def test_no_budget_table() -> None:
    assert codes(check_programme(programme(stated_fund_totals={KCQG: 1}))) == ["no-budget-table"]
    assert codes(check_programme(programme(printed_year_fund_totals={(2026, KCQG): 1}))) == [
        "no-budget-table"
    ]
    assert check_programme(programme(stated_grand_total=5)) == []


def test_target_conflict_lists_every_statement() -> None:
    p = programme(
        targets=(
            target("lop", 2),
            target("lop", 2, "noi-dung"),
            target("lop", "2.5", "noi-dung", unit="khóa"),
            target("doan", 1),
        )
    )
    f = only(check_programme(p), "target-conflict")
    assert f.numbers == {
        "key": "lop",
        "quantity_1": "2",
        "section_1": "muc-tieu",
        "quantity_2": "2",
        "section_2": "noi-dung",
        "quantity_3": "2.5",
        "section_3": "noi-dung",
    }
    assert f.message == (
        "Chỉ tiêu «Lớp tập huấn» được nêu 3 lần với số khác nhau: phần mục tiêu ghi 2 lớp; phần "
        "nội dung ghi 2 lớp; phần nội dung ghi 2,5 khóa. Cần thống nhất một con số."
    )


def test_target_lines() -> None:
    lines = (line(1, cell(2026, KCQG, 2, 1)), line(2, cell(2027, KCQG, 1, 1)))
    ok = programme(*lines, targets=(target("lop", 3, lines=(1, 2)),))
    assert check_programme(ok) == []

    off = programme(*lines, targets=(target("lop", 4, lines=(1, 2)),))
    f = only(check_programme(off), "target-lines-mismatch")
    assert f.numbers == {"key": "lop", "stated": "4", "computed": "3"}
    assert f.message == (
        "Chỉ tiêu «Lớp tập huấn» (mục tiêu) ghi 4 lớp nhưng dòng 1, 2 của bảng cộng được 3."
    )

    missing = programme(*lines, targets=(target("lop", 3, lines=(1, 9)),))
    findings = check_programme(missing)
    assert codes(findings) == ["target-unknown-line"]
    assert findings[0].numbers == {"key": "lop", "order": 9}


# ---------------------------------------------------------------------------------------------
# Finding and the code table
# ---------------------------------------------------------------------------------------------
def test_finding_validation() -> None:
    with pytest.raises(ValueError, match="Mức độ"):
        Finding("fatal", "negative-cell", "x")
    with pytest.raises(ValueError, match="không có trong danh mục"):
        Finding("error", "no-such-code", "x")
    with pytest.raises(ValueError, match="phải có mức độ «info»"):
        Finding("error", "no-budget-table", "x")


def test_finding_as_dict_is_json() -> None:
    f = check_programme(KHANH_HOA)[1]
    data = f.as_dict()
    assert data == {
        "severity": "error",
        "code": "grand-total-mismatch",
        "message": f.message,
        "line": None,
        "numbers": {
            "stated": 36_383_000_000,
            "sum_of_funds": 36_383_300_000,
            "difference": -300_000,
        },
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_code_table_matches_the_docstring() -> None:
    doc = consistency.__doc__ or ""
    rows = re.findall(r"^([a-z][a-z-]+)\s+(error|warning|info)\s", doc, flags=re.MULTILINE)
    assert dict(rows) == {code: severity for code, (severity, _) in CODES.items()}
    assert {severity for severity, _ in CODES.values()} == set(SEVERITIES)
    assert all(description.endswith(".") for _, description in CODES.values())


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------
YEARS = list(range(2026, 2031))
KNOWN_FUNDS = list(FUNDS)
quantities = st.one_of(
    st.integers(min_value=0, max_value=5000).map(Decimal),
    st.integers(min_value=0, max_value=50_000).map(lambda n: Decimal(n) / 10),
)
amounts = st.integers(min_value=0, max_value=10**11)


@st.composite
def raw_lines(draw: st.DrawFn) -> list[ActivityLineData]:
    n = draw(st.integers(min_value=1, max_value=6))
    result = []
    for order in range(1, n + 1):
        keys = draw(
            st.lists(
                st.tuples(st.sampled_from(YEARS), st.sampled_from(KNOWN_FUNDS)),
                min_size=1,
                max_size=8,
                unique=True,
            )
        )
        cells = tuple(cell(y, f, draw(quantities), draw(amounts)) for y, f in keys)  # type: ignore[arg-type]
        group = draw(st.sampled_from([g.code for g in CONTENT_GROUPS]))
        result.append(line(order, *cells, group=group))
    return result


def consistent(lines: list[ActivityLineData], unit: int = 1) -> ProgrammeData:
    """A programme whose stated totals are the computed ones (rounded to ``unit``)."""

    def r(amount: int) -> int:
        return int((Decimal(amount) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * unit

    stated = tuple(
        replace(
            ln,
            stated_total_quantity=line_totals(ln).quantity,
            stated_total_amount=r(line_totals(ln).amount),
        )
        for ln in lines
    )
    base = programme(*stated, printed_unit=unit)
    funds = {k: r(v) for k, v in fund_totals(base).items()}
    return replace(
        base,
        stated_fund_totals=funds,
        stated_grand_total=r(grand_total(base)),
        printed_year_fund_totals={k: r(v) for k, v in year_fund_totals(base).items()},
    )


@given(raw_lines())
def test_stated_totals_equal_to_computed_give_no_error(lines: list[ActivityLineData]) -> None:
    findings = check_programme(consistent(lines))
    assert [f for f in findings if f.severity == "error"] == []
    assert {f.code for f in findings} <= {"amount-without-quantity"}


@given(raw_lines(), st.data())
def test_shifting_one_cell_by_one_dong_is_an_error(
    lines: list[ActivityLineData], data: st.DataObject
) -> None:
    p = consistent(lines)
    index = data.draw(st.integers(min_value=0, max_value=len(p.lines) - 1))
    victim = p.lines[index]
    at = data.draw(st.integers(min_value=0, max_value=len(victim.cells) - 1))
    shifted_cell = replace(victim.cells[at], amount=victim.cells[at].amount + 1)
    cells = (*victim.cells[:at], shifted_cell, *victim.cells[at + 1 :])
    shifted_lines = (*p.lines[:index], replace(victim, cells=cells), *p.lines[index + 1 :])
    findings = check_programme(replace(p, lines=shifted_lines))
    errors = {(f.code, f.line) for f in findings if f.severity == "error"}
    assert ("line-amount-mismatch", str(victim.order)) in errors
    assert {"fund-total-mismatch", "grand-total-lines-mismatch", "year-fund-total-mismatch"} <= {
        code for code, _ in errors
    }


@given(raw_lines())
def test_printed_roundings_to_the_million_are_never_errors(lines: list[ActivityLineData]) -> None:
    findings = check_programme(consistent(lines, MILLION))
    assert [f for f in findings if f.severity == "error"] == []
    rounding = {f.code for f in findings if f.severity == "info"}
    assert rounding <= {
        "line-amount-rounding",
        "fund-total-rounding",
        "grand-total-rounding",
        "grand-total-lines-rounding",
        "year-fund-total-rounding",
    }


@given(raw_lines(), st.randoms(use_true_random=False))
def test_totals_agree_and_ignore_line_order(
    lines: list[ActivityLineData], rnd: random.Random
) -> None:
    p = programme(*lines)
    total = grand_total(p)
    assert sum(fund_totals(p).values()) == total
    assert sum(year_fund_totals(p).values()) == total
    assert sum(group_totals(p).values()) == total
    assert sum(line_totals(ln).amount for ln in p.lines) == total
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    q = programme(*shuffled)
    assert fund_totals(q) == fund_totals(p)
    assert year_fund_totals(q) == year_fund_totals(p)
    assert group_totals(q) == group_totals(p)


@settings(max_examples=50)
@given(
    raw_lines(),
    st.dictionaries(st.sampled_from(KNOWN_FUNDS), amounts, max_size=3),
    st.none() | amounts,
    st.dictionaries(st.tuples(st.sampled_from(YEARS), st.sampled_from(KNOWN_FUNDS)), amounts),
    st.sampled_from([1, 1000, MILLION]),
)
def test_any_programme_checks_without_crashing(
    lines: list[ActivityLineData],
    funds: dict[str, int],
    grand: int | None,
    printed: dict[tuple[int, str], int],
    unit: int,
) -> None:
    p = programme(
        *lines,
        stated_fund_totals=funds,
        stated_grand_total=grand,
        printed_year_fund_totals=printed,
        printed_unit=unit,
    )
    findings = check_programme(p, unit_cost_cap=lambda ln, c: 1000)
    assert findings == check_programme(p, unit_cost_cap=lambda ln, c: 1000)
    for f in findings:
        assert CODES[f.code][0] == f.severity
        assert f.message.endswith(".")
        json.dumps(f.as_dict())
        assert not any(isinstance(v, float) for v in f.numbers.values())


def test_findings_read_in_english_in_english_mode() -> None:
    """Issue 9, defect 12: check messages were Vietnamese f-strings whatever the language."""
    from django.utils import translation

    with translation.override("en"):
        rounding = check_programme(SON_LA)[0]
        short = next(f for f in check_programme(KHANH_HOA) if f.severity == "error")
        label = rounding.label
    assert rounding.message.startswith("Year 2027, fund KCĐP: the total row prints ")
    assert "the exact sum of the lines is" in rounding.message
    assert label == "A year-and-fund total printed in the table is a rounding."
    assert short.message.startswith("The stated total is ")
    assert short.message.endswith(" short.")
    assert "Tổng" not in short.message
