"""Chương trình khuyến công giai đoạn 2026-2030 trên địa bàn tỉnh Khánh Hòa (QĐ 524/QĐ-UBND).

Transcribed from ``shared/seeds/khanhhoa_program_2026_2030.txt`` (decision of 09/02/2026).
The decision states its targets twice — in the objectives (I.2, "muc-tieu") and again in the
contents (III, "noi-dung") — so each target appears in both sections under the same ``key``.
Its budget table ("Bảng tổng hợp kinh phí ... đính kèm") is not part of the source text, so the
programme has no activity lines; only the totals of section V are kept, as printed, in đồng.
"""

from __future__ import annotations

from datetime import date

from khuyencong.programs.programme_data import (
    KCDP,
    KCQG,
    ProgrammeData,
    Target,
    group_code_for,
    parse_dong,
    parse_vn_number,
)

CODE = "khanh-hoa-2026-2030"


def _t(
    section: str,
    label: str,
    key: str,
    name: str,
    unit: str,
    quantity: str,
    text: str,
    qualifier: str = "",
) -> Target:
    """One target; ``label`` is the decision's own letter (I.2) or section number (III)."""
    return Target(
        group_code=group_code_for(f"khanh-hoa/{section}", label),
        name=name,
        unit=unit,
        quantity=parse_vn_number(quantity),
        section=section,
        key=key,
        text=text,
        qualifier=qualifier,
    )


M, N = "muc-tieu", "noi-dung"

# I.2 Mục tiêu cụ thể giai đoạn 2026-2030
# fmt: off
OBJECTIVES: tuple[Target, ...] = (
    _t(M, "a", "mo-hinh-trinh-dien", "Mô hình trình diễn kỹ thuật, chuyển giao công nghệ",
       "mô hình", "03",
       "Hỗ trợ xây dựng 03 mô hình trình diễn kỹ thuật, chuyển giao công nghệ"),
    _t(M, "a", "may-moc-thiet-bi", "Ứng dụng máy móc thiết bị tiên tiến", "đề án", "100",
       "Hỗ trợ 100 đề án ứng dụng máy móc thiết bị tiên tiến vào khâu sản xuất công nghiệp – "
       "tiểu thủ công nghiệp (CN-TTCN)"),
    _t(M, "b", "binh-chon-cap-tinh", "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh", "kỳ", "03",
       "Tổ chức 03 kỳ bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh."),
    _t(M, "b", "nhan-hieu", "Đăng ký nhãn hiệu sản phẩm", "nhãn hiệu", "02",
       "Hỗ trợ đăng ký 02 nhãn hiệu sản phẩm"),
    _t(M, "b", "phong-trung-bay", "Phòng trưng bày sản phẩm", "phòng", "03",
       "03 phòng trưng bày sản phẩm"),
    _t(M, "b", "hoi-cho-cap-tinh", "Hội chợ triển lãm sản phẩm công nghiệp cấp tỉnh", "hội chợ",
       "01",
       "tổ chức 01 hội chợ triển lãm, trưng bày sản phẩm công nghiệp cấp tỉnh"),
    _t(M, "b", "gian-hang-hoi-cho", "Gian hàng tham gia hội chợ triển lãm trong nước",
       "gian hàng", "32",
       "hỗ trợ 32 gian hàng của các cơ sở CNNT tham gia hội chợ triển lãm trong nước."),
    _t(M, "c", "phong-su-truyen-hinh", "Phóng sự khuyến công truyền hình", "phóng sự", "39",
       "Thực hiện 39 phóng sự khuyến công truyền hình trên Báo và Phát thanh truyền hình Khánh "
       "Hòa"),
    _t(M, "c", "ban-tin", "Bản tin khuyến công", "kỳ", "12",
       "phát hành 12 kỳ bản tin khuyến công"),
    _t(M, "c", "an-pham-quang-ba", "Ấn phẩm quảng bá sản phẩm CNNT tiêu biểu cấp tỉnh",
       "brochure", "3",
       "phát hành 3 brochure quảng bá sản phẩm CNNT tiêu biểu cấp tỉnh"),
    _t(M, "c", "so-tay-cam-nang", "Sổ tay, cẩm nang khuyến công", "cuốn", "600",
       "phát hành 600 cuốn sổ tay/cẩm nang khuyến công"),
    _t(M, "c", "bai-viet-khuyen-cong", "Bài viết tuyên truyền về hoạt động khuyến công",
       "bài viết", "60",
       "thực hiện 60 bài viết tuyên truyền về hoạt động khuyến công trên báo..."),
    _t(M, "d", "xuc-tien-dau-tu-ccn", "Hội nghị xúc tiến đầu tư phát triển cụm công nghiệp",
       "hội nghị", "02",
       "Hỗ trợ tổ chức 02 hội nghị, hội thảo, diễn đàn xúc tiến đầu tư phát triển cụm công "
       "nghiệp."),
    _t(M, "d", "xu-ly-moi-truong", "Cơ sở CNNT được hỗ trợ xử lý nước thải, khí thải", "cơ sở",
       "03",
       "Hỗ trợ công nghệ, máy móc thiết bị xử lý nước thải, khí thải tại 03 cơ sở CNNT."),
    _t(M, "đ", "tap-huan-co-so", "Hội nghị, hội thảo tập huấn cho cơ sở CNNT", "hội nghị", "15",
       "Tổ chức 15 hội nghị, hội thảo tập huấn cho các cơ sở CNNT nhằm nâng cao năng lực cho "
       "các chủ cơ sở CNNT trong việc quản lý sản xuất, kinh doanh và tiêu thụ sản phẩm."),
    _t(M, "e", "doan-hoc-tap-trong-nuoc", "Đoàn trao đổi, học tập kinh nghiệm trong nước", "đoàn",
       "02",
       "Tổ chức 02 đoàn tham gia trao đổi, học tập kinh nghiệm trong nước"),
    _t(M, "e", "tap-huan-nghiep-vu", "Tập huấn nghiệp vụ khuyến công cho cán bộ", "đợt", "02",
       "Tổ chức 02 đợt tập huấn, hội nghị, hội thảo nghiệp vụ khuyến công cho cán bộ, công "
       "chức, viên chức làm công tác khuyến công"),
    _t(M, "e", "tap-huan-ngoai-tinh", "Tham gia tập huấn, bồi dưỡng ngoài tỉnh", "đợt", "08",
       "tham gia 08 đợt tập huấn, hội thảo, hội nghị, bồi dưỡng chuyên môn, nghiệp vụ cho cán "
       "bộ làm công tác khuyến công ngoài tỉnh và các chương trình do Bộ Công Thương tổ chức."),
)

