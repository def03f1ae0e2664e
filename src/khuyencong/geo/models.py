"""The administrative unit tree (cây đơn vị hành chính): nation → province → commune.

Units are dated (``valid_from``/``valid_to``) and may name a successor, so units that existed
before the 2025 reform (e.g. Sóc Trăng, merged into Cần Thơ) can be added without a schema
change. ``path`` is a materialised path of codes (``VN/14/03646``): a unit's whole subtree is
one indexed prefix query.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar, NamedTuple

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.text import fold

REFORM_DATE = datetime.date(2025, 7, 1)
NATIONAL_CODE = "VN"


class UnitLevel(models.IntegerChoices):
    NATIONAL = 0, _("Trung ương")
    PROVINCE = 1, _("Tỉnh/thành phố")
    DISTRICT = 2, _("Huyện (trước 7/2025)")
    COMMUNE = 3, _("Xã/phường/đặc khu")


class UnitType(models.TextChoices):
    NATION = "quoc-gia", _("Quốc gia")
    PROVINCE = "tinh", _("Tỉnh")
    CENTRAL_CITY = "thanh-pho-tw", _("Thành phố trực thuộc trung ương")
    DISTRICT = "huyen", _("Huyện")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    SPECIAL_ZONE = "dac-khu", _("Đặc khu")
    TOWNSHIP = "thi-tran", _("Thị trấn")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def current(self, on: datetime.date | None = None) -> AdministrativeUnitQuerySet:
        """Units in force on a date (today by default)."""
        on = on or datetime.date.today()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))

    def provinces(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=UnitLevel.PROVINCE)

    def communes(self) -> AdministrativeUnitQuerySet:
        return self.filter(level=UnitLevel.COMMUNE)

    def subtree_of(self, unit: AdministrativeUnit) -> AdministrativeUnitQuerySet:
        """The unit and every unit below it, in one query."""
        return self.filter(Q(pk=unit.pk) | Q(path__startswith=unit.path + "/"))


class AdministrativeUnit(models.Model):
    """Đơn vị hành chính: quốc gia, tỉnh/thành phố, xã/phường/đặc khu."""

    code = models.CharField(_("mã"), max_length=16, help_text=_("Mã đơn vị hành chính chính thức"))
    name = models.CharField(_("tên"), max_length=200)
    unit_type = models.CharField(_("loại"), max_length=16, choices=UnitType.choices)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn"), max_length=255, db_index=True, editable=False)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("hiệu lực từ"), default=REFORM_DATE)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    # Contact details a unit keeps up to date itself.
    address = models.CharField(_("địa chỉ trụ sở"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["path", "name_folded"])
    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_to__isnull=True),
                name="geo_unit_code_unique_current",
            ),
            models.UniqueConstraint(fields=["path"], name="geo_unit_path_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="geo_unit_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(level=UnitLevel.NATIONAL) | Q(parent__isnull=False),
                name="geo_unit_parent_required_below_nation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def compute_path(self) -> str:
        if self.parent_id is None:
            return self.code
        assert self.parent is not None
        # Legacy units share codes with current ones; their path keeps them apart.
        suffix = "" if self.valid_to is None else f"@{self.valid_from:%Y%m%d}"
        return f"{self.parent.path}/{self.code}{suffix}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self

    def is_within(self, other: AdministrativeUnit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path == other.path or self.path.startswith(other.path + "/")

    @property
    def province(self) -> AdministrativeUnit | None:
        if self.level == UnitLevel.PROVINCE:
            return self
        if self.level == UnitLevel.NATIONAL:
            return None
        node = self.parent
        while node is not None and node.level != UnitLevel.PROVINCE:
            node = node.parent
        return node

    @property
    def province_pk(self) -> int | None:
        """The primary key of this unit's province (itself for a province, ``None`` for the
        nation), without a query for the units of today's two-level tree."""
        if self.level == UnitLevel.NATIONAL:
            return None
        if self.level == UnitLevel.PROVINCE:
            return self.pk
        if self.path.count("/") == 2:  # VN/<province>/<unit>: the parent is the province
            return self.parent_id
        province = self.province
        return province.pk if province is not None else None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to > datetime.date.today()


class ScopeColumns(NamedTuple):
    """Which columns of a scoped row the access policy filters on (see ``accounts.policy``).

    ``unit`` is the foreign key naming the row's unit (its ``policy_unit``); ``province`` the
    indexed foreign key holding that unit's province — the same column when the unit is always
    a province. A province's rows are then one index range (``province_id = P``), a commune's
    ``unit_id = C`` (communes have nothing below them), the nation's every row.

    ``place``, when given, is the foreign key to the unit *below* ``unit`` where the row lies
    (its ``policy_place``: a province's project carried out in a commune), always inside
    ``unit``: the officers of that place read the row (``policy.PLACE_READS``).
    """

    unit: str
    province: str
    place: str = ""


class InProvince(models.Model):
    """A row that carries the province of its unit (``province``, tỉnh): derived, kept by
    ``save`` (and by :meth:`fill_province` on bulk inserts, which skip ``save``), never edited.

    Subclasses name their unit field in ``scope_columns`` (``ScopeColumns("commune",
    "province")``); the province follows the unit whenever the row is saved.
    """

    scope_columns: ClassVar[ScopeColumns] = ScopeColumns("unit", "province")

    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        unit = self.scope_columns.unit
        if update_fields is None or {unit, f"{unit}_id"} & set(update_fields):
            self.fill_province()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "province"}
        super().save(*args, **kwargs)

    def fill_province(self) -> None:
        unit = getattr(self, self.scope_columns.unit)
        self.province_id = unit.province_pk if unit is not None else None
