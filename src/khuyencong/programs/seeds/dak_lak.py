"""Chương trình khuyến công tỉnh Đắk Lắk giai đoạn 2026-2030.

Transcribed from ``shared/seeds/daklak_program_2026_2030.txt``. The source text is the
programme only: no decision header (number, date, issuing body, signer) and no budget table, so
those fields are empty and only the targets of section IV.2 (nhiệm vụ cụ thể, in the contents
section) are kept. Each target's group follows the letter of the matching item in IV.1.
"""

from __future__ import annotations

from khuyencong.programs.programme_data import (
    ProgrammeData,
    Target,
    group_code_for,
    parse_vn_number,
)

CODE = "dak-lak-2026-2030"


def _t(
    label: str, key: str, name: str, unit: str, quantity: str, text: str, qualifier: str = ""
) -> Target:
    return Target(
        group_code=group_code_for("dak-lak/noi-dung", label),
        name=name,
        unit=unit,
        quantity=parse_vn_number(quantity),
        section="noi-dung",
        key=key,
        text=text,
        qualifier=qualifier,
    )


_SXSH = (
    "Tổ chức 05 lớp tập huấn, đào tạo nâng cao nhận thức về sản xuất sạch hơn, sản xuất và tiêu "
    "dùng bền vững, đào tạo cho 300 lượt người tiếp cận."
)
_TAP_HUAN = "tổ chức 04 lớp tập huấn khuyến công cho 360 lượt người"

# IV.2 Nhiệm vụ cụ thể
# fmt: off
TARGETS: tuple[Target, ...] = (
    _t("a", "may-moc-thiet-bi", "Cơ sở CNNT ứng dụng máy móc thiết bị tiên tiến", "cơ sở", "98",
       "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất công nghiệp - tiểu thủ công "
       "nghiệp tại các cơ sở công nghiệp nông thôn (dự kiến là 98 cơ sở).",
       qualifier="dự kiến"),
    _t("a", "lop-sxsh", "Lớp tập huấn về sản xuất sạch hơn, sản xuất và tiêu dùng bền vững",
       "lớp", "05", _SXSH),
    _t("a", "hoc-vien-sxsh", "Lượt người được đào tạo về sản xuất sạch hơn", "lượt người", "300",
       _SXSH),
    _t("a", "ket-noi-cung-cau", "Hội nghị kết nối cung cầu máy móc thiết bị tiên tiến",
       "hội nghị", "02",
       "Tổ chức 02 Hội nghị kết nối cung cầu về đầu tư máy móc thiết bị tiên tiến cho cơ sở "
       "công nghiệp nông thôn."),
    _t("b", "thuong-hieu", "Đơn vị được hỗ trợ xây dựng, phát triển thương hiệu", "đơn vị", "20",
       "Hỗ trợ xây dựng, phát triển thương hiệu sản phẩm công nghiệp nông thôn cho khoảng 20 "
       "đơn vị.",
       qualifier="khoảng"),
    _t("b", "binh-chon-cap-tinh", "Bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh", "đợt", "02",
       "Tổ chức 02 đợt bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh"),
    _t("b", "phong-trung-bay", "Phòng trưng bày được hỗ trợ trang thiết bị", "phòng", "25",
       "Hỗ trợ mua sắm ban đầu trang thiết bị, dụng cụ quản lý cho 25 phòng trưng bày để giới "
       "thiệu, quảng bá sản phẩm của các cơ sở công nghiệp nông thôn các cấp."),
    _t("c", "xuc-tien-dau-tu-ccn", "Hội nghị xúc tiến đầu tư phát triển cụm công nghiệp",
       "hội nghị", "03",
       "Tổ chức 03 Hội nghị xúc tiến đầu tư phát triển cụm công nghiệp."),
    _t("c", "xu-ly-moi-truong", "Cơ sở CNNT được hỗ trợ xử lý nước thải, khí thải", "cơ sở", "05",
       "Hỗ trợ công nghệ, máy móc thiết bị xử lý nước thải, khí thải tại các cụm công nghiệp, "
       "cơ sở công nghiệp nông thôn cho 05 cơ sở công nghiệp nông thôn."),
    _t("d", "ban-tin", "Bản tin, ấn phẩm", "bản tin", "05",
       "xuất bản 05 bản tin, ấn phẩm"),
    _t("đ", "tu-van", "Cơ sở CNNT được tư vấn, hỗ trợ", "cơ sở", "15",
       "Tư vấn, hỗ trợ lập dự án đầu tư, quản trị marketing, quản trị sản xuất, tài chính - nhân "
       "lực; thành lập doanh nghiệp, liên doanh liên kết trong sản xuất kinh doanh; thiết kế mẫu "
       "mã, bao bì đóng gói, ứng dụng công nghệ - thiết bị mới cho khoảng 15 cơ sở công nghiệp "
       "nông thôn.",
       qualifier="khoảng"),
    _t("e", "kiem-tra-giam-sat", "Đề án xây dựng kế hoạch, kiểm tra, giám sát", "đề án", "05",
       "Tổ chức 05 đề án xây dựng kế hoạch, kiểm tra, giám sát hoạt động khuyến công"),
    _t("e", "lop-tap-huan-khuyen-cong", "Lớp tập huấn khuyến công", "lớp", "04", _TAP_HUAN),
    _t("e", "hoc-vien-tap-huan-khuyen-cong", "Lượt người dự tập huấn khuyến công", "lượt người",
       "360", _TAP_HUAN),
    _t("e", "doan-khao-sat", "Đoàn tham quan khảo sát học tập kinh nghiệm trong nước", "đoàn",
       "05",
       "tổ chức 05 đoàn tham quan khảo sát học tập kinh nghiệm khuyến công trong nước."),
)
# fmt: on

PROGRAMME = ProgrammeData(
    code=CODE,
    level="province",
    unit_code="66",
    title="Chương trình khuyến công tỉnh Đắk Lắk giai đoạn 2026-2030",
    start_year=2026,
    end_year=2030,
    decision_number=None,
    decision_date=None,
    issuing_body="",
    signer="",
    targets=TARGETS,
    source="daklak_program_2026_2030.txt",
    remarks=(
        "Văn bản trích không có phần quyết định: chưa rõ số, ngày, cơ quan ban hành, người ký.",
        "Chương trình không có bảng kinh phí: chỉ có chỉ tiêu.",
        "Mục II ghi «giá trị gia tăng của các sản phẩm công nghệ thông tin»: có lẽ nhầm từ "
        "«sản phẩm CNNT» (công nghiệp nông thôn) của chương trình quốc gia.",
        "Lỗi chính tả trong văn bản: «triễn lãm», «bảng tin» (bản tin), «kcác hoạt động».",
    ),
)
