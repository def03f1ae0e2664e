"""Forms of the rate table and the calculator. Money is typed in triệu đồng the Vietnamese way
("1.500" is fifteen hundred, "62,5" a half) and kept in integer đồng; the advance ceiling is typed
as a percentage (70) and kept as a fraction (0.70)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core import bounds
from khuyencong.core.forms import (
    BootstrapFormMixin,
    LegalNameChoiceField,
    MillionField,
    VnNumberField,
    date_field,
)
from khuyencong.geo.picker import UnitChoiceField
from khuyencong.programs.models import Fund

from . import selectors
from .models import DEFAULT_ADVANCE_CEILING, NormContent, SupportNorm

HUNDRED = Decimal(100)
DATE_PLACEHOLDER = _("ngày/tháng/năm")


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return date_field(
        label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER}),
    )


def _province_field(label: Any, empty_label: Any, help_text: Any = "") -> forms.ModelChoiceField:
    return UnitChoiceField(
        label=label,
        queryset=selectors.provinces(),
        required=False,
        empty_label=empty_label,
        help_text=help_text,
    )


class SupportNormForm(BootstrapFormMixin, forms.Form):
    """Thêm, sửa một dòng định mức."""

    content = LegalNameChoiceField(
        label=_("Nội dung hỗ trợ"), queryset=NormContent.objects.none(), empty_label=None
    )
    fund = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=Fund.choices)
    jurisdiction = _province_field(
        _("Phạm vi áp dụng"),
        _("Toàn quốc"),
        _("Chọn tỉnh cho định mức theo nghị quyết HĐND tỉnh (nguồn KCĐP)."),
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        max_length=300,
        help_text=_("Ví dụ: Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"),
    )
    max_percent = VnNumberField(
        label=_("Tỷ lệ tối đa của chi phí hợp lý (%)"),
        bound=bounds.SHARE_PERCENT,
        help_text=_("Ví dụ 50. Để trống nếu định mức chỉ có mức trần."),
    )
    cap_per_unit = MillionField(
        label=_("Mức trần cho một đơn vị hỗ trợ (triệu đồng)"),
        help_text=_("Ví dụ 300 (= 300.000.000 đồng). Để trống nếu không có mức trần."),
    )
    unit = forms.CharField(
        label=_("Đơn vị hỗ trợ"),
        max_length=60,
        help_text=_("Mức trần tính cho mỗi: mô hình, cơ sở, nhãn hiệu, doanh nghiệp…"),
    )
    priority_multiplier = VnNumberField(
        label=_("Hệ số cho địa bàn, lĩnh vực ưu tiên"),
        required=True,
        bound=bounds.PRIORITY_MULTIPLIER,
        help_text=_("Nhân với mức trần khi hỗ trợ địa bàn, lĩnh vực ưu tiên; 1 nếu không có."),
    )
    advance_percent = VnNumberField(
        label=_("Tạm ứng tối đa (% kinh phí hỗ trợ theo hợp đồng)"),
        required=True,
        bound=bounds.PERCENT,
        help_text=_("Thường là 70; 30 đối với công trình tại cụm công nghiệp."),
    )
    effective_from = _date_field(_("Hiệu lực từ ngày"))
    effective_to = _date_field(
        _("Hết hiệu lực từ ngày"),
        required=False,
        help_text=_("Để trống nếu còn hiệu lực."),
    )
    needs_verification = forms.BooleanField(label=_("Cần xác minh"), required=False)
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["content"]).queryset = selectors.contents()

    @classmethod
    def initial_for(cls, norm: SupportNorm | None) -> dict[str, Any]:
        if norm is None:
            return {
                "fund": Fund.KCQG,
                "priority_multiplier": Decimal(1),
                "advance_percent": DEFAULT_ADVANCE_CEILING * HUNDRED,
            }
        return {
            "content": norm.content_id,
            "fund": norm.fund,
            "jurisdiction": norm.jurisdiction_id,
            "legal_basis": norm.legal_basis,
            "max_percent": norm.max_percent,
            "cap_per_unit": norm.cap_per_unit,
            "unit": norm.unit,
            "priority_multiplier": norm.priority_multiplier,
            "advance_percent": Decimal(norm.advance_ceiling) * HUNDRED,
            "effective_from": norm.effective_from,
            "effective_to": norm.effective_to,
            "needs_verification": norm.needs_verification,
            "notes": norm.notes,
            "version": norm.version,
        }

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["advance_ceiling"] = (data.pop("advance_percent") / HUNDRED).quantize(Decimal("0.01"))
        return data


class CalculatorForm(BootstrapFormMixin, forms.Form):
    """Tính mức hỗ trợ tối đa."""

    content = LegalNameChoiceField(
        label=_("Nội dung hỗ trợ"),
        queryset=NormContent.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    fund = forms.ChoiceField(
        label=_("Nguồn kinh phí"),
        choices=[(Fund.KCQG.value, Fund.KCQG.label), (Fund.KCDP.value, Fund.KCDP.label)],
    )
    province = _province_field(
        _("Tỉnh, thành phố"),
        _("— không chọn —"),
        _("Với nguồn KCĐP, định mức riêng của tỉnh (nếu có) được ưu tiên."),
    )
    eligible_cost = MillionField(
        label=_("Chi phí hợp lý cho một đơn vị hỗ trợ (triệu đồng)"),
        required=True,
        help_text=_("Ví dụ 700 (= 700.000.000 đồng)."),
    )
    on = _date_field(_("Ngày áp dụng"), required=False, help_text=_("Để trống: hôm nay."))
    priority = forms.BooleanField(label=_("Địa bàn, lĩnh vực ưu tiên"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["content"]).queryset = selectors.contents()

    def date(self, today: datetime.date) -> datetime.date:
        return self.cleaned_data.get("on") or today
