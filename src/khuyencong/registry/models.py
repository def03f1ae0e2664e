"""Rural industrial establishments (cơ sở công nghiệp nông thôn) and artisans (nghệ nhân)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from .identifiers import IdentifierError, normalise_identifier


class LegalForm(models.TextChoices):
    """Loại hình cơ sở."""

    SME = "dnnvv", _("Doanh nghiệp nhỏ và vừa")
    COOPERATIVE = "htx", _("Hợp tác xã")
    UNION_OF_COOPERATIVES = "lhhtx", _("Liên hiệp hợp tác xã")
    COOPERATIVE_GROUP = "tht", _("Tổ hợp tác")
    HOUSEHOLD = "hkd", _("Hộ kinh doanh")


class ProductGroup(models.TextChoices):
    """Nhóm sản phẩm (DOMAIN.md §6)."""

    HANDICRAFT = "1", _("Thủ công mỹ nghệ")
    PROCESSED_FOOD = "2", _("Chế biến nông, lâm, thủy sản và thực phẩm")
    MACHINERY = "3", _("Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí")
    OTHER = "4", _("Sản phẩm khác")


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")
    OTHER = "khac", _("Khác")


class Establishment(models.Model):
    """Cơ sở công nghiệp nông thôn: the beneficiary of khuyến công support."""

    name = models.CharField(_("tên cơ sở"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, default="")
    legal_form = models.CharField(_("loại hình"), max_length=8, choices=LegalForm.choices)
    tax_code = models.CharField(_("mã số thuế / số ĐKKD"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã/phường"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    product_group = models.CharField(_("nhóm sản phẩm"), max_length=1, choices=ProductGroup.choices)
    main_products = models.CharField(_("sản phẩm chính"), max_length=255, blank=True)
    owner_name = models.CharField(_("chủ cơ sở"), max_length=150, blank=True)
    owner_gender = models.CharField(
        _("giới tính chủ cơ sở"), max_length=4, choices=Gender.choices, blank=True
    )
    owner_ethnic_minority = models.BooleanField(
        _("chủ cơ sở là người dân tộc thiểu số"), default=False
    )
    employees_total = models.PositiveIntegerField(_("tổng lao động"), default=0)
    employees_female = models.PositiveIntegerField(_("lao động nữ"), default=0)
    employees_ethnic_minority = models.PositiveIntegerField(
        _("lao động dân tộc thiểu số"), default=0
    )
    founded_year = models.PositiveSmallIntegerField(_("năm thành lập"), null=True, blank=True)
    craft_village = models.CharField(_("làng nghề"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_folded"])

    class Meta:
        verbose_name = _("cơ sở CNNT")
        verbose_name_plural = _("cơ sở CNNT")
        ordering = ["name_folded", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="registry_tax_code_unique_when_present",
            ),
            models.CheckConstraint(
                condition=Q(employees_female__lte=F("employees_total"))
                & Q(employees_ethnic_minority__lte=F("employees_total")),
                name="registry_employees_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.pk

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            self.tax_code = normalise_identifier(self.tax_code)
        except IdentifierError as exc:
            errors["tax_code"] = str(exc)
        if self.commune_id and self.commune.level != UnitLevel.COMMUNE:
            errors["commune"] = _("Cơ sở phải thuộc một xã, phường hoặc đặc khu.")
        if self.employees_female > self.employees_total:
            errors["employees_female"] = _("Lao động nữ không thể nhiều hơn tổng lao động.")
        if self.employees_ethnic_minority > self.employees_total:
            errors["employees_ethnic_minority"] = _(
                "Lao động dân tộc thiểu số không thể nhiều hơn tổng lao động."
            )
        if errors:
            raise ValidationError(errors)


class ArtisanTitle(models.TextChoices):
    PEOPLES = "nhan-dan", _("Nghệ nhân nhân dân")
    MERITORIOUS = "uu-tu", _("Nghệ nhân ưu tú")
    PROVINCIAL = "cap-tinh", _("Nghệ nhân cấp tỉnh")
    OTHER = "khac", _("Danh hiệu khác")


class Artisan(models.Model):
    """Nghệ nhân: an artisan with a state title, possibly working at an establishment."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("danh hiệu"), max_length=16, choices=ArtisanTitle.choices)
    year_awarded = models.PositiveSmallIntegerField(_("năm phong tặng"), null=True, blank=True)
    craft = models.CharField(_("nghề"), max_length=150, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã/phường"), on_delete=models.PROTECT
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="artisans",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nghệ nhân")
        verbose_name_plural = _("nghệ nhân")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.full_name}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id
