"""``{% unit_picker "xa" commune level=3 %}``: the unit picker in a hand-written filter form.

``value`` is a :class:`~khuyencong.geo.picker.UnitFilter` (its text, and its error under the
box) or plain text."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from khuyencong.geo.picker import UnitFilter, UnitPicker

register = template.Library()


@register.simple_tag
def unit_picker(name: str, value: Any = "", level: int | None = None, **attrs: Any) -> SafeString:
    found = value if isinstance(value, UnitFilter) else UnitFilter(text=str(value or ""))
    attrs = {"id": name, "class": "form-control", **attrs}
    if found.error:
        attrs["class"] += " is-invalid"
        attrs["aria-describedby"] = f"{attrs['id']}-loi"
    box = UnitPicker(level=level).render(name, found.shown, attrs=attrs)
    if not found.error:
        return box
    return format_html(
        '{}<div class="invalid-feedback d-block" id="{}-loi">{}</div>',
        box,
        attrs["id"],
        found.error,
    )
