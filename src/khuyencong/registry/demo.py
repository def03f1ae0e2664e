"""Cơ sở CNNT mẫu: a deterministic synthetic population, clearly marked ``is_demo`` and "(mẫu)".

About twelve establishments in the demo commune (Xã Chiềng Sơn, Sơn La: tea, dairy, rattan
and bamboo, brocade) and a few in other Sơn La, Khánh Hòa and Đắk Lắk communes. Their tax codes
are synthetic 10-digit codes (the province's tax-office prefix, "99", a serial and the check
digit of the tax code algorithm), the same on every run, which is how a second run recognises
what the first one created.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from .models import Artisan, ArtisanTitle, Establishment, Gender, LegalForm, ProductGroup

DEMO_COMMUNE_CODE = "03985"
_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_PREFIX = {"14": "55", "56": "42", "66": "60"}  # Sơn La, Khánh Hòa, Đắk Lắk


def tax_code(province_code: str, serial: int) -> str:
    """A synthetic 10-digit tax code with a valid check digit (serials without one skipped)."""
    while True:
        body = f"{_TAX_PREFIX[province_code]}99{serial:05d}"
        check = 10 - sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11
        if check < 10:
            return f"{body}{check}"
        serial = (serial + 1_000) % 100_000  # another range, still deterministic


@dataclass(frozen=True)
class DemoEstablishment:
    commune: str
    name: str
    legal_form: str
    group: str
    products: str
    owner: str
    gender: str
    minority: bool
    employees: tuple[int, int, int]  # total, female, ethnic minority
    founded: int
    address: str = ""
    craft_village: str = ""
    artisan: tuple[str, str, int, str] | None = None  # name, title, year, craft


H, C, G, S = LegalForm.HOUSEHOLD, LegalForm.COOPERATIVE, LegalForm.COOPERATIVE_GROUP, LegalForm.SME
HANDICRAFT, FOOD, MACHINE, OTHER = (
    ProductGroup.HANDICRAFT,
    ProductGroup.PROCESSED_FOOD,
    ProductGroup.MACHINERY,
    ProductGroup.OTHER,
)
F, M = Gender.FEMALE, Gender.MALE

ESTABLISHMENTS: tuple[DemoEstablishment, ...] = (
    # Xã Chiềng Sơn (Sơn La): the demo commune.
    DemoEstablishment(
        "03985",
        "Cơ sở chè Chiềng Sơn (mẫu)",
        H,
        FOOD,
        "Chè búp khô, chè xanh sao suốt",
        "Lò Thị Hoa",
        F,
        True,
        (12, 9, 11),
        2011,
        "Bản Áng",
    ),
    DemoEstablishment(
        "03985",
        "Hợp tác xã chè Shan tuyết Chiềng Sơn (mẫu)",
        C,
        FOOD,
        "Chè Shan tuyết, trà túi lọc",
        "Hà Văn Thắng",
        M,
        True,
        (34, 21, 30),
        2014,
        "Bản Pa Khen",
    ),
    DemoEstablishment(
        "03985",
        "Hợp tác xã bò sữa Chiềng Sơn (mẫu)",
        C,
        FOOD,
        "Sữa tươi thanh trùng, sữa chua, bánh sữa",
        "Nguyễn Thị Lan",
        F,
        False,
        (46, 25, 12),
        2009,
        "Tiểu khu 1",
    ),
    DemoEstablishment(
        "03985",
        "Cơ sở bánh sữa Mộc Châu Chiềng Sơn (mẫu)",
        H,
        FOOD,
        "Bánh sữa, sữa chua nếp cẩm",
        "Đinh Văn Hùng",
        M,
        False,
        (8, 6, 2),
        2017,
        "Tiểu khu 2",
    ),
    DemoEstablishment(
        "03985",
        "Tổ hợp tác mây tre đan bản Áng (mẫu)",
        G,
        HANDICRAFT,
        "Giỏ mây, mâm tre, đèn tre",
        "Lường Văn Pánh",
        M,
        True,
        (22, 14, 22),
        2016,
        "Bản Áng",
        "Bản nghề mây tre đan Áng (mẫu)",
        ("Lường Văn Pánh", ArtisanTitle.PROVINCIAL, 2021, "Đan mây tre"),
    ),
    DemoEstablishment(
        "03985",
        "Cơ sở dệt thổ cẩm Thái Chiềng Sơn (mẫu)",
        H,
        HANDICRAFT,
        "Khăn piêu, túi thổ cẩm, váy áo dân tộc Thái",
        "Lò Thị Xuân",
        F,
        True,
        (15, 15, 15),
        2008,
        "Bản Nà Bó",
        "",
        ("Lò Thị Xuân", ArtisanTitle.MERITORIOUS, 2019, "Dệt thổ cẩm Thái"),
    ),
    DemoEstablishment(
        "03985",
        "Cơ sở cơ khí nông cụ Chiềng Sơn (mẫu)",
        H,
        MACHINE,
        "Máy sao chè, máy vò chè, nông cụ cầm tay",
        "Trần Văn Đông",
        M,
        False,
        (9, 1, 3),
        2013,
        "Tiểu khu 3",
    ),
    DemoEstablishment(
        "03985",
        "Doanh nghiệp chế biến nông sản Chiềng Sơn (mẫu)",
        S,
        FOOD,
        "Mận hậu sấy dẻo, chanh leo cô đặc",
        "Phạm Thị Thu",
        F,
        False,
        (58, 37, 26),
        2018,
        "Quốc lộ 43",
    ),
    DemoEstablishment(
        "03985",
        "Cơ sở rượu ngô men lá Chiềng Sơn (mẫu)",
        H,
        FOOD,
        "Rượu ngô men lá",
        "Sa Văn Khằm",
        M,
        True,
        (5, 2, 5),
        2015,
        "Bản Phụ Mẫu",
    ),
    DemoEstablishment(
        "03985",
        "Cơ sở thêu trang phục dân tộc Chiềng Sơn (mẫu)",
        H,
        HANDICRAFT,
        "Áo cóm, khăn thêu, túi thêu",
        "Cầm Thị Ngọc",
        F,
        True,
        (11, 11, 10),
        2019,
        "Bản Nà Bó",
    ),
    DemoEstablishment(
        "03985",
        "Cơ sở gạch không nung Chiềng Sơn (mẫu)",
        H,
        OTHER,
        "Gạch block không nung, gạch lát sân",
        "Vũ Văn Tuấn",
        M,
        False,
        (14, 2, 4),
        2020,
        "Tiểu khu 4",
    ),
    DemoEstablishment(
        "03985",
        "Hợp tác xã rau an toàn và chế biến Chiềng Sơn (mẫu)",
        C,
        FOOD,
        "Rau sấy, dưa cải muối",
        "Mùa Thị Dinh",
        F,
        True,
        (27, 19, 23),
        2021,
        "Bản Lóng Luông",
    ),
    # Other Sơn La communes.
    DemoEstablishment(
        "03980",
        "Công ty TNHH chế biến sữa cao nguyên (mẫu)",
        S,
        FOOD,
        "Sữa tươi, phô mai, bơ",
        "Lê Minh Quân",
        M,
        False,
        (120, 64, 30),
        2006,
        "Tiểu khu 70",
    ),
    DemoEstablishment(
        "04048",
        "Hợp tác xã chè Vân Hồ (mẫu)",
        C,
        FOOD,
        "Chè Shan tuyết cổ thụ",
        "Sồng A Chư",
        M,
        True,
        (30, 16, 30),
        2016,
        "Bản Hua Tạt",
    ),
    DemoEstablishment(
        "03646",
        "Cơ sở cà phê rang xay Sơn La (mẫu)",
        H,
        FOOD,
        "Cà phê arabica rang xay",
        "Nguyễn Văn Bình",
        M,
        False,
        (7, 3, 1),
        2017,
        "Đường Tô Hiệu",
    ),
    DemoEstablishment(
        "03808",
        "Cơ sở dệt thổ cẩm Mường La (mẫu)",
        G,
        HANDICRAFT,
        "Thổ cẩm, chăn đệm bông gạo",
        "Quàng Thị Mai",
        F,
        True,
        (18, 18, 18),
        2012,
        "Bản Mé",
    ),
    # Khánh Hòa.
    DemoEstablishment(
        "22366",
        "Cơ sở yến sào Nha Trang (mẫu)",
        H,
        FOOD,
        "Yến sào tinh chế, nước yến",
        "Trần Thị Hạnh",
        F,
        False,
        (16, 10, 0),
        2010,
        "Đường Trần Phú",
    ),
    DemoEstablishment(
        "22489",
        "Hợp tác xã nước mắm Vạn Ninh (mẫu)",
        C,
        FOOD,
        "Nước mắm cá cơm truyền thống",
        "Nguyễn Văn Lực",
        M,
        False,
        (25, 12, 0),
        2007,
        "Thôn Tuần Lễ",
    ),
    DemoEstablishment(
        "22651",
        "Cơ sở mây tre đan Diên Khánh (mẫu)",
        H,
        HANDICRAFT,
        "Mây tre đan xuất khẩu, chiếu cói",
        "Lê Thị Bích",
        F,
        False,
        (20, 16, 0),
        2013,
        "Thôn Phú Ân",
    ),
    # Đắk Lắk.
    DemoEstablishment(
        "24133",
        "Công ty TNHH cà phê Buôn Ma Thuột (mẫu)",
        S,
        FOOD,
        "Cà phê robusta rang xay, cà phê hòa tan",
        "Y Bhim Niê",
        M,
        True,
        (64, 30, 28),
        2005,
        "Đường Lê Duẩn",
    ),
    DemoEstablishment(
        "24373",
        "Hợp tác xã ca cao Ea Kar (mẫu)",
        C,
        FOOD,
        "Hạt ca cao lên men, sô-cô-la",
        "H'Luyến Ayŭn",
        F,
        True,
        (19, 12, 15),
        2015,
        "Buôn Ea Kar",
    ),
    DemoEstablishment(
        "24490",
        "Cơ sở dệt thổ cẩm Ê Đê Krông Pắc (mẫu)",
        H,
        HANDICRAFT,
        "Váy, khố, túi thổ cẩm Ê Đê",
        "H'Ngơn Byă",
        F,
        True,
        (9, 9, 9),
        2011,
        "Buôn Kô Êmông",
    ),
)

#: The establishment the demo representative (coso.sonla) stands for.
DEMO_REPRESENTED_NAME = ESTABLISHMENTS[0].name


def _province_code(commune: AdministrativeUnit) -> str:
    assert commune.parent is not None
    return commune.parent.code


@transaction.atomic
def seed_demo_establishments() -> int:
    """Create the demo establishments that are missing; returns how many demo ones exist.

    Idempotent: an establishment whose (synthetic) tax code is already registered is kept as
    it is, so edits made during a demonstration survive a second run.
    """
    codes = {d.commune for d in ESTABLISHMENTS}
    communes = {
        c.code: c
        for c in AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.COMMUNE, code__in=codes)
        .select_related("parent")
    }
    for serial, demo in enumerate(ESTABLISHMENTS, start=1):
        commune = communes.get(demo.commune)
        if commune is None:
            continue  # the unit tree is not loaded: nothing to attach to
        code = tax_code(_province_code(commune), serial)
        if Establishment.objects.filter(tax_code=code).exists():
            continue
        total, female, minority = demo.employees
        establishment = Establishment(
            name=demo.name,
            legal_form=demo.legal_form,
            tax_code=code,
            address=demo.address,
            commune=commune,
            product_group=demo.group,
            main_products=demo.products,
            owner_name=demo.owner,
            owner_gender=demo.gender,
            owner_ethnic_minority=demo.minority,
            employees_total=total,
            employees_female=female,
            employees_ethnic_minority=minority,
            founded_year=demo.founded,
            craft_village=demo.craft_village,
            is_demo=True,
        )
        establishment._change_reason = "Dữ liệu mẫu"  # type: ignore[attr-defined]
        establishment.save()
        if demo.artisan is not None:
            name, title, year, craft = demo.artisan
            Artisan.objects.create(
                full_name=name,
                title=title,
                year_awarded=year,
                craft=craft,
                commune=commune,
                establishment=establishment,
            )
    return Establishment.objects.filter(is_demo=True).count()


def demo_represented_establishment() -> Establishment | None:
    """The demo establishment the demo representative stands for (its role's establishment)."""
    return Establishment.objects.filter(is_demo=True, name=DEMO_REPRESENTED_NAME).first()
