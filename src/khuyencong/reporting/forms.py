"""Forms of the reporting app (thin: the services check the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core import bounds
from khuyencong.core.forms import BootstrapFormMixin, VnDateField, VnNumberField

from .models import Indicator, Schedule
from .periods import Period, PeriodError
from .services import HandValue


class EntriesForm(BootstrapFormMixin, forms.Form):
    """Hand-entered figures (one box per hand-entered indicator, and its note) and the
    narrative."""

    narrative = forms.CharField(
        label=_("Thuyết minh"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"so_{indicator.pk}"] = VnNumberField(
                label=f"{indicator.shown_label} ({indicator.shown_unit})",
                bound=bounds.QUANTITY,
                empty=Decimal(0),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "form-control text-end"}
                ),
            )
            self.fields[f"ghi_chu_{indicator.pk}"] = forms.CharField(
                label=_("Ghi chú, nguồn số liệu"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"so_{i.pk}"], self[f"ghi_chu_{i.pk}"]) for i in self.indicators]

    def values(self) -> dict[int, HandValue]:
        return {
            i.pk: HandValue(
                self.cleaned_data[f"so_{i.pk}"] or Decimal(0),
                note=self.cleaned_data[f"ghi_chu_{i.pk}"],
            )
            for i in self.indicators
        }


class PeriodField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Kỳ báo cáo"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "2026-H1", "size": 8}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Period:
        text = super().clean(value)
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class OpenReportForm(BootstrapFormMixin, forms.Form):
    schedule = forms.ModelChoiceField(
        label=_("Lịch báo cáo"), queryset=Schedule.objects.filter(is_active=True)
    )
    period = PeriodField()


class ExtensionForm(BootstrapFormMixin, forms.Form):
    schedule = forms.ModelChoiceField(
        label=_("Lịch báo cáo"), queryset=Schedule.objects.filter(is_active=True)
    )
    unit_code = forms.CharField(
        label=_("Mã đơn vị (xã, phường hoặc tỉnh)"),
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "03985"}),
    )
    period = PeriodField()
    due_until = VnDateField(label=_("Gia hạn nộp đến"), required=False)
    lock_until = VnDateField(label=_("Mở nhập liệu đến"), required=False)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
