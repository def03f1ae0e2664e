"""Chương trình khuyến công quốc gia giai đoạn 2026 - 2030 (QĐ 2646/QĐ-BCT, 23/9/2025).

Transcribed from ``shared/seeds/national_program_2646_2026_2030.txt``. The national programme
has no budget table: only the quantified targets of section II.2 (mục tiêu cụ thể) are kept.
Its section V defines the six content groups of :data:`CONTENT_GROUPS`.
"""

from __future__ import annotations

from datetime import date

from khuyencong.programs.programme_data import ProgrammeData, Target, parse_vn_number

CODE = "quoc-gia-2026-2030"


def _t(
    group: int, key: str, name: str, unit: str, quantity: str, text: str, qualifier: str = ""
) -> Target:
    return Target(
        group_code=f"nhom-{group}",
        name=name,
        unit=unit,
        quantity=parse_vn_number(quantity),
        section="muc-tieu",
        key=key,
        text=text,
        qualifier=qualifier,
    )


# II.2 Mục tiêu cụ thể
# fmt: off
TARGETS: tuple[Target, ...] = (
    _t(1, "mo-hinh-trinh-dien", "Mô hình trình diễn kỹ thuật", "mô hình", "100",
       "Xây dựng được 100 mô hình trình diễn kỹ thuật để phổ biến công nghệ mới hoặc sản xuất "
       "sản phẩm mới trên địa bàn"),
    _t(1, "may-moc-day-chuyen", "Cơ sở CNNT ứng dụng máy móc thiết bị, dây chuyền công nghệ",
       "cơ sở CNNT", "1.600",
       "hỗ trợ ứng dụng máy móc thiết bị hiện đại và dây chuyền công nghệ tiên tiến vào sản "
       "xuất công nghiệp - tiểu thủ công nghiệp cho 1.600 cơ sở CNNT"),
    _t(1, "mo-hinh-sxsh", "Cơ sở CNNT có mô hình thí điểm sản xuất sạch hơn", "cơ sở CNNT", "100",
       "xây dựng mô hình thí điểm về sản xuất sạch hơn cho 100 cơ sở CNNT"),
    _t(3, "xu-ly-moi-truong", "Cơ sở CNNT được hỗ trợ xử lý nước thải, khí thải", "cơ sở CNNT",
       "100",
       "hỗ trợ công nghệ, máy móc thiết bị xử lý nước thải, khí thải cho 100 cơ sở CNNT."),
    _t(2, "binh-chon-cap-quoc-gia", "Bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia", "kỳ", "02",
       "Tổ chức được 02 kỳ bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia."),
    _t(2, "nhan-hieu", "Cơ sở CNNT được hỗ trợ đăng ký nhãn hiệu", "cơ sở CNNT", "120",
       "Hỗ trợ 120 cơ sở CNNT đăng ký nhãn hiệu sản phẩm."),
    _t(2, "to-chuc-hoi-cho-trong-nuoc", "Tổ chức hội chợ triển lãm trong nước", "hội chợ", "15",
       "Tổ chức được 15 hội chợ triển lãm trong nước"),
    _t(2, "to-chuc-hoi-cho-nuoc-ngoai", "Tổ chức hội chợ triển lãm tại nước ngoài", "hội chợ",
       "5",
       "5 hội chợ triển lãm tại nước ngoài"),
    _t(2, "tham-gia-hoi-cho-trong-nuoc", "Hỗ trợ cơ sở CNNT tham gia hội chợ trong nước",
       "hội chợ", "50",
       "hỗ trợ cơ sở CNNT tham gia 50 hội chợ triển lãm trong nước"),
    _t(2, "tham-gia-hoi-cho-nuoc-ngoai", "Hỗ trợ cơ sở CNNT tham gia hội chợ tại nước ngoài",
       "hội chợ", "12",
       "12 hội chợ tại nước ngoài"),
    _t(6, "hoi-nghi-dao-tao-can-bo", "Hội nghị đào tạo, tập huấn cán bộ khuyến công",
       "hội nghị", "35",
       "Tổ chức 35 hội nghị để đào tạo, tập huấn, bồi dưỡng chuyên môn nghiệp vụ cho cán bộ làm "
       "công tác khuyến công."),
    _t(4, "hoc-vien", "Học viên khởi sự kinh doanh, quản trị doanh nghiệp, sản xuất sạch hơn",
       "học viên", "7.500",
       "Đào tạo khởi sự kinh doanh, quản trị doanh nghiệp, nhận thức và năng lực áp dụng sản "
       "xuất sạch hơn, sản xuất và tiêu dùng bền vững cho khoảng 7.500 học viên.",
       qualifier="khoảng"),
)
# fmt: on

PROGRAMME = ProgrammeData(
    code=CODE,
    level="national",
    unit_code="VN",
    title="Chương trình khuyến công quốc gia giai đoạn 2026 - 2030",
    start_year=2026,
    end_year=2030,
    decision_number="2646/QĐ-BCT",
    decision_date=date(2025, 9, 23),
    issuing_body="Bộ Công Thương",
    signer="Nguyễn Sinh Nhật Tân",
    signer_title="KT. Bộ trưởng, Thứ trưởng",
    targets=TARGETS,
    source="national_program_2646_2026_2030.txt",
    remarks=(
        "Phần chương trình ghi «Ban hành kèm theo Quyết định số 2646/QĐ-UBND»: nhầm, đúng là "
        "2646/QĐ-BCT.",
        "Mục V.4 đánh số a), c), d) (thiếu b)); mục V.6 sau đ) có đoạn mất ký hiệu «, cập nhật "
        "và hoàn thiện cơ sở dữ liệu về quản lý khuyến công.» (có lẽ là e)) rồi đến g).",
        "Chương trình không có bảng kinh phí: chỉ có chỉ tiêu.",
    ),
)
