"""Forms of the account administration pages (tạo tài khoản, giao vai trò, lý do)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import BootstrapFormMixin
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.geo.picker import UnitField
from khuyencong.registry.models import Establishment

from . import policy
from .models import ROLE_LEVELS, Role
from .services import NewUser


class VersionForm(BootstrapFormMixin, forms.Form):
    """The account's version as the administrator saw it (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: nghỉ hưu, mất điện thoại")}),
    )


class RoleForm(VersionForm):
    """Giao vai trò: a role, the unit (by code or name, within the administrator's scope) and,
    for an establishment's representative, the establishment (registry number or tax code)."""

    role = forms.ChoiceField(label=_("Vai trò"))
    unit = UnitField(
        label=_("Đơn vị"),
        help_text=_("Gõ vài chữ của tên (không dấu cũng được) rồi chọn, hoặc ghi mã đơn vị."),
    )
    title = forms.CharField(label=_("Chức danh"), max_length=150, required=False)
    establishment = forms.CharField(
        label=_("Cơ sở được đại diện"),
        max_length=20,
        required=False,
        help_text=_("Chỉ cho vai trò đại diện cơ sở CNNT: mã số thuế hoặc số hồ sơ của cơ sở."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        scope = policy.scope_unit(actor)
        levels = set() if scope is None else {scope.level, scope.level + 1, scope.level + 2}
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", "—")] + [
            (value, label) for value, label in Role.choices if ROLE_LEVELS[value] & levels
        ]
        unit = self.fields["unit"]
        assert isinstance(unit, UnitField)
        unit.queryset = policy.scope_queryset(
            actor,
            AdministrativeUnit.objects.current(),
            unit_field="",
            action=policy.Action.MANAGE_USERS,
        )

    def clean_establishment(self) -> Establishment | None:
        value = self.cleaned_data.get("establishment", "").strip()
        if not value:
            return None
        found = Establishment.objects.filter(Q(tax_code=value) | Q(pk=_int(value))).first()
        if found is None:
            raise forms.ValidationError(
                gettext("Không tìm thấy cơ sở có mã số thuế hoặc số hồ sơ “%(v)s”.") % {"v": value}
            )
        return found


class UserCreateForm(RoleForm):
    """Tạo tài khoản: who, and the first role."""

    field_order = ["full_name", "email", "phone", "role", "unit", "title", "establishment"]

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử (dùng để đăng nhập)"), max_length=254)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False

    def new_user(self) -> NewUser:
        d = self.cleaned_data
        return NewUser(
            email=d["email"],
            full_name=d["full_name"],
            phone=d.get("phone", ""),
            role=Role(d["role"]),
            unit=d["unit"],
            title=d.get("title", ""),
            establishment=d.get("establishment"),
        )


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách cán bộ xã (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml"
                ".sheet,text/csv"
            }
        ),
    )


def _int(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < 10 else 0
