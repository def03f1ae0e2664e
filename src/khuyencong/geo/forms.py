from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import BootstrapFormMixin

from .models import AdministrativeUnit


class UnitContactForm(BootstrapFormMixin, forms.ModelForm):
    """Thông tin liên hệ của đơn vị, with the version read when the form was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = AdministrativeUnit
        fields = ["address", "phone", "email"]
        labels = {
            "address": _("Địa chỉ trụ sở"),
            "phone": _("Điện thoại"),
            "email": _("Thư điện tử"),
        }
