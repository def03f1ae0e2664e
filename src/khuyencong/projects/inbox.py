"""Home-page section "Đề án chờ bạn xử lý": projects whose state awaits the user's role."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Window
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
    # One query at every size (issue 11: counting only when more than SHOWN wait gave the
    # home page a query more at national size): the rows shown carry the total of the range.
    shown = list(waiting.annotate(waiting_total=Window(Count("pk")))[: SHOWN + 1])
    count = shown[0].waiting_total if shown else 0
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
