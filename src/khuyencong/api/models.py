"""API clients (máy khách API): the systems of a unit that read and write through /api/v1/.

A client acts through a service account that holds exactly one role at exactly one unit, so
the access policy (``accounts.policy``) decides for it as for a person of that role there: no
second permission layer. Its *scopes* only narrow further which resources it may read or write.
The token is shown once; only its SHA-256 is kept (a random 256-bit secret needs no slow hash).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.accounts.models import Role
from khuyencong.geo.models import AdministrativeUnit

#: Resources a client's scopes name; each has ``<resource>:read`` and ``<resource>:write``.
RESOURCES: tuple[str, ...] = (
    "units",
    "programmes",
    "norms",
    "establishments",
    "registrations",
    "plans",
    "projects",
    "awards",
    "reports",
    "changes",
)
SCOPES: tuple[str, ...] = tuple(f"{r}:{m}" for r in RESOURCES for m in ("read", "write"))


class ApiClient(models.Model):
    """Máy khách API of one unit (a province's own software, the national system)."""

    name = models.CharField(_("tên máy khách"), max_length=150)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản dịch vụ"),
        on_delete=models.PROTECT,
        related_name="api_client",
    )
    scopes = models.JSONField(_("phạm vi quyền"), default=list)
    token_prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        verbose_name = _("máy khách API")
        verbose_name_plural = _("máy khách API")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class IdempotencyKey(models.Model):
    """Khóa chống lặp: a POST retried with the same ``Idempotency-Key`` gets the first answer
    again and does nothing twice. Per account (a client or a person), per key."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="api_idempotency_unique")
        ]

    def __str__(self) -> str:
        return str(self.key)


class ScopeExit(models.Model):
    """Ra khỏi phạm vi: an object whose unit changed (an establishment moved to another
    commune), recorded at the history row of the move so the change feed can tell the readers
    of the *old* unit that it left their scope — they would otherwise keep a stale copy. Its
    ``history_id`` is that history row's id: the same cursor as the resource's feed."""

    resource = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    history_id = models.BigIntegerField()
    old_unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị cũ")
    )
    new_unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị mới"),
    )
    version = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("ra khỏi phạm vi")
        verbose_name_plural = _("ra khỏi phạm vi")
        indexes = [models.Index(fields=["resource", "history_id"], name="api_exit_feed")]

    def __str__(self) -> str:
        return f"{self.resource} {self.object_id} @{self.history_id}"
