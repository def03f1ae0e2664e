"""Đồng ý công khai: the establishment (or its commune or the provincial centre on its behalf,
``Action.MANAGE_PRODUCT``) chooses what of a product the public portal shows — the product
itself (description, photos, GTIN) and each contact field. Contact fields are not published
until someone says so; identity numbers, owner and tax code never are (no choice exists)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.awards.models import Product
from khuyencong.awards.services.common import require
from khuyencong.core.concurrency import (
    lock_current_version,
    refuse_stale,
    retry_when_locked,
)

from .models import PublicationConsent


@dataclass(frozen=True)
class ConsentChoices:
    publish: bool = False
    publish_address: bool = False
    publish_phone: bool = False
    publish_email: bool = False


_FIELDS = tuple(ConsentChoices.__dataclass_fields__)

#: A product nobody chose for yet: the version a form carries for "no row" is 0.
NO_CONSENT_VERSION = 0


def consent_of(product: Product) -> tuple[ConsentChoices, int]:
    """The product's current choices and the version to edit them from."""
    row = PublicationConsent.objects.filter(product=product).first()
    if row is None:
        return ConsentChoices(), NO_CONSENT_VERSION
    return ConsentChoices(**{name: getattr(row, name) for name in _FIELDS}), row.version


@retry_when_locked
@transaction.atomic
def set_publication_consent(
    *, actor: Any, product: Product, expected_version: int, choices: ConsentChoices
) -> PublicationConsent:
    """Record the choices; a stale form (someone chose meanwhile) is refused. Saving bumps the
    public data's version (``versioning``): the public page shows the change at once."""
    require(actor, policy.Action.MANAGE_PRODUCT, product)
    # The product's row serialises the first choice (no consent row yet to lock).
    locked_product = Product.objects.select_for_update().get(pk=product.pk)
    row = PublicationConsent.objects.filter(product=locked_product).first()
    if row is None:
        row = PublicationConsent(product=locked_product, version=NO_CONSENT_VERSION)
        refuse_stale(row, expected_version)
    else:
        row = lock_current_version(row, expected_version)
    changed = [name for name in _FIELDS if getattr(row, name) != getattr(choices, name)]
    for name in _FIELDS:
        setattr(row, name, getattr(choices, name))
    row.version += 1
    row.save()
    record_event(
        EventType.PRODUCT_CHANGED,
        actor=actor,
        obj=locked_product,
        data={"action": "cong-khai", "fields": changed, "choices": asdict(choices)},
    )
    return row