# III. Nội dung của Chương trình — "Dự kiến kết quả" of sections 1 … 7
CONTENTS: tuple[Target, ...] = (
    _t(N, "1", "mo-hinh-trinh-dien", "Mô hình trình diễn kỹ thuật, chuyển giao công nghệ",
       "mô hình", "03",
       "Hỗ trợ xây dựng 03 mô hình trình diễn kỹ thuật, chuyển giao công nghệ."),
    _t(N, "1", "may-moc-thiet-bi", "Ứng dụng máy móc thiết bị tiên tiến", "lượt cơ sở", "100",
       "Hỗ trợ từ 100 lượt cơ sở CNNT thực hiện các đề án ứng dụng máy móc thiết bị tiên tiến "
       "vào khâu sản xuất CN-TTCN.",
       qualifier="từ"),
    _t(N, "2", "binh-chon-cap-tinh", "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh", "đợt", "03",
       "Tổ chức 03 đợt bình chọn cấp tỉnh"),
    _t(N, "2", "san-pham-dat-danh-hieu", "Sản phẩm đạt danh hiệu CNNT tiêu biểu cấp tỉnh mỗi đợt",
       "sản phẩm/đợt", "50",
       "phấn đấu tổ chức bình chọn trên 50 sản phẩm/đợt đạt danh hiệu CNNT tiêu biểu cấp tỉnh.",
       qualifier="trên"),
    _t(N, "2", "phong-trung-bay", "Phòng trưng bày sản phẩm", "phòng", "03",
       "Hỗ trợ các cơ sở CNNT đầu tư 03 phòng trưng bày giới thiệu sản phẩm"),
    _t(N, "2", "nhan-hieu", "Đăng ký nhãn hiệu sản phẩm", "nhãn hiệu", "02",
       "đăng ký 02 nhãn hiệu sản phẩm."),
    _t(N, "2", "hoi-cho-cap-tinh", "Hội chợ triển lãm sản phẩm công nghiệp cấp tỉnh", "hội chợ",
       "01",
       "Tổ chức 01 hội chợ triển lãm, trưng bày sản phẩm công nghiệp cấp tỉnh"),
    _t(N, "2", "gian-hang-hoi-cho", "Gian hàng tham gia hội chợ triển lãm trong nước",
       "gian hàng", "32",
       "Hỗ trợ 32 gian hàng của các cơ sở CNNT tham gia hội chợ triển lãm trong nước."),
    _t(N, "3", "xuc-tien-dau-tu-ccn", "Hội nghị xúc tiến đầu tư phát triển cụm công nghiệp",
       "hội nghị", "02",
       "Hỗ trợ tổ chức 02 hội nghị, hội thảo, diễn đàn xúc tiến đầu tư phát triển cụm công "
       "nghiệp."),
    _t(N, "3", "xu-ly-moi-truong", "Cơ sở CNNT được hỗ trợ xử lý nước thải, khí thải", "cơ sở",
       "03",
       "Hỗ trợ công nghệ, máy móc thiết bị xử lý nước thải, khí thải tại 03 cơ sở CNNT."),
    _t(N, "4", "tap-huan-co-so", "Hội nghị, hội thảo tập huấn cho cơ sở CNNT", "hội nghị", "15",
       "Dự kiến tổ chức 15 hội nghị, hội thảo tập huấn cho các cơ sở CNNT.",
       qualifier="dự kiến"),
    _t(N, "5", "phong-su-truyen-hinh", "Phóng sự khuyến công truyền hình", "phóng sự", "39",
       "Thực hiện 39 phóng sự khuyến công truyền hình trên Báo và Phát thanh truyền hình Khánh "
       "Hòa;"),
    _t(N, "5", "ban-tin", "Bản tin khuyến công", "kỳ", "12",
       "Phát hành 12 kỳ bản tin khuyến công;"),
    _t(N, "5", "an-pham-quang-ba", "Ấn phẩm quảng bá sản phẩm CNNT tiêu biểu cấp tỉnh",
       "ấn phẩm", "600",
       "Phát hành 600 ấn phẩm quảng bá sản phẩm CNNT tiêu biểu cấp tỉnh;"),
    _t(N, "5", "so-tay-cam-nang", "Sổ tay, cẩm nang khuyến công", "cuốn", "600",
       "Phát hành 600 cuốn sổ tay/cẩm nang khuyến công;"),
    _t(N, "5", "bai-viet-khuyen-cong", "Bài viết tuyên truyền về hoạt động khuyến công",
       "bài viết", "60",
       "Thực hiện 60 bài viết tuyên truyền về hoạt động khuyến công trên báo;"),
    _t(N, "6", "doan-hoc-tap-trong-nuoc", "Đoàn trao đổi, học tập kinh nghiệm trong nước", "đoàn",
       "02",
       "Tổ chức 02 đoàn tham gia trao đổi, học tập kinh nghiệm trong nước."),
    _t(N, "6", "tap-huan-nghiep-vu", "Tập huấn nghiệp vụ khuyến công cho cán bộ", "đợt", "02",
       "Tổ chức 02 đợt tập huấn, hội nghị, hội thảo nghiệp vụ khuyến công cho cán bộ, công "
       "chức, viên chức làm công tác khuyến công."),
    _t(N, "6", "tap-huan-ngoai-tinh", "Tham gia tập huấn, bồi dưỡng ngoài tỉnh", "đợt", "08",
       "Tham gia 08 đợt tập huấn, hội thảo, hội nghị, bồi dưỡng chuyên môn, nghiệp vụ cho cán "
       "bộ làm công tác khuyến công ngoài tỉnh và các chương trình do Bộ Công Thương tổ chức."),
    _t(N, "7", "dao-tao-sxtdbv", "Tham gia đào tạo, tập huấn về sản xuất và tiêu dùng bền vững",
       "đợt", "09",
       "Tham gia 09 đợt đào tạo, tập huấn, hội nghị, hội thảo Chương trình hành động quốc gia "
       "về Sản xuất và tiêu dùng bền vững do các Bộ ngành Trung ương và đơn vị tư vấn tổ "
       "chức;"),
    _t(N, "7", "hoi-nghi-sxtdbv", "Hội nghị tập huấn về sản xuất và tiêu dùng bền vững",
       "hội nghị", "37",
       "Tổ chức 37 Hội nghị tập huấn về chương trình sản xuất và tiêu dùng bền vững; nâng cao "
       "nhận thức và năng lực áp dụng sản xuất sạch hơn;"),
    _t(N, "7", "tai-lieu-sxtdbv", "Tài liệu tuyên truyền sản xuất sạch hơn, tiêu dùng bền vững",
       "sản phẩm", "6000",
       "Xây dựng, phát hành tài liệu (6000 sản phẩm là ấn phẩm, tờ rơi, poster,...), sản phẩm "
       "(túi thân thiện môi trường) tuyên truyền thực hành sản xuất sạch hơn và tiêu dùng bền "
       "vững;"),
    _t(N, "7", "dia-diem-rac-thai-nhua", "Địa điểm tuyên truyền phòng chống rác thải nhựa",
       "địa điểm", "18",
       "tại 18 địa điểm trên địa bàn các phường, xã thuộc tỉnh Khánh Hòa;"),
    _t(N, "7", "cam-nang-sxtdbv", "Cẩm nang về sản xuất và tiêu dùng bền vững", "cuốn", "300",
       "Xây dựng phát hành 300 cuốn cẩm nang hướng dẫn phổ biến chính sách pháp luật, kiến thức "
       "và thông tin về sản xuất và tiêu dùng bền vững;"),
    _t(N, "7", "bai-viet-sxtdbv", "Bài viết về sản xuất và tiêu dùng bền vững", "bài viết", "20",
       "Tuyên truyền 20 bài viết, phổ biến nâng cao nhận thức về các chính sách pháp luật, các "
       "mô hình thực hành tốt về sản xuất và tiêu dùng bền vững trên báo chí và các trang thông "
       "tin điện tử."),
)
# fmt: on

