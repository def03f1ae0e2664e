"""The selection on an establishment's page: its products (a section of the page) and its
entries and certificates (lines of its support history). Connected in ``apps.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import policy
from khuyencong.registry.support_history import SupportRecord

from .selectors import certificates as certificate_selectors
from .selectors import products as product_selectors


def establishment_products(request: HttpRequest, establishment: Any) -> SafeString | None:
    """Sản phẩm của cơ sở, with a button to add one for those who may."""
    found = product_selectors.products_of_establishment(request.user, establishment)
    can_add = policy.can(request.user, policy.Action.MANAGE_PRODUCT, establishment)
    if not found and not can_add:
        return None
    return render_to_string(
        "awards/_establishment_products.html",
        {"products": found, "establishment": establishment, "can_add": can_add},
        request=request,
    )


def certificate_records(user: Any, establishment: Any) -> Iterator[SupportRecord]:
    """Giấy chứng nhận sản phẩm tiêu biểu of the establishment that ``user`` may see."""
    for certificate in certificate_selectors.certificates_of_establishment(user, establishment):
        yield SupportRecord(
            year=certificate.issued_on.year,
            kind=_("Giấy chứng nhận sản phẩm tiêu biểu"),
            title=certificate.product.name,
            url=reverse("awards:certificate_detail", args=[certificate.pk]),
            status=certificate.status_label,
            content=str(certificate.level_name),
            date=certificate.issued_on,
            detail=str(
                _("Số %(n)s, hiệu lực đến %(d)s")
                % {"n": certificate.number, "d": certificate.valid_until.strftime("%d/%m/%Y")}
            ),
        )
