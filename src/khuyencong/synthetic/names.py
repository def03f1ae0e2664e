"""Realistic Vietnamese names for synthetic people, establishments and projects (pure).

Every function takes the generator's ``random.Random``, so the same seed gives the same names.
Family names follow their rough national frequencies; the northern mountain provinces and the
Central Highlands also get the family names of their ethnic minorities (Thái, Mông, Ê Đê …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: (family name, weight): Nguyễn is about a third of the population.
FAMILY_NAMES: list[tuple[str, int]] = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 50),
    ("Huỳnh", 30),
    ("Phan", 45),
    ("Vũ", 39),
    ("Võ", 25),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Trương", 7),
    ("Lương", 5),
    ("Mai", 4),
    ("Tạ", 3),
]
#: Family names of ethnic minorities (Thái, Mông, Mường, Tày, Nùng, Ê Đê, Gia Rai …).
MINORITY_FAMILY_NAMES = [
    "Lò",
    "Quàng",
    "Cầm",
    "Lường",
    "Tòng",
    "Hà",
    "Vì",
    "Giàng",
    "Sùng",
    "Thào",
    "Mùa",
    "Lầu",
    "Nông",
    "Triệu",
    "Bế",
    "Ma",
    "Y",
    "H'",
    "Ksor",
    "Rơ Châm",
]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Xuân", "Thanh", "Ngọc", "Bá"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Mỹ"]
MALE_GIVEN = [
    "Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Quang", "Phong",
    "Bình", "Hiếu", "Trung", "Khánh", "Toàn", "Tài", "Lợi", "Phúc", "Thành", "Vinh", "Đạt",
    "Kiên", "Lâm", "Chiến", "Sáng", "Pó", "Chư", "Páo", "Xuân",
]  # fmt: skip
FEMALE_GIVEN = [
    "Lan", "Hoa", "Hương", "Mai", "Hà", "Linh", "Trang", "Thảo", "Nga", "Huyền", "Hạnh",
    "Phương", "Yến", "Nhung", "Oanh", "Thủy", "Vân", "Loan", "Dung", "Tuyết", "Xuân", "Ánh",
    "Bích", "Chi", "Diệp", "Mỷ", "Súa", "Ban",
]  # fmt: skip

#: Provinces (codes) where ethnic minorities are a large share of the population.
MINORITY_PROVINCES = frozenset({"04", "08", "11", "12", "14", "15", "19", "20", "52", "66", "68"})


@dataclass(frozen=True)
class Person:
    name: str
    female: bool
    minority: bool


def person(rng: random.Random, province_code: str = "") -> Person:
    """A person's full name; about 40 % women, minorities where they live."""
    female = rng.random() < 0.42
    minority = province_code in MINORITY_PROVINCES and rng.random() < 0.55
    if minority:
        family = rng.choice(MINORITY_FAMILY_NAMES)
    else:
        family = rng.choices([f for f, _w in FAMILY_NAMES], [w for _f, w in FAMILY_NAMES])[0]
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return Person(f"{family} {middle} {given}", female, minority)


#: Products by product group (DOMAIN.md §6): 1 handicraft, 2 processed food, 3 machinery, 4 other.
PRODUCTS: dict[str, list[str]] = {
    "1": [
        "Mây tre đan", "Thổ cẩm", "Gốm sứ", "Sơn mài", "Chạm khắc gỗ", "Đan lát cói",
        "Thêu ren", "Đúc đồng", "Bạc chạm", "Nón lá", "Tranh thêu", "Dệt lụa", "Đồ gỗ mỹ nghệ",
        "Lục bình đan", "Đá mỹ nghệ",
    ],
    "2": [
        "Chè Shan tuyết", "Cà phê rang xay", "Nước mắm", "Bánh tráng", "Miến dong", "Mật ong",
        "Rượu cần", "Nem chua", "Hạt điều rang muối", "Tương ớt", "Bánh đa", "Mắm tôm",
        "Trà hoa vàng", "Thịt trâu gác bếp", "Măng khô", "Gạo lứt sấy", "Mứt gừng", "Chả mực",
        "Tỏi đen", "Hồ tiêu",
    ],
    "3": [
        "Máy tuốt lúa", "Dao rèn", "Nông cụ cầm tay", "Phụ tùng máy nông nghiệp",
        "Máy sấy nông sản", "Lò sấy chè", "Máy xay xát", "Khung cửa sắt", "Máy ép mía",
    ],
    "4": [
        "Gạch không nung", "Đồ gỗ nội thất", "Phân bón hữu cơ", "Bao bì giấy", "Nhang trầm",
        "Chổi đót", "Than hoạt tính", "Xà phòng thảo mộc",
    ],
}  # fmt: skip

CRAFT_VILLAGES = [
    "Làng nghề truyền thống", "Làng nghề", "Làng nghề truyền thống", "", "", "", "",
]  # fmt: skip
PLACE_WORDS = [
    "Phú Vinh", "An Bình", "Tân Phát", "Hưng Thịnh", "Thành Công", "Đồng Tâm", "Hòa Bình",
    "Quyết Thắng", "Minh Phát", "Tiến Đạt", "Hoàng Gia", "Việt Hưng", "Thuận Phát", "Đại Phong",
    "Sơn Hà", "Bản Áng", "Mường Lò", "Tà Xùa", "Phù Yên", "Cát Tiên",
]  # fmt: skip


def establishment_name(
    rng: random.Random, legal_form: str, product: str, owner: str, commune: str
) -> str:
    """The way establishments are actually named: form, product, and a person or a place."""
    place = rng.choice(PLACE_WORDS)
    if legal_form == "hkd":
        return f"Hộ kinh doanh {owner}"
    if legal_form == "htx":
        return f"Hợp tác xã {product.lower()} {commune}"
    if legal_form == "lhhtx":
        return f"Liên hiệp hợp tác xã {product.lower()} {place}"
    if legal_form == "tht":
        return f"Tổ hợp tác {product.lower()} {commune}"
    kind = rng.choice(["Công ty TNHH", "Công ty TNHH", "Công ty cổ phần", "Doanh nghiệp tư nhân"])
    return f"{kind} {product} {place}"


#: Project title patterns per norm content.
PROJECT_TITLES: dict[str, str] = {
    "mo-hinh-trinh-dien": "Xây dựng mô hình trình diễn kỹ thuật sản xuất {product}",
    "may-moc-thiet-bi": "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong sản xuất {product}",
    "day-chuyen-cong-nghe": "Hỗ trợ ứng dụng dây chuyền công nghệ chế biến {product}",
    "nhan-rong-mo-hinh": "Nhân rộng mô hình sản xuất {product} hiệu quả",
    "san-xuat-sach-hon": "Thí điểm áp dụng sản xuất sạch hơn trong sản xuất {product}",
    "nhan-hieu": "Hỗ trợ xây dựng và đăng ký nhãn hiệu sản phẩm {product}",
    "tu-van-thiet-ke": "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm {product}",
    "hoi-cho-trong-nuoc": "Hỗ trợ cơ sở sản xuất {product} tham gia hội chợ trong nước",
}


def project_title(content: str, product: str, commune: str) -> str:
    pattern = PROJECT_TITLES.get(content, "Hỗ trợ phát triển sản xuất {product}")
    return f"{pattern.format(product=product.lower())} tại {commune}"
