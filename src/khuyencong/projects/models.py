"""Đề án khuyến công: the project, its budget, schedule, outputs, steps, money and files.

Money is integer đồng (``BigIntegerField``); quantities are decimals. The project belongs to a
province (``unit``, its ``policy_unit``); its state machine is ``workflow.py``.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from khuyencong.core import bounds
from khuyencong.core.models import HasVisibility, TransitionLog
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit, ScopeColumns
from khuyencong.planning.models import SupportRegistration
from khuyencong.programs.models import ActivityLine
from khuyencong.registry.models import Establishment

from . import cosign, rules
from .workflow import (
    EDITABLE,
    LOCKED,
    ROLE_LABELS,
    STATE_LABELS,
    STEP_LABELS,
    State,
)


class ProjectFund(models.TextChoices):
    KCQG = "KCQG", _("KCQG — kinh phí khuyến công quốc gia")
    KCDP = "KCDP", _("KCĐP — kinh phí khuyến công địa phương")


class ProjectKind(models.TextChoices):
    ORDINARY = "thuong", _("Đề án thường")
    FLAGSHIP = "diem", _("Đề án điểm")
    GROUP = "nhom", _("Đề án nhóm")


class ProjectStatus(models.TextChoices):
    DRAFT = State.DRAFT.value, STATE_LABELS[State.DRAFT]
    SUBMITTED = State.SUBMITTED.value, STATE_LABELS[State.SUBMITTED]
    RETURNED = State.RETURNED.value, STATE_LABELS[State.RETURNED]
    APPRAISED_PROVINCE = (
        State.APPRAISED_PROVINCE.value,
        STATE_LABELS[State.APPRAISED_PROVINCE],
    )
    APPRAISED_NATIONAL = (
        State.APPRAISED_NATIONAL.value,
        STATE_LABELS[State.APPRAISED_NATIONAL],
    )
    APPROVED = State.APPROVED.value, STATE_LABELS[State.APPROVED]
    REJECTED = State.REJECTED.value, STATE_LABELS[State.REJECTED]
    CONTRACTED = State.CONTRACTED.value, STATE_LABELS[State.CONTRACTED]
    IMPLEMENTING = State.IMPLEMENTING.value, STATE_LABELS[State.IMPLEMENTING]
    ACCEPTED = State.ACCEPTED.value, STATE_LABELS[State.ACCEPTED]
    SETTLED = State.SETTLED.value, STATE_LABELS[State.SETTLED]
    CLOSED = State.CLOSED.value, STATE_LABELS[State.CLOSED]
    CANCELLED = State.CANCELLED.value, STATE_LABELS[State.CANCELLED]


def _money(label: StrOrPromise) -> models.BigIntegerField[int, int]:
    return models.BigIntegerField(label, default=0)


def _actor(label: StrOrPromise) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Project(models.Model):
    """Đề án khuyến công: one content, one implementing unit, beneficiaries, budget by source."""

    #: The project's unit is its province: the policy filters ``unit_id = P``. Its location
    #: (a commune of that province) is its place: the commune's officers read it.
    scope_columns = ScopeColumns("unit", "unit", place="location")

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=ProjectFund.choices)
    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    kind = models.CharField(
        _("loại đề án"), max_length=8, choices=ProjectKind.choices, default=ProjectKind.ORDINARY
    )
    content = models.SlugField(
        _("nội dung hỗ trợ (mã định mức)"),
        max_length=64,
        help_text=_("Mã nội dung trong bảng định mức hỗ trợ, ví dụ may-moc-thiet-bi."),
    )
    title = models.CharField(_("tên đề án"), max_length=400)
    # Searched only by ``LIKE '%words%'`` (the trigram index of migration 0007): no b-tree.
    # One served no query and, under the search's bounded count (``LIMIT 1001``), drew the
    # planner into reading all of it, 50,000 entries, instead of the 1,184 trigram matches
    # (32 ms against 3 ms for the national 'tho cam' at scale 1.0, issue 11).
    title_folded = models.CharField(max_length=400, editable=False, default="")
    implementing_unit = models.CharField(_("đơn vị thực hiện"), max_length=255)
    partners = models.TextField(_("đơn vị phối hợp"), blank=True)
    beneficiaries = models.ManyToManyField(
        Establishment,
        verbose_name=_("cơ sở thụ hưởng"),
        blank=True,
        related_name="projects",
    )
    location = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa điểm (xã, phường)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    need = models.TextField(_("sự cần thiết và căn cứ pháp lý"), blank=True)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    scale_technology = models.TextField(_("quy mô, công nghệ"), blank=True)
    organisation = models.TextField(_("tổ chức thực hiện"), blank=True)
    expected_effects = models.TextField(_("hiệu quả dự kiến"), blank=True)
    priority = models.BooleanField(
        _("thuộc đối tượng, địa bàn ưu tiên"),
        default=False,
        help_text=_("Mức hỗ trợ tối đa có thể được nhân hệ số ưu tiên theo định mức."),
    )
    registration = models.ForeignKey(
        SupportRegistration,
        verbose_name=_("phiếu đăng ký nguồn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    # Budget totals, kept equal to the sum of the budget lines by the services.
    total_cost = _money(_("tổng kinh phí (đồng)"))
    support_kcqg = _money(_("KCQG đề nghị (đồng)"))
    support_kcdp = _money(_("KCĐP đề nghị (đồng)"))
    counterpart = _money(_("vốn đối ứng (đồng)"))
    other = _money(_("nguồn khác (đồng)"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.DRAFT,
        db_index=True,
    )
    round = models.PositiveSmallIntegerField(
        _("lần trình"), default=0, help_text=_("Tăng mỗi lần đề án được trình (hoặc trình lại).")
    )
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định phê duyệt"), null=True, blank=True)
    approved_kcqg = _money(_("KCQG được duyệt (đồng)"))
    approved_kcdp = _money(_("KCĐP được duyệt (đồng)"))
    contract_number = models.CharField(_("số hợp đồng"), max_length=64, blank=True)
    contract_date = models.DateField(_("ngày ký hợp đồng"), null=True, blank=True)
    accepted_on = models.DateField(_("ngày nghiệm thu"), null=True, blank=True)
    acceptance_minutes = models.TextField(_("biên bản nghiệm thu"), blank=True)
    settled_kcqg = _money(_("KCQG quyết toán (đồng)"))
    settled_kcdp = _money(_("KCĐP quyết toán (đồng)"))
    # Giải ngân per fund (the advances and the payments that count, ``cosign.DISBURSED``),
    # kept equal to the sum of those rows by the services that record and co-sign them
    # (``services.keep_disbursed``) so that roll-ups are one scan of projects, never a join
    # of every disbursement (issue 11: the national roll-up within 10× of DuckDB).
    disbursed_kcqg = _money(_("KCQG đã giải ngân (đồng)"))
    disbursed_kcdp = _money(_("KCĐP đã giải ngân (đồng)"))
    settled_on = models.DateField(_("ngày quyết toán"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = _actor(_("người lập"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    # Derived columns stay out of the history: the rows they are kept from have their own.
    history = HistoricalRecords(
        excluded_fields=["title_folded", "disbursed_kcqg", "disbursed_kcdp"],
        m2m_fields=[beneficiaries],
    )

    class Meta:
        verbose_name = _("đề án khuyến công")
        verbose_name_plural = _("đề án khuyến công")
        ordering = ["-plan_year", "-updated_at", "-pk"]
        # The list's order (year, last change) nationwide and per province, with its filters.
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["plan_year", "fund"]),
            models.Index(fields=["content", "plan_year"]),
            # With the folded title: a title search walks the order reading the index alone
            # (``selectors.PagedRows``), not the table for each title it skips.
            models.Index(
                fields=["-plan_year", "-updated_at", "-id"],
                include=["title_folded"],
                name="projects_order",
            ),
            models.Index(
                fields=["unit", "-plan_year", "-updated_at", "-id"],
                include=["title_folded"],
                name="projects_unit_order",
            ),
            models.Index(
                fields=["status", "-plan_year", "-updated_at"], name="projects_status_order"
            ),
            # The home page's "waiting for you" (``selectors.first_waiting``): each (state,
            # fund) pair of a province — or of the nation — read in the section's order, and
            # counted, from the index alone (``round`` for the sign-off check).
            models.Index(
                fields=["unit", "status", "fund", "updated_at", "id"],
                include=["round"],
                name="projects_inbox",
            ),
            models.Index(
                fields=["status", "fund", "updated_at", "id"],
                include=["round"],
                name="projects_inbox_nation",
            ),
        ]
        constraints = [
            *bounds.constraints(
                bounds.MONEY,
                "projects_project",
                "total_cost",
                "support_kcqg",
                "support_kcdp",
                "counterpart",
                "other",
                "approved_kcqg",
                "approved_kcdp",
                "settled_kcqg",
                "settled_kcdp",
                "disbursed_kcqg",
                "disbursed_kcdp",
            ),
            models.CheckConstraint(
                condition=Q(fund__in=["KCQG", "KCDP"]), name="projects_fund_known"
            ),
            models.CheckConstraint(
                condition=Q(support_kcqg__gte=0)
                & Q(support_kcdp__gte=0)
                & Q(counterpart__gte=0)
                & Q(other__gte=0)
                & Q(approved_kcqg__gte=0)
                & Q(approved_kcdp__gte=0)
                & Q(settled_kcqg__gte=0)
                & Q(settled_kcdp__gte=0),
                name="projects_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    total_cost=F("support_kcqg") + F("support_kcdp") + F("counterpart") + F("other")
                ),
                name="projects_amounts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(settled_kcqg__lte=F("approved_kcqg"))
                & Q(settled_kcdp__lte=F("approved_kcdp")),
                name="projects_settled_within_approved",
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(registration__isnull=False),
                name="projects_one_project_per_registration",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Clean the title and fold it for search (``bulk_create`` skips ``save``)."""
        self.title = " ".join(self.title.split())
        self.title_folded = fold(self.title)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.location

    @property
    def policy_establishment_id(self) -> int | None:
        return None

    @property
    def code(self) -> str:
        return self.code_of(self.plan_year, self.pk) if self.pk else ""

    @staticmethod
    def code_of(plan_year: int, pk: int) -> str:
        """Mã đề án: ``ĐA-2026-00042`` (also for rows read as values, as the export does)."""
        return f"ĐA-{plan_year}-{pk:05d}"

    @property
    def fund_label(self) -> str:
        return rules.fund_label(self.fund)

    @property
    def proposed(self) -> rules.Totals:
        return rules.Totals(self.support_kcqg, self.support_kcdp, self.counterpart, self.other)

    @property
    def approved(self) -> rules.Totals:
        return rules.Totals(self.approved_kcqg, self.approved_kcdp)

    @property
    def settled(self) -> rules.Totals:
        return rules.Totals(self.settled_kcqg, self.settled_kcdp)

    @property
    def support(self) -> int:
        return self.support_kcqg + self.support_kcdp

    @property
    def approved_support(self) -> int:
        return self.approved_kcqg + self.approved_kcdp

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED

    @property
    def needs_national_appraisal(self) -> bool:
        return self.fund == ProjectFund.KCQG


