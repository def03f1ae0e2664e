"""Forms of the selection pages (thin: the services check and store; dates day/month/year)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import BootstrapFormMixin, date_field
from khuyencong.registry.models import ProductGroup

from .models import PaperKind, PhotoView
from .services.products import ProductData


class VersionedForm(BootstrapFormMixin, forms.Form):
    """Carries the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)


class ProductForm(VersionedForm):
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    group = forms.ChoiceField(label=_("Nhóm sản phẩm"), choices=ProductGroup.choices)
    description = forms.CharField(
        label=_("Mô tả sản phẩm"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nguyên liệu, công dụng, quy cách, đặc điểm nổi bật."),
    )
    gtin = forms.CharField(
        label=_("Mã số GTIN (mã vạch)"),
        required=False,
        max_length=20,
        help_text=_("8, 12, 13 hoặc 14 chữ số in dưới mã vạch; bỏ trống nếu chưa có."),
    )
    standards = forms.CharField(
        label=_("Tiêu chuẩn áp dụng"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ: TCVN 9740:2013, tiêu chuẩn cơ sở TCCS 01:2024/HTX."),
    )

    def product_data(self) -> ProductData:
        data = self.cleaned_data
        return ProductData(
            name=data["name"],
            group=data["group"],
            description=data["description"],
            gtin=data.get("gtin") or "",
            standards=data.get("standards") or "",
        )


class PhotoForm(BootstrapFormMixin, forms.Form):
    view = forms.ChoiceField(label=_("Góc chụp"), choices=PhotoView.choices)
    image = forms.FileField(
        label=_("Ảnh màu (JPEG, PNG)"),
        help_text=_("Ảnh in được khổ 10×15 cm trở lên, tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class PaperForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại giấy tờ"), choices=PaperKind.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG, PNG)"),
        help_text=_("Bản chụp hoặc bản PDF, tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=300)
    valid_until = date_field(_("Hiệu lực đến"), required=False)
