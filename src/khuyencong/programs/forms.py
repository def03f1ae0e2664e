from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import (
    BootstrapFormMixin,
    LegalNameChoiceField,
    MillionField,
    VnNumberField,
)
from khuyencong.norms.models import NormContent

from . import programme_data as pd
from .models import ContentGroup
from .presentation import Column


def _column_key(column: Column, kind: str) -> str:
    return f"{kind}_{column.year}_{column.fund}"


class ActivityLineForm(BootstrapFormMixin, forms.Form):
    """Một dòng nội dung với số lượng và kinh phí (triệu đồng) theo năm × nguồn."""

    group = LegalNameChoiceField(
        label=_("Nhóm nội dung"), queryset=ContentGroup.objects.all(), empty_label=None
    )
    name = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    unit_of_measure = forms.CharField(label=_("Đơn vị tính"), max_length=60, required=False)
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    norm_content = LegalNameChoiceField(
        label=_("Định mức hỗ trợ áp dụng"),
        queryset=NormContent.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— không áp dụng định mức riêng —"),
        help_text=_("Kinh phí mỗi đơn vị tính của dòng được so với mức trần của định mức này."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, columns: list[Column], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["norm_content"]
        ).queryset = NormContent.objects.order_by("order", "code")
        self.columns = columns
        for column in columns:
            label = f"{column.year} {column.fund_label}"
            self.fields[_column_key(column, "q")] = VnNumberField(
                label=_("Số lượng %(col)s") % {"col": label}, empty=Decimal(0)
            )
            self.fields[_column_key(column, "a")] = MillionField(
                label=_("Kinh phí %(col)s (triệu đồng)") % {"col": label}, empty=0
            )

    @staticmethod
    def initial_for(line: pd.ActivityLineData, columns: list[Column]) -> dict[str, str]:
        cells = {(c.year, c.fund): c for c in line.cells}
        initial: dict[str, str] = {}
        for column in columns:
            cell = cells.get((column.year, column.fund))
            if cell is not None:
                initial[_column_key(column, "q")] = pd.format_vn_number(cell.quantity)
                initial[_column_key(column, "a")] = pd.format_vn_number(
                    Decimal(cell.amount) / pd.MILLION
                )
        return initial

    def cell_values(self) -> dict[tuple[int, str], tuple[Decimal, int]]:
        """The cells in đồng, keyed by (year, fund)."""
        return {
            (c.year, c.fund): (
                self.cleaned_data[_column_key(c, "q")],
                self.cleaned_data[_column_key(c, "a")],
            )
            for c in self.columns
        }

    def rows(self) -> list[tuple[Column, forms.BoundField, forms.BoundField]]:
        return [(c, self[_column_key(c, "q")], self[_column_key(c, "a")]) for c in self.columns]


class DeleteLineForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do xóa"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AppendixUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Tệp Excel phụ lục (.xlsx)"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApprovalForm(BootstrapFormMixin, forms.Form):
    """Ghi nhận quyết định phê duyệt chương trình."""

    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = forms.DateField(
        label=_("Ngày quyết định"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "11/5/2026"}),
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 11/5/2026.")},
    )
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SupersedeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do (số quyết định điều chỉnh, thay thế)"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)
