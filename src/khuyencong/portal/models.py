"""What the public portal keeps of its own: the holder's consent to publish (đồng ý công khai)
and the version of the public data that every public page's cache key names."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.awards.models import Product


class PublicationConsent(models.Model):
    """Đồng ý công khai: what the establishment chose to show of a product on the portal.

    Kept here, keyed to the product, rather than as columns of ``awards.Product``: the portal's
    own migration cannot collide with the selection app's (see docs/architecture.md). Without
    a row nothing is published but the certificate itself (a public act found by its code).
    """

    product = models.OneToOneField(
        Product, verbose_name=_("sản phẩm"), on_delete=models.CASCADE, related_name="consent"
    )
    publish = models.BooleanField(_("công khai sản phẩm (mô tả, ảnh, mã GTIN)"), default=False)
    publish_address = models.BooleanField(_("công khai địa chỉ cơ sở"), default=False)
    publish_phone = models.BooleanField(_("công khai điện thoại"), default=False)
    publish_email = models.BooleanField(_("công khai thư điện tử"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đồng ý công khai sản phẩm")
        verbose_name_plural = _("đồng ý công khai sản phẩm")
        indexes = [models.Index(fields=["publish", "product"], name="portal_consent_published")]

    def __str__(self) -> str:
        return str(_("Công khai “%(p)s”") % {"p": self.product})

    @property
    def policy_unit(self) -> Any:
        return self.product.commune


class DataVersion(models.Model):
    """One row: bumped whenever anything the portal shows changes (products, photos,
    certificates, consent, holders), so a cached page or an ETag of an older version is never
    served again (``versioning``)."""

    counter = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("phiên bản dữ liệu công khai")

    def __str__(self) -> str:
        return f"{self.counter} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
