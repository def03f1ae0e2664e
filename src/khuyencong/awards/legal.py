"""The legal numbers of the selection as data with their basis (DOMAIN.md §6).

Thông tư 26/2014/TT-BCT on typical rural industrial product selection, amended by Thông tư
14/2018/TT-BCT and Thông tư 38/2025/TT-BCT (consolidated text 46/VBHN-BCT). Figures marked
"(cần đối chiếu)" come from older or partial texts: they are rows the system administrator can
correct (``LevelRule``, a dated table), never constants in code. ``load_level_rules`` and the
data migration seed these rows; ``REGIONS`` maps the 34 provinces (after the 2025 merger) to
the three regions the rounds used for the 63 old provinces (check).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .rules import Level

BASIS = (
    "Thông tư số 26/2014/TT-BCT ngày 28/8/2014 của Bộ Công Thương, sửa đổi bởi Thông tư số "
    "14/2018/TT-BCT và Thông tư số 38/2025/TT-BCT (Văn bản hợp nhất số 46/VBHN-BCT)"
)
IN_FORCE = datetime.date(2025, 7, 1)

#: Phiếu chấm điểm (PL4): four criteria and their caps.
DEFAULT_CRITERIA: list[dict[str, object]] = [
    {
        "code": "thi-truong",
        "name": "Khả năng đáp ứng thị trường và phát triển sản xuất",
        "cap": "40",
    },
    {
        "code": "kinh-te-ky-thuat",
        "name": "Hiệu quả kinh tế, kỹ thuật, xã hội và môi trường",
        "cap": "40",
    },
    {"code": "van-hoa", "name": "Giá trị văn hóa, thẩm mỹ", "cap": "10"},
    {"code": "khac", "name": "Tiêu chí khác", "cap": "10"},
]


@dataclass(frozen=True)
class LevelDefaults:
    level: Level
    council_min: int
    council_max: int
    fund: str
    organiser: str  # accounts.Role value of the unit that runs the level
    prerequisite: Level | None  # the level whose certificate an entry needs
    proposer_level: int | None  # geo.UnitLevel of the authority that forwards (short-list PL5)
    pass_mark: Decimal = Decimal("70")
    outlier_margin: Decimal = Decimal("15")
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    validity_years: int = 3
    complaint_days: int = 15
    complaint_decision_days: int = 10
    report_due_month: int = 1
    report_due_day: int = 31
    criteria: list[dict[str, object]] = field(default_factory=lambda: list(DEFAULT_CRITERIA))
    basis: str = (
        f"{BASIS}: cấp bình chọn, hội đồng, tiêu chí và thang điểm (PL3, PL4), điểm đạt 70, "
        "thời hạn giấy chứng nhận đến 31/12 năm thứ ba kể cả năm cấp, khiếu nại trong 15 ngày "
        "làm việc và giải quyết trong 10 ngày làm việc (cần đối chiếu theo từng cấp); hạn báo "
        "cáo hằng năm của cơ sở có sản phẩm được chứng nhận (cần đối chiếu)"
    )


#: Ảnh màu sản phẩm: at least 10×15 cm (short side, long side), front, side and top views.
PHOTO_MIN_CM = (Decimal(10), Decimal(15))
PHOTO_BASIS = f"{BASIS}: hồ sơ gồm 03 ảnh màu khổ 10×15 cm trở lên (mặt trước, mặt bên, mặt trên)"

COMMUNE_LEVEL, PROVINCE_LEVEL = 3, 1  # geo.UnitLevel values (kept pure)

LEVELS: tuple[LevelDefaults, ...] = (
    LevelDefaults(Level.COMMUNE, 5, 7, "KCDP", "can-bo-xa", None, None),
    LevelDefaults(Level.PROVINCE, 7, 9, "KCDP", "so-cong-thuong", Level.COMMUNE, COMMUNE_LEVEL),
    LevelDefaults(Level.REGION, 9, 11, "KCQG", "cuc-khuyen-cong", Level.PROVINCE, PROVINCE_LEVEL),
    LevelDefaults(Level.NATION, 11, 13, "KCQG", "cuc-khuyen-cong", Level.REGION, PROVINCE_LEVEL),
)

REGION_BASIS = (
    "Ba khu vực của các kỳ bình chọn cấp khu vực trước năm 2025 (63 tỉnh), ánh xạ sang 34 tỉnh, "
    "thành phố sau sắp xếp năm 2025 (cần đối chiếu)"
)

#: (code, name, province codes)
REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "mien-bac",
        "Khu vực miền Bắc",
        ("01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37"),
    ),
    (
        "mien-trung-tay-nguyen",
        "Khu vực miền Trung và Tây Nguyên",
        ("38", "40", "42", "44", "46", "48", "51", "52", "56", "66", "68"),
    ),
    ("mien-nam", "Khu vực miền Nam", ("75", "79", "80", "82", "86", "91", "92", "96")),
)
