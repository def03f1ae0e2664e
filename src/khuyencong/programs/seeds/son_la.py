"""Chương trình khuyến công tỉnh Sơn La giai đoạn 2026 - 2030 (QĐ 1113/QĐ-UBND, 11/5/2026).

Transcribed from ``shared/seeds/sonla_program_2026_2030.txt``: the appendix "Nội dung và dự kiến
kinh phí thực hiện Chương trình khuyến công" (25 lines) and the targets of section II.2.

The appendix is kept as printed, one row per line, numbers copied as strings (dot = thousands,
and the document's own "62.5" for a half). Its numeric columns, after each total, are
(KCQG, KCĐP) for each year 2026 … 2030, as the printed total row shows (its KCQG figures add up
to the 7.530 triệu đồng of section VI.2). Nothing here is a typed-in total: line totals,
per-fund totals and the grand total are computed from the cells; the totals the decision prints
are kept only as "stated"/"printed" figures for the checker.
"""

from __future__ import annotations

from datetime import date

from khuyencong.programs.programme_data import (
    KCDP,
    KCQG,
    MILLION,
    ActivityLineData,
    Cell,
    ProgrammeData,
    Target,
    group_code_for,
    million_to_dong,
    parse_vn_number,
)

CODE = "son-la-2026-2030"

COLUMNS: tuple[tuple[int, str], ...] = tuple(
    (year, fund) for year in range(2026, 2031) for fund in (KCQG, KCDP)
)
"""The ten year × fund columns of the appendix, in printed order."""