PROGRAMME = ProgrammeData(
    code=CODE,
    level="province",
    unit_code="56",
    title="Chương trình khuyến công giai đoạn 2026-2030 trên địa bàn tỉnh Khánh Hòa",
    start_year=2026,
    end_year=2030,
    decision_number="524/QĐ-UBND",
    decision_date=date(2026, 2, 9),
    issuing_body="Ủy ban nhân dân tỉnh Khánh Hòa",
    signer="",
    targets=OBJECTIVES + CONTENTS,
    # V. Kinh phí thực hiện — "Tổng kinh phí dự kiến thực hiện Chương trình giai đoạn
    # 2026-2030: 36.383.000.000 đồng. Trong đó: - Nguồn kinh phí khuyến công quốc gia:
    # 3.135.000.000 đồng - Nguồn kinh phí khuyến công địa phương: 33.248.300.000 đồng"
    stated_fund_totals={
        KCQG: parse_dong("3.135.000.000"),
        KCDP: parse_dong("33.248.300.000"),
    },
    stated_grand_total=parse_dong("36.383.000.000"),
    printed_unit=1,
    source="khanhhoa_program_2026_2030.txt",
    remarks=(
        "Tổng kinh phí ghi 36.383.000.000 đồng, nhưng KCQG 3.135.000.000 đồng cộng KCĐP "
        "33.248.300.000 đồng là 36.383.300.000 đồng: chênh 300.000 đồng.",
        "Mục tiêu ghi «3 brochure», phần nội dung ghi «600 ấn phẩm» quảng bá sản phẩm CNNT "
        "tiêu biểu cấp tỉnh.",
        "Mục tiêu ghi «100 đề án» ứng dụng máy móc thiết bị, phần nội dung ghi «từ 100 lượt cơ "
        "sở CNNT».",
        "Bảng tổng hợp kinh phí đính kèm không có trong văn bản: chưa có dòng kinh phí chi tiết.",
        "Văn bản trích không có khối chữ ký: chưa rõ người ký.",
    ),
)
