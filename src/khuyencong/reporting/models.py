"""Báo cáo định kỳ: schedules, indicator sets, reports and the stored summary.

Schedules and indicator sets are data (each province may keep its own); a report is one unit ×
period × indicator-set version, with its figures stored per indicator and disaggregation key.
The summary table (``SummaryFigure``) is what dashboards read: one row per unit × period ×
indicator × key × basis (accepted reports, or live data at the cut-off).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TransitionLog
from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns

from . import breakdowns, indicator_names, workflow
from .aggregation import Figure, Rule
from .periods import Period, PeriodType


def _quantity(label: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=20, decimal_places=3, **kwargs)


class Reporter(models.TextChoices):
    """Who reports (đơn vị báo cáo); the receiver follows (``workflow.RECEIVER``)."""

    COMMUNE = workflow.Reporter.COMMUNE.value, _("UBND xã, phường → Sở Công Thương")
    CENTRE = workflow.Reporter.CENTRE.value, _("Trung tâm khuyến công → Sở Công Thương")
    PROVINCE = workflow.Reporter.PROVINCE.value, _("Sở Công Thương → Bộ Công Thương (Cục)")


class PeriodKind(models.TextChoices):
    QUARTER = PeriodType.QUARTER.value, _("Quý")
    HALF = PeriodType.HALF.value, _("6 tháng")
    YEAR = PeriodType.YEAR.value, _("Năm")


class AggregationRule(models.TextChoices):
    SUM = Rule.SUM.value, _("Cộng dồn")
    LATEST = Rule.LATEST.value, _("Giá trị mới nhất (không cộng các kỳ)")
    RATIO = Rule.RATIO.value, _("Tỷ lệ tính lại từ tử số và mẫu số đã cộng")


class Source(models.TextChoices):
    COMPUTED = "tu-dong", _("Tính từ dữ liệu hệ thống tại ngày chốt số liệu")
    MANUAL = "nhap-tay", _("Nhập tay, có ghi chú")


class Disaggregation(models.TextChoices):
    """Phân tổ: the breakdowns an indicator may declare (keys in ``breakdowns.FAMILIES``)."""

    FUND = breakdowns.FUND, _("Theo nguồn kinh phí (KCQG, KCĐP, đối ứng, khác)")
    CONTENT = breakdowns.CONTENT, _("Theo nhóm nội dung")
    PRODUCT_GROUP = breakdowns.PRODUCT_GROUP, _("Theo nhóm sản phẩm")
    OWNERSHIP = breakdowns.OWNER, _("Theo chủ cơ sở (nữ, dân tộc thiểu số)")
    LEVEL = breakdowns.LEVEL, _("Theo cấp chứng nhận")


def validate_disaggregations(value: Any) -> None:
    if not isinstance(value, list) or any(kind not in Disaggregation.values for kind in value):
        raise ValidationError(
            _("Phân tổ phải là danh sách gồm các giá trị: %(kinds)s.")
            % {"kinds": ", ".join(Disaggregation.values)}
        )


class IndicatorSet(models.Model):
    """Bộ chỉ tiêu báo cáo of one reporter level (and one province, or every province),
    versioned: a report keeps the version it was made with."""

    code = models.SlugField(_("mã"), max_length=64)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên bộ chỉ tiêu"), max_length=200)
    reporter = models.CharField(_("đơn vị báo cáo"), max_length=16, choices=Reporter.choices)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh áp dụng (trống: mọi tỉnh)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"))
    basis = models.CharField(_("căn cứ"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ chỉ tiêu báo cáo")
        verbose_name_plural = _("bộ chỉ tiêu báo cáo")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="reporting_set_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Indicator(models.Model):
    """Chỉ tiêu báo cáo: code, label, unit, how it rolls up and where its figure comes from."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("mã chỉ tiêu"), max_length=64)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    rule = models.CharField(_("quy tắc tổng hợp"), max_length=12, choices=AggregationRule.choices)
    source = models.CharField(_("nguồn số liệu"), max_length=12, choices=Source.choices)
    computation = models.SlugField(_("cách tính (chỉ tiêu tự động)"), max_length=64, blank=True)
    disaggregations = models.JSONField(
        _("phân tổ"),
        default=list,
        blank=True,
        validators=[validate_disaggregations],
        help_text=_(
            "Chỉ các phân tổ khai báo ở đây được tính, lưu và hiển thị; trống: chỉ tổng số."
        ),
    )
    target_key = models.SlugField(
        _("khóa chỉ tiêu của chương trình"),
        max_length=80,
        blank=True,
        help_text=_("Khóa chỉ tiêu trong chương trình khuyến công (mục tiêu) để so sánh."),
    )
    is_money = models.BooleanField(_("là tiền (đồng)"), default=False)
    description = models.TextField(
        _("cách tính"),
        blank=True,
        help_text=_("Số liệu được tính hoặc nhập như thế nào (hiện cùng chỉ tiêu)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu báo cáo")
        verbose_name_plural = _("chỉ tiêu báo cáo")
        ordering = ["indicator_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="reporting_ind_code"),
            models.CheckConstraint(
                condition=Q(source=Source.MANUAL) | ~Q(computation=""),
                name="reporting_computed_has_computation",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def shown_label(self) -> str:
        """The label in the reader's language (the stored one is the Vietnamese)."""
        return indicator_names.label(self)

    @property
    def shown_unit(self) -> str:
        return indicator_names.unit(self)

    @property
    def aggregation(self) -> Rule:
        return Rule(self.rule)

    @property
    def breakdowns(self) -> frozenset[str]:
        """The declared breakdowns (phân tổ) — only these are computed, stored and shown."""
        return frozenset(self.disaggregations or ())

    def clean(self) -> None:
        from .computations import BREAKDOWNS

        super().clean()
        if self.source == Source.MANUAL:
            possible: frozenset[str] = frozenset()
        else:
            possible = BREAKDOWNS.get(self.computation, frozenset())
        declared = self.disaggregations if isinstance(self.disaggregations, list) else []
        # An unknown value is the validator's to report.
        extra = [k for k in declared if k in Disaggregation.values and k not in possible]
        if extra:
            raise ValidationError(
                {
                    "disaggregations": _(
                        "Chỉ tiêu này không phân tổ được theo: %(kinds)s. Phân tổ được: "
                        "%(possible)s."
                    )
                    % {
                        "kinds": ", ".join(str(Disaggregation(k).label) for k in extra),
                        "possible": ", ".join(
                            str(Disaggregation(k).label) for k in sorted(possible)
                        )
                        or _("không (chỉ tổng số; chỉ tiêu nhập tay chỉ có tổng số)"),
                    }
                }
            )


class TargetKeyAlias(models.Model):
    """Ánh xạ khóa chỉ tiêu: a province programme's target key that measures the same thing as
    a reporting indicator's ``target_key`` (Sơn La's ``may-moc-thiet-bi`` is the nation's
    ``may-moc-day-chuyen``), so the province's target rolls up to the national indicator."""

    key = models.SlugField(
        _("khóa chỉ tiêu trong chương trình của tỉnh"), max_length=80, unique=True
    )
    target_key = models.SlugField(_("khóa chỉ tiêu báo cáo (quốc gia)"), max_length=80)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ánh xạ khóa chỉ tiêu")
        verbose_name_plural = _("ánh xạ khóa chỉ tiêu")
        ordering = ["target_key", "key"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(key=F("target_key")), name="reporting_alias_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.target_key}"


class Schedule(models.Model):
    """Lịch báo cáo: who reports to whom, how often, by when, and when entry closes."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    reporter = models.CharField(_("đơn vị báo cáo"), max_length=16, choices=Reporter.choices)
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh áp dụng (trống: mọi tỉnh)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=PeriodKind.choices)
    due_day = models.PositiveSmallIntegerField(_("hạn nộp: ngày"))
    due_months_after_end = models.PositiveSmallIntegerField(
        _("hạn nộp: số tháng sau tháng cuối kỳ"),
        default=0,
        help_text=_("0: trong tháng cuối kỳ (ví dụ trước 20/6 cho 6 tháng đầu năm)."),
    )
    lock_days_after_due = models.PositiveSmallIntegerField(
        _("khóa nhập liệu sau hạn nộp (ngày)"), default=30
    )
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn (ngày)"), default=5)
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("bộ chỉ tiêu"), on_delete=models.PROTECT
    )
    basis = models.CharField(_("căn cứ"), max_length=200, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")
        ordering = ["reporter", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=31), name="reporting_due_day"
            ),
            models.CheckConstraint(
                condition=Q(due_months_after_end__lte=6), name="reporting_due_months"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScheduleException(InProvince):
    """Gia hạn cho một đơn vị: a later due date and/or a later lock date for one period, with
    the reason and who granted it."""

    scope_columns = ScopeColumns("unit", "province")

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="exceptions")
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("kỳ"), max_length=8)
    due_until = models.DateField(_("gia hạn nộp đến"), null=True, blank=True)
    lock_until = models.DateField(_("mở nhập liệu đến"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho phép"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["province"])

    class Meta:
        verbose_name = _("gia hạn báo cáo")
        verbose_name_plural = _("gia hạn báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "unit", "period"], name="reporting_exception_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reporting_exception_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit


class ReportStatus(models.TextChoices):
    DRAFT = workflow.State.DRAFT.value, workflow.STATE_LABELS[workflow.State.DRAFT]
    SUBMITTED = workflow.State.SUBMITTED.value, workflow.STATE_LABELS[workflow.State.SUBMITTED]
    APPROVED = workflow.State.APPROVED.value, workflow.STATE_LABELS[workflow.State.APPROVED]
    ACCEPTED = workflow.State.ACCEPTED.value, workflow.STATE_LABELS[workflow.State.ACCEPTED]
    RETURNED = workflow.State.RETURNED.value, workflow.STATE_LABELS[workflow.State.RETURNED]


class Report(InProvince):
    """Báo cáo định kỳ: one unit's report for one period under one schedule."""

    scope_columns = ScopeColumns("unit", "province")

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("lịch báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(_("kỳ"), max_length=8)
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("bộ chỉ tiêu"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    due_on = models.DateField(_("hạn nộp"))
    lock_on = models.DateField(_("khóa nhập liệu từ sau ngày"))
    cutoff_on = models.DateField(_("ngày chốt số liệu"))
    narrative = models.TextField(_("thuyết minh"), blank=True)
    missing_note = models.TextField(
        _("ghi chú về đơn vị chưa có báo cáo"),
        blank=True,
        help_text=_(
            "Bắt buộc khi phê duyệt mà còn đơn vị cấp dưới chưa có báo cáo được chấp nhận."
        ),
    )
    filled_at = models.DateTimeField(_("lần tính số liệu gần nhất"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("gửi gần nhất lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("được chấp nhận lúc"), null=True, blank=True)
    submission = models.JSONField(_("số liệu đã gửi (cố định)"), default=dict, blank=True)
    round = models.PositiveSmallIntegerField(_("lần gửi"), default=0)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province", "submission"])

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period", "unit__name", "pk"]
        indexes = [
            models.Index(fields=["province", "period", "status"], name="reporting_report_prov"),
            models.Index(fields=["period", "status"], name="reporting_report_period"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "schedule", "period"], name="reporting_report_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.name} — {self.unit} — {self.period_obj.label}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def reporter(self) -> workflow.Reporter:
        return workflow.Reporter(self.schedule.reporter)

    def submitted_late(self) -> bool | None:
        """Nộp muộn: first submitted after the due date (None while never submitted)."""
        if self.submitted_at is None:
            return None
        return _local_date(self.submitted_at) > self.due_on

    def entry_closed(self, today: datetime.date) -> bool:
        """Hết hạn nhập liệu: the lock date has passed (apart from the approval lock)."""
        return today > self.lock_on


def _local_date(moment: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


class Part(models.TextChoices):
    OWN = "rieng", _("Số liệu của đơn vị")
    BELOW = "cap-duoi", _("Tổng hợp từ báo cáo cấp dưới đã chấp nhận")


class ReportValue(models.Model):
    """One figure of a report: indicator × disaggregation key × part (own, or the roll-up of
    lower units' accepted reports). Computed figures are stored at the cut-off."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("phân tổ"), max_length=32, blank=True)
    part = models.CharField(_("phần"), max_length=10, choices=Part.choices, default=Part.OWN)
    numerator = _quantity(_("giá trị (tử số)"), default=0)
    denominator = _quantity(_("mẫu số"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # Who keyed a hand-entered figure in and when (a paper report keyed in later carries the
    # day it was entered): what the figure's drill-down shows. Empty for computed figures.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        ordering = ["report", "indicator__order", "key", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator", "key", "part"], name="reporting_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.key} {self.numerator}"

    @property
    def figure(self) -> Figure:
        return Figure(self.numerator, self.denominator)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.report.unit


class ReportTransition(TransitionLog):
    STATE_LABELS = workflow.STATE_LABELS
    ACTION_LABELS = workflow.ACTION_LABELS

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = _("bước xử lý báo cáo")

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.report.unit


class Basis(models.TextChoices):
    REPORTED = "bao-cao", _("Theo báo cáo đã chấp nhận")
    LIVE = "truc-tuyen", _("Theo dữ liệu hệ thống tại ngày chốt")
    # Beside the figures, stored for the nation and each province by the same refresh, so a
    # dashboard reads them with the figures (``dashboard.Extras``).
    TARGET = "chi-tieu", _("Chỉ tiêu của chương trình")
    PLAN = "ke-hoach", _("Kế hoạch năm theo nguồn")
    TIMELINESS = "nop-bao-cao", _("Tình hình nộp báo cáo")


class SummaryFigure(InProvince):
    """Bảng tổng hợp: the precomputed figure of a unit × period × indicator × key × basis that
    dashboards read (they never scan the raw tables). Refreshed on submission, approval and
    acceptance and by ``manage.py refresh_summary`` (daily)."""

    scope_columns = ScopeColumns("unit", "province")

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("cấp"))
    period = models.CharField(_("kỳ"), max_length=8)
    indicator_code = models.SlugField(_("mã chỉ tiêu"), max_length=64)
    key = models.CharField(_("phân tổ"), max_length=32, blank=True)
    basis = models.CharField(_("cơ sở số liệu"), max_length=12, choices=Basis.choices)
    numerator = _quantity(_("giá trị"), default=0)
    denominator = _quantity(_("mẫu số"), null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        indexes = [
            # A dashboard reads one period's rows of one level (and one province), in one range:
            # the lower units' totals of the indicator shown, and which lower units have any
            # total (from the index alone), without the other indicators' rows (issue 11).
            models.Index(
                fields=["period", "level", "province", "key", "basis", "indicator_code"],
                include=["unit"],
                name="reporting_summary_read",
            ),
            # "Updated on …": the period's newest row, read from the index's end (LIMIT 1)
            # instead of scanning and sorting half the table (EXPLAIN at scale 0.1).
            models.Index(fields=["period", "-refreshed_at"], name="reporting_summary_fresh"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "indicator_code", "key", "basis"],
                name="reporting_summary_unique",
            ),
        ]

    @property
    def figure(self) -> Figure:
        return Figure(self.numerator, self.denominator)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit


def as_dict(values: Any) -> dict[str, Any]:
    """A report's own figures as stored in its frozen submission: ``code|key|part`` → parts."""
    return {
        f"{v.indicator.code}|{v.key}|{v.part}": [str(v.numerator), _text(v.denominator)]
        for v in values
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class RefreshState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang tính")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không làm mới được")


class SummaryRefresh(models.Model):
    """Một lần làm mới bảng tổng hợp chạy nền: the task worker recomputes one period's summary,
    step by step (each computed indicator at province and commune level, then the accepted
    reports, then writing), and the dashboard polls its progress."""

    period = models.CharField(_("kỳ"), max_length=8)
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=RefreshState.choices, default=RefreshState.QUEUED
    )
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    done_steps = models.PositiveSmallIntegerField(_("số bước đã xong"), default=0)
    total_steps = models.PositiveSmallIntegerField(_("số bước"), default=0)
    rows_written = models.PositiveIntegerField(_("số dòng tổng hợp"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần làm mới bảng tổng hợp")
        verbose_name_plural = _("các lần làm mới bảng tổng hợp")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["period", "-created_at"], name="reporting_refresh_period")]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in {RefreshState.DONE, RefreshState.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_steps:
            return 0
        return min(99, self.done_steps * 100 // self.total_steps)
