from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

#: Inside a <script> data block only "<" could end it early: escape the three HTML specials
#: as JSON escapes (what Django's json_script does).
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data: Any) -> SafeString:
    """A dict as the body of a ``<script type="application/ld+json">`` data block."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(text.translate(_ESCAPES))


@register.simple_tag
def srcset(photo: Any) -> str:
    return f"{photo.thumb_url} {photo.thumb_width}w, {photo.url} {photo.width}w"


@register.simple_tag(takes_context=True)
def in_language(context: Any, code: str) -> str:
    """This page's address in another language (``/en/…``): the public pages take their
    language from the address, never from a cookie, so a shared cache may keep them."""
    return translate_url(context["request"].get_full_path(), code)
