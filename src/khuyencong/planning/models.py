"""Registration rounds, support-need registrations and annual plans (đợt đăng ký, phiếu đăng ký
nhu cầu hỗ trợ, kế hoạch khuyến công năm). Money is integer đồng."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from khuyencong.core import bounds
from khuyencong.core.models import HasVisibility, TransitionLog
from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns
from khuyencong.notifications.text import Msg
from khuyencong.programs.models import ContentGroup, Fund
from khuyencong.registry.models import Establishment

from .rules import Amounts
from .workflow import (
    ACTION_LABELS,
    PLAN_STATE_LABELS,
    REGISTRATION_EDITABLE,
    REGISTRATION_STATE_LABELS,
    PlanState,
    RegistrationState,
)


class PlanFund(models.TextChoices):
    """The two khuyến công funds a round or a plan is for."""

    KCQG = Fund.KCQG.value, Fund.KCQG.label
    KCDP = Fund.KCDP.value, Fund.KCDP.label


class RegistrationStatus(models.TextChoices):
    DRAFT = RegistrationState.DRAFT.value, REGISTRATION_STATE_LABELS[RegistrationState.DRAFT]
    SUBMITTED = (
        RegistrationState.SUBMITTED.value,
        REGISTRATION_STATE_LABELS[RegistrationState.SUBMITTED],
    )
    RETURNED = (
        RegistrationState.RETURNED.value,
        REGISTRATION_STATE_LABELS[RegistrationState.RETURNED],
    )
    ACCEPTED = (
        RegistrationState.ACCEPTED.value,
        REGISTRATION_STATE_LABELS[RegistrationState.ACCEPTED],
    )
    REJECTED = (
        RegistrationState.REJECTED.value,
        REGISTRATION_STATE_LABELS[RegistrationState.REJECTED],
    )


class PlanStatus(models.TextChoices):
    DRAFT = PlanState.DRAFT.value, PLAN_STATE_LABELS[PlanState.DRAFT]
    SUBMITTED = PlanState.SUBMITTED.value, PLAN_STATE_LABELS[PlanState.SUBMITTED]
    APPRAISED = PlanState.APPRAISED.value, PLAN_STATE_LABELS[PlanState.APPRAISED]
    APPROVED = PlanState.APPROVED.value, PLAN_STATE_LABELS[PlanState.APPROVED]
    ADJUSTED = PlanState.ADJUSTED.value, PLAN_STATE_LABELS[PlanState.ADJUSTED]


def _money(label: StrOrPromise) -> models.BigIntegerField[int, int]:
    return models.BigIntegerField(label, default=0)


def _amounts_consistent(prefix: str) -> list[models.BaseConstraint]:
    return [
        *bounds.constraints(
            bounds.MONEY,
            prefix,
            "total_cost",
            "support_kcqg",
            "support_kcdp",
            "counterpart",
            "other",
        ),
        models.CheckConstraint(
            condition=Q(total_cost__gte=0)
            & Q(support_kcqg__gte=0)
            & Q(support_kcdp__gte=0)
            & Q(counterpart__gte=0)
            & Q(other__gte=0),
            name=f"{prefix}_amounts_non_negative",
        ),
        models.CheckConstraint(
            condition=Q(
                total_cost=F("support_kcqg") + F("support_kcdp") + F("counterpart") + F("other")
            ),
            name=f"{prefix}_amounts_add_up",
        ),
        models.CheckConstraint(
            condition=Q(start_month__isnull=True)
            | Q(end_month__isnull=True)
            | Q(end_month__gte=F("start_month")),
            name=f"{prefix}_timing_ordered",
        ),
    ]


class RegistrationRound(models.Model):
    """Đợt đăng ký: a call for registrations for a plan year and a fund."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị mở đợt"),
        on_delete=models.PROTECT,
        related_name="registration_rounds",
    )
    title = models.CharField(_("tên đợt"), max_length=300)
    plan_year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=PlanFund.choices)
    content_groups = models.ManyToManyField(
        ContentGroup, verbose_name=_("nội dung được đăng ký"), related_name="+"
    )
    commune_deadline = models.DateField(_("hạn xã, cơ sở gửi"))
    province_deadline = models.DateField(_("hạn tỉnh gửi"))
    notes = models.TextField(_("hướng dẫn"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở đợt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    #: The round's sent registrations (every state but the draft), kept by
    #: ``planning.kept_counts`` so that the round list reads a column instead of counting each
    #: round's registrations (issue 11). Not in the history: it is no edit of the round.
    sent_count = models.PositiveIntegerField(_("số phiếu đã gửi"), default=0, editable=False)

    history = HistoricalRecords(m2m_fields=[content_groups], excluded_fields=["sent_count"])

    class Meta:
        verbose_name = _("đợt đăng ký")
        verbose_name_plural = _("đợt đăng ký")
        ordering = ["-plan_year", "-commune_deadline", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(province_deadline__gte=F("commune_deadline")),
                name="planning_round_deadlines_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fund__in=["KCQG", "KCDP"]), name="planning_round_fund_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new round has no registrations yet; an edited one never writes its count back:
        only ``kept_counts`` moves it, in the UPDATE that a concurrent send may also make
        (saving the count read with the round would undo that send's)."""
        if self.pk is None:
            self.sent_count = 0
        elif not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "sent_count"
            ]
        super().save(*args, **kwargs)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit


class DeadlineExtension(models.Model):
    """Gia hạn: a later deadline in one round for one unit and every unit below it (a commune,
    or a whole province)."""

    round = models.ForeignKey(
        RegistrationRound, on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị được gia hạn"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_deadline = models.DateField(_("hạn mới"))
    reason = models.TextField(_("lý do gia hạn"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gia hạn"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("thời điểm gia hạn"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["round", "unit__name", "-granted_at"]

    def __str__(self) -> str:
        return f"{self.unit} → {self.new_deadline:%d/%m/%Y}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def unit_path(self) -> str:
        """Where it reaches (``deadlines.covers``); load ``unit`` with it."""
        return self.unit.path


class SupportRegistration(InProvince):
    """Phiếu đăng ký nhu cầu hỗ trợ: one establishment's request for one activity."""

    scope_columns = ScopeColumns("commune", "province")

    round = models.ForeignKey(
        RegistrationRound,
        verbose_name=_("đợt đăng ký"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở đăng ký"),
        on_delete=models.PROTECT,
        related_name="support_registrations",
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã/phường"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Xã của cơ sở khi đăng ký."),
    )
    content_group = models.ForeignKey(
        ContentGroup, verbose_name=_("nhóm nội dung"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.CharField(_("nội dung hoạt động đề nghị hỗ trợ"), max_length=300)
    norm_content = models.ForeignKey(
        "norms.NormContent",
        verbose_name=_("định mức hỗ trợ áp dụng"),
        to_field="code",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("mô tả, sự cần thiết"), blank=True)
    expected_outputs = models.TextField(_("kết quả, sản phẩm dự kiến"), blank=True)
    total_cost = _money(_("tổng kinh phí (đồng)"))
    support_kcqg = _money(_("đề nghị hỗ trợ KCQG (đồng)"))
    support_kcdp = _money(_("đề nghị hỗ trợ KCĐP (đồng)"))
    counterpart = _money(_("vốn đối ứng (đồng)"))
    other = _money(_("nguồn khác (đồng)"))
    start_month = models.DateField(_("tháng bắt đầu"), null=True, blank=True)
    end_month = models.DateField(_("tháng kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập phiếu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])

    class Meta:
        verbose_name = _("phiếu đăng ký nhu cầu hỗ trợ")
        verbose_name_plural = _("phiếu đăng ký nhu cầu hỗ trợ")
        ordering = ["-created_at", "-pk"]
        constraints = _amounts_consistent("planning_registration")
        # The list is newest change first, in a province, a commune or the whole country.
        indexes = [
            # The round list counts the sent registrations of a round the user's scope does not
            # hold whole (``selectors.rounds_with_counts``) from these alone (an index-only
            # COUNT(*)): a commune's by round and commune, a province's by round and province.
            # The (round, commune, status) one replaced (round, status), which the national
            # count read before the count was kept on the round: a commune officer's count
            # read the commune's and the round's index entries (218 and 539 at scale 1.0) for
            # each round, and now reads its ~20 (issue 11).
            models.Index(fields=["round", "commune", "status"], name="planning_reg_round_comm"),
            models.Index(fields=["round", "province", "status"], name="planning_reg_round_prov"),
            # The list filtered by round (its drop-down), newest change first.
            models.Index(fields=["round", "-updated_at", "-id"], name="planning_reg_round"),
            models.Index(fields=["-updated_at", "-id"], name="planning_reg_updated"),
            models.Index(fields=["province", "-updated_at", "-id"], name="planning_reg_prov"),
            models.Index(fields=["commune", "-updated_at", "-id"], name="planning_reg_comm"),
            # The commune's home page: its drafts and returned registrations (``planning.inbox``),
            # an index range instead of the status index's 13,000 entries ANDed with the
            # commune's at scale 1.0 (issue 11).
            models.Index(fields=["commune", "status"], name="planning_reg_comm_status"),
            models.Index(
                fields=["province", "status", "-updated_at"], name="planning_reg_prov_status"
            ),
            # The home page's "waiting for review", oldest sent first (``planning.inbox``): the
            # first rows of an index range, not a scan of every registration of the country
            # (the SCT officer's home page grew ×3.56 from scale 0.01 to 1.0, issue 11).
            models.Index(
                fields=["province", "status", "submitted_at", "id"], name="planning_reg_prov_sent"
            ),
        ]

    def __str__(self) -> str:
        return _("Phiếu số %(n)s — %(activity)s") % {"n": self.pk, "activity": self.activity}

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    @property
    def amounts(self) -> Amounts:
        return Amounts(
            self.total_cost, self.support_kcqg, self.support_kcdp, self.counterpart, self.other
        )

    @property
    def is_editable(self) -> bool:
        return self.status in REGISTRATION_EDITABLE


class RegistrationTransition(HasVisibility, TransitionLog):
    """Nhật ký trạng thái phiếu: who moved it, when, from what to what, and why. The
    establishment is a party to its registration: the comments are shared with it."""

    STATE_LABELS = REGISTRATION_STATE_LABELS
    ACTION_LABELS = ACTION_LABELS

    registration = models.ForeignKey(
        SupportRegistration, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("chuyển trạng thái phiếu")
        verbose_name_plural = _("nhật ký trạng thái phiếu")


class AnnualPlan(models.Model):
    """Kế hoạch khuyến công năm N of a province for one fund; each adjustment is a revision."""

    #: The plan's unit is a province: the policy filters ``unit_id = P``.
    scope_columns = ScopeColumns("unit", "unit")

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="annual_plans",
    )
    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=PlanFund.choices)
    revision = models.PositiveSmallIntegerField(_("lần điều chỉnh"), default=0)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("phiên bản trước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_revision",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        db_index=True,
    )
    decision_number = models.CharField(_("số quyết định phê duyệt"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    adjustment_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản sửa"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch khuyến công năm")
        verbose_name_plural = _("kế hoạch khuyến công năm")
        ordering = ["-year", "unit__name", "fund", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "fund", "revision"], name="planning_plan_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "fund"],
                condition=~Q(status="da-dieu-chinh"),
                name="planning_plan_one_current",
            ),
            models.CheckConstraint(
                condition=Q(fund__in=["KCQG", "KCDP"]), name="planning_plan_fund_known"
            ),
        ]

    def __str__(self) -> str:
        return str(self.notice_name())

    def notice_name(self) -> Msg:
        """The plan's name for a notice, read in each recipient's language."""
        name = Msg(
            gettext_noop("Kế hoạch khuyến công %(fund)s năm %(year)s — %(unit)s"),
            fund=Msg.label(Fund(self.fund).label),
            year=self.year,
            unit=self.unit.name,
        )
        if not self.revision:
            return name
        revised = Msg(gettext_noop("(điều chỉnh lần %(n)s)"), n=self.revision)
        return Msg("%(name)s %(revised)s", name=name, revised=revised)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def fund_kind(self) -> str:
        return str(_("quốc gia") if self.fund == PlanFund.KCQG else _("địa phương"))


class PlanItem(models.Model):
    """Một đề án (dự kiến) của kế hoạch: from a registration, or the centre's own activity."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("thứ tự"))
    registration = models.ForeignKey(
        SupportRegistration,
        verbose_name=_("phiếu đăng ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    name = models.CharField(_("tên đề án, hoạt động"), max_length=400)
    implementing_unit = models.CharField(_("đơn vị thực hiện"), max_length=255)
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở thụ hưởng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    beneficiary = models.CharField(_("đơn vị thụ hưởng"), max_length=255, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa điểm (xã, phường)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_group = models.ForeignKey(
        ContentGroup, verbose_name=_("nhóm nội dung"), on_delete=models.PROTECT, related_name="+"
    )
    total_cost = _money(_("tổng kinh phí (đồng)"))
    support_kcqg = _money(_("KCQG (đồng)"))
    support_kcdp = _money(_("KCĐP (đồng)"))
    counterpart = _money(_("vốn đối ứng (đồng)"))
    other = _money(_("nguồn khác (đồng)"))
    start_month = models.DateField(_("tháng bắt đầu"), null=True, blank=True)
    end_month = models.DateField(_("tháng kết thúc"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề án trong kế hoạch")
        verbose_name_plural = _("đề án trong kế hoạch")
        ordering = ["plan", "order"]
        constraints = [
            *_amounts_consistent("planning_item"),
            models.UniqueConstraint(fields=["plan", "order"], name="planning_item_order_unique"),
            models.UniqueConstraint(
                fields=["plan", "registration"],
                condition=Q(registration__isnull=False),
                name="planning_item_registration_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.plan.unit

    @property
    def amounts(self) -> Amounts:
        return Amounts(
            self.total_cost, self.support_kcqg, self.support_kcdp, self.counterpart, self.other
        )

    @property
    def location(self) -> str:
        return self.commune.name if self.commune_id and self.commune else ""

    @property
    def beneficiary_text(self) -> str:
        if self.beneficiary:
            return self.beneficiary
        return self.establishment.name if self.establishment_id and self.establishment else ""


class PlanTransition(TransitionLog):
    """Nhật ký trạng thái kế hoạch."""

    STATE_LABELS = PLAN_STATE_LABELS
    ACTION_LABELS = ACTION_LABELS

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("chuyển trạng thái kế hoạch")
        verbose_name_plural = _("nhật ký trạng thái kế hoạch")
