"""Synthetic products of the selection (sản phẩm CNNT), as ``awards.services.create_product``
writes them: the name with its folded and Vietnamese-order keys and the province filled as
``Product.save`` fills them, one history record and one activity event each, entered by the
commune's officer after the establishment was registered."""

from __future__ import annotations

import datetime

from khuyencong.accounts.models import Role
from khuyencong.audit.models import EventType
from khuyencong.awards.models import Product
from khuyencong.core.text import fold, sort_key

from . import names
from .base import Run
from .registry import EstablishmentRef
from .selection import ProductRef

#: The product group of each product word (``names.PRODUCTS`` lists them by group).
GROUP_OF = {product: group for group, found in names.PRODUCTS.items() for product in found}


def generate_products(
    run: Run, count: int, establishments: dict[int, list[EstablishmentRef]]
) -> list[ProductRef]:
    """``count`` products of distinct establishments (at most one each); returns their keys."""
    rng = run.rng
    everyone = [e for found in establishments.values() for e in found]
    chosen = rng.sample(everyone, min(count, len(everyone)))
    table = run.tables[Product]
    written: list[ProductRef] = []
    for establishment in chosen:
        commune = establishment.commune
        officer = run.world.officer(commune.pk, Role.COMMUNE_OFFICER)
        # Entered at least a day after the establishment, within the period.
        at = run.moment(establishment.at + datetime.timedelta(days=1), 365)
        name = " ".join(f"{establishment.product} {rng.choice(names.PLACE_WORDS)}".split())
        values = {
            "id": table.new_id(),
            "establishment_id": establishment.pk,
            "commune_id": commune.pk,
            "province_id": commune.province,
            "name": name,
            "name_folded": fold(name),
            "name_sort": sort_key(name),
            "group": GROUP_OF[establishment.product],
            "description": (
                f"{establishment.product} do {establishment.name} sản xuất tại {commune.name}, "
                "nguyên liệu địa phương, đóng gói và ghi nhãn theo quy định."
            ),
            "standards": rng.choice(["", "TCCS 01:2026", "TCVN ISO 22000:2018"]),
            "created_by_id": officer,
            "created_at": at,
            "updated_at": at,
            "version": 1,
        }
        pk = table.add(**values)
        run.history(Product, values, at=at, kind="+", user=officer)
        run.event(
            EventType.PRODUCT_CHANGED,
            at=at,
            actor=officer,
            unit=commune.pk,
            province=commune.province,
            obj=(Product, pk, name),
            establishment=establishment.pk,
            data={"action": "tao"},
        )
        written.append(ProductRef(pk, name, establishment.pk, commune, at))
    return written
