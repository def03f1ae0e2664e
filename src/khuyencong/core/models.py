"""Model pieces several apps share (kept small)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
