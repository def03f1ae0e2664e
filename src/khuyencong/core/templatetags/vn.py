"""Template filters for Vietnamese numbers, money and dates (loaded as a builtin)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from khuyencong.core import formatting

register = template.Library()


@register.filter
def dem(total: Any) -> str:
    """A list's :class:`~khuyencong.core.counting.ListCount`: ``1.234``, ``khoảng 290.000`` or
    ``hơn 5.000``."""
    number = formatting.format_number(total.value)
    if total.exact:
        return number
    if total.estimated:
        return _("khoảng %(n)s") % {"n": number}
    return _("hơn %(n)s") % {"n": number}


@register.filter
def so(value: int | Decimal | None) -> str:
    """``{{ 25965|so }}`` → ``25.965``."""
    return formatting.format_number(value)


@register.filter
def tien(value: int | None) -> str:
    """``{{ amount|tien }}`` → ``36.383.300.000 đ``."""
    return formatting.format_money(value)


@register.filter
def trieu(value: int | None, unit: Any = True) -> str:
    """``{{ amount|trieu }}`` → ``25.965 triệu đồng``; ``{{ amount|trieu:"" }}`` → ``25.965``."""
    if not unit:
        return formatting.format_million(value, unit=False)
    return formatting.format_million_for_reader(value)


@register.filter
def ngay(value: datetime.date | datetime.datetime | None) -> str:
    """``{{ d|ngay }}`` → ``11/5/2026``."""
    return formatting.format_date(value)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ styles|get_item:finding.severity }}``."""
    return mapping.get(key, "")


#: Query parameters that page a list rather than narrow it.
PAGING = frozenset({"trang"})


@register.filter
def filtered(query: Any) -> bool:
    """Whether a list's query string (``request.GET``) narrows it: an empty list then says
    "nothing matches the filter", else that there is nothing yet."""
    return any(
        value.strip() for name, values in query.lists() if name not in PAGING for value in values
    )


@register.filter
def phap_ly(name: Any) -> str:
    """Tên theo văn bản pháp lý: a name fixed by a legal document (a content group of
    2646/QĐ-BCT, a support norm's content) is never translated; in another language than
    Vietnamese it is marked as Vietnamese and says, on hover, why it is not translated."""
    if name in (None, ""):
        return ""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return conditional_escape(name)
    return format_html(
        '<span lang="vi" class="legal-name" title="{}">{}</span>',
        _("Tên theo văn bản pháp lý, giữ nguyên tiếng Việt"),
        name,
    )
