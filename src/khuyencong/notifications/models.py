"""Thông báo (notifications): what the system tells one user, in the app and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.geo.models import AdministrativeUnit

from . import text


class NotificationKind(models.TextChoices):
    DEADLINE_7_DAYS = "han-7-ngay", _("Sắp hết hạn đăng ký (7 ngày)")
    DEADLINE_1_DAY = "han-1-ngay", _("Sắp hết hạn đăng ký (1 ngày)")
    RETURNED = "tra-lai", _("Phiếu đăng ký được trả lại để bổ sung")
    ACCEPTED = "chap-nhan", _("Phiếu đăng ký được chấp nhận")
    REJECTED = "tu-choi", _("Phiếu đăng ký không được chấp nhận")
    PLAN = "ke-hoach", _("Kế hoạch khuyến công năm")
    PROJECT = "de-an", _("Đề án khuyến công")
    SELECTION = "binh-chon", _("Bình chọn sản phẩm tiêu biểu")
    REPORT = "bao-cao", _("Báo cáo định kỳ")
    OTHER = "khac", _("Thông báo khác")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=24, choices=NotificationKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    message = models.JSONField(
        _("lời thông báo để dịch"),
        null=True,
        blank=True,
        help_text=_(
            "Tiêu đề và nội dung dạng mã câu và tham số, hiển thị theo ngôn ngữ của người đọc."
        ),
    )
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dedupe_key = models.CharField(
        _("khóa chống gửi trùng"),
        max_length=120,
        blank=True,
        help_text=_("Cùng người nhận và cùng khóa thì chỉ gửi một lần."),
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed = models.BooleanField(_("đã gửi thư điện tử"), default=False)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notifications_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_unit(self) -> AdministrativeUnit | None:
        return self.unit

    @property
    def shown_title(self) -> str:
        """The title in the reader's (active) language; a notice stored before titles were
        kept as message ids (or sent as plain text) shows its stored Vietnamese title."""
        if self.message and "title" in self.message:
            return text.render(self.message["title"])
        return self.title

    @property
    def shown_body(self) -> str:
        if self.message and "body" in self.message:
            return text.render(self.message["body"])
        return self.body

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
