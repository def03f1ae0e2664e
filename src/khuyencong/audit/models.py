"""The activity log (nhật ký hoạt động): who did what, when, on which object, and why."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import HasVisibility, Visibility
from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns


class EventType(models.TextChoices):
    """The one list of event types. New domains add theirs here."""

    LOGGED_IN = "dang-nhap", _("Đăng nhập")
    LOGGED_OUT = "dang-xuat", _("Đăng xuất")
    LOGIN_FAILED = "dang-nhap-sai", _("Đăng nhập không thành công")
    LOCKED_OUT = "khoa-tai-khoan", _("Tạm khóa đăng nhập do sai nhiều lần")
    ROLE_SWITCHED = "doi-vai-tro", _("Chuyển vai trò")
    ROLE_ASSIGNED = "giao-vai-tro", _("Giao vai trò")
    ROLE_REVOKED = "thu-hoi-vai-tro", _("Thu hồi vai trò")
    USER_CREATED = "tao-tai-khoan", _("Tạo tài khoản")
    USERS_IMPORTED = "nhap-tai-khoan", _("Nhập danh sách cán bộ từ Excel")
    USER_DEACTIVATED = "khoa-tai-khoan-nguoi-dung", _("Khóa tài khoản")
    USER_REACTIVATED = "mo-lai-tai-khoan", _("Mở lại tài khoản")
    PASSWORD_RESET_SENT = "gui-dat-lai-mat-khau", _("Gửi thư đặt lại mật khẩu")
    ACCOUNT_UNLOCKED = "mo-khoa-dang-nhap", _("Mở khóa đăng nhập")
    MFA_RESET = "dat-lai-xac-thuc-hai-lop", _("Đặt lại xác thực hai lớp")
    UNIT_UPDATED = "sua-don-vi", _("Sửa thông tin đơn vị")
    UNITS_LOADED = "tai-don-vi", _("Tải cây đơn vị hành chính")
    DEMO_SEEDED = "du-lieu-mau", _("Nạp dữ liệu mẫu")
    PROGRAMME_LOADED = "nap-chuong-trinh", _("Nạp chương trình khuyến công")
    PROGRAMME_LINE_ADDED = "them-dong-chuong-trinh", _("Thêm dòng nội dung chương trình")
    PROGRAMME_LINE_UPDATED = "sua-dong-chuong-trinh", _("Sửa dòng nội dung chương trình")
    PROGRAMME_LINE_DELETED = "xoa-dong-chuong-trinh", _("Xóa dòng nội dung chương trình")
    PROGRAMME_IMPORTED = "nhap-phu-luc", _("Nhập phụ lục chương trình từ Excel")
    PROGRAMME_APPROVED = "phe-duyet-chuong-trinh", _("Ghi nhận quyết định phê duyệt chương trình")
    PROGRAMME_SUPERSEDED = "thay-the-chuong-trinh", _("Chương trình được thay thế")
    ESTABLISHMENT_CREATED = "them-co-so", _("Thêm cơ sở CNNT")
    ESTABLISHMENT_UPDATED = "sua-co-so", _("Sửa cơ sở CNNT")
    ESTABLISHMENTS_IMPORTED = "nhap-co-so", _("Nhập danh sách cơ sở CNNT")
    # "Thêm nghệ nhân" is also a button ("Add an artisan"): the event reads "Artisan added".
    ARTISAN_CREATED = "them-nghe-nhan", pgettext_lazy("sự kiện", "Thêm nghệ nhân")
    ARTISAN_UPDATED = "sua-nghe-nhan", pgettext_lazy("sự kiện", "Sửa thông tin nghệ nhân")
    ROUND_OPENED = "mo-dot-dang-ky", _("Mở đợt đăng ký")
    ROUND_CHANGED = "sua-dot-dang-ky", _("Sửa đợt đăng ký")
    DEADLINE_EXTENDED = "gia-han", _("Gia hạn đăng ký")
    REGISTRATION_CHANGED = "phieu-dang-ky", _("Thay đổi trạng thái phiếu đăng ký")
    PLAN_CHANGED = "ke-hoach-nam", _("Thay đổi trạng thái kế hoạch năm")
    PROJECT_CREATED = "lap-de-an", _("Lập đề án khuyến công")
    PROJECT_UPDATED = "sua-de-an", _("Sửa đề án khuyến công")
    PROJECT_STEP = "buoc-de-an", _("Thay đổi trạng thái, ký duyệt đề án")
    PROJECT_PROGRESS = "tien-do-de-an", _("Báo cáo tiến độ đề án")
    PROJECT_INSPECTED = "kiem-tra-de-an", _("Kiểm tra, giám sát đề án")
    PROJECT_MONEY = "giai-ngan-de-an", _("Tạm ứng, thanh toán đề án")
    PROJECT_FILE = "tai-lieu-de-an", _("Đính kèm tài liệu đề án")
    PAYMENT_COSIGNED = "dong-ky-thanh-toan", _("Sở Tài chính đồng ký thanh toán")
    PAYMENT_COSIGN_REFUSED = "khong-dong-ky", _("Sở Tài chính không đồng ý thanh toán")
    NORM_CREATED = "them-dinh-muc", _("Thêm định mức hỗ trợ")
    NORM_UPDATED = "sua-dinh-muc", _("Sửa định mức hỗ trợ")
    PRODUCT_CHANGED = "san-pham", _("Thêm, sửa sản phẩm")
    PRODUCT_FILE = "tep-san-pham", _("Ảnh, giấy tờ của sản phẩm")
    SELECTION_ROUND = "ky-binh-chon", _("Kỳ bình chọn: lập, sửa, gia hạn, chuyển trạng thái")
    SELECTION_ENTRY = "ho-so-binh-chon", _("Hồ sơ tham gia bình chọn")
    SELECTION_COUNCIL = "hoi-dong-binh-chon", _("Hội đồng, giám khảo, phân công chấm")
    SCORE_SHEET = "phieu-cham", _("Phiếu chấm điểm (nộp, mở lại)")
    CERTIFICATE = "giay-chung-nhan", _("Cấp, thu hồi giấy chứng nhận sản phẩm tiêu biểu")
    SELECTION_COMPLAINT = "khieu-nai-binh-chon", _("Khiếu nại kết quả bình chọn")
    HOLDER_REPORT = "bao-cao-san-pham", _("Báo cáo hằng năm về sản phẩm được chứng nhận")
    SELECTION_RULES = "quy-dinh-binh-chon", _("Sửa quy định bình chọn, ngày nghỉ")
    API_CLIENT = "may-khach-api", _("Cấp, đổi, thu hồi mã truy cập của máy khách API")
    REPORT_STEP = "buoc-bao-cao", _("Gửi, phê duyệt, chấp nhận, trả lại báo cáo định kỳ")
    REPORT_EXCEPTION = "gia-han-bao-cao", _("Gia hạn nộp, mở lại nhập liệu báo cáo định kỳ")


#: Event types the establishment concerned may read (the rest are internal): what happened to
#: its own record, its registrations and its projects' steps. A project step may still be
#: recorded internal.
SHARED_EVENT_TYPES = frozenset(
    {
        EventType.ESTABLISHMENT_CREATED,
        EventType.ESTABLISHMENT_UPDATED,
        EventType.ARTISAN_CREATED,
        EventType.ARTISAN_UPDATED,
        EventType.REGISTRATION_CHANGED,
        EventType.PROJECT_STEP,
    }
)


#: Events on a part of an establishment's record (its artisans), read in its history too.
ESTABLISHMENT_PART_EVENT_TYPES = frozenset({EventType.ARTISAN_CREATED, EventType.ARTISAN_UPDATED})


def default_visibility(event_type: str) -> Visibility:
    return Visibility.SHARED if event_type in SHARED_EVENT_TYPES else Visibility.INTERNAL


class ActivityEvent(HasVisibility, InProvince):
    """Sự kiện trong nhật ký hoạt động. ``visibility``: internal events are read by the
    administration only (the default per type is :func:`default_visibility`)."""

    scope_columns = ScopeColumns("unit", "province")

    event_type = models.CharField(_("loại sự kiện"), max_length=40, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_events",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_events",
    )
    #: The establishment (cơ sở) the event concerns, if any: its representative sees only
    #: these events, never the rest of the commune's.
    establishment = models.ForeignKey(
        "registry.Establishment",
        verbose_name=_("cơ sở"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("nhật ký hoạt động")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["province", "-at", "-id"], name="audit_event_prov_at"),
            models.Index(fields=["unit", "-at", "-id"], name="audit_event_unit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} — {self.object_repr}"

    @property
    def about_a_part(self) -> bool:
        """On a part of an establishment's record (an artisan), not on the record itself: its
        history names the part."""
        return self.event_type in ESTABLISHMENT_PART_EVENT_TYPES
