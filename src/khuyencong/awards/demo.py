"""Demo data of the selection (``make run``): a completed Sơn La provincial round of last year
(twelve products of several communes, seven judges with a realistic spread and one outlier,
results, the recognising decision, certificates, one complaint decided, the holders' yearly
reports — one filed, the others late) and an open national round being scored, with entries
forwarded by the provinces, on which the national council-member demo login scores.

Marked ``is_demo`` and "(mẫu)"; created once (a second run keeps what a demonstration changed).
Runs before the portal's demo, which then only adds the holders' consent to publish.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.registry.models import Establishment

from . import legal, rules
from .images import check_photo
from .models import (
    Certificate,
    Complaint,
    CouncilMember,
    Entry,
    Forwarding,
    HolderReport,
    Product,
    ProductPhoto,
    ScoreSheet,
    SelectionRound,
)
from .services import holder_reports
from .services.legal_data import level_defaults, round_rule_values
from .services.results import publish_round
from .services.scoring import write_results

DOMAIN = "demo.khuyencong.vn"
PROVINCE_CODE = "14"  # Sơn La
#: (establishment, product, GTIN): the first three are the portal demo's products.
PRODUCTS = (
    (
        "Hợp tác xã chè Shan tuyết Chiềng Sơn (mẫu)",
        "Chè Shan tuyết Chiềng Sơn (mẫu)",
        "08935049510864",
    ),
    ("Cơ sở chè Chiềng Sơn (mẫu)", "Chè búp khô Chiềng Sơn (mẫu)", "08936036021110"),
    ("Hợp tác xã bò sữa Chiềng Sơn (mẫu)", "Bánh sữa Chiềng Sơn (mẫu)", ""),
    ("Cơ sở bánh sữa Mộc Châu Chiềng Sơn (mẫu)", "Sữa chua nếp cẩm Mộc Châu (mẫu)", ""),
    ("Tổ hợp tác mây tre đan bản Áng (mẫu)", "Đèn tre bản Áng (mẫu)", ""),
    ("Cơ sở dệt thổ cẩm Thái Chiềng Sơn (mẫu)", "Khăn piêu Thái Chiềng Sơn (mẫu)", ""),
    ("Cơ sở cơ khí nông cụ Chiềng Sơn (mẫu)", "Máy sao chè mini (mẫu)", ""),
    ("Doanh nghiệp chế biến nông sản Chiềng Sơn (mẫu)", "Mận hậu sấy dẻo (mẫu)", ""),
    ("Công ty TNHH chế biến sữa cao nguyên (mẫu)", "Phô mai cao nguyên (mẫu)", ""),
    ("Hợp tác xã chè Vân Hồ (mẫu)", "Chè Shan tuyết cổ thụ Vân Hồ (mẫu)", ""),
    ("Cơ sở cà phê rang xay Sơn La (mẫu)", "Cà phê arabica Sơn La (mẫu)", ""),
    ("Cơ sở dệt thổ cẩm Mường La (mẫu)", "Chăn bông gạo Mường La (mẫu)", ""),
)
#: Each product's base score; each judge adds a small deterministic offset (a realistic
#: spread: nine pass the mark of 70, three do not).
BASE = (88, 85, 83, 81, 79, 77, 75, 74, 72, 69, 66, 61)
OFFSETS = (0, 2, -1, 1, -2, 1, -1)
#: Judge 7 scores the coffee 17 points below the others: the outlier the chair saw.
OUTLIER = (10, 6, -17)
JUDGES = ("chu-tich", "pho-chu-tich", "uy-vien", "uy-vien", "uy-vien", "uy-vien", "thu-ky")


def _split(total: Decimal) -> dict[str, str]:
    """A total spread over the four criteria in proportion to their caps (40/40/10/10)."""
    return {
        "thi-truong": str(total * 4 / 10),
        "kinh-te-ky-thuat": str(total * 4 / 10),
        "van-hoa": str(total / 10),
        "khac": str(total / 10),
    }


def _photo(n: int) -> bytes:
    image = Image.new("RGB", (1500, 1000), (40 + n * 15, 120, 160 - n * 8))
    ImageDraw.Draw(image).ellipse((400, 150, 1100, 850), fill=(240, 200, 80))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _judge(local: str, name: str, unit: AdministrativeUnit, password: str) -> User:
    user = User.objects.filter(email=f"{local}@{DOMAIN}").first()
    if user is None:
        user = User.objects.create(
            email=f"{local}@{DOMAIN}", full_name=name, is_demo=True, password=password
        )
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=Role.COUNCIL_MEMBER, unit=unit
    )
    if user.current_assignment_id is None:
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
    return user


def _round(
    code: str, level: str, year: int, unit: AdministrativeUnit, **dates: datetime.date
) -> SelectionRound:
    return SelectionRound.objects.create(
        code=code,
        title=f"Bình chọn sản phẩm CNNT tiêu biểu {rules.level_name(level)} năm {year} (mẫu)",
        year=year,
        level=level,
        unit=unit,
        legal_basis=legal.BASIS,
        **round_rule_values(level_defaults(level)),
        is_demo=True,
        **dates,
    )


def _entry(round_: SelectionRound, product: Product, **extra: object) -> Entry:
    return Entry.objects.create(
        round=round_,
        product=product,
        establishment=product.establishment,
        commune=product.commune,
        status="hop-le",
        representative="Đại diện cơ sở (mẫu)",
        phone="0212 385 0000",
        commitment=True,
        description=product.description,
        is_demo=True,
        **extra,
    )


def _products(holders: dict[str, Establishment]) -> list[Product]:
    products = []
    for n, (holder_name, name, gtin) in enumerate(PRODUCTS):
        holder = holders[holder_name]
        product = Product.objects.create(
            establishment=holder,
            commune=holder.commune,
            name=name,
            group=holder.product_group,
            description=f"{name}: sản phẩm tiêu biểu của {holder.name}.",
            gtin=gtin,
            is_demo=True,
        )
        content = _photo(n)
        checked = check_photo(content, name="anh.jpg")
        photo = ProductPhoto(
            product=product,
            view="truoc",
            width=checked.width,
            height=checked.height,
            size=len(content),
            original_name="anh-mau.jpg",
        )
        photo.image.save("anh.jpg", ContentFile(content), save=False)
        photo.thumbnail.save("nho.jpg", ContentFile(checked.thumbnail), save=False)
        photo.save()
        products.append(product)
    return products


def _provincial(
    province: AdministrativeUnit, products: list[Product], year: int, password: str
) -> SelectionRound:
    """The completed Sơn La round of ``year``: scored, closed, published on 15/11."""
    round_ = _round(
        f"son-la-tinh-{year}-mau",
        rules.Level.PROVINCE,
        year,
        province,
        registration_opens=datetime.date(year, 3, 1),
        registration_closes=datetime.date(year, 6, 30),
        scoring_opens=datetime.date(year, 9, 1),
        scoring_closes=datetime.date(year, 11, 10),
    )
    round_.council_decision = f"Quyết định số 801/QĐ-SCT ngày 25/8/{year} (mẫu)"
    judges = []
    for n, council_role in enumerate(JUDGES, start=1):
        local = "hoidong.sonla" if n == 1 else f"giamkhao{n}.sonla"
        user = _judge(local, f"Giám khảo {n} tỉnh Sơn La (mẫu)", province, password)
        judges.append(
            CouncilMember.objects.create(
                round=round_, user=user, full_name=user.full_name, council_role=council_role
            )
        )
    for p, (product, base) in enumerate(zip(products, BASE, strict=True)):
        entry = _entry(round_, product)
        for j, member in enumerate(judges):
            total = Decimal(base + OFFSETS[(j + p) % len(OFFSETS)])
            if (p, j) == OUTLIER[:2]:
                total = Decimal(base + OUTLIER[2])
            ScoreSheet.objects.create(
                round=round_,
                entry=entry,
                member=member,
                status="da-nop",
                scores=_split(total),
                total=total,
                submitted_at=timezone.make_aware(datetime.datetime(year, 11, 5, 9)),
            )
    closed_at = timezone.make_aware(datetime.datetime(year, 11, 10, 16))
    Entry.objects.filter(round=round_).update(scoring_closed_at=closed_at)
    round_.status = "da-khoa"
    round_.closed_at = closed_at
    round_.save()
    write_results(round_)
    sct = User.objects.get(email=f"sct.sonla@{DOMAIN}")
    publish_round(
        actor=sct,
        round_=round_,
        expected_version=round_.version,
        decision_number="1234/QĐ-UBND (mẫu)",
        decision_date=datetime.date(year, 11, 15),
    )
    return round_


def _aftercare(round_: SelectionRound, year: int) -> None:
    """One complaint (the lowest product's, dismissed) and the yearly reports of ``year``."""
    lowest = Entry.objects.filter(round=round_).order_by("-rank").select_related("product").first()
    if lowest is not None:
        Complaint.objects.create(
            entry=lowest,
            round=round_,
            establishment_id=lowest.establishment_id,
            commune_id=lowest.commune_id,
            text="Cơ sở đề nghị xem lại điểm tiêu chí thị trường: sản phẩm đã bán tại ba tỉnh.",
            lodged_on=datetime.date(year, 11, 20),
            reply_due=datetime.date(year, 12, 4),
            status="bac",
            decision="Hội đồng đã xem xét tài liệu thị trường trong hồ sơ; điểm giữ nguyên.",
            decided_on=datetime.date(year, 12, 1),
        )
    holder_reports.open_reports(year)
    first = (
        HolderReport.objects.filter(certificate__round=round_)
        .order_by("certificate__number")
        .first()
    )
    if first is not None:
        first.production = "18 tấn chè khô"
        first.revenue = 2_150_000_000
        first.employees = 32
        first.support_received = "Hỗ trợ máy sao chè từ khuyến công địa phương (mẫu)"
        first.submitted_at = timezone.make_aware(datetime.datetime(year + 1, 1, 20, 9))
        first.save()


def _national(
    nation: AdministrativeUnit,
    province: AdministrativeUnit,
    certified: list[Certificate],
    today: datetime.date,
    password: str,
) -> None:
    """An open national round being scored: Sơn La forwarded its three best products; the
    national council-member demo login chairs it and scores; a reserve judge waits."""
    round_ = _round(
        f"quoc-gia-{today.year}-mau",
        rules.Level.NATION,
        today.year,
        nation,
        registration_opens=today - datetime.timedelta(days=120),
        registration_closes=today - datetime.timedelta(days=30),
        scoring_opens=today - datetime.timedelta(days=29),
        scoring_closes=today + datetime.timedelta(days=30),
    )
    round_.status = "dang-cham"
    round_.council_decision = "Quyết định số 55/QĐ-BCT (mẫu)"
    round_.save()
    forwarding = Forwarding.objects.create(
        round=round_, unit=province, letter="Công văn số 310/SCT-QLCN (mẫu)"
    )
    entries = [
        _entry(round_, c.product, forwarding=forwarding, basis_certificate=c) for c in certified[:3]
    ]
    roles = ["chu-tich", "pho-chu-tich", *["uy-vien"] * 8, "thu-ky"]
    for n, council_role in enumerate(roles, start=1):
        local = "hoidong.tw" if n == 1 else f"giamkhao{n}.tw"
        user = _judge(local, f"Giám khảo {n} trung ương (mẫu)", nation, password)
        member = CouncilMember.objects.create(
            round=round_, user=user, full_name=user.full_name, council_role=council_role
        )
        for entry in entries:
            ScoreSheet.objects.create(round=round_, entry=entry, member=member)
    # A reserve judge (giám khảo dự khuyết): no sheet until the chair assigns them in place of
    # a judge with a conflict of interest or recorded absent.
    user = _judge("dukhuyet.tw", "Giám khảo dự khuyết trung ương (mẫu)", nation, password)
    CouncilMember.objects.create(
        round=round_, user=user, full_name=user.full_name, council_role="", is_reserve=True
    )


@transaction.atomic
def seed_selection_demo(*, today: datetime.date | None = None) -> int:
    """Create the selection demo once; returns how many certificates it issued."""
    if SelectionRound.objects.filter(is_demo=True).exists():
        return Certificate.objects.filter(is_demo=True).count()
    today = today or timezone.localdate()
    holders = {
        e.name: e
        for e in Establishment.objects.filter(
            is_demo=True, name__in=[p[0] for p in PRODUCTS]
        ).select_related("commune")
    }
    if (
        len(holders) < len(PRODUCTS)
        or not User.objects.filter(email=f"sct.sonla@{DOMAIN}").exists()
    ):
        return 0
    units = AdministrativeUnit.objects.current()
    province = units.get(level=UnitLevel.PROVINCE, code=PROVINCE_CODE)
    nation = units.get(level=UnitLevel.NATIONAL)
    password = make_password(None)  # judges beyond the printed demo logins do not log in
    year = today.year - 1
    round_ = _provincial(province, _products(holders), year, password)
    _aftercare(round_, year)
    certified = list(
        Certificate.objects.filter(round=round_).select_related("product").order_by("number")
    )
    _national(nation, province, certified, today, password)
    return len(certified)
