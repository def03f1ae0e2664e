"""Programmes (chương trình khuyến công): targets and budgets by year and fund.

The pure form of a programme is :class:`programme_data.ProgrammeData`; ``conversion.py`` maps
between it and these models. Money is integer đồng, quantities are decimals.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core import bounds
from khuyencong.geo.models import AdministrativeUnit

from . import programme_data as pd


class Fund(models.TextChoices):
    """Nguồn kinh phí."""

    KCQG = pd.KCQG, _("KCQG")
    KCDP = pd.KCDP, _("KCĐP")
    NSXA = pd.NSXA, _("Ngân sách xã")
    DOI_UNG = pd.DOI_UNG, _("Vốn đối ứng")
    KHAC = pd.KHAC, _("Khác")


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("Quốc gia")
    PROVINCE = "province", _("Tỉnh, thành phố")
    COMMUNE = "commune", _("Xã, phường, đặc khu")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")
    SUPERSEDED = "superseded", _("Đã được thay thế")


class TargetSection(models.TextChoices):
    OBJECTIVES = "muc-tieu", _("Mục tiêu")
    CONTENTS = "noi-dung", _("Nội dung")


class ContentGroup(models.Model):
    """Nhóm nội dung khuyến công (the six groups of 2646/QĐ-BCT, section V)."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    number = models.PositiveSmallIntegerField(_("số thứ tự"), unique=True)
    name = models.TextField(_("tên"))
    short_name = models.CharField(_("tên ngắn"), max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm nội dung")
        verbose_name_plural = _("nhóm nội dung")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_name}"


class ContentGroupAlias(models.Model):
    """How a province's own lettering maps onto the catalogue (``khanh-hoa/noi-dung`` "7")."""

    scheme = models.CharField(_("bảng chuyển đổi"), max_length=64)
    label = models.CharField(_("ký hiệu"), max_length=16)
    group = models.ForeignKey(ContentGroup, on_delete=models.PROTECT, related_name="aliases")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ký hiệu nhóm nội dung của địa phương")
        verbose_name_plural = _("ký hiệu nhóm nội dung của địa phương")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="programs_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.label} → {self.group.code}"


