"""Pieces the selection models share: choices, the actor field, the legal data tables."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from khuyencong.geo.models import AdministrativeUnit

from .. import rules
from ..rules import Level


class SelectionLevel(models.TextChoices):
    """Cấp bình chọn."""

    COMMUNE = Level.COMMUNE.value, _("Cấp xã")
    PROVINCE = Level.PROVINCE.value, _("Cấp tỉnh")
    REGION = Level.REGION.value, _("Cấp khu vực")
    NATION = Level.NATION.value, _("Cấp quốc gia")


class SelectionFund(models.TextChoices):
    KCQG = "KCQG", _("KCQG — kinh phí khuyến công quốc gia")
    KCDP = "KCDP", _("KCĐP — kinh phí khuyến công địa phương")


def actor_field(label: StrOrPromise) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def unit_field(label: StrOrPromise, *, null: bool = False) -> models.ForeignKey[Any, Any]:
    """A row's unit (its ``policy_unit``); the province beside it comes from ``InProvince``."""
    return models.ForeignKey(
        AdministrativeUnit,
        verbose_name=label,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


def score_field(label: StrOrPromise, *, null: bool = True) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=6, decimal_places=2, null=null, blank=null)


#: Reminders of the holders' yearly report start at most this many days before the due date
#: (``LevelRule.report_reminder_days``; 14 by default).
REPORT_REMINDER_DAYS, REPORT_REMINDER_DAYS_MAX = 14, 90


class LevelRuleQuerySet(models.QuerySet["LevelRule"]):
    def in_force(self, level: str, on: datetime.date) -> LevelRule | None:
        """The row for ``level`` that took effect last on or before ``on``."""
        return self.filter(level=level, effective_from__lte=on).order_by("-effective_from").first()


class LevelRule(models.Model):
    """Quy định theo cấp bình chọn: the legal numbers of one level, dated, with their basis.

    A round copies what it needs when it is created (pass mark, criteria, margins, windows);
    a later row changes later rounds only.
    """

    level = models.CharField(_("cấp"), max_length=8, choices=SelectionLevel.choices)
    effective_from = models.DateField(_("áp dụng từ"))
    council_min = models.PositiveSmallIntegerField(_("hội đồng: số thành viên tối thiểu"))
    council_max = models.PositiveSmallIntegerField(_("hội đồng: số thành viên tối đa"))
    pass_mark = models.DecimalField(
        _("điểm đạt"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    criteria = models.JSONField(_("tiêu chí và điểm tối đa"))
    outlier_margin = models.DecimalField(
        _("mức lệch cảnh báo (điểm)"), max_digits=5, decimal_places=2
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("số giám khảo tối thiểu: tử số"))
    quorum_denominator = models.PositiveSmallIntegerField(_("số giám khảo tối thiểu: mẫu số"))
    validity_years = models.PositiveSmallIntegerField(
        _("thời hạn giấy chứng nhận (số năm, kể cả năm cấp)")
    )
    complaint_days = models.PositiveSmallIntegerField(_("hạn khiếu nại (ngày làm việc)"))
    complaint_decision_days = models.PositiveSmallIntegerField(
        _("hạn giải quyết khiếu nại (ngày làm việc)")
    )
    report_due_month = models.PositiveSmallIntegerField(_("hạn báo cáo hằng năm: tháng (năm sau)"))
    report_due_day = models.PositiveSmallIntegerField(_("hạn báo cáo hằng năm: ngày"))
    report_reminder_days = models.PositiveSmallIntegerField(
        _("nhắc báo cáo hằng năm trước hạn (ngày)"),
        default=REPORT_REMINDER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(REPORT_REMINDER_DAYS_MAX)],
        help_text=_("Bắt đầu nhắc cơ sở bao nhiêu ngày trước hạn nộp (từ 1 đến 90)."),
    )
    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=SelectionFund.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"))

    history = HistoricalRecords()
    objects = LevelRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định cấp bình chọn")
        verbose_name_plural = _("quy định cấp bình chọn")
        ordering = ["level", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "effective_from"], name="awards_rule_once"),
            models.CheckConstraint(
                condition=Q(council_min__gte=1) & Q(council_min__lte=F("council_max")),
                name="awards_rule_council_range",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100),
                name="awards_rule_pass_mark_range",
            ),
            models.CheckConstraint(
                condition=Q(quorum_numerator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="awards_rule_quorum_fraction",
            ),
            models.CheckConstraint(
                condition=Q(validity_years__gte=1) & Q(outlier_margin__gt=0),
                name="awards_rule_positive",
            ),
            models.CheckConstraint(
                condition=Q(report_due_month__gte=1)
                & Q(report_due_month__lte=12)
                & Q(report_due_day__gte=1)
                & Q(report_due_day__lte=31),
                name="awards_rule_report_due",
            ),
            models.CheckConstraint(
                condition=Q(report_reminder_days__gte=1)
                & Q(report_reminder_days__lte=REPORT_REMINDER_DAYS_MAX),
                name="awards_rule_report_reminder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ({self.effective_from:%d/%m/%Y})"

    @property
    def criteria_list(self) -> tuple[rules.Criterion, ...]:
        return rules.criteria_from_data(self.criteria)


class Region(models.Model):
    """Khu vực (vùng) of the regional rounds; which provinces each covers is data
    (``RegionProvince``, by official province code, so it loads before the unit tree)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên khu vực"), max_length=200)
    legal_basis = models.TextField(_("căn cứ"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khu vực bình chọn")
        verbose_name_plural = _("khu vực bình chọn")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def province_codes(self) -> list[str]:
        return [p.province_code for p in self.members.all()]

    def provinces(self) -> models.QuerySet[AdministrativeUnit]:
        return AdministrativeUnit.objects.current().provinces().filter(code__in=self.province_codes)


class RegionProvince(models.Model):
    """One province in one region (a province belongs to one region at most)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="members")
    province_code = models.CharField(_("mã tỉnh"), max_length=8, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tỉnh thuộc khu vực")
        verbose_name_plural = _("tỉnh thuộc khu vực")
        ordering = ["region", "province_code"]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.province_code}"
