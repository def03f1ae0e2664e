"""Support norms (định mức, mức hỗ trợ): a dated rate table by content, fund and jurisdiction.

DOMAIN.md §4: the national rates come from Thông tư 28/2018/TT-BTC (amended by 64/2024/TT-BTC);
local funds follow each province's HĐND resolution. Rates are data, never constants in code:
the system administrator keeps them, with their legal basis and the dates they are in force.
Money is integer đồng; percentages and multipliers are decimals.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core import bounds
from khuyencong.geo.models import NATIONAL_CODE, AdministrativeUnit, UnitLevel
from khuyencong.programs.models import ContentGroup, Fund

from . import rules

DEFAULT_ADVANCE_CEILING = Decimal("0.70")


class NormContent(models.Model):
    """Nội dung hỗ trợ của định mức: a catalogue entry with a stable slug code.

    Other apps refer to a content by its ``code`` (``may-moc-thiet-bi``); ``group`` is the
    content group of the national programme it usually belongs to.
    """

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên nội dung"), max_length=300)
    group = models.ForeignKey(
        ContentGroup,
        verbose_name=_("nhóm nội dung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="norm_contents",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung định mức")
        verbose_name_plural = _("nội dung định mức")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SupportNormQuerySet(models.QuerySet["SupportNorm"]):
    def in_force(self, on: datetime.date) -> SupportNormQuerySet:
        """Rows in force on ``on``: from ``effective_from`` up to, not on, ``effective_to``."""
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on)
        )


class SupportNorm(models.Model):
    """Mức hỗ trợ: the most a fund pays for one content, in one jurisdiction, for a period.

    The support is at most ``max_percent`` of the eligible cost and at most ``cap_per_unit``
    đồng per ``unit`` (either may be absent); in priority areas the cap (only the cap) is
    multiplied by ``priority_multiplier``. Of the rows in force on a date, a province's own row
    wins over a national one (local funds), and the row that took effect last wins.
    """

    content = models.ForeignKey(
        NormContent,
        verbose_name=_("nội dung hỗ trợ"),
        on_delete=models.PROTECT,
        related_name="norms",
    )
    fund = models.CharField(_("nguồn kinh phí"), max_length=16, choices=Fund.choices)
    jurisdiction = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("phạm vi áp dụng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_norms",
        help_text=_("Để trống: định mức toàn quốc. Chọn tỉnh: định mức do HĐND tỉnh ban hành."),
    )
    legal_basis = models.CharField(
        _("căn cứ pháp lý"),
        max_length=300,
        help_text=_("Ví dụ: Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"),
    )
    max_percent = models.DecimalField(
        _("tỷ lệ tối đa của chi phí hợp lý (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    cap_per_unit = models.BigIntegerField(
        _("mức trần cho một đơn vị hỗ trợ (đồng)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(
        _("đơn vị hỗ trợ"),
        max_length=60,
        help_text=_("Mức trần tính cho mỗi: mô hình, cơ sở, nhãn hiệu, doanh nghiệp…"),
    )
    priority_multiplier = models.DecimalField(
        _("hệ số cho địa bàn, lĩnh vực ưu tiên"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_("Nhân với mức trần (chỉ mức trần) khi hỗ trợ địa bàn, lĩnh vực ưu tiên."),
    )
    advance_ceiling = models.DecimalField(
        _("tỷ lệ tạm ứng tối đa"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_ADVANCE_CEILING,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Phần của kinh phí hỗ trợ theo hợp đồng: 0,70 là 70%."),
    )
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    effective_to = models.DateField(
        _("hết hiệu lực từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu còn hiệu lực. Ngày này định mức không còn áp dụng."),
    )
    needs_verification = models.BooleanField(
        _("cần xác minh"),
        default=False,
        help_text=_("Mức lấy từ văn bản cũ hoặc chưa đầy đủ: cần đối chiếu văn bản gốc."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SupportNormQuerySet.as_manager()

    class Meta:
        verbose_name = _("định mức hỗ trợ")
        verbose_name_plural = _("định mức hỗ trợ")
        ordering = ["content__order", "fund", "jurisdiction__name", "-effective_from", "pk"]
        constraints = [
            *bounds.constraints(bounds.MONEY, "norms_norm", "cap_per_unit", null=True),
            models.CheckConstraint(
                condition=Q(max_percent__isnull=True)
                | (Q(max_percent__gte=0) & Q(max_percent__lte=100)),
                name="norms_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(cap_per_unit__isnull=True) | Q(cap_per_unit__gte=0),
                name="norms_cap_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(max_percent__isnull=False) | Q(cap_per_unit__isnull=False),
                name="norms_percent_or_cap",
            ),
            models.CheckConstraint(
                condition=Q(priority_multiplier__gte=1), name="norms_multiplier_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(advance_ceiling__gte=0) & Q(advance_ceiling__lte=1),
                name="norms_advance_ceiling_range",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="norms_dates_ordered",
            ),
            # National funds follow the national circular, never a province's resolution.
            models.CheckConstraint(
                condition=~Q(fund=Fund.KCQG) | Q(jurisdiction__isnull=True),
                name="norms_kcqg_national",
            ),
            models.UniqueConstraint(
                fields=["content", "fund", "effective_from"],
                condition=Q(jurisdiction__isnull=True),
                name="norms_unique_national_start",
            ),
            models.UniqueConstraint(
                fields=["content", "fund", "jurisdiction", "effective_from"],
                condition=Q(jurisdiction__isnull=False),
                name="norms_unique_local_start",
            ),
        ]
        indexes = [models.Index(fields=["content", "fund", "effective_from"])]

    def __str__(self) -> str:
        where = self.jurisdiction.name if self.jurisdiction is not None else _("toàn quốc")
        since = f"{self.effective_from.day}/{self.effective_from.month}/{self.effective_from.year}"
        return f"{self.content.name} — {self.get_fund_display()}, {where}, {_('từ')} {since}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        """A province's row belongs to the province; a national row to the nation."""
        if self.jurisdiction is not None:
            return self.jurisdiction
        national: AdministrativeUnit | None = getattr(self, "_national_unit", None)
        if national is None:
            national = AdministrativeUnit.objects.current().get(
                level=UnitLevel.NATIONAL, code=NATIONAL_CODE
            )
            self._national_unit = national
        return national

    def rate(self) -> rules.Rate:
        """The pure form the calculator works on."""
        return rules.Rate(
            legal_basis=self.legal_basis,
            unit=self.unit,
            max_percent=self.max_percent,
            cap_per_unit=self.cap_per_unit,
            priority_multiplier=Decimal(self.priority_multiplier),
            advance_ceiling=Decimal(self.advance_ceiling),
            needs_verification=self.needs_verification,
        )

    def in_force_on(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)
