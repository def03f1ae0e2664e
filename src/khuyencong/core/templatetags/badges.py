"""Status badges: ``{% badge "planning" r.status r.get_status_display %}``.

One call per list row, where an ``{% include "…/_status.html" with … %}`` was: an include
costs a template context, a render and an ``{% if %}``/``{% elif %}`` chain of up to ten
comparisons per row (~50 µs, issue 11 item 7); this is a dictionary lookup and one
``format_html``. The colours are each domain's, as its ``_status.html`` chose them.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_SECONDARY, _PRIMARY, _INFO = "text-bg-secondary", "text-bg-primary", "text-bg-info"
_SUCCESS, _WARNING, _DANGER = "text-bg-success", "text-bg-warning", "text-bg-danger"

#: Per domain: status value → Bootstrap class, and the class of any other value.
STYLES: dict[str, tuple[dict[str, str], str]] = {
    "planning": (  # registrations and annual plans
        {
            "nhap": _SECONDARY,
            "da-gui": _PRIMARY,
            "tra-lai": _WARNING,
            "chap-nhan": _SUCCESS,
            "tu-choi": _DANGER,
            "du-thao": _SECONDARY,
            "da-trinh": _PRIMARY,
            "da-tham-dinh": _INFO,
            "da-phe-duyet": _SUCCESS,
        },
        "text-bg-light border",
    ),
    "projects": (
        {
            "nhap": _SECONDARY,
            "da-trinh": _PRIMARY,
            "tham-dinh-tinh": _PRIMARY,
            "tham-dinh-tw": _PRIMARY,
            "tra-lai": _WARNING,
            "phe-duyet": _INFO,
            "hop-dong": _INFO,
            "trien-khai": _INFO,
            "nghiem-thu": _SUCCESS,
            "quyet-toan": _SUCCESS,
            "dong": _SUCCESS,
            "khong-duyet": _DANGER,
            "huy": _DANGER,
        },
        "text-bg-light border",
    ),
    "reporting": (
        {"da-chap-nhan": _SUCCESS, "da-duyet": _PRIMARY, "da-gui": _INFO, "tra-lai": _WARNING},
        _SECONDARY,
    ),
}


@register.simple_tag
def badge(domain: str, status: Any, label: Any) -> SafeString:
    styles, other = STYLES[domain]
    return format_html('<span class="badge {}">{}</span>', styles.get(status, other), label)
