"""``{% history_link obj %}``: the "Lịch sử" button of an object's page, shown only to those
whose history page would open (``audit.selectors.may_see_history``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.audit.selectors import may_see_history

register = template.Library()


@register.inclusion_tag("audit/_history_link.html", takes_context=True)
def history_link(context: template.Context, obj: Any, label: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not may_see_history(user, obj):
        return {"url": ""}
    meta = obj._meta
    return {
        "url": reverse("audit:object_history", args=[meta.label, obj.pk]),
        "label": label or _("Lịch sử"),
    }
