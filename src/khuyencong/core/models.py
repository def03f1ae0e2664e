"""Model pieces several apps share (kept small)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Visibility(models.TextChoices):
    """Phạm vi xem: who may read a comment, an event or a file. Internal (nội bộ) is for the
    administration only; shared (chia sẻ) also for the establishment it concerns. What each
    role may read is the access policy's (``accounts.policy.may_read``)."""

    INTERNAL = "noi-bo", _("Nội bộ cơ quan nhà nước")
    SHARED = "chia-se", _("Chia sẻ với cơ sở")


class HasVisibility(models.Model):
    """A row whose readers are limited by a :class:`Visibility` (internal unless said)."""

    visibility = models.CharField(
        _("phạm vi xem"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
    )

    class Meta:
        abstract = True

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class TransitionLog(models.Model):
    """Nhật ký chuyển trạng thái: who moved an object, when, from what to what, and why.

    Concrete logs add the foreign key to their object and say how to label their states and
    actions (``STATE_LABELS``, ``ACTION_LABELS``).
    """

    STATE_LABELS: ClassVar[Mapping[str, Any]] = {}
    ACTION_LABELS: ClassVar[Mapping[str, Any]] = {}

    action = models.CharField(_("thao tác"), max_length=16)
    from_state = models.CharField(_("từ trạng thái"), max_length=16, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("lý do, ghi chú"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    @property
    def from_label(self) -> str:
        return str(self.STATE_LABELS.get(self.from_state, self.from_state))

    @property
    def to_label(self) -> str:
        return str(self.STATE_LABELS.get(self.to_state, self.to_state))


class WorkingDayOverride(models.Model):
    """Ngày nghỉ, ngày làm bù do Chính phủ công bố: a swap that the ``holidays`` library does
    not (yet) know. Such a row wins over the library (``core.workdays``)."""

    day = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        help_text=_("Đánh dấu: ngày cuối tuần phải đi làm (làm bù); bỏ trống: ngày được nghỉ."),
    )
    reason = models.CharField(_("lý do"), max_length=255)
    legal_basis = models.CharField(
        _("căn cứ"), max_length=255, help_text=_("Văn bản công bố, ví dụ: Thông báo số …/TB-BNV.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.reason}"


class ExportJobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xuất")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không xuất được")


class ExportJob(models.Model):
    """Một lần xuất danh sách chạy nền: a list export too long for one request, written by the
    task worker into a file the user downloads when it is done (``core.exports``).

    ``query`` is the list's query string (its filters), read again by the worker with the scope
    of the role (``assignment``) the export was asked under, so the file holds what the list
    showed. Only the user who asked sees the job and its file.
    """

    kind = models.CharField(_("danh sách"), max_length=16)
    query = models.TextField(_("bộ lọc"), blank=True)
    format = models.CharField(_("định dạng"), max_length=4, default="xlsx")
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=ExportJobState.choices, default=ExportJobState.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    written_rows = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    message = models.TextField(_("thông báo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xuất"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignment = models.ForeignKey(
        "accounts.RoleAssignment",
        verbose_name=_("vai trò khi xuất"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần xuất danh sách")
        verbose_name_plural = _("các lần xuất danh sách")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def policy_unit(self) -> Any:
        return self.unit

    @property
    def is_finished(self) -> bool:
        return self.state in {ExportJobState.DONE, ExportJobState.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.written_rows * 100 // self.total_rows)