# (nhóm, nội dung hỗ trợ, đơn vị tính,
#  tổng số lượng, số lượng theo 10 cột, tổng kinh phí (triệu đồng), kinh phí theo 10 cột)
# fmt: off
APPENDIX_ROWS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # 1. Hỗ trợ xây dựng mô hình trình diễn kỹ thuật; chuyển giao công nghệ và ứng dụng máy móc
    #    tiên tiến, ...; hỗ trợ áp dụng sản xuất sạch hơn, sản xuất và tiêu dùng bền vững
    (
        "1",
        "Hỗ trợ mô hình trình diễn kỹ thuật để phổ biến công nghệ mới, sản xuất sản phẩm mới",
        "Mô hình",
        "2", "0 0 0 0 0 1 0 0 1 0",
        "2.000", "0 0 0 0 0 1.000 0 0 1.000 0",
    ),
    (
        "1",
        "Mô hình của các cơ sở công nghiệp nông thôn đang hoạt động có hiệu quả cần phổ biến "
        "tuyên truyền, nhân rộng để các tổ chức cá nhân khác học tập",
        "Mô hình",
        "2", "0 0 0 0 0 1 0 0 1 0",
        "200", "0 0 0 0 0 100 0 0 100 0",
    ),
    (
        "1",
        "Hỗ trợ xây dựng mô hình thí điểm về áp dụng sản xuất sạch hơn trong công nghiệp cho các "
        "cơ sở sản xuất công nghiệp",
        "Mô hình",
        "2", "0 0 1 0 0 0 0 1 0 0",
        "1.000", "0 0 500 0 0 0 0 500 0 0",
    ),
    (
        "1",
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ tiến bộ khoa học kỹ "
        "thuật vào sản xuất công nghiệp - tiểu thủ công nghiệp",
        "Cơ sở",
        "23", "1 2 2 3 2 3 2 3 2 3",
        "6.900", "300 600 600 900 600 900 600 900 600 900",
    ),
    (
        "1",
        "Hỗ trợ dây chuyền công nghệ tiến bộ khoa học kỹ thuật vào sản xuất công nghiệp - tiểu "
        "thủ công nghiệp",
        "Cơ sở",
        "5", "0 0 1 1 1 0 0 1 1 0",
        "2.250", "0 0 450 450 450 0 0 450 450 0",
    ),
    # 2. Hỗ trợ phát triển sản phẩm công nghiệp nông thôn
    (
        "2",
        "Tổ chức bình chọn và trao giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp "
        "tỉnh",
        "Đợt",
        "2", "0 0 0 0 0 1 0 0 0 1",
        "600", "0 0 0 0 0 300 0 0 0 300",
    ),
    (
        "2",
        "Hỗ trợ phòng trưng bày giới thiệu quảng bá các sản phẩm công nghiệp nông thôn và các sản "
        "phẩm đặc trưng của tỉnh tại siêu thị, nhà hàng, khách sạn, điểm dừng nghỉ trên quốc lộ, "
        "... gắn với các khu du lịch, khu dân cư, trung tâm hành chính",
        "Phòng",
        "5", "0 1 0 1 0 1 0 1 0 1",
        "1.250", "0 250 0 250 0 250 0 250 0 250",
    ),
    (
        "2",
        "Hỗ trợ cơ sở CNNT có sản phẩm CNNT tiêu biểu cấp quốc gia trưng bày, giới thiệu sản "
        "phẩm tại cơ sở",
        "Cơ sở",
        "20", "0 0 0 5 0 5 0 5 0 5",
        "1.000", "0 0 0 250 0 250 0 250 0 250",
    ),
    (
        "2",
        "Hỗ trợ cơ sở CNNT có sản phẩm CNNT tiêu biểu cấp tỉnh trưng bày, giới thiệu sản phẩm "
        "tại cơ sở",
        "Cơ sở",
        "25", "0 5 0 5 0 5 0 5 0 5",
        "750", "0 150 0 150 0 150 0 150 0 150",
    ),
    (
        "2",
        "Tổ chức hội chợ triển lãm hàng công nghiệp nông thôn, hàng thủ công mỹ nghệ trong nước",
        "Hội chợ",
        "1", "0 0 0 0 0 0 1 0 0 0",
        "1.280", "0 0 0 0 0 0 1.280 0 0 0",
    ),
    (
        "2",
        "Hỗ trợ các cơ sở công nghiệp -tiểu thủ công nghiệp tham gia 05 hội chợ, triển lãm "
        "trong nước",
        "Hội chợ",
        "5", "0 1 0 1 0 1 0 1 0 1",
        "500", "0 100 0 100 0 100 0 100 0 100",
    ),
    (
        "2",
        "Tham gia hội chợ, triển lãm quảng bá các sản phẩm công nghiệp tiêu biểu và sản phẩm OCOP "
        "của tỉnh",
        "Hội chợ",
        "9", "0 1 0 2 0 2 0 2 0 2",
        "900", "0 100 0 200 0 200 0 200 0 200",
    ),
    (
        "2",
        "Hỗ trợ chi phí vé máy bay cho cơ sở công nghiệp nông thôn tham gia khảo sát, học tập "
        "kinh nghiệm tại nước ngoài",
        "Cơ sở",
        "8", "0 0 0 0 0 4 0 0 0 4",
        "200", "0 0 0 0 0 100 0 0 0 100",
    ),
    (
        "2",
        "Hỗ trợ xây dựng và đăng ký nhãn hiệu sản phẩm công nghiệp nông thôn",
        "Nhãn hiệu",
        "50", "0 10 0 10 0 10 0 10 0 10",
        "1.750", "0 350 0 350 0 350 0 350 0 350",
    ),
    (
        "2",
        "Hỗ trợ cơ sở công nghiệp - tiểu thủ công nghiệp thuê tư vấn, trợ giúp thiết kế mẫu mã, "
        "bao bì đóng gói",
        "Cơ sở",
        "45", "0 5 0 10 0 10 0 10 0 10",
        "1.575", "0 175 0 350 0 350 0 350 0 350",
    ),
    # 3. Hỗ trợ xúc tiến đầu tư phát triển cụm công nghiệp; xử lý môi trường tại các cụm công
    #    nghiệp, cơ sở công nghiệp nông thôn
    (
        "3",
        "Hỗ trợ công nghệ, máy móc thiết bị xử lý nước thải, khí thải tại cụm công nghiệp",
        "Cụm",
        "2", "0 0 0 0 1 0 0 0 1 0",
        "600", "0 0 0 0 300 0 0 0 300 0",
    ),
    # 4. Hỗ trợ phát triển nguồn nhân lực có chất lượng; nâng cao năng lực quản lý; tư vấn, trợ
    #    giúp các cơ sở CNNT
    (
        "4",
        "Hỗ trợ đào tạo, bồi dưỡng, cập nhật nâng cao kiến thức nâng cao tay nghề cho thợ giỏi, "
        "nghệ nhân tiểu thủ công nghiệp, truyền nghề cho người lao động.",
        "Lớp",
        "4", "0 0 0 1 0 1 0 1 0 1",
        "200", "0 0 0 50 0 50 0 50 0 50",
    ),
    (
        "4",
        "Hỗ trợ thành lập doanh nghiệp sản xuất công nghiệp nông thôn tại các địa bàn có điều "
        "kiện kinh tế - xã hội khó khăn và đặc biệt khó khăn theo quy định của pháp luật",
        "Doanh nghiệp",
        "6", "0 0 0 0 0 2 0 2 0 2",
        "60", "0 0 0 0 0 20 0 20 0 20",
    ),
    # 5. Hỗ trợ tư vấn thông tin phát triển CNNT; công tác truyền thông
    (
        "5",
        "Thực hiện xây dựng chương trình truyền hình, truyền thanh tuyên truyền, phổ biến chính "
        "sách phát triển công nghiệp - tiểu thủ công nghiệp",
        "Chương trình",
        "4", "0 0 0 1 0 1 0 1 0 1",
        "200", "0 0 0 50 0 50 0 50 0 50",
    ),
    (
        "5",
        "Xuất bản bản tin, ấn phẩm về các hoạt động trong sản xuất công nghiệp - tiểu thủ công "
        "nghiệp",
        "Bản tin",
        "5.000", "0 0 0 0 0 2.500 0 2.500 0 0",
        "250", "0 0 0 0 0 125 0 125 0 0",
    ),
    (
        "5",
        "Tổ chức chương trình tuyên truyền sử dụng năng lượng tiết kiệm, hiệu quả",
        "Hội nghị",
        "24", "0 4 0 5 0 5 0 5 0 5",
        "1.200", "0 200 0 250 0 250 0 250 0 250",
    ),
    # 6. Nâng cao năng lực tổ chức thực hiện các hoạt động khuyến công
    (
        "6",
        "Tham dự các hội nghị, hội thảo, tập huấn về chương trình hoạt động khuyến công do Bộ "
        "Công Thương tổ chức tại các tỉnh, thành phố",
        "Lượt",
        "5", "0 1 0 1 0 1 0 1 0 1",
        "250", "0 50 0 50 0 50 0 50 0 50",
    ),
    (
        "6",
        "Tổ chức đoàn khảo sát, học tập kinh nghiệm về hoạt động khuyến công, khuyến khích phát "
        "triển công nghiệp, cụm công nghiệp ở trong nước",
        "Đoàn",
        "4", "0 0 0 1 0 1 0 1 0 1",
        "250", "0 0 0 62.5 0 62.5 0 62.5 0 62.5",
    ),
    (
        "6",
        "Tổ chức đoàn khảo sát, học tập kinh nghiệm về hoạt động khuyến công, khuyến khích phát "
        "triển công nghiệp, cụm công nghiệp tại nước ngoài",
        "Đoàn",
        "1", "0 0 0 0 0 0 0 1 0 0",
        "300", "0 0 0 0 0 0 0 300 0 0",
    ),
    (
        "6",
        "Kiểm tra, giám sát, hướng dẫn triển khai thực hiện các chương trình, đề án khuyến công "
        "hàng năm",
        # Printed "Xã/  phường" across a line break.
        "Xã/phường",
        "5", "0 1 0 1 0 1 0 1 0 1",
        "500", "0 100 0 100 0 100 0 100 0 100",
    ),
)
# fmt: on

