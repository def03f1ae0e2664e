"""Users and their roles per unit (người dùng, vai trò theo đơn vị)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.geo.models import AdministrativeUnit, UnitLevel


class Role(models.TextChoices):
    """Vai trò. Each role is held at a unit of a given level."""

    COMMUNE_OFFICER = "can-bo-xa", _("Cán bộ UBND xã/phường")
    PROVINCE_CENTRE = "trung-tam-khuyen-cong", _("Cán bộ Trung tâm khuyến công tỉnh")
    PROVINCE_SCT = "so-cong-thuong", _("Cán bộ Sở Công Thương")
    PROVINCE_FINANCE = "so-tai-chinh", _("Cán bộ Sở Tài chính")
    NATIONAL_OFFICER = "cuc-khuyen-cong", _("Cán bộ Cục Đổi mới sáng tạo, CĐX và Khuyến công")
    COUNCIL_MEMBER = "hoi-dong", _("Thành viên hội đồng")
    ESTABLISHMENT = "co-so", _("Đại diện cơ sở CNNT")
    SYSTEM_ADMIN = "quan-tri", _("Quản trị hệ thống")


#: The levels at which each role may be held.
ROLE_LEVELS: dict[str, frozenset[int]] = {
    Role.COMMUNE_OFFICER: frozenset({UnitLevel.COMMUNE}),
    Role.PROVINCE_CENTRE: frozenset({UnitLevel.PROVINCE}),
    Role.PROVINCE_SCT: frozenset({UnitLevel.PROVINCE}),
    Role.PROVINCE_FINANCE: frozenset({UnitLevel.PROVINCE}),
    Role.NATIONAL_OFFICER: frozenset({UnitLevel.NATIONAL}),
    Role.COUNCIL_MEMBER: frozenset({UnitLevel.NATIONAL, UnitLevel.PROVINCE, UnitLevel.COMMUNE}),
    Role.ESTABLISHMENT: frozenset({UnitLevel.COMMUNE}),
    Role.SYSTEM_ADMIN: frozenset({UnitLevel.NATIONAL, UnitLevel.PROVINCE}),
}

#: Officers of the national and provincial levels must use two-factor authentication.
OFFICER_ROLES = frozenset(
    {
        Role.NATIONAL_OFFICER,
        Role.PROVINCE_CENTRE,
        Role.PROVINCE_SCT,
        Role.PROVINCE_FINANCE,
        Role.SYSTEM_ADMIN,
    }
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Cần địa chỉ thư điện tử.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Người dùng — logs in with an e-mail address."""

    email = models.EmailField(_("thư điện tử"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    is_demo = models.BooleanField(
        _("tài khoản trình diễn"), default=False, help_text=_("Chỉ dùng cho dữ liệu mẫu.")
    )
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Ngôn ngữ người dùng chọn lần gần nhất; thư thông báo gửi bằng ngôn ngữ này."),
    )
    current_assignment = models.ForeignKey(
        "RoleAssignment",
        verbose_name=_("vai trò đang dùng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login", "language"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class RoleAssignment(models.Model):
    """Phân công vai trò: a user holds one role at one unit."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    title = models.CharField(_("chức danh"), max_length=150, blank=True)
    establishment = models.ForeignKey(
        "registry.Establishment",
        verbose_name=_("cơ sở đại diện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        help_text=_("Chỉ dùng cho vai trò đại diện cơ sở CNNT."),
    )
    is_active = models.BooleanField(_("còn hiệu lực"), default=True)
    created_at = models.DateTimeField(_("ngày giao"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="accounts_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    def clean(self) -> None:
        allowed = ROLE_LEVELS[self.role]
        if self.unit_id and self.unit.level not in allowed:
            levels = ", ".join(str(UnitLevel(level).label) for level in sorted(allowed))
            raise ValidationError(
                {
                    "unit": _("Vai trò “%(role)s” chỉ được giao ở cấp: %(levels)s.")
                    % {"role": self.get_role_display(), "levels": levels}
                }
            )
