"""Certified products built straight in the database (the selection's own builders), with
the holder's consent to publish; the clock at a fixed day in Việt Nam."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile

from khuyencong.awards.models import Certificate, Product, ProductPhoto
from khuyencong.awards.tests.conftest import (
    CHIENG_SON,
    SON_LA,
    build_entry,
    build_establishment,
    build_product,
    build_round,
    representative,  # noqa: F401 (a fixture the consent tests use)
)
from khuyencong.awards.tests.samples import colour_jpeg
from khuyencong.portal.models import PublicationConsent

D = datetime.date
TODAY = D(2026, 12, 4)
ISSUED, VALID_UNTIL = D(2025, 10, 1), D(2028, 9, 30)
_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def certify(unit: Any) -> Callable[..., Certificate]:
    """A certificate for ``product`` (its round made on the way), valid unless told."""
    rounds: dict[tuple[str, int], Any] = {}

    def make(
        product: Product,
        *,
        level: str = "tinh",
        year: int = 2025,
        issued: datetime.date = ISSUED,
        valid_until: datetime.date = VALID_UNTIL,
        revoked_on: datetime.date | None = None,
        reason: str = "",
        code: str | None = None,
    ) -> Certificate:
        key = (level, year)
        if key not in rounds:
            organiser = {"xa": CHIENG_SON, "tinh": SON_LA}.get(level, "VN")
            rounds[key] = build_round(
                unit,
                level=level,
                year=year,
                code=f"{level}-{year}",
                organiser=organiser,
                status="da-cong-bo",
            )
        n = next(_codes)
        return Certificate.objects.create(
            number=f"{n:03d}/GCN-SCT",
            code=code or f"K{n:05d}",
            entry=build_entry(rounds[key], product),
            product=product,
            establishment=product.establishment,
            round=rounds[key],
            level=level,
            commune=product.commune,
            issued_on=issued,
            valid_until=valid_until,
            decision="Quyết định số 12/QĐ-UBND",
            revoked_on=revoked_on,
            revocation_reason=reason,
        )

    return make


def publish(product: Product, **flags: bool) -> PublicationConsent:
    consent, _ = PublicationConsent.objects.update_or_create(
        product=product, defaults={"publish": True, **flags}
    )
    return consent


def add_photo(product: Product, view: str = "truoc") -> ProductPhoto:
    photo = ProductPhoto(
        product=product, view=view, width=1200, height=900, size=1000, original_name="a.jpg"
    )
    photo.image.save("anh.jpg", ContentFile(colour_jpeg()), save=False)
    photo.thumbnail.save("nho.jpg", ContentFile(colour_jpeg(480, 360)), save=False)
    photo.save()
    return photo


@pytest.fixture
def tea(unit: Any, certify: Any) -> Product:
    """Chè Shan Tuyết of a Sơn La cooperative: published, certified, with a photo."""
    holder = build_establishment(unit)
    holder.tax_code = "5500123456"
    holder.owner_name = "Lò Văn Chủ"
    holder.phone = "0912 345 678"
    holder.email = "htx@chieng-son.vn"
    holder.address = "Bản Nà Hạ, xã Chiềng Sơn"
    holder.save()
    product = build_product(holder, name="Chè Shan Tuyết Chiềng Sơn")
    product.gtin = "08935049510864"
    product.save()
    publish(product, publish_phone=True)
    certify(product, code="SHAN2025")
    add_photo(product)
    return product


@pytest.fixture
def make_certified(unit: Any, certify: Any) -> Callable[..., Product]:
    counter = itertools.count(1)

    def make(name: str | None = None, commune: str = "03985", **certificate: Any) -> Product:
        n = next(counter)
        holder = build_establishment(unit, commune, name=f"Cơ sở số {n}")
        product = build_product(holder, name=name or f"Sản phẩm số {n}")
        publish(product)
        certify(product, **certificate)
        return product

    return make
