"""Home-page items about accounts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.core.inbox import InboxItem, InboxSection, register

from . import policy, selectors
from .models import Role


@register
def officers_without_mfa(user: Any) -> InboxSection | None:
    """For system administrators: officers in their scope who still lack two-factor login."""
    assignment = policy.active_assignment(user)
    if assignment is None or assignment.role != Role.SYSTEM_ADMIN:
        return None
    items = [
        InboxItem(
            title=str(u), url=reverse("accounts:staff_list") + f"?q={u.email}", detail=u.email
        )
        for u in selectors.user_without_mfa_in_scope(user)[:20]
    ]
    return InboxSection(
        title=_("Cán bộ chưa bật xác thực hai lớp"),
        items=items,
        empty_text=_("Mọi cán bộ trong phạm vi đã bật xác thực hai lớp."),
    )
