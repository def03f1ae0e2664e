"""The content catalogue and the national rates of DOMAIN.md §4, as data (pure, no ORM).

Thông tư 28/2018/TT-BTC took effect on 15 May 2018; Thông tư 64/2024/TT-BTC amended it (what
it changed is not known), so every row cites both. Rows DOMAIN.md marks "(check)" are flagged
``needs_verification`` and shown as "cần xác minh". Technology lines have their own row: 1.5 × the
machinery cap. The data migration ``0002_national_norms`` and
:func:`khuyencong.norms.services.load_national_norms` load it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

MILLION = 1_000_000
#: The content "taking part in a fair or exhibition abroad": a rule other apps check (at most two
#: a year per establishment), so they refer to the code through this name.
OVERSEAS_FAIR = "hoi-cho-nuoc-ngoai"
IN_FORCE = datetime.date(2018, 5, 15)
BASIS = "Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"
PRIORITY_NOTE = (
    "Hệ số 1,5 cho địa bàn, lĩnh vực ưu tiên (“tối đa 1,5 lần mức hỗ trợ”) cần xác minh với văn "
    "bản gốc."
)

#: (code, name, content group, order)
CONTENTS: list[tuple[str, str, str, int]] = [
    (
        "mo-hinh-trinh-dien",
        "Xây dựng mô hình trình diễn kỹ thuật để phổ biến công nghệ mới, sản xuất sản phẩm mới",
        "nhom-1",
        10,
    ),
    (
        "may-moc-thiet-bi",
        "Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ vào sản xuất CN-TTCN",
        "nhom-1",
        20,
    ),
    (
        "day-chuyen-cong-nghe",
        "Ứng dụng dây chuyền công nghệ tiên tiến vào sản xuất CN-TTCN",
        "nhom-1",
        30,
    ),
    (
        "nhan-rong-mo-hinh",
        "Mô hình của cơ sở CNNT đang hoạt động có hiệu quả cần phổ biến, nhân rộng",
        "nhom-1",
        40,
    ),
    (
        "san-xuat-sach-hon",
        "Xây dựng mô hình thí điểm áp dụng sản xuất sạch hơn",
        "nhom-1",
        50,
    ),
    (
        "nhan-hieu",
        "Xây dựng và đăng ký nhãn hiệu sản phẩm CNNT",
        "nhom-2",
        60,
    ),
    (
        "tu-van-thiet-ke",
        "Thuê tư vấn, trợ giúp thiết kế mẫu mã, bao bì đóng gói",
        "nhom-2",
        70,
    ),
    (
        "hoi-cho-trong-nuoc",
        "Cơ sở CNNT tham gia hội chợ, triển lãm trong nước",
        "nhom-2",
        80,
    ),
    (
        OVERSEAS_FAIR,
        "Cơ sở CNNT tham gia hội chợ, triển lãm ở nước ngoài",
        "nhom-2",
        90,
    ),
    (
        "ve-may-bay-nuoc-ngoai",
        "Vé máy bay cho cơ sở CNNT khảo sát, học tập kinh nghiệm ở nước ngoài",
        "nhom-2",
        100,
    ),
    (
        "xu-ly-moi-truong-co-so",
        "Xử lý ô nhiễm môi trường tại cơ sở CNNT",
        "nhom-3",
        110,
    ),
    (
        "xu-ly-moi-truong-ccn",
        "Xử lý ô nhiễm môi trường tại cụm công nghiệp",
        "nhom-3",
        120,
    ),
    (
        "thanh-lap-doanh-nghiep",
        "Thành lập doanh nghiệp sản xuất CNNT tại địa bàn khó khăn, đặc biệt khó khăn",
        "nhom-4",
        130,
    ),
]

#: (code, % of eligible cost, cap in triệu đồng, unit, advance ceiling, needs verification,
#: notes)
NORMS: list[tuple[str, str | None, int | None, str, str, bool, str]] = [
    ("thanh-lap-doanh-nghiep", None, 10, "doanh nghiệp", "0.70", False, ""),
    ("mo-hinh-trinh-dien", "30", 1000, "mô hình", "0.70", False, ""),
    ("may-moc-thiet-bi", "50", 300, "cơ sở", "0.70", False, ""),
    (
        "day-chuyen-cong-nghe",
        "50",
        450,
        "cơ sở",
        "0.70",
        False,
        "Mức trần bằng 1,5 lần mức trần máy móc thiết bị (300 triệu đồng). Tỷ lệ 50% lấy theo "
        "máy móc thiết bị: đối chiếu văn bản gốc.",
    ),
    ("nhan-rong-mo-hinh", None, 100, "mô hình", "0.70", True, ""),
    ("san-xuat-sach-hon", None, 500, "mô hình", "0.70", True, ""),
    ("nhan-hieu", "50", 35, "nhãn hiệu", "0.70", True, ""),
    ("tu-van-thiet-ke", "50", 35, "cơ sở", "0.70", True, "Kể cả thiết kế mẫu mã, bao bì."),
    (
        "hoi-cho-trong-nuoc",
        "80",
        None,
        "cơ sở",
        "0.70",
        True,
        "Chi phí hợp lý là tiền thuê gian hàng.",
    ),
    ("ve-may-bay-nuoc-ngoai", "100", None, "người", "0.70", True, ""),
    ("xu-ly-moi-truong-co-so", "30", 300, "cơ sở", "0.70", True, ""),
    (
        "xu-ly-moi-truong-ccn",
        "30",
        1500,
        "cụm công nghiệp",
        "0.30",
        True,
        "Tạm ứng tối đa 30% đối với công trình tại cụm công nghiệp.",
    ),
]

CHANGE_REASON = "Nạp định mức ban đầu theo Thông tư 28/2018/TT-BTC"


def national_rows() -> list[tuple[str, dict[str, Any]]]:
    """(content code, field values) of each national KCQG row, ready for the ORM."""
    rows = []
    for code, percent, cap, unit, advance, check, notes in NORMS:
        rows.append(
            (
                code,
                {
                    "legal_basis": BASIS,
                    "max_percent": None if percent is None else Decimal(percent),
                    "cap_per_unit": None if cap is None else cap * MILLION,
                    "unit": unit,
                    "priority_multiplier": Decimal("1.5"),
                    "advance_ceiling": Decimal(advance),
                    "needs_verification": check,
                    "notes": " ".join(part for part in (notes, PRIORITY_NOTE) if part),
                },
            )
        )
    return rows
