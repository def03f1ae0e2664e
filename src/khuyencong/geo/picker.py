"""Chọn đơn vị hành chính: ONE searchable unit picker for every unit field and filter.

A text box the user types a few letters of a name into (accents optional: "chieng son"); htmx
asks :func:`khuyencong.geo.views.unit_suggest` for the matching units in the user's scope and
shows them under the box; choosing one writes its label, "Xã Chiềng Sơn — Sơn La (03985)", into
the box (``static/js/app.js``, no inline script). What comes back — that label, a bare code, or a
name typed without choosing — is read by :func:`resolve`, so the picker also works without
JavaScript, and a name that matches no unit, or several, is answered with a sentence instead
of an empty result. Forms use :class:`UnitField`; list filters :func:`filter_unit`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import policy
from khuyencong.core.text import fold, sorted_by_name

from .models import AdministrativeUnit, UnitLevel

#: How many suggestions the box shows, and how many units an ambiguity message names.
SUGGESTIONS = 12
NAMED = 5
_CODE_AT_END = re.compile(r"\(\s*([A-Za-z0-9]+)\s*\)\s*$")


def label(unit: AdministrativeUnit) -> str:
    """What the box shows for a unit: its name, its province (for a commune) and its code."""
    parent = unit.parent if unit.level == UnitLevel.COMMUNE else None
    where = f" — {parent.name}" if parent is not None else ""
    return f"{unit.name}{where} ({unit.code})"


def suggestions(user: Any, text: str, *, level: int | None = None) -> list[AdministrativeUnit]:
    """The current units in the user's scope whose name (accents ignored) or code matches."""
    needle = fold(_CODE_AT_END.sub("", text))
    if not needle:
        return []
    units = _scoped(policy.visible_units(user).current(), level)
    return list(
        units.filter(name_folded__contains=needle).order_by("level", "name_folded", "code")[
            :SUGGESTIONS
        ]
        if not needle.isdigit()
        else units.filter(code__startswith=needle).order_by("code")[:SUGGESTIONS]
    )


def _scoped(units: QuerySet[AdministrativeUnit], level: int | None) -> QuerySet[AdministrativeUnit]:
    units = units.select_related("parent")
    return units.filter(level=level) if level is not None else units


class UnitNotFound(ValidationError):
    """The text names no unit in the list, or several: the message says which and what to do."""


def resolve(units: QuerySet[AdministrativeUnit], text: str) -> AdministrativeUnit:
    """The one unit of ``units`` that ``text`` means: a label "… (code)", a code, or a name
    (accents and case ignored; a whole name first, then part of one)."""
    text = " ".join(text.split())
    code = match.group(1) if (match := _CODE_AT_END.search(text)) else text
    units = units.select_related("parent")
    if found := units.filter(code=code).first():
        return found
    needle = fold(_CODE_AT_END.sub("", text))
    candidates: list[AdministrativeUnit] = []
    if needle:
        candidates = list(units.filter(name_folded=needle)[: NAMED + 1]) or list(
            units.filter(name_folded__contains=needle).order_by("name_folded")[: NAMED + 1]
        )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UnitNotFound(
            _(
                "Không tìm thấy đơn vị “%(text)s” trong phạm vi của bạn. Gõ vài chữ của tên "
                "(không dấu cũng được) rồi chọn trong danh sách gợi ý, hoặc ghi mã đơn vị."
            )
            % {"text": text}
        )
    named = "; ".join(label(u) for u in candidates[:NAMED])
    more = _(" và các đơn vị khác") if len(candidates) > NAMED else ""
    raise UnitNotFound(
        _(
            "“%(text)s” khớp với nhiều đơn vị: %(units)s%(more)s. "
            "Hãy chọn một trong danh sách gợi ý."
        )
        % {"text": text, "units": named, "more": more}
    )


class UnitPicker(forms.TextInput):
    """The box and its suggestion list (``templates/geo/widgets/unit_picker.html``)."""

    template_name = "geo/widgets/unit_picker.html"

    def __init__(self, *, level: int | None = None, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "autocomplete": "off",
                "placeholder": gettext_lazy("Gõ tên hoặc mã, ví dụ: chieng son"),
                **(attrs or {}),
            }
        )
        self.level = level

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["level"] = "" if self.level is None else self.level
        return context


class UnitField(forms.ModelChoiceField[AdministrativeUnit]):
    """A unit chosen with the picker, from ``queryset`` (set it to what the user may choose)."""

    def __init__(self, *, level: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", UnitPicker(level=level))
        kwargs.setdefault("queryset", AdministrativeUnit.objects.none())
        super().__init__(**kwargs)

    def _units(self) -> QuerySet[AdministrativeUnit]:
        return self.queryset if self.queryset is not None else AdministrativeUnit.objects.none()

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, AdministrativeUnit):
            return label(value)
        if isinstance(value, int):  # a model form's initial value is the key
            unit = self._units().select_related("parent").filter(pk=value).first()
            return label(unit) if unit is not None else ""
        return value  # what the user typed, shown back as typed

    def to_python(self, value: Any) -> AdministrativeUnit | None:
        if value in self.empty_values:
            return None
        if isinstance(value, AdministrativeUnit):
            return value
        try:
            return resolve(self._units(), str(value))
        except UnitNotFound as exc:
            raise ValidationError(exc.messages[0], code="invalid_choice") from None


@dataclass(frozen=True)
class UnitFilter:
    """A list filter's unit: what was typed, the unit it means (if one), why not (if not)."""

    text: str = ""
    unit: AdministrativeUnit | None = None
    error: str = ""

    @property
    def code(self) -> str:
        """The code to filter by: the unit's; for text that means no unit, the text itself
        (which matches nothing, so the list is empty and the error says why)."""
        return self.unit.code if self.unit is not None else self.text

    @property
    def shown(self) -> str:
        return label(self.unit) if self.unit is not None else self.text


def filter_unit(user: Any, text: str, *, level: int | None = None) -> UnitFilter:
    """Read a list filter's unit box (``?xa=…``) against the user's scope."""
    text = " ".join((text or "").split())
    if not text:
        return UnitFilter()
    try:
        unit = resolve(_scoped(policy.visible_units(user).current(), level), text)
    except UnitNotFound as exc:
        return UnitFilter(text=text, error=exc.messages[0])
    return UnitFilter(text=text, unit=unit)


def own_province(user: Any) -> AdministrativeUnit | None:
    """The province the user works in (a commune officer's too): preselected where it is the
    only sensible choice; ``None`` at the national level."""
    unit = policy.scope_unit(user)
    return unit.province if unit is not None else None


#: Kinds of unit a name may start with; a list is read by the rest ("Thành phố Hà Nội" under H).
_KINDS = ("thành phố ", "tỉnh ", "đặc khu ", "phường ", "thị trấn ", "xã ")


def sort_name(unit: AdministrativeUnit) -> str:
    """The name a list of units is ordered by: without its kind ("Thành phố", "Xã", …)."""
    lowered = unit.name.lower()
    kind = next((k for k in _KINDS if lowered.startswith(k)), "")
    return unit.name[len(kind) :]


class _InVietnameseOrder(ModelChoiceIterator):
    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in sorted_by_name(self.queryset, name=sort_name):
            yield self.choice(unit)


class UnitChoiceField(forms.ModelChoiceField[AdministrativeUnit]):
    """A short list of units (the 34 provinces) as a drop-down in Vietnamese alphabetical
    order (Đà Nẵng after Cần Thơ, not after Yên Bái)."""

    iterator = _InVietnameseOrder
