"""Home-page section: the user's unread notices."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.core.formatting import format_date
from khuyencong.core.inbox import InboxItem, InboxSection, register

from . import selectors

SHOWN = 10


@register
def unread_notices(user: Any) -> InboxSection | None:
    if policy.active_assignment(user) is None:
        return None
    notices = list(selectors.notices_for(user, unread_only=True)[: SHOWN + 1])
    items = [
        InboxItem(
            title=n.shown_title,
            url=n.url or reverse("notifications:list"),
            detail=format_date(n.created_at),
        )
        for n in notices[:SHOWN]
    ]
    if len(notices) > SHOWN:
        items.append(
            InboxItem(
                title=_("Xem tất cả thông báo chưa đọc"),
                url=reverse("notifications:list") + "?chua_doc=1",
            )
        )
    return InboxSection(
        title=_("Thông báo chưa đọc"),
        items=items,
        empty_text=_("Bạn không có thông báo mới."),
    )
