"""Kỳ bình chọn (rounds), their extensions, the lower authorities' short-lists (PL5) and the
entries (hồ sơ tham gia)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core.models import TransitionLog
from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns
from khuyencong.registry.models import Establishment

from .. import rules
from ..workflow import (
    ENTRY_EDITABLE,
    ENTRY_STATE_LABELS,
    ENTRY_STEP_LABELS,
    HAS_RESULTS,
    ROUND_EDITABLE,
    ROUND_STATE_LABELS,
    ROUND_STEP_LABELS,
    EntryState,
    RoundState,
)
from .common import Region, SelectionFund, SelectionLevel, actor_field, score_field, unit_field
from .products import Product

#: Council roles that see every entry of their round (the chair also sees who has scored).
OFFICE_ROLES = ("chu-tich", "pho-chu-tich", "thu-ky")


class RoundStatus(models.TextChoices):
    DRAFT = RoundState.DRAFT.value, ROUND_STATE_LABELS[RoundState.DRAFT]
    OPEN = RoundState.OPEN.value, ROUND_STATE_LABELS[RoundState.OPEN]
    SCORING = RoundState.SCORING.value, ROUND_STATE_LABELS[RoundState.SCORING]
    CLOSED = RoundState.CLOSED.value, ROUND_STATE_LABELS[RoundState.CLOSED]
    PUBLISHED = RoundState.PUBLISHED.value, ROUND_STATE_LABELS[RoundState.PUBLISHED]
    CANCELLED = RoundState.CANCELLED.value, ROUND_STATE_LABELS[RoundState.CANCELLED]


class EntryStatus(models.TextChoices):
    DRAFT = EntryState.DRAFT.value, ENTRY_STATE_LABELS[EntryState.DRAFT]
    SUBMITTED = EntryState.SUBMITTED.value, ENTRY_STATE_LABELS[EntryState.SUBMITTED]
    FORWARDED = EntryState.FORWARDED.value, ENTRY_STATE_LABELS[EntryState.FORWARDED]
    RETURNED = EntryState.RETURNED.value, ENTRY_STATE_LABELS[EntryState.RETURNED]
    ACCEPTED = EntryState.ACCEPTED.value, ENTRY_STATE_LABELS[EntryState.ACCEPTED]
    REJECTED = EntryState.REJECTED.value, ENTRY_STATE_LABELS[EntryState.REJECTED]


class SelectionRound(InProvince):
    """Kỳ bình chọn sản phẩm CNNT tiêu biểu at one level, run by one unit.

    ``unit`` is the organising unit (a commune, a province, or the nation for regional and
    national rounds); ``province`` its province (none above). The legal numbers are copied
    from the level's ``LevelRule`` when the round is created and may be edited, with their
    basis, until registration opens.
    """

    scope_columns = ScopeColumns("unit", "province")

    code = models.SlugField(_("mã kỳ"), max_length=64, unique=True)
    title = models.CharField(_("tên kỳ bình chọn"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    level = models.CharField(_("cấp"), max_length=8, choices=SelectionLevel.choices)
    unit = unit_field(_("đơn vị tổ chức"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("khu vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    provinces = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("các tỉnh trong khu vực"),
        blank=True,
        related_name="+",
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    registration_opens = models.DateField(_("nhận hồ sơ từ ngày"))
    registration_closes = models.DateField(_("nhận hồ sơ đến ngày"))
    scoring_opens = models.DateField(_("chấm điểm từ ngày"))
    scoring_closes = models.DateField(_("chấm điểm đến ngày"))
    pass_mark = models.DecimalField(_("điểm đạt"), max_digits=5, decimal_places=2)
    pass_mark_basis = models.TextField(_("căn cứ điểm đạt"))
    criteria = models.JSONField(_("tiêu chí và điểm tối đa"))
    outlier_margin = models.DecimalField(
        _("mức lệch cảnh báo (điểm)"), max_digits=5, decimal_places=2
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("số giám khảo tối thiểu: tử số"))
    quorum_denominator = models.PositiveSmallIntegerField(_("số giám khảo tối thiểu: mẫu số"))
    validity_years = models.PositiveSmallIntegerField(_("thời hạn giấy chứng nhận (năm)"))
    complaint_days = models.PositiveSmallIntegerField(_("hạn khiếu nại (ngày làm việc)"))
    complaint_decision_days = models.PositiveSmallIntegerField(
        _("hạn giải quyết khiếu nại (ngày làm việc)")
    )
    council_min = models.PositiveSmallIntegerField(_("hội đồng: tối thiểu"))
    council_max = models.PositiveSmallIntegerField(_("hội đồng: tối đa"))
    fund = models.CharField(_("nguồn kinh phí"), max_length=8, choices=SelectionFund.choices)
    max_passing = models.PositiveIntegerField(
        _("số sản phẩm được công nhận tối đa"), null=True, blank=True
    )
    max_passing_basis = models.TextField(_("căn cứ giới hạn (ý kiến hội đồng)"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=RoundStatus.choices,
        default=RoundStatus.DRAFT,
        db_index=True,
    )
    council_decision = models.CharField(
        _("quyết định thành lập hội đồng"), max_length=200, blank=True
    )
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định công nhận"), null=True, blank=True)
    closed_at = models.DateTimeField(_("khóa chấm lúc"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = actor_field(_("người lập"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(m2m_fields=[provinces], excluded_fields=["province"])

    class Meta:
        verbose_name = _("kỳ bình chọn")
        verbose_name_plural = _("kỳ bình chọn")
        ordering = ["-year", "level", "code"]
        indexes = [
            models.Index(fields=["level", "year"]),
            models.Index(fields=["province", "-year"], name="awards_round_prov_year"),
            # The national list's order: its page is the first 50 entries, not a sort of every
            # round of the country joined to its unit (issue 11: 647 buffers at scale 1.0).
            models.Index(fields=["-year", "level", "code"], name="awards_round_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=F("registration_opens"))
                & Q(scoring_closes__gte=F("scoring_opens"))
                & Q(scoring_opens__gte=F("registration_opens")),
                name="awards_round_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100) & Q(outlier_margin__gt=0),
                name="awards_round_marks",
            ),
            models.CheckConstraint(
                condition=Q(quorum_numerator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator"))
                & Q(validity_years__gte=1)
                & Q(council_min__gte=1)
                & Q(council_min__lte=F("council_max")),
                name="awards_round_numbers",
            ),
            models.CheckConstraint(
                condition=Q(max_passing__isnull=True) | Q(max_passing__gte=1),
                name="awards_round_max_passing_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def policy_establishment_id(self) -> int | None:
        return None

    @staticmethod
    def policy_member_q(user: Any) -> Q:
        from .jury import CouncilMember

        return Q(Exists(CouncilMember.objects.filter(round=OuterRef("pk"), user_id=user.pk)))

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        from .jury import CouncilMember

        member = CouncilMember.objects.filter(round=self, user_id=user.pk).first()
        return member.policy_roles if member is not None else frozenset()

    @property
    def criteria_list(self) -> tuple[rules.Criterion, ...]:
        return rules.criteria_from_data(self.criteria)

    @property
    def total_cap(self) -> Decimal:
        return rules.total_cap(self.criteria_list)

    @property
    def level_name(self) -> str:
        return rules.level_name(self.level)

    @property
    def needs_forwarding(self) -> bool:
        """Above the commune an entry comes through the lower authority's short-list."""
        return self.level != SelectionLevel.COMMUNE

    @property
    def is_editable(self) -> bool:
        return self.status in ROUND_EDITABLE

    @property
    def has_results(self) -> bool:
        return self.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED)

    def registration_deadline(self) -> datetime.date:
        """The last day of registration, extensions included (they are prefetched)."""
        extended = [
            e.new_date for e in self.extensions.all() if e.window == RoundExtension.REGISTRATION
        ]
        return max([self.registration_closes, *extended])

    def scoring_deadline(self) -> datetime.date:
        extended = [e.new_date for e in self.extensions.all() if e.window == RoundExtension.SCORING]
        return max([self.scoring_closes, *extended])