class Programme(models.Model):
    """Chương trình khuyến công of one level and unit for a period, as its decision states it."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    level = models.CharField(_("cấp"), max_length=16, choices=ProgrammeLevel.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị chủ quản"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    title = models.CharField(_("tên chương trình"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
    )
    stated_grand_total = models.BigIntegerField(
        _("tổng kinh phí ghi trong quyết định (đồng)"), null=True, blank=True
    )
    printed_unit = models.PositiveIntegerField(_("đơn vị tiền in trong văn bản (đồng)"), default=1)
    source = models.CharField(_("nguồn văn bản"), max_length=200, blank=True)
    remarks = models.JSONField(_("ghi chú về văn bản"), default=list, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chương trình khuyến công")
        verbose_name_plural = _("chương trình khuyến công")
        ordering = ["level", "unit__name", "-start_year"]
        constraints = [
            *bounds.constraints(
                bounds.MONEY, "programs_programme", "stated_grand_total", null=True
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="programs_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(stated_grand_total__isnull=True) | Q(stated_grand_total__gte=0),
                name="programs_grand_total_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class StatedFundTotal(models.Model):
    """Tổng kinh phí theo nguồn như quyết định ghi."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="stated_fund_totals"
    )
    fund = models.CharField(_("nguồn"), max_length=16, choices=Fund.choices)
    amount = models.BigIntegerField(_("kinh phí (đồng)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tổng kinh phí theo nguồn (ghi trong quyết định)")
        verbose_name_plural = verbose_name
        constraints = [
            *bounds.constraints(bounds.MONEY, "programs_stated", "amount"),
            models.UniqueConstraint(fields=["programme", "fund"], name="programs_stated_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programs_stated_non_neg"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.fund}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.programme.unit


class PrintedYearFundTotal(models.Model):
    """Tổng theo năm và nguồn như văn bản in (có thể đã làm tròn)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="printed_year_totals"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    fund = models.CharField(_("nguồn"), max_length=16, choices=Fund.choices)
    amount = models.BigIntegerField(_("kinh phí (đồng)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tổng theo năm và nguồn (in trong văn bản)")
        verbose_name_plural = verbose_name
        constraints = [
            *bounds.constraints(bounds.MONEY, "programs_printed", "amount"),
            models.UniqueConstraint(
                fields=["programme", "year", "fund"], name="programs_printed_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programs_printed_non_neg"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year} {self.fund}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.programme.unit


class ActivityLine(models.Model):
    """Dòng nội dung hỗ trợ: one row of the programme's allocation table."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="lines")
    group = models.ForeignKey(
        ContentGroup, verbose_name=_("nhóm nội dung"), on_delete=models.PROTECT
    )
    name = models.TextField(_("nội dung"))
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"))
    notes = models.TextField(_("ghi chú"), blank=True)
    stated_total_quantity = models.DecimalField(
        _("tổng số lượng ghi trong văn bản"), null=True, blank=True, max_digits=16, decimal_places=3
    )
    stated_total_amount = models.BigIntegerField(
        _("tổng kinh phí ghi trong văn bản (đồng)"), null=True, blank=True
    )
    norm_content = models.ForeignKey(
        "norms.NormContent",
        verbose_name=_("nội dung định mức"),
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_lines",
        help_text=_("Định mức hỗ trợ áp dụng cho dòng này, để kiểm tra kinh phí mỗi đơn vị."),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dòng nội dung")
        verbose_name_plural = _("dòng nội dung")
        ordering = ["programme", "order"]
        constraints = [
            *bounds.constraints(
                bounds.QUANTITY, "programs_line", "stated_total_quantity", null=True
            ),
            *bounds.constraints(bounds.MONEY, "programs_line", "stated_total_amount", null=True),
            models.UniqueConstraint(fields=["programme", "order"], name="programs_line_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.programme.unit


class AllocationCell(models.Model):
    """Ô phân bổ: quantity and amount of one line for one year and fund."""

    line = models.ForeignKey(ActivityLine, on_delete=models.CASCADE, related_name="cells")
    year = models.PositiveSmallIntegerField(_("năm"))
    fund = models.CharField(_("nguồn"), max_length=16, choices=Fund.choices)
    quantity = models.DecimalField(_("số lượng"), default=0, max_digits=16, decimal_places=3)
    amount = models.BigIntegerField(_("kinh phí (đồng)"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ô phân bổ")
        verbose_name_plural = _("ô phân bổ")
        ordering = ["line", "year", "fund"]
        constraints = [
            *bounds.constraints(bounds.QUANTITY, "programs_cell", "quantity"),
            *bounds.constraints(bounds.MONEY, "programs_cell", "amount"),
            models.UniqueConstraint(fields=["line", "year", "fund"], name="programs_cell_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programs_cell_amount_non_neg"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="programs_cell_quantity_non_neg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} — {self.year} {self.fund}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.line.programme.unit


class Target(models.Model):
    """Chỉ tiêu as stated in the decision's text (kept apart from the allocation table)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    group = models.ForeignKey(
        ContentGroup, verbose_name=_("nhóm nội dung"), null=True, on_delete=models.PROTECT
    )
    section = models.CharField(_("phần"), max_length=16, choices=TargetSection.choices)
    key = models.SlugField(_("khóa"), max_length=80)
    name = models.TextField(_("chỉ tiêu"))
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    quantity = models.DecimalField(_("số lượng"), max_digits=16, decimal_places=3)
    qualifier = models.CharField(_("từ chỉ mức"), max_length=30, blank=True)
    text = models.TextField(_("nguyên văn"), blank=True)
    line_orders = models.JSONField(_("dòng phân bổ liên quan"), default=list, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["programme", "order"]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.programme.unit
