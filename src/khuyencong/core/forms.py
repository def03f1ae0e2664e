"""Form helpers shared by the apps."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Model
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.programs import programme_data as pd

from . import bounds
from .text import nfc_data


class BootstrapFormMixin:
    """Give every visible widget its Bootstrap class, mark invalid fields after validation, and
    read every submitted text in NFC (``core.text.nfc``)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self, "is_bound", False):
            self.data = nfc_data(self.data)  # type: ignore[has-type]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                # RadioSelect covers CheckboxSelectMultiple: "form-control" made each box a
                # grey bar (issue 9).
                css = "form-check-input"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class LongSelect(forms.Select):
    """A drop-down of hundreds of options (danh sách chọn dài) written out in Python: Django
    renders every option through its own template (~0.5 ms each), which cost a judge's page
    with the 500 establishments of a national round 0.3 s."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        selected = mark_safe(" selected")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], selected if option["selected"] else "", option["label"])
                for _group, group, _index in widget["optgroups"]
                for option in group
            ),
        )
        attributes = flatatt({"name": name} | widget["attrs"])
        return format_html("<select{}>{}</select>", attributes, options)


class _PairIterator(forms.models.ModelChoiceIterator):
    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", getattr(self.field, "label_field", "name"))


class LongModelChoiceField(forms.ModelChoiceField):
    """A choice of one row among hundreds: the options are read as (pk, ``label_field``)
    pairs (no model instance per option) and written by :class:`LongSelect`."""

    widget = LongSelect
    iterator = _PairIterator

    def __init__(self, *args: Any, label_field: str = "name", **kwargs: Any) -> None:
        self.label_field = label_field
        super().__init__(*args, **kwargs)


# --------------------------------------------------------------------------------------------
# Numbers, money and dates typed the Vietnamese way, checked against core/bounds.py
# --------------------------------------------------------------------------------------------
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERROR = _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 10/6/2026.")
MONTH_RE = re.compile(r"^\s*(?:tháng\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})\s*$", re.IGNORECASE)
ISO_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _label(field: forms.Field) -> str:
    return str(field.label or _("Giá trị"))


class VnNumberField(forms.CharField):
    """A number typed the Vietnamese way (``1.500`` is fifteen hundred, ``62,5`` a half), as a
    Decimal within ``bound``; ``empty`` is what an empty box means (``None`` or 0)."""

    example = "1.500 hoặc 62,5"
    not_a_number = _("%(field)s: “%(value)s” không phải là số (ví dụ hợp lệ: %(example)s).")

    def __init__(
        self, *, bound: bounds.NumberBound = bounds.QUANTITY, empty: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.bound = bound
        self.empty = empty

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return pd.format_vn_number(Decimal(value).normalize())
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.to_python(initial) != self.to_python(data))
        except forms.ValidationError:
            return True

    def _number(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        text = (super().to_python(value) or "").replace(" ", "").rstrip("%").removesuffix("đ")
        if not text:
            return None
        try:
            bounds.check_text_length(text, _label(self))
            return pd.parse_vn_number(text)
        except bounds.OutOfBounds as exc:
            raise forms.ValidationError(str(exc)) from None
        except ValueError:
            raise forms.ValidationError(
                self.not_a_number,
                params={"field": _label(self), "value": text[:40], "example": self.example},
            ) from None

    def convert(self, number: Decimal) -> Any:
        return number

    def to_python(self, value: Any) -> Any:
        number = self._number(value)
        if number is None:
            return self.empty
        result = self.convert(number)
        try:
            return self.bound.check(result, _label(self))
        except bounds.OutOfBounds as exc:
            raise forms.ValidationError(str(exc)) from None


class DongField(VnNumberField):
    """Số tiền (đồng), typed "210.000.000" or "210000000"; an integer (0 when empty)."""

    example = "210.000.000"
    not_a_number = _(
        "%(field)s: “%(value)s” không phải là số tiền nguyên đồng (ví dụ hợp lệ: %(example)s)."
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("bound", bounds.MONEY)
        kwargs.setdefault("empty", 0)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "class": "text-end", "size": 14}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return pd.format_vn_number(value) if value else ""
        return value

    def convert(self, number: Decimal) -> int:
        if number != number.to_integral_value():
            raise forms.ValidationError(
                _("%(field)s: “%(value)s” không phải là số tiền nguyên đồng (ví dụ 210.000.000)."),
                params={"field": _label(self), "value": pd.format_vn_number(number)},
            )
        return int(number)


class MillionField(VnNumberField):
    """Số tiền nhập bằng triệu đồng (``62,5``), as integer đồng (``empty`` when empty)."""

    example = "1.500 hoặc 62,5 triệu đồng"
    not_a_number = _("%(field)s: “%(value)s” không phải là số tiền (ví dụ hợp lệ: %(example)s).")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("bound", bounds.MONEY)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end", "size": 12}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return pd.format_vn_number(Decimal(value) / pd.MILLION) if value else ""
        return value

    def _number(self, value: Any) -> Decimal | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value) / pd.MILLION  # an initial value, already in đồng
        return super()._number(value)

    def convert(self, number: Decimal) -> int:
        try:
            return pd.million_to_dong(number)
        except ValueError:
            raise forms.ValidationError(
                _("%(field)s phải là số nguyên đồng (tối đa 6 chữ số sau dấu phẩy)."),
                params={"field": _label(self)},
            ) from None


class VnDateField(forms.DateField):
    """Ngày typed day/month/year, within ``bound`` (core/bounds.py: 2000-2100, and not after
    today for what has already happened)."""

    def __init__(self, *, bound: bounds.DateBound = bounds.ANY_DATE, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "10/6/2026"})
        )
        kwargs.setdefault("error_messages", {"invalid": DATE_ERROR})
        super().__init__(**kwargs)
        self.bound = bound

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, datetime.date):
            try:
                self.bound.check(value, _label(self))
            except bounds.OutOfBounds as exc:
                raise forms.ValidationError(str(exc)) from None


def date_field(label: Any, *, bound: bounds.DateBound = bounds.ANY_DATE, **kwargs: Any) -> Any:
    return VnDateField(label=label, bound=bound, **kwargs)


class MonthField(forms.CharField):
    """Tháng/năm: ``3/2026``, ``03/2026`` or ``2026-03`` → the first day of that month."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "3/2026", "size": 8}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date):
            return f"{value.month}/{value.year}"
        return value

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value) or ""
        if not text.strip():
            return None
        if match := MONTH_RE.match(text):
            month, year = int(match.group(1)), int(match.group(2))
        elif iso := ISO_MONTH_RE.match(text):
            year, month = int(iso.group(1)), int(iso.group(2))
        else:
            raise forms.ValidationError(
                _("Nhập tháng theo dạng tháng/năm, ví dụ 3/2026."), code="invalid"
            )
        window = bounds.ANY_DATE
        if not 1 <= month <= 12 or not window.low.year <= year <= window.high.year:
            raise forms.ValidationError(_("Tháng %(text)s không có thật."), params={"text": text})
        return datetime.date(year, month, 1)


def legal_option(name: str) -> str:
    """A name fixed by a legal document (a content group of 2646/QĐ-BCT, a support norm's
    content) as the text of a drop-down's option or a check box: never translated, and in
    another language than Vietnamese followed by a marker saying so — ``phap_ly`` of the
    pages in plain text, since an ``<option>`` holds no markup (issue 9, defect 12)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return name
    return gettext("%(name)s (tên pháp lý, tiếng Việt)") % {"name": name}


class LegalNameChoiceField(forms.ModelChoiceField):
    """A choice of content groups or norm contents: the options say they are legal names."""

    def label_from_instance(self, obj: Model) -> str:
        return legal_option(str(obj))


class LegalNameMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        return legal_option(str(obj))
