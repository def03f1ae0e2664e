"""Giấy chứng nhận (certificates), khiếu nại (complaints), báo cáo hằng năm của cơ sở có sản
phẩm được chứng nhận (holders' yearly reports).

A certificate's status is computed from its dates and a revocation, never stored: both dates
are indexed, so "valid on a day" is an index range (``CertificateQuerySet.valid``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns
from khuyencong.registry.models import Establishment

from .. import rules
from ..rules import CertificateStatus
from .common import SelectionLevel, actor_field, unit_field
from .products import Product
from .rounds import Entry, SelectionRound

STATUS_LABELS = {
    CertificateStatus.VALID: _("Còn hiệu lực"),
    CertificateStatus.EXPIRED: _("Hết hiệu lực"),
    CertificateStatus.REVOKED: _("Bị thu hồi"),
}


def valid_on(on: datetime.date, *, through: str = "") -> Q:
    """Certificates in force on ``on`` (còn hiệu lực), as one ``Q``; ``through`` names a
    relation to them (``"certificates"`` from a product) so that a join, not a subquery,
    does the work and the values read after it use that same join."""
    prefix = f"{through}__" if through else ""
    return Q(**{f"{prefix}issued_on__lte": on, f"{prefix}valid_until__gte": on}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on})
    )


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid(self, on: datetime.date) -> CertificateQuerySet:
        return self.filter(valid_on(on))

    def with_status(self, on: datetime.date) -> CertificateQuerySet:
        return self.annotate(
            computed_status=Case(
                When(revoked_on__lte=on, then=Value(CertificateStatus.REVOKED.value)),
                When(valid_until__lt=on, then=Value(CertificateStatus.EXPIRED.value)),
                default=Value(CertificateStatus.VALID.value),
                output_field=models.CharField(),
            )
        )


class Certificate(InProvince):
    """Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu (PL6)."""

    scope_columns = ScopeColumns("commune", "province")

    number = models.CharField(_("số giấy chứng nhận"), max_length=40, unique=True)
    code = models.CharField(
        _("mã tra cứu công khai"),
        max_length=16,
        unique=True,
        help_text=_("Đường dẫn công khai /c/<mã> in trong mã QR."),
    )
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="certificate")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="certificates")
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="selection_certificates"
    )
    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="certificates")
    level = models.CharField(_("cấp"), max_length=8, choices=SelectionLevel.choices)
    commune = unit_field(_("xã, phường"))
    issued_on = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("hiệu lực đến"), db_index=True)
    decision = models.CharField(_("quyết định công nhận"), max_length=200)
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True, db_index=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    revocation_decision = models.CharField(_("quyết định thu hồi"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])
    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("giấy chứng nhận sản phẩm tiêu biểu")
        verbose_name_plural = _("giấy chứng nhận sản phẩm tiêu biểu")
        ordering = ["-issued_on", "number"]
        indexes = [
            models.Index(fields=["level", "valid_until"]),
            models.Index(fields=["province", "valid_until"]),
            models.Index(fields=["product", "level"]),
            # The list's order within a province and for the nation: a page is the first rows
            # of an index range, not a sort of every certificate joined to its product (the
            # SCT officer's list grew ×4.45 from scale 0.01 to 1.0, issue 11).
            models.Index(fields=["province", "-issued_on", "number"]),
            models.Index(fields=["-issued_on", "number"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("issued_on")), name="awards_certificate_dates"
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | ~Q(revocation_reason=""),
                name="awards_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    @staticmethod
    def policy_member_q(user: Any) -> Q:
        """A council member sees the certificates of the entries they may see (not every
        certificate of their unit)."""
        return Q(
            Exists(
                Entry.objects.filter(pk=OuterRef("entry_id")).filter(Entry.policy_member_q(user))
            )
        )

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        seen = Entry.objects.filter(pk=self.entry_id).filter(Entry.policy_member_q(user))
        return frozenset({"member"}) if seen.exists() else frozenset()

    def status_on(self, on: datetime.date) -> CertificateStatus:
        return rules.certificate_status(
            valid_until=self.valid_until, revoked_on=self.revoked_on, on=on
        )

    @property
    def status(self) -> CertificateStatus:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def level_name(self) -> str:
        return rules.level_name(self.level)

    def facts(self) -> rules.CertificateFacts:
        return rules.CertificateFacts(
            self.number, self.level, self.issued_on, self.valid_until, self.revoked_on
        )


class ComplaintStatus(models.TextChoices):
    LODGED = "da-gui", _("Đang giải quyết")
    UPHELD = "chap-nhan", _("Chấp nhận: chấm lại hồ sơ")
    DISMISSED = "bac", _("Không chấp nhận")


class Complaint(InProvince):
    """Khiếu nại kết quả bình chọn: lodged within the round's window of working days after the
    result was published, decided within its own window; upheld, it reopens that entry's
    scoring only."""

    scope_columns = ScopeColumns("commune", "province")

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="complaints")
    round = models.ForeignKey(SelectionRound, on_delete=models.PROTECT, related_name="complaints")
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="+")
    commune = unit_field(_("xã, phường"))
    text = models.TextField(_("nội dung khiếu nại"))
    lodged_on = models.DateField(_("ngày gửi"))
    reply_due = models.DateField(_("hạn giải quyết"))
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.LODGED,
    )
    decision = models.TextField(_("kết quả giải quyết"), blank=True)
    decided_on = models.DateField(_("ngày giải quyết"), null=True, blank=True)
    lodged_by = actor_field(_("người gửi"))
    decided_by = actor_field(_("người giải quyết"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])

    class Meta:
        verbose_name = _("khiếu nại kết quả bình chọn")
        verbose_name_plural = _("khiếu nại kết quả bình chọn")
        ordering = ["-lodged_on", "-pk"]
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(reply_due__gte=F("lodged_on")), name="awards_complaint_dates"
            ),
            models.CheckConstraint(
                condition=Q(status="da-gui") | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="awards_complaint_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Khiếu nại về “%(p)s”") % {"p": self.entry.product})

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    @staticmethod
    def policy_member_q(user: Any) -> Q:
        """A council seat gives nothing here: the organiser decides complaints."""
        return Q(pk__in=[])

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        return frozenset()

    @property
    def is_late(self) -> bool:
        """Decided after its due date, or still open past it."""
        decided = self.decided_on or timezone.localdate()
        return decided > self.reply_due


class HolderReport(InProvince):
    """Báo cáo hằng năm của cơ sở có sản phẩm được chứng nhận (production, sales, support)."""

    scope_columns = ScopeColumns("commune", "province")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="reports")
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="+")
    commune = unit_field(_("xã, phường"))
    year = models.PositiveSmallIntegerField(_("năm báo cáo"))
    due_on = models.DateField(_("hạn nộp"), db_index=True)
    production = models.CharField(_("sản lượng"), max_length=200, blank=True)
    revenue = models.BigIntegerField(_("doanh thu (đồng)"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    support_received = models.TextField(_("hỗ trợ đã nhận trong năm"), blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True, db_index=True)
    submitted_by = actor_field(_("người nộp"))
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["province"])

    class Meta:
        verbose_name = _("báo cáo hằng năm của cơ sở có sản phẩm được chứng nhận")
        verbose_name_plural = _("báo cáo hằng năm của cơ sở có sản phẩm được chứng nhận")
        ordering = ["-year", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="awards_report_once"),
            models.CheckConstraint(
                condition=Q(revenue__isnull=True) | Q(revenue__gte=0),
                name="awards_report_revenue_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | (Q(revenue__isnull=False) & Q(employees__isnull=False)),
                name="awards_report_submitted_complete",
            ),
        ]
        indexes = [models.Index(fields=["province", "year"])]

    def __str__(self) -> str:
        return str(_("Báo cáo năm %(y)s — %(c)s") % {"y": self.year, "c": self.certificate})

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    @staticmethod
    def policy_member_q(user: Any) -> Q:
        """A council seat gives nothing here (a holder's report is not the jury's business)."""
        return Q(pk__in=[])

    def policy_member_roles(self, user: Any) -> frozenset[str]:
        return frozenset()

    def is_late(self, on: datetime.date) -> bool:
        return self.submitted_at is None and on > self.due_on

    @property
    def submitted_late(self) -> bool:
        return self.submitted_at is not None and timezone.localdate(self.submitted_at) > self.due_on

    def lateness(self, on: datetime.date) -> Any:
        return (on - self.due_on).days if self.is_late(on) else 0