# "Tổng kinh phí dự kiến thực hiện Chương trình": the grand total, then the ten columns.
PRINTED_TOTAL_ROW = ("25.965", "300 2.075 1.550 3.563 1.350 4.758 1.880 4.508 2.450 3.533")


def _split(columns: str) -> list[str]:
    values = columns.split()
    if len(values) != len(COLUMNS):
        raise ValueError(f"Cần {len(COLUMNS)} cột, có {len(values)}: «{columns}».")
    return values


def parse_row(order: int, row: tuple[str, str, str, str, str, str, str]) -> ActivityLineData:
    """Turn one transcribed appendix row into an :class:`ActivityLineData` (amounts in đồng)."""
    group, name, unit, total_qty, quantities, total_amount, amounts = row
    cells = tuple(
        Cell(year=year, fund=fund, quantity=parse_vn_number(q), amount=million_to_dong(a))
        for (year, fund), q, a in zip(COLUMNS, _split(quantities), _split(amounts), strict=True)
    )
    return ActivityLineData(
        group_code=group_code_for("son-la/phu-luc", group),
        name=name,
        unit=unit,
        order=order,
        cells=cells,
        stated_total_quantity=parse_vn_number(total_qty),
        stated_total_amount=million_to_dong(total_amount),
    )


LINES: tuple[ActivityLineData, ...] = tuple(
    parse_row(order, row) for order, row in enumerate(APPENDIX_ROWS, start=1)
)


def _target(
    letter: str,
    key: str,
    name: str,
    unit: str,
    quantity: str,
    text: str,
    lines: tuple[int, ...],
) -> Target:
    return Target(
        group_code=group_code_for("son-la/muc-tieu", letter),
        name=name,
        unit=unit,
        quantity=parse_vn_number(quantity),
        section="muc-tieu",
        key=key,
        text=text,
        lines=lines,
    )


