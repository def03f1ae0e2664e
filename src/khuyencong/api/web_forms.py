"""Forms of the administrators' page for API clients (máy khách API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.core.forms import BootstrapFormMixin
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.geo.picker import UnitField

from .models import SCOPES
from .services import CLIENT_ROLES


class ClientForm(BootstrapFormMixin, forms.Form):
    """Cấp máy khách API: its name, unit (in the administrator's scope), role and scopes."""

    name = forms.CharField(label=_("Tên máy khách"), max_length=150)
    unit = UnitField(
        label=_("Đơn vị"),
        help_text=_("Gõ vài chữ của tên (không dấu cũng được) rồi chọn, hoặc ghi mã đơn vị."),
    )
    role = forms.ChoiceField(label=_("Vai trò"))
    scopes = forms.MultipleChoiceField(
        label=_("Phạm vi quyền"),
        choices=[(s, s) for s in SCOPES],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_at = forms.DateField(
        label=_("Hết hạn ngày"),
        required=False,
        help_text=_("Để trống: một năm kể từ hôm nay."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", "—")] + [(v, label) for v, label in Role.choices if v in CLIENT_ROLES]
        unit = self.fields["unit"]
        assert isinstance(unit, UnitField)
        unit.queryset = policy.scope_queryset(
            actor,
            AdministrativeUnit.objects.current(),
            unit_field="",
            action=policy.Action.MANAGE_USERS,
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
