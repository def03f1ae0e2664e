"""Home-page sections about registrations and plans (việc cần xử lý)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.core.formatting import format_date
from khuyencong.core.inbox import InboxItem, InboxSection, register
from khuyencong.geo.models import UnitLevel

from . import selectors, services
from .models import PlanStatus, RegistrationStatus

SHOWN = 15


@register
def registration_work(user: Any) -> InboxSection | None:
    """Communes and establishments: open rounds, and registrations to send or complete."""
    assignment = policy.active_assignment(user)
    if assignment is None or assignment.role not in (Role.COMMUNE_OFFICER, Role.ESTABLISHMENT):
        return None
    items: list[InboxItem] = []
    unit = assignment.unit
    if unit.level == UnitLevel.COMMUNE:
        for open_round in selectors.rounds_open_for_unit(user, unit, services.today()):
            items.append(
                InboxItem(
                    title=_("Đợt đăng ký đang mở: %(r)s") % {"r": open_round.round.title},
                    url=reverse("planning:registration_create") + f"?dot={open_round.round.pk}",
                    detail=_("hạn %(d)s, còn %(n)s ngày")
                    % {"d": format_date(open_round.deadline), "n": open_round.days_left},
                )
            )
    # The four fields shown, not registrations with their round, commune, group and author
    # joined and built as models: a commune has dozens at national scale (issue 11).
    needing = selectors.registrations_needing_author(user).values_list(
        "pk", "status", "establishment__name", "activity"
    )
    for pk, status, establishment, activity in needing[:SHOWN]:
        what = _("cần bổ sung") if status == RegistrationStatus.RETURNED else _("chưa gửi")
        items.append(
            InboxItem(
                title=_("Phiếu số %(n)s (%(e)s) %(what)s")
                % {"n": pk, "e": establishment, "what": what},
                url=reverse("planning:registration_detail", args=[pk]),
                detail=activity,
            )
        )
    return InboxSection(
        title=_("Đăng ký nhu cầu hỗ trợ khuyến công"),
        items=items,
        empty_text=_("Không có đợt đăng ký nào đang mở và không có phiếu nào chờ bạn."),
    )


@register
def review_work(user: Any) -> InboxSection | None:
    """Provincial reviewers: submitted registrations waiting for a decision."""
    if not policy.can(user, policy.Action.REVIEW_REGISTRATION):
        return None
    waiting = selectors.waiting_registrations(user).order_by("submitted_at", "pk")
    count = waiting.count()
    items = [
        InboxItem(
            title=_("Phiếu số %(n)s: %(a)s") % {"n": r.pk, "a": r.activity},
            url=reverse("planning:registration_detail", args=[r.pk]),
            detail=f"{r.establishment.name} · {r.commune.name}",
        )
        for r in waiting[:SHOWN]
    ]
    if count > SHOWN:
        items.append(
            InboxItem(
                title=_("Xem tất cả %(n)s phiếu chờ xem xét") % {"n": count},
                url=reverse("planning:registration_list")
                + f"?trang_thai={RegistrationStatus.SUBMITTED}",
            )
        )
    return InboxSection(
        title=_("Phiếu đăng ký chờ xem xét"),
        items=items,
        empty_text=_("Không có phiếu nào chờ xem xét."),
    )


_PLAN_WORK = {
    Role.PROVINCE_CENTRE: [PlanStatus.DRAFT],
    Role.PROVINCE_SCT: [PlanStatus.SUBMITTED, PlanStatus.APPRAISED],
    Role.PROVINCE_FINANCE: [PlanStatus.SUBMITTED],
}


@register
def plan_work(user: Any) -> InboxSection | None:
    """Provincial officers: annual plans at the step that is theirs."""
    assignment = policy.active_assignment(user)
    if assignment is None or assignment.role not in _PLAN_WORK:
        return None
    plans = selectors.plans(user).filter(status__in=_PLAN_WORK[Role(assignment.role)])
    items = [
        InboxItem(
            title=str(p),
            url=reverse("planning:plan_detail", args=[p.pk]),
            detail=_("%(s)s · %(n)s đề án")
            % {"s": p.get_status_display(), "n": getattr(p, "item_count", 0)},
        )
        for p in plans[:SHOWN]
    ]
    return InboxSection(
        title=_("Kế hoạch khuyến công năm"),
        items=items,
        empty_text=_("Không có kế hoạch nào chờ bạn."),
    )
