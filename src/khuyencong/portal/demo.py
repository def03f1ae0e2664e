"""Demo data of the public portal (``make run``): certified products of the demo
establishments with the holders' consent, two with a GTIN, one certificate revoked and one
expired, so every public path has something to show. Marked ``is_demo``; created once.

When the selection's own demo (rounds, results, certificates) is present, its products are
used as they are: only the consent to publish is added."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from khuyencong.awards import legal, rules
from khuyencong.awards.images import check_photo
from khuyencong.awards.models import Certificate, Entry, Product, ProductPhoto, SelectionRound
from khuyencong.awards.services.legal_data import level_defaults, round_rule_values
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.registry.models import Establishment

from .models import PublicationConsent


@dataclass(frozen=True)
class DemoProduct:
    establishment: str
    name: str
    group: str
    description: str
    gtin: str
    colour: tuple[int, int, int]


PRODUCTS = (
    DemoProduct(
        "Hợp tác xã chè Shan tuyết Chiềng Sơn (mẫu)",
        "Chè Shan tuyết Chiềng Sơn (mẫu)",
        "2",
        "Chè xanh sao tay từ búp chè Shan tuyết cổ thụ trên 300 năm tuổi, hái một tôm hai lá.",
        "08935049510864",
        (46, 125, 50),
    ),
    DemoProduct(
        "Cơ sở chè Chiềng Sơn (mẫu)",
        "Chè búp khô Chiềng Sơn (mẫu)",
        "2",
        "Chè búp khô sao suốt, đóng túi 200 g, vị chát dịu, hậu ngọt.",
        "08936036021110",
        (120, 140, 40),
    ),
    DemoProduct(
        "Hợp tác xã bò sữa Chiềng Sơn (mẫu)",
        "Bánh sữa Chiềng Sơn (mẫu)",
        "2",
        "Bánh sữa làm từ sữa bò tươi của hợp tác xã, không chất bảo quản.",
        "",
        (230, 210, 160),
    ),
)


def _photo(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (1800, 1200), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((450, 200, 1350, 1000), fill=(240, 200, 80))
    draw.rectangle((0, 1050, 1800, 1200), fill=(90, 60, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _round(level: str, year: int, unit: AdministrativeUnit) -> SelectionRound:
    found, _ = SelectionRound.objects.get_or_create(
        code=f"mau-{level}-{year}",
        defaults={
            "title": f"Bình chọn sản phẩm CNNT tiêu biểu {rules.level_name(level)} năm {year} "
            "(mẫu)",
            "year": year,
            "level": level,
            "unit": unit,
            "legal_basis": legal.BASIS,
            "registration_opens": datetime.date(year, 3, 1),
            "registration_closes": datetime.date(year, 6, 30),
            "scoring_opens": datetime.date(year, 7, 1),
            "scoring_closes": datetime.date(year, 9, 30),
            **round_rule_values(level_defaults(level)),
            "status": "da-cong-bo",
            "is_demo": True,
        },
    )
    return found


def _certify(
    product: Product,
    round_: SelectionRound,
    n: int,
    *,
    issued: datetime.date,
    valid_until: datetime.date,
    revoked: tuple[datetime.date, str] | None = None,
) -> Certificate:
    entry = Entry.objects.create(
        round=round_,
        product=product,
        establishment=product.establishment,
        commune=product.commune,
        status="hop-le",
        representative="Đại diện cơ sở (mẫu)",
        commitment=True,
        description=product.description,
    )
    return Certificate.objects.create(
        number=f"{n:02d}/{round_.year}/GCN-MAU",
        code=f"MAU{round_.year % 100:02d}{n:02d}",
        entry=entry,
        product=product,
        establishment=product.establishment,
        round=round_,
        level=round_.level,
        commune=product.commune,
        issued_on=issued,
        valid_until=valid_until,
        decision=f"Quyết định số {n}/QĐ-UBND (mẫu)",
        revoked_on=revoked[0] if revoked else None,
        revocation_reason=revoked[1] if revoked else "",
        is_demo=True,
    )


def _consent(product: Product) -> None:
    PublicationConsent.objects.get_or_create(
        product=product,
        defaults={"publish": True, "publish_address": True, "publish_phone": True},
    )


def _history(expiring: Product, revoking: Product, today: datetime.date) -> None:
    """An older commune certificate of ``expiring`` that has expired and one of ``revoking``
    that was revoked (their valid provincial ones keep them in the catalogue), so that
    ``/c/<code>`` has a "hết hạn" and a 410 "đã thu hồi" to show; once."""
    if Certificate.objects.filter(is_demo=True, revoked_on__isnull=False).exists():
        return
    old_round = _round("xa", today.year - 4, expiring.commune)
    old_issued = datetime.date(old_round.year, 11, 1)
    expired_on = datetime.date(old_round.year + 2, 12, 31)
    _certify(expiring, old_round, 1, issued=old_issued, valid_until=expired_on)
    _certify(
        revoking,
        old_round,
        2,
        issued=old_issued,
        valid_until=datetime.date(today.year + 1, 12, 31),
        revoked=(
            datetime.date(today.year - 1, 4, 20),
            "Cơ sở thay đổi công thức, sản phẩm không còn đúng hồ sơ đã được công nhận (mẫu).",
        ),
    )


@transaction.atomic
def seed_portal_demo(*, today: datetime.date | None = None) -> int:
    """Create the portal's demo once; returns how many certified products it publishes.

    On top of the selection's demo (``make run``: its certificates are all valid) it adds the
    expired and the revoked certificate the public paths need (found walking the demo)."""
    today = today or timezone.localdate()
    demo = Certificate.objects.filter(is_demo=True).select_related("product")
    if demo.exists():
        published = {c.product.pk: c.product for c in demo.order_by("product", "pk")}
        for product in published.values():
            _consent(product)
        with_gtin = [p for p in published.values() if p.gtin]
        without = [p for p in published.values() if not p.gtin]
        if with_gtin and without:
            _history(with_gtin[0], without[0], today)
        return len(published)
    holders = {
        e.name: e
        for e in Establishment.objects.filter(
            is_demo=True, name__in=[p.establishment for p in PRODUCTS]
        ).select_related("commune")
    }
    if len(holders) < len(PRODUCTS):
        return 0
    units = AdministrativeUnit.objects.current()
    province = units.get(level=UnitLevel.PROVINCE, code="14")
    last_year = today.year - 1
    province_round = _round("tinh", last_year, province)
    products = []
    for spec in PRODUCTS:
        holder = holders[spec.establishment]
        product = Product.objects.create(
            establishment=holder,
            commune=holder.commune,
            name=spec.name,
            group=spec.group,
            description=spec.description,
            gtin=spec.gtin,
            is_demo=True,
        )
        content = _photo(spec.colour)
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
        _consent(product)
        products.append(product)
    issued = datetime.date(last_year, 11, 15)
    valid = datetime.date(last_year + 3, 12, 31)
    tea, dried, cake = products
    _certify(tea, province_round, 1, issued=issued, valid_until=valid)
    _certify(dried, province_round, 2, issued=issued, valid_until=valid)
    # The tea's older commune certificate has expired; the milk cake's was revoked.
    _history(tea, cake, today)
    return len(products)
