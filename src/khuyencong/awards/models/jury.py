"""Hội đồng bình chọn, ban giám khảo, khai báo xung đột lợi ích, phiếu chấm điểm (PL4).

A score sheet is sealed while its entry's scoring is open: the access policy shows it only to
the judge who owns it (``policy_sealed_for`` for one object, ``policy_unsealed_q`` for
querysets), through every page, export and history view.

Giám khảo dự khuyết (reserve judges): a judge's seat may be flagged ``is_reserve``. The jury
proper (``ON_JURY``) is the non-reserve judges: it alone must be odd, it alone is assigned
every entry when scoring starts, and it sets each entry's panel size. A reserve scores only
the entries the chair assigns them, in place of a judge kept off by a conflict of interest or
recorded absent, so every entry is scored by a panel of the jury's (odd) size.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.accounts.models import User
from khuyencong.geo.models import AdministrativeUnit, ScopeColumns
from khuyencong.registry.models import Establishment

from .common import actor_field, score_field
from .rounds import OFFICE_ROLES, Entry, SelectionRound


class CouncilRole(models.TextChoices):
    CHAIR = "chu-tich", _("Chủ tịch hội đồng")
    VICE_CHAIR = "pho-chu-tich", _("Phó Chủ tịch hội đồng")
    MEMBER = "uy-vien", _("Ủy viên")
    SECRETARY = "thu-ky", _("Thư ký")
    JURY_ONLY = "", _("Giám khảo (không là thành viên hội đồng)")


assert set(OFFICE_ROLES) == {CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.SECRETARY}


#: The jury proper: judges who are not reserves (its size is odd and is each entry's panel).
ON_JURY = Q(is_judge=True, is_reserve=False)


class CouncilMember(models.Model):
    """Thành viên hội đồng và/hoặc giám khảo of one round (a user who logs in to score)."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="council_seats")
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=255, blank=True)
    council_role = models.CharField(
        _("vai trò trong hội đồng"),
        max_length=16,
        choices=CouncilRole.choices,
        blank=True,
        default=CouncilRole.MEMBER,
    )
    is_judge = models.BooleanField(_("là giám khảo"), default=True)
    is_reserve = models.BooleanField(
        _("giám khảo dự khuyết"),
        default=False,
        help_text=_(
            "Không được phân công khi bắt đầu chấm, không tính vào số lẻ của ban giám khảo; "
            "Chủ tịch phân công chấm thay giám khảo có xung đột lợi ích hoặc vắng mặt."
        ),
    )
    workplace = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường nơi công tác (nếu là cán bộ xã)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    absent_reason = models.TextField(
        _("lý do vắng mặt"),
        blank=True,
        help_text=_("Chủ tịch ghi khi giám khảo không thể chấm: phiếu của người này không tính."),
    )
    added_by = actor_field(_("người thêm"))
    added_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên hội đồng, giám khảo")
        verbose_name_plural = _("hội đồng và ban giám khảo")
        ordering = ["round", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="awards_member_once"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(council_role="chu-tich"), name="awards_one_chair"
            ),
            models.CheckConstraint(
                condition=~Q(council_role="") | Q(is_judge=True),
                name="awards_member_sits_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(is_reserve=False) | Q(is_judge=True), name="awards_reserve_is_judge"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.round.unit

    @property
    def is_absent(self) -> bool:
        return bool(self.absent_reason.strip())

    @property
    def on_jury(self) -> bool:
        """A judge of the jury proper (counted in its odd size), not a reserve."""
        return self.is_judge and not self.is_reserve

    @property
    def on_council(self) -> bool:
        return self.council_role != ""

    @property
    def policy_roles(self) -> frozenset[str]:
        """What this seat lets its holder do (``accounts.policy.MEMBER_ACTIONS``)."""
        roles = {"member"}
        if self.is_judge:
            roles.add("judge")
        if self.council_role == CouncilRole.CHAIR:
            roles.add("chair")
        return frozenset(roles)


class ConflictDeclaration(models.Model):
    """Khai báo quan hệ: a judge's relation to an establishment; it blocks them from scoring
    that establishment's entries."""

    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="conflicts")
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ sở")
    )
    relation = models.CharField(_("quan hệ"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khai báo xung đột lợi ích")
        verbose_name_plural = _("khai báo xung đột lợi ích")
        ordering = ["member", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "establishment"], name="awards_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.establishment} ({self.relation})"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.member.round.unit


class SheetStatus(models.TextChoices):
    ASSIGNED = "chua-cham", _("Chưa chấm")
    DRAFT = "nhap", _("Đang chấm (lưu nháp)")
    SUBMITTED = "da-nop", _("Đã nộp")


class ScoreSheet(models.Model):
    """Phiếu chấm điểm (PL4) of one judge for one entry (scoped through its round)."""

    scope_columns = ScopeColumns("round__unit", "round__province")

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="sheets")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.ASSIGNED
    )
    scores = models.JSONField(_("điểm từng tiêu chí"), default=dict, blank=True)
    total = score_field(_("tổng điểm"))
    comment = models.TextField(_("nhận xét"), blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)
    assigned_by = actor_field(_("người phân công"))
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        ordering = ["entry", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="awards_sheet_once"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="awards_sheet_total_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="da-nop") | Q(total__isnull=False),
                name="awards_sheet_submitted_has_total",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "status"]),
            models.Index(fields=["round", "status"]),
        ]

    def __str__(self) -> str:
        return str(
            _("Phiếu chấm của %(j)s cho “%(p)s”") % {"j": self.member, "p": self.entry.product}
        )

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.round.unit

    @property
    def policy_establishment_id(self) -> int | None:
        return self.entry.establishment_id

    # --- sealing -------------------------------------------------------------------------
    def policy_sealed_for(self, user: Any) -> bool:
        """Sealed: the entry's scoring is open and ``user`` is not the sheet's judge."""
        return self.entry.scoring_closed_at is None and self.member.user_id != getattr(
            user, "pk", None
        )

    @staticmethod
    def policy_unsealed_q(user: Any) -> Q:
        return Q(entry__scoring_closed_at__isnull=False) | Q(member__user_id=user.pk)

    # --- council membership --------------------------------------------------------------
    @staticmethod
    def policy_member_q(user: Any) -> Q:
        seat = CouncilMember.objects.filter(round=OuterRef("round"), user_id=user.pk)
        return Q(member__user_id=user.pk) | Q(Exists(seat))

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        if self.member.user_id == user.pk:
            return self.member.policy_roles
        seat = CouncilMember.objects.filter(round_id=self.round_id, user_id=user.pk).first()
        return frozenset({"member"}) if seat is not None else frozenset()

    @property
    def score_values(self) -> dict[str, Decimal]:
        return {code: Decimal(str(value)) for code, value in (self.scores or {}).items()}
