"""The consent screen's form (màn hình đồng ý công khai): four choices and the version seen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.awards.forms import VersionedForm

from .services import ConsentChoices


class ConsentForm(VersionedForm):
    publish = forms.BooleanField(
        label=_("Công khai sản phẩm trên cổng thông tin"),
        help_text=_("Tên, mô tả, ảnh, mã GTIN và giấy chứng nhận của sản phẩm."),
        required=False,
    )
    publish_address = forms.BooleanField(label=_("Công khai địa chỉ cơ sở"), required=False)
    publish_phone = forms.BooleanField(label=_("Công khai điện thoại"), required=False)
    publish_email = forms.BooleanField(label=_("Công khai thư điện tử"), required=False)

    def __init__(self, *args: Any, held: dict[str, str], **kwargs: Any) -> None:
        """``held``: what the establishment's record holds for each contact field, shown
        beside its box so the holder sees what exactly would be published."""
        super().__init__(*args, **kwargs)
        for name, value in held.items():
            self.fields[name].help_text = value or _("(hồ sơ cơ sở chưa ghi)")

    def choices(self) -> ConsentChoices:
        names = ConsentChoices.__dataclass_fields__
        return ConsentChoices(**{name: bool(self.cleaned_data.get(name)) for name in names})