# Section II.2 "Mục tiêu cụ thể" (lettered a, b, c, d, e, g). ``lines`` points at the appendix
# lines that carry each target; the 04 demonstration models are appendix lines 1 and 2 (2 + 2).
# fmt: off
TARGETS: tuple[Target, ...] = (
    _target(
        "a", "mo-hinh-trinh-dien", "Mô hình trình diễn kỹ thuật", "mô hình", "04",
        "Hỗ trợ xây dựng 04 mô hình trình diễn kỹ thuật để phổ biến công nghệ mới, sản xuất sản "
        "phẩm mới.",
        (1, 2),
    ),
    _target(
        "a", "mo-hinh-sxsh", "Mô hình thí điểm áp dụng sản xuất sạch hơn", "mô hình", "02",
        "Hỗ trợ xây dựng 02 mô hình thí điểm về áp dụng sản xuất sạch hơn trong công nghiệp cho "
        "các cơ sở CNNT.",
        (3,),
    ),
    _target(
        "a", "may-moc-thiet-bi", "Cơ sở ứng dụng máy móc thiết bị tiên tiến", "cơ sở", "23",
        "Hỗ trợ 23 cơ sở ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ, tiến bộ "
        "khoa học kỹ thuật vào sản xuất công nghiệp - tiểu thủ công nghiệp",
        (4,),
    ),
    _target(
        "a", "day-chuyen-cong-nghe", "Dây chuyền công nghệ", "dây chuyền", "05",
        "Hỗ trợ 05 dây chuyền công nghệ tiến bộ khoa học kỹ thuật vào sản xuất công nghiệp - "
        "tiểu thủ công nghiệp.",
        (5,),
    ),
    _target(
        "b", "binh-chon-cap-tinh", "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh", "chương trình",
        "02",
        "Tổ chức 02 chương trình bình chọn và trao giấy chứng nhận sản phẩm công nghiệp nông "
        "thôn tiêu biểu cấp tỉnh",
        (6,),
    ),
    _target(
        "b", "phong-trung-bay", "Phòng trưng bày giới thiệu, quảng bá sản phẩm", "phòng", "05",
        "Hỗ trợ 05 phòng trưng bày để giới thiệu, quảng bá sản phẩm tại các điểm trưng bày trên "
        "địa bàn tỉnh",
        (7,),
    ),
    _target(
        "b", "trung-bay-tai-co-so",
        "Cơ sở có sản phẩm CNNT tiêu biểu trưng bày, giới thiệu sản phẩm tại cơ sở", "cơ sở", "45",
        "hỗ trợ 45 cơ sở CNNT có sản phẩm CNNT tiêu biểu cấp quốc gia, cấp tỉnh trưng bày, giới "
        "thiệu sản phẩm tại cơ sở.",
        (8, 9),
    ),
    _target(
        "b", "to-chuc-hoi-cho", "Tổ chức hội chợ, triển lãm trong nước", "hội chợ", "01",
        "Tổ chức 01 hội chợ, triển lãm hàng công nghiệp nông thôn, hàng thủ công mỹ nghệ trong "
        "nước",
        (10,),
    ),
    _target(
        "b", "ho-tro-tham-gia-hoi-cho", "Hỗ trợ cơ sở tham gia hội chợ, triển lãm trong nước",
        "hội chợ", "05",
        "Hỗ trợ các cơ sở CN-TTCN tham gia 05 hội chợ, triển lãm trong nước",
        (11,),
    ),
    _target(
        "b", "tham-gia-hoi-cho-quang-ba", "Tham gia hội chợ quảng bá sản phẩm tiêu biểu của tỉnh",
        "hội chợ", "09",
        "Tham gia 09 hội chợ, triển lãm quảng bá sản phẩm công nghiệp tiêu biểu của tỉnh",
        (12,),
    ),
    _target(
        "b", "ve-may-bay-nuoc-ngoai", "Cơ sở được hỗ trợ vé máy bay khảo sát nước ngoài",
        "cơ sở", "08",
        "Hỗ trợ 100% chi phí vé máy bay cho 08 cơ sở công nghiệp nông thôn tham gia khảo sát, "
        "học tập kinh nghiệm tại nước ngoài.",
        (13,),
    ),
    _target(
        "b", "nhan-hieu", "Nhãn hiệu sản phẩm CNNT", "nhãn hiệu", "50",
        "Hỗ trợ xây dựng và đăng ký 50 nhãn hiệu sản phẩm công nghiệp nông thôn",
        (14,),
    ),
    _target(
        "b", "tu-van-thiet-ke-mau-ma", "Cơ sở thuê tư vấn thiết kế mẫu mã, bao bì", "cơ sở", "45",
        "hỗ trợ 45 cơ sở công nghiệp - tiểu thủ công nghiệp thuê tư vấn, trợ giúp thiết kế mẫu "
        "mã, bao bì đóng gói.",
        (15,),
    ),
    _target(
        "c", "xu-ly-moi-truong-ccn", "Cụm công nghiệp có hệ thống xử lý nước thải, khí thải",
        "cụm công nghiệp", "02",
        "Hỗ trợ công nghệ, máy móc thiết bị xử lý nước thải, khí thải tại 02 cụm công nghiệp.",
        (16,),
    ),
    _target(
        "d", "lop-dao-tao-tay-nghe", "Lớp đào tạo, bồi dưỡng tay nghề", "lớp", "04",
        "Hỗ trợ 04 lớp đào tạo, bồi dưỡng, cập nhật nâng cao kiến thức và tay nghề cho thợ giỏi, "
        "nghệ nhân tiểu thủ công nghiệp, truyền nghề cho người lao động.",
        (17,),
    ),
    _target(
        "d", "thanh-lap-doanh-nghiep", "Doanh nghiệp CNNT được hỗ trợ thành lập", "doanh nghiệp",
        "06",
        "Hỗ trợ thành lập 06 doanh nghiệp sản xuất công nghiệp nông thôn tại các địa bàn có điều "
        "kiện kinh tế - xã hội khó khăn và đặc biệt khó khăn theo quy định của pháp luật.",
        (18,),
    ),
    _target(
        "e", "chuong-trinh-truyen-hinh", "Chương trình truyền hình, truyền thanh",
        "chương trình", "04",
        "Xây dựng 04 chương trình truyền hình, truyền thanh tuyên truyền, phổ biến chính sách "
        "phát triển công nghiệp - tiểu thủ công nghiệp.",
        (19,),
    ),
    _target(
        "e", "ban-tin-an-pham", "Bản tin, ấn phẩm", "bản tin", "5.000",
        "Xuất bản 5.000 bản tin ấn phẩm về các hoạt động trong sản xuất công nghiệp - tiểu thủ "
        "công nghiệp.",
        (20,),
    ),
    _target(
        "g", "doan-khao-sat", "Đoàn khảo sát, học tập kinh nghiệm trong nước và nước ngoài",
        "đoàn", "05",
        "Tổ chức 05 đoàn khảo sát, học tập kinh nghiệm về hoạt động khuyến công, khuyến khích "
        "phát triển công nghiệp, cụm công nghiệp ở trong nước và nước ngoài;",
        (23, 24),
    ),
)
# fmt: on