class BudgetLine(models.Model):
    """Dòng dự toán chi tiết (Mẫu 1): one expenditure item split by source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    order = models.PositiveIntegerField(_("thứ tự"))
    item = models.CharField(_("nội dung chi"), max_length=300)
    kcqg = _money(_("KCQG (đồng)"))
    kcdp = _money(_("KCĐP (đồng)"))
    counterpart = _money(_("vốn đối ứng (đồng)"))
    other = _money(_("nguồn khác (đồng)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dòng dự toán")
        verbose_name_plural = _("dự toán kinh phí")
        ordering = ["project", "order"]
        constraints = [
            *bounds.constraints(
                bounds.MONEY, "projects_budget", "kcqg", "kcdp", "counterpart", "other"
            ),
            models.UniqueConstraint(fields=["project", "order"], name="projects_budget_order"),
            models.CheckConstraint(
                condition=Q(kcqg__gte=0) & Q(kcdp__gte=0) & Q(counterpart__gte=0) & Q(other__gte=0),
                name="projects_budget_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def total(self) -> int:
        return self.kcqg + self.kcdp + self.counterpart + self.other

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.project.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.project.location


class ProjectTask(models.Model):
    """Công việc trong kế hoạch thực hiện, with its schedule."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(_("thứ tự"))
    name = models.CharField(_("công việc"), max_length=300)
    start = models.DateField(_("bắt đầu"))
    end = models.DateField(_("kết thúc"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("công việc")
        verbose_name_plural = _("kế hoạch thực hiện")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="projects_task_order"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="projects_task_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.project.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.project.location


class ProjectOutput(models.Model):
    """Sản phẩm đầu ra: the project's planned (and, after acceptance, actual) quantity on one
    programme activity line."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outputs")
    line = models.ForeignKey(
        ActivityLine,
        verbose_name=_("dòng nội dung chương trình"),
        on_delete=models.PROTECT,
        related_name="project_outputs",
    )
    planned_quantity = models.DecimalField(_("số lượng kế hoạch"), max_digits=16, decimal_places=3)
    actual_quantity = models.DecimalField(
        _("số lượng thực hiện"), max_digits=16, decimal_places=3, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm đầu ra")
        verbose_name_plural = _("sản phẩm đầu ra")
        ordering = ["project", "line__programme", "line__order"]
        constraints = [
            *bounds.constraints(bounds.QUANTITY, "projects_output", "planned_quantity"),
            *bounds.constraints(bounds.QUANTITY, "projects_output", "actual_quantity", null=True),
            models.UniqueConstraint(fields=["project", "line"], name="projects_output_line_once"),
            models.CheckConstraint(
                condition=Q(planned_quantity__gt=0), name="projects_output_planned_positive"
            ),
            models.CheckConstraint(
                condition=Q(actual_quantity__isnull=True) | Q(actual_quantity__gte=0),
                name="projects_output_actual_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.planned_quantity}"

    def usage_label(self) -> str:
        """How a programme line's refusal to be removed names this output's project."""
        return _("đề án %(code)s “%(title)s”") % {
            "code": self.project.code,
            "title": self.project.title,
        }

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.project.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.project.location


class ProjectTransition(HasVisibility, TransitionLog):
    """Nhật ký trạng thái đề án: who did which step, when, from what to what, and why.

    ``visibility`` is the comment's: an establishment sees every step of its project but reads
    only shared comments (``workflow.comment_visibility`` gives the default per step)."""

    STATE_LABELS = STATE_LABELS
    ACTION_LABELS = STEP_LABELS

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    round = models.PositiveSmallIntegerField(_("lần trình"), default=0)
    role = models.CharField(_("vai trò"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước xử lý đề án")
        verbose_name_plural = _("nhật ký xử lý đề án")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_state} → {self.to_state}"

    @property
    def is_signoff_only(self) -> bool:
        """A sign-off recorded while other departments' sign-offs are still awaited."""
        return self.from_state == self.to_state

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


class ProjectSignOff(models.Model):
    """Ý kiến, chữ ký của một cơ quan cho một bước cần nhiều cơ quan (per submission round)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="signoffs")
    action = models.CharField(_("bước"), max_length=16)
    from_state = models.CharField(_("ở trạng thái"), max_length=16)
    round = models.PositiveSmallIntegerField(_("lần trình"))
    role = models.CharField(_("vai trò"), max_length=32)
    actor = _actor(_("người ký"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    data = models.JSONField(_("nội dung (phiếu thẩm định, quyết định …)"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ý kiến ký duyệt")
        verbose_name_plural = _("ý kiến ký duyệt")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "from_state", "action", "round", "role"],
                name="projects_signoff_once_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action} {self.role}"

    @property
    def action_label(self) -> str:
        return str(STEP_LABELS.get(self.action, self.action))

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def conclusion_label(self) -> str:
        code = self.data.get("conclusion", "")
        return str(rules.APPRAISAL_CONCLUSIONS.get(code, code))


class ProjectSnapshot(models.Model):
    """Nội dung đề án lúc trình (mỗi lần trình một bản), to show what changed after a return."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="snapshots")
    round = models.PositiveSmallIntegerField(_("lần trình"))
    data = models.JSONField(_("nội dung"))
    taken_by = _actor(_("người trình"))
    taken_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bản lưu lúc trình")
        verbose_name_plural = _("bản lưu lúc trình")
        ordering = ["project", "round"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round"], name="projects_snapshot_round")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.round}"


class ProgressReport(models.Model):
    """Báo cáo tiến độ (Mẫu 3a/3b), one per month."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(_("tháng báo cáo"), help_text=_("Ngày 1 của tháng báo cáo."))
    text = models.TextField(_("nội dung báo cáo"))
    percent = models.PositiveSmallIntegerField(_("khối lượng hoàn thành (%)"))
    reported_by = _actor(_("người báo cáo"))
    reported_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="projects_progress_month"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="projects_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month:%m/%Y}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.project.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.project.location


class Inspection(models.Model):
    """Kiểm tra, giám sát during implementation, with its findings."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField(_("ngày kiểm tra"))
    findings = models.TextField(_("kết quả kiểm tra, kiến nghị"))
    inspector = _actor(_("người ghi nhận"))
    inspector_role = models.CharField(_("vai trò"), max_length=32, blank=True)
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kiểm tra, giám sát")
        verbose_name_plural = _("kiểm tra, giám sát")
        ordering = ["project", "inspected_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.inspected_on:%d/%m/%Y}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.project.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.project.location

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.inspector_role, self.inspector_role))


class Disbursement(models.Model):
    """Common fields of an advance and a payment: one fund, an integer amount in đồng."""

    fund = models.CharField(_("nguồn"), max_length=8, choices=ProjectFund.choices)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày chi"))
    note = models.CharField(_("ghi chú, chứng từ"), max_length=300, blank=True)
    recorded_by = _actor(_("người ghi nhận"))
    recorded_at = models.DateTimeField(_("thời điểm ghi"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["paid_on", "pk"]

    @property
    def fund_label(self) -> str:
        return rules.fund_label(self.fund)


class Advance(Disbursement):
    """Tạm ứng."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="advances")

    history = HistoricalRecords()

    class Meta(Disbursement.Meta):
        verbose_name = _("tạm ứng")
        verbose_name_plural = _("tạm ứng")
        constraints = [
            *bounds.constraints(bounds.MONEY, "projects_advance", "amount"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="projects_advance_positive"),
            models.CheckConstraint(
                condition=Q(fund__in=["KCQG", "KCDP"]), name="projects_advance_fund"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.fund} {self.amount}"


class PaymentStage(models.TextChoices):
    INTERIM = cosign.INTERIM, _("Thanh toán")
    FINAL = cosign.FINAL, _("Thanh toán quyết toán (lần cuối)")


class CoSignStatus(models.TextChoices):
    NOT_REQUIRED = cosign.NOT_REQUIRED, _("Không cần đồng ký")
    PENDING = cosign.PENDING, _("Chờ Sở Tài chính đồng ký")
    COSIGNED = cosign.COSIGNED, _("Sở Tài chính đã đồng ký")
    REFUSED = cosign.REFUSED, _("Sở Tài chính không đồng ý")


class CoSignRule(models.Model):
    """Ngưỡng đồng ký của Sở Tài chính: payments of ``fund`` (and ``stage``, or every stage)
    from ``min_amount`` đồng need the finance department's co-signature before they count as
    disbursed. Legal data with its basis and effective dates; a province's own rows replace the
    national ones (``province`` empty) — see ``cosign.rule_for``."""

    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=ProjectFund.choices)
    stage = models.CharField(
        _("giai đoạn thanh toán"),
        max_length=16,
        choices=PaymentStage.choices,
        blank=True,
        help_text=_("Để trống: mọi lần thanh toán."),
    )
    min_amount = models.BigIntegerField(
        _("từ số tiền (đồng)"), default=0, help_text=_("0: mọi khoản, không kể số tiền.")
    )
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: áp dụng cho mọi tỉnh chưa có quy định riêng."),
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    effective_to = models.DateField(
        _("hết hiệu lực từ ngày"), null=True, blank=True, help_text=_("Để trống: còn hiệu lực.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngưỡng đồng ký của Sở Tài chính")
        verbose_name_plural = _("ngưỡng đồng ký của Sở Tài chính")
        ordering = ["fund", "province", "-effective_from", "min_amount"]
        constraints = [
            *bounds.constraints(bounds.MONEY, "projects_cosignrule", "min_amount"),
            models.CheckConstraint(
                condition=Q(fund__in=["KCQG", "KCDP"]), name="projects_cosignrule_fund"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=["", cosign.INTERIM, cosign.FINAL]),
                name="projects_cosignrule_stage",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="projects_cosignrule_dates",
            ),
        ]

    def __str__(self) -> str:
        from khuyencong.core.formatting import format_money

        stage = self.get_stage_display() if self.stage else _("mọi lần thanh toán")
        amount = (
            _("từ %(amount)s") % {"amount": format_money(self.min_amount)}
            if self.min_amount
            else _("mọi số tiền")
        )
        return f"{rules.fund_label(self.fund)} — {stage} — {amount}"

    def as_rule(self) -> cosign.Rule:
        return cosign.Rule(
            pk=self.pk,
            fund=self.fund,
            stage=self.stage,
            min_amount=self.min_amount,
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            province_id=self.province_id,
        )


class Payment(Disbursement):
    """Thanh toán (in addition to the advances: together never above the approved amount).

    A payment a ``CoSignRule`` covers waits for the finance department's co-signature
    (``cosign_status``): until then it counts against the approved amount but not as disbursed.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="payments")
    stage = models.CharField(
        _("giai đoạn"), max_length=16, choices=PaymentStage.choices, default=PaymentStage.INTERIM
    )
    cosign_status = models.CharField(
        _("đồng ký của Sở Tài chính"),
        max_length=16,
        choices=CoSignStatus.choices,
        default=CoSignStatus.NOT_REQUIRED,
        blank=True,
        db_index=True,
    )
    cosign_rule = models.ForeignKey(
        CoSignRule,
        verbose_name=_("theo ngưỡng đồng ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    cosigned_by = _actor(_("người đồng ký"))
    cosigned_at = models.DateTimeField(_("thời điểm đồng ký"), null=True, blank=True)
    cosign_note = models.CharField(_("ý kiến của Sở Tài chính"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta(Disbursement.Meta):
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        constraints = [
            *bounds.constraints(bounds.MONEY, "projects_payment", "amount"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="projects_payment_positive"),
            models.CheckConstraint(
                condition=Q(fund__in=["KCQG", "KCDP"]), name="projects_payment_fund"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[cosign.INTERIM, cosign.FINAL]),
                name="projects_payment_stage",
            ),
            models.CheckConstraint(
                condition=Q(
                    cosign_status__in=[
                        cosign.NOT_REQUIRED,
                        cosign.PENDING,
                        cosign.COSIGNED,
                        cosign.REFUSED,
                    ]
                ),
                name="projects_payment_cosign_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.fund} {self.amount}"

    @property
    def is_disbursed(self) -> bool:
        """Counted as giải ngân: no co-signature needed, or Finance signed."""
        return self.cosign_status in cosign.DISBURSED

    @property
    def awaits_cosign(self) -> bool:
        return self.cosign_status == cosign.PENDING


def attachment_path(instance: Attachment, filename: str) -> str:
    """``projects/<project id>/<random>.<ext>``: the stored name never comes from the user."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(HasVisibility, models.Model):
    """Tài liệu đính kèm of one step; served only through the access-checked download view.
    Internal unless the uploader shares it with the beneficiary establishments."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    step = models.CharField(_("bước (trạng thái khi đính kèm)"), max_length=16)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("loại tệp (theo nội dung)"), max_length=120)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    uploaded_by = _actor(_("người tải lên"))
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["project", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.project.unit

    @property
    def policy_place(self) -> AdministrativeUnit | None:
        return self.project.location

    @property
    def step_label(self) -> str:
        return str(STATE_LABELS.get(self.step, self.step))
