from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import BootstrapFormMixin
from khuyencong.geo.models import UnitLevel
from khuyencong.geo.picker import UnitField

from . import selectors
from .identifiers import IdentifierError, normalise_identifier
from .importing import BACKGROUND_THRESHOLD, MAX_UPLOAD_BYTES
from .models import Artisan, Establishment
from .services import ARTISAN_FIELDS, EDITABLE_FIELDS


class CommuneChoiceField(UnitField):
    """Xã/phường of the establishment, chosen with the unit picker (not a 3,321-entry list)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("empty_label", None)
        kwargs.pop("limit_choices_to", None)
        kwargs.pop("to_field_name", None)
        kwargs.pop("blank", None)
        super().__init__(level=UnitLevel.COMMUNE, **kwargs)


class EstablishmentForm(BootstrapFormMixin, forms.ModelForm):
    """Thông tin cơ sở. The commune list holds only communes within the user's scope."""

    class Meta:
        model = Establishment
        fields = list(EDITABLE_FIELDS)
        field_classes = {"commune": CommuneChoiceField}
        widgets = {
            "founded_year": forms.NumberInput(attrs={"min": 1800, "max": 2100}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "tax_code": _(
                "10 chữ số; chi nhánh 10 chữ số-3 chữ số; 12 chữ số định danh cá nhân của chủ hộ "
                "kinh doanh; hoặc số đăng ký hộ kinh doanh (ví dụ 14A8000123)."
            ),
            "main_products": _("Các sản phẩm chính, cách nhau bởi dấu phẩy."),
            "craft_village": _("Tên làng nghề được công nhận mà cơ sở thuộc về, nếu có."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = selectors.communes_for_change(user)

    def clean_tax_code(self) -> str:
        value: str = self.cleaned_data.get("tax_code", "")
        try:
            return normalise_identifier(value)
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name, commune = cleaned.get("name"), cleaned.get("commune")
        if name and commune is not None and "tax_code" not in self.errors:
            found = selectors.duplicate_errors(
                self.user,
                name=name,
                commune=commune,
                tax_code=cleaned.get("tax_code", ""),
                exclude_pk=self.instance.pk,
            )
            for field, message in found.items():
                self.add_error(field, message)
        return cleaned

    def validate_unique(self) -> None:
        """Duplicates are checked in ``clean`` (and by the service), with useful messages."""


class EstablishmentEditForm(EstablishmentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ArtisanForm(BootstrapFormMixin, forms.ModelForm):
    """Thông tin nghệ nhân. The establishment, when any, is named by its id (from the
    establishment's page, or an API body) among those the user may edit, never listed."""

    class Meta:
        model = Artisan
        fields = list(ARTISAN_FIELDS)
        field_classes = {"commune": CommuneChoiceField}
        widgets = {
            "year_awarded": forms.NumberInput(attrs={"min": 1950, "max": 2100}),
            "establishment": forms.HiddenInput,
        }
        error_messages = {
            "establishment": {
                "invalid_choice": _(
                    "Không có cơ sở này trong phạm vi bạn được sửa: hãy mở trang của cơ sở rồi "
                    "bấm “Thêm nghệ nhân”."
                )
            }
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        establishment = self.fields["establishment"]
        assert isinstance(commune, forms.ModelChoiceField)
        assert isinstance(establishment, forms.ModelChoiceField)
        commune.queryset = selectors.communes_for_change(user)
        establishment.queryset = selectors.establishments_for_change(user)


class ArtisanEditForm(ArtisanForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách cơ sở (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Tối đa %(mb)s MB. Tệp trên %(rows)s dòng được nhập ở chế độ nền, có trang theo dõi "
            "tiến độ."
        ) % {
            "mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            "rows": f"{BACKGROUND_THRESHOLD:,}".replace(",", "."),
        }