PROGRAMME = ProgrammeData(
    code=CODE,
    level="province",
    unit_code="14",
    title="Chương trình khuyến công tỉnh Sơn La giai đoạn 2026 - 2030",
    start_year=2026,
    end_year=2030,
    decision_number="1113/QĐ-UBND",
    decision_date=date(2026, 5, 11),
    issuing_body="Ủy ban nhân dân tỉnh Sơn La",
    signer="",
    lines=LINES,
    targets=TARGETS,
    # Section VI.2: "Tổng kinh phí hỗ trợ: 25.965 triệu đồng. Trong đó: - Kinh phí từ nguồn
    # khuyến công quốc gia: 7.530 triệu đồng. - Kinh phí từ nguồn khuyến công tỉnh: 18.435 ..."
    stated_fund_totals={KCQG: million_to_dong("7.530"), KCDP: million_to_dong("18.435")},
    stated_grand_total=million_to_dong(PRINTED_TOTAL_ROW[0]),
    printed_year_fund_totals={
        column: million_to_dong(value)
        for column, value in zip(COLUMNS, _split(PRINTED_TOTAL_ROW[1]), strict=True)
    },
    printed_unit=MILLION,
    source="sonla_program_2026_2030.txt",
    remarks=(
        "Bảng phụ lục ghi kinh phí bằng triệu đồng; đoàn khảo sát trong nước ghi «62.5» (dấu "
        "chấm thập phân) tức 62,5 triệu đồng mỗi đoàn.",
        "Dòng tổng của phụ lục in tổng KCĐP các năm 2027-2030 là 3.563; 4.758; 4.508; 3.533 "
        "triệu đồng, là số làm tròn của 3.562,5; 4.757,5; 4.507,5; 3.532,5 triệu đồng.",
        "Mục II.2 đánh số a, b, c, d, e, g (bỏ qua «đ»).",
        "Văn bản trích không có khối chữ ký: chưa rõ người ký.",
    ),
)
