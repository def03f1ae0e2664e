"""Sản phẩm of an establishment, with its photos and papers (ảnh màu, giấy tờ chất lượng)."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.text import SORT_KEY_LENGTH, fold, sort_key
from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns
from khuyencong.registry.models import Establishment, ProductGroup

from .common import actor_field


class Product(InProvince):
    """Sản phẩm công nghiệp nông thôn of one establishment (may enter several rounds)."""

    scope_columns = ScopeColumns("commune", "province")

    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên sản phẩm"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, default="", db_index=True)
    #: Vietnamese dictionary order of the name (``core.text.sort_key``: "đ" after "d"), the
    #: column every product list sorts by.
    name_sort = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="")
    group = models.CharField(_("nhóm sản phẩm"), max_length=1, choices=ProductGroup.choices)
    description = models.TextField(_("mô tả sản phẩm"))
    gtin = models.CharField(
        _("mã số thương phẩm GTIN"),
        max_length=14,
        blank=True,
        db_index=True,
        help_text=_("Lưu dạng 14 chữ số (GTIN-14); nhập 8, 12, 13 hoặc 14 chữ số."),
    )
    standards = models.CharField(_("tiêu chuẩn áp dụng"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = actor_field(_("người tạo"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["name_folded", "name_sort", "province"])

    class Meta:
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")
        ordering = ["name_sort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gtin"], condition=~Q(gtin=""), name="awards_product_gtin_unique"
            ),
            models.CheckConstraint(
                condition=Q(group__in=["1", "2", "3", "4"]), name="awards_product_group_known"
            ),
        ]
        indexes = [
            models.Index(fields=["name_sort", "id"], name="awards_product_name_sort"),
            models.Index(fields=["province", "name_sort", "id"], name="awards_product_prov_sort"),
            models.Index(fields=["commune", "name_sort", "id"], name="awards_product_comm_sort"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded", "name_sort"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        self.name_sort = sort_key(self.name)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    @staticmethod
    def policy_member_q(user: Any) -> Q:
        """A council member sees the products of the entries they may see."""
        from .rounds import Entry

        return Q(
            Exists(Entry.objects.filter(product=OuterRef("pk")).filter(Entry.policy_member_q(user)))
        )

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        from .rounds import Entry

        entries = Entry.objects.filter(product=self).filter(Entry.policy_member_q(user))
        return frozenset({"member"}) if entries.exists() else frozenset()


class PhotoView(models.TextChoices):
    FRONT = "truoc", _("Mặt trước")
    SIDE = "ben", _("Mặt bên")
    TOP = "tren", _("Mặt trên")
    OTHER = "khac", _("Ảnh khác")


#: The three views every product needs (DOMAIN.md §6: front, side, top).
REQUIRED_VIEWS = (PhotoView.FRONT, PhotoView.SIDE, PhotoView.TOP)


def _stored_name(folder: str, product_id: int | None, filename: str) -> str:
    """``awards/products/<id>/<folder>/<random>.<ext>``: never the user's file name."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"awards/products/{product_id}/{folder}/{uuid.uuid4().hex}{suffix}"


def photo_path(instance: ProductPhoto, filename: str) -> str:
    return _stored_name("anh", instance.product_id, filename)


def paper_path(instance: ProductPaper, filename: str) -> str:
    return _stored_name("giay-to", instance.product_id, filename)


class ProductPhoto(models.Model):
    """Ảnh màu của sản phẩm (checked by Pillow, with a thumbnail), served only through the
    access-checked view."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    view = models.CharField(_("góc chụp"), max_length=8, choices=PhotoView.choices)
    image = models.FileField(_("ảnh"), upload_to=photo_path, max_length=255)
    thumbnail = models.FileField(_("ảnh thu nhỏ"), upload_to=photo_path, max_length=255)
    width = models.PositiveIntegerField(_("rộng (điểm ảnh)"))
    height = models.PositiveIntegerField(_("cao (điểm ảnh)"))
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    uploaded_by = actor_field(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")
        ordering = ["product", "view", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "view"],
                condition=~Q(view="khac"),
                name="awards_photo_one_per_required_view",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.get_view_display()}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.product.commune


class PaperKind(models.TextChoices):
    BUSINESS = "dkkd", _("Giấy chứng nhận đăng ký kinh doanh")
    QUALITY = "chat-luong", _("Giấy chứng nhận chất lượng, công bố tiêu chuẩn")
    FOOD_SAFETY = "attp", _("Giấy chứng nhận an toàn thực phẩm")
    AWARD = "giai-thuong", _("Giải thưởng, danh hiệu")
    OTHER = "khac", _("Giấy tờ khác")


class ProductPaper(models.Model):
    """Giấy tờ của sản phẩm (quality, food safety, awards): PDF or image, checked by content."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="papers")
    kind = models.CharField(_("loại giấy tờ"), max_length=16, choices=PaperKind.choices)
    file = models.FileField(_("tệp"), upload_to=paper_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("loại tệp (theo nội dung)"), max_length=120)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    uploaded_by = actor_field(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giấy tờ sản phẩm")
        verbose_name_plural = _("giấy tờ sản phẩm")
        ordering = ["product", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.product.commune