class RoundExtension(models.Model):
    """Gia hạn: a window of the round moved later, with the reason."""

    REGISTRATION = "nhan-ho-so"
    SCORING = "cham-diem"
    WINDOWS = [(REGISTRATION, _("Nhận hồ sơ")), (SCORING, _("Chấm điểm"))]

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="extensions")
    window = models.CharField(_("thời hạn"), max_length=12, choices=WINDOWS)
    previous_date = models.DateField(_("hạn cũ"))
    new_date = models.DateField(_("hạn mới"))
    reason = models.TextField(_("lý do"))
    actor = actor_field(_("người gia hạn"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gia hạn kỳ bình chọn")
        verbose_name_plural = _("gia hạn kỳ bình chọn")
        ordering = ["round", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_date__gt=F("previous_date")), name="awards_extension_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.window} → {self.new_date}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.round.unit


class RoundTransition(TransitionLog):
    """Nhật ký trạng thái kỳ bình chọn."""

    STATE_LABELS = ROUND_STATE_LABELS
    ACTION_LABELS = ROUND_STEP_LABELS

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước xử lý kỳ bình chọn")
        verbose_name_plural = _("nhật ký kỳ bình chọn")


class Forwarding(InProvince):
    """Danh sách đề xuất (PL5): the products a lower authority proposes to a higher round."""

    scope_columns = ScopeColumns("unit", "province")

    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="forwardings")
    unit = unit_field(_("cơ quan đề xuất"))
    letter = models.CharField(_("số văn bản đề xuất"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = actor_field(_("người lập"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])

    class Meta:
        verbose_name = _("danh sách đề xuất (PL5)")
        verbose_name_plural = _("danh sách đề xuất (PL5)")
        ordering = ["round", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="awards_forwarding_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.round}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def policy_establishment_id(self) -> int | None:
        return None


class Entry(InProvince):
    """Hồ sơ tham gia bình chọn: one product in one round (PL1 registration, PL2 description,
    the product's photos and papers, the lower-level certificate).

    The result (mean, passed, rank) is written when the jury closes; ``scoring_closed_at`` is
    the seal: while it is empty the entry's score sheets are seen only by their own judges.
    """

    scope_columns = ScopeColumns("commune", "province")

    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="entries")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="entries")
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="selection_entries"
    )
    commune = unit_field(_("xã, phường"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # PL1 — phiếu đăng ký
    representative = models.CharField(_("người đại diện"), max_length=150)
    representative_title = models.CharField(_("chức vụ"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30)
    commitment = models.BooleanField(
        _("cam kết"),
        default=False,
        help_text=_(
            "Sản phẩm do cơ sở tự sản xuất, sản xuất hàng loạt, không vi phạm sở hữu trí tuệ, "
            "chất lượng, an toàn và môi trường; hồ sơ là đúng sự thật."
        ),
    )
    # PL2 — bản mô tả sản phẩm
    description = models.TextField(_("mô tả sản phẩm"))
    materials_process = models.TextField(_("nguyên liệu, quy trình sản xuất"), blank=True)
    market = models.TextField(_("thị trường, quy mô sản xuất"), blank=True)
    benefits = models.TextField(_("hiệu quả kinh tế, xã hội, môi trường"), blank=True)
    culture = models.TextField(_("giá trị văn hóa, thẩm mỹ"), blank=True)
    basis_certificate = models.ForeignKey(
        "awards.Certificate",
        verbose_name=_("giấy chứng nhận cấp dưới"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prerequisite_note = models.CharField(
        _("ghi chú điều kiện cấp dưới"), max_length=300, blank=True
    )
    forwarding = models.ForeignKey(
        Forwarding,
        verbose_name=_("danh sách đề xuất"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    return_reason = models.TextField(_("lý do trả lại, không chấp nhận"), blank=True)
    mean = score_field(_("điểm trung bình"))
    passed = models.BooleanField(_("đạt"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("xếp hạng"), null=True, blank=True)
    scoring_closed_at = models.DateTimeField(_("khóa chấm lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_by = actor_field(_("người lập"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])

    class Meta:
        verbose_name = _("hồ sơ tham gia bình chọn")
        verbose_name_plural = _("hồ sơ tham gia bình chọn")
        ordering = ["round", "product__name_sort", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="awards_entry_once"),
            models.CheckConstraint(
                condition=Q(mean__isnull=True) | (Q(mean__gte=0) & Q(mean__lte=100)),
                name="awards_entry_mean_range",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["round", "rank"]),
            models.Index(fields=["province", "status"], name="awards_entry_prov_status"),
            models.Index(fields=["commune", "status"], name="awards_entry_comm_status"),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.round}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    @staticmethod
    def policy_member_q(user: Any) -> Q:
        """A judge sees the entries assigned to them; the chair, vice-chairs and the secretary
        every entry of their round."""
        from .jury import CouncilMember, ScoreSheet

        assigned = ScoreSheet.objects.filter(entry=OuterRef("pk"), member__user_id=user.pk)
        office = CouncilMember.objects.filter(
            round=OuterRef("round"), user_id=user.pk, council_role__in=OFFICE_ROLES
        )
        return Q(Exists(assigned)) | Q(Exists(office))

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        from .jury import CouncilMember, ScoreSheet

        member = CouncilMember.objects.filter(round_id=self.round_id, user_id=user.pk).first()
        if member is None:
            return frozenset()
        assigned = ScoreSheet.objects.filter(entry=self, member=member).exists()
        roles = set(member.policy_roles)
        if not assigned:
            roles.discard("judge")
            if member.council_role not in OFFICE_ROLES:
                return frozenset()
        return frozenset(roles)

    @property
    def is_editable(self) -> bool:
        return self.status in ENTRY_EDITABLE

    @property
    def is_sealed(self) -> bool:
        return self.scoring_closed_at is None

    @property
    def is_being_rescored(self) -> bool:
        """Chấm lại after an upheld complaint: a scored entry of a round with results whose
        scoring is open again (``services.complaints``)."""
        return (
            self.status == EntryStatus.ACCEPTED
            and self.scoring_closed_at is None
            and self.round.status in HAS_RESULTS
        )

    @property
    def scoring_open(self) -> bool:
        """Its judges may score it: the round is being scored, or the entry re-scored."""
        if self.scoring_closed_at is not None:
            return False
        return self.round.status == RoundStatus.SCORING or self.is_being_rescored


class EntryTransition(TransitionLog):
    """Nhật ký trạng thái hồ sơ tham gia."""

    STATE_LABELS = ENTRY_STATE_LABELS
    ACTION_LABELS = ENTRY_STEP_LABELS

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="transitions")

    history = HistoricalRecords()

    class Meta(TransitionLog.Meta):
        verbose_name = _("bước xử lý hồ sơ tham gia")
        verbose_name_plural = _("nhật ký hồ sơ tham gia")
