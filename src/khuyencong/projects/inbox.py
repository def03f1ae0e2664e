"""Home-page section "Đề án chờ bạn xử lý": projects whose state awaits the user's role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_number
from khuyencong.core.inbox import InboxItem, InboxSection, register

from . import rules, selectors

SHOWN = 15
#: Counted exactly up to this many, then "hơn 100" (as a long list says "hơn 5.000"): the
#: count reads that many index entries at most (issue 11).
COUNTED = 100


@register
def project_work(user: Any) -> InboxSection | None:
    # One query at every size (issue 11): the rows shown carry the capped total.
    waiting = selectors.first_waiting(user, SHOWN, limit=COUNTED)
    if waiting is None:
        return None
    items = [
        InboxItem(
            title=p.title,
            url=reverse("projects:project_detail", args=[p.pk]),
            detail=f"{p.get_status_display()} · {rules.fund_label(p.fund)} "
            f"{p.plan_year} · {p.unit.name}",
        )
        for p in waiting.projects
    ]
    if waiting.more:
        items.append(
            InboxItem(
                title=_("Xem danh sách đề án (hơn %(n)s đề án chờ bạn)")
                % {"n": format_number(waiting.count)},
                url=reverse("projects:project_list"),
            )
        )
    elif waiting.count > SHOWN:
        items.append(
            InboxItem(
                title=_("Xem danh sách đề án (%(n)s đề án chờ bạn)") % {"n": waiting.count},
                url=reverse("projects:project_list"),
            )
        )
    return InboxSection(
        title=_("Đề án chờ bạn xử lý"),
        items=items,
        empty_text=_("Không có đề án nào chờ bạn."),
    )
