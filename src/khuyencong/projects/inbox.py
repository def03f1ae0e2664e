"""Home-page section "Đề án chờ bạn xử lý": projects whose state awaits the user's role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.core.inbox import InboxItem, InboxSection, register

from . import rules, selectors

SHOWN = 15


@register
def project_work(user: Any) -> InboxSection | None:
    waiting = selectors.waiting_for(user)
    if waiting is None:
        return None
    shown = list(waiting[: SHOWN + 1])
    count = waiting.count() if len(shown) > SHOWN else len(shown)  # counted only when more
    items = [
        InboxItem(
            title=p.title,
            url=reverse("projects:project_detail", args=[p.pk]),
            detail=f"{p.get_status_display()} · {rules.fund_label(p.fund)} "
            f"{p.plan_year} · {p.unit.name}",
        )
        for p in shown[:SHOWN]
    ]
    if count > SHOWN:
        items.append(
            InboxItem(
                title=_("Xem danh sách đề án (%(n)s đề án chờ bạn)") % {"n": count},
                url=reverse("projects:project_list"),
            )
        )
    return InboxSection(
        title=_("Đề án chờ bạn xử lý"),
        items=items,
        empty_text=_("Không có đề án nào chờ bạn."),
    )
