"""Nhắc hạn đăng ký: notices 7 days and 1 day before each unit's (effective) deadline.

Idempotent: each notice carries a key (round, level, kind, deadline), so a user gets each
reminder once, however often the job runs; an extension moves the deadline and so brings a
fresh pair of reminders for the new date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.core.formatting import format_date
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from . import deadlines
from .models import DeadlineExtension, RegistrationRound

KINDS = {"7-ngay": NotificationKind.DEADLINE_7_DAYS, "1-ngay": NotificationKind.DEADLINE_1_DAY}
COMMUNE_ROLES = [Role.COMMUNE_OFFICER, Role.ESTABLISHMENT]
PROVINCE_ROLES = [Role.PROVINCE_CENTRE, Role.PROVINCE_SCT]


def _live_rounds(today: datetime.date) -> list[RegistrationRound]:
    """Rounds with a deadline (own or extended) still ahead or today."""
    extended = DeadlineExtension.objects.filter(new_deadline__gte=today).values("round_id")
    return list(
        RegistrationRound.objects.filter(Q(province_deadline__gte=today) | Q(pk__in=extended))
        .select_related("unit")
        .prefetch_related(
            Prefetch("extensions", queryset=DeadlineExtension.objects.select_related("unit"))
        )
    )


def _recipients(
    round_: RegistrationRound, level: int, roles: list[Role]
) -> dict[AdministrativeUnit, list[Any]]:
    assignments = RoleAssignment.objects.filter(
        Q(unit__path__startswith=round_.unit.path + "/") | Q(unit=round_.unit),
        is_active=True,
        user__is_active=True,
        role__in=roles,
        unit__level=level,
    ).select_related("user", "unit")
    by_unit: dict[AdministrativeUnit, list[Any]] = defaultdict(list)
    for assignment in assignments:
        by_unit[assignment.unit].append(assignment.user)
    return by_unit


def _message(
    round_: RegistrationRound, unit: AdministrativeUnit, deadline: datetime.date, days: int
) -> tuple[Msg, Msg]:
    when = (
        Msg(gettext_noop("hôm nay là hạn cuối"))
        if days <= 0
        else Msg(gettext_noop("còn %(n)s ngày"), n=days)
    )
    title = Msg(
        gettext_noop("Nhắc hạn: %(round)s — %(when)s (%(date)s)"),
        round=round_.title,
        when=when,
        date=format_date(deadline),
    )
    if unit.level == UnitLevel.COMMUNE:
        body = gettext_noop(
            "Hạn gửi phiếu đăng ký nhu cầu hỗ trợ của %(unit)s là ngày %(date)s. Sau hạn này "
            "phiếu không gửi được nếu không được gia hạn."
        )
    else:
        body = gettext_noop("Hạn %(unit)s gửi tổng hợp đăng ký là ngày %(date)s.")
    return title, Msg(body, unit=unit.name, date=format_date(deadline))


def send_deadline_reminders(*, today: datetime.date) -> int:
    """Send the reminders due on ``today``; returns how many notices were created."""
    sent = 0
    for round_ in _live_rounds(today):
        extensions = list(round_.extensions.all())
        url = reverse("planning:round_detail", args=[round_.pk])
        for level, roles in (
            (UnitLevel.COMMUNE, COMMUNE_ROLES),
            (UnitLevel.PROVINCE, PROVINCE_ROLES),
        ):
            for unit, users in _recipients(round_, level, roles).items():
                deadline = deadlines.effective_deadline(round_, unit, extensions)
                due = deadlines.reminder_due(deadline, today)
                if due is None:
                    continue
                title, body = _message(round_, unit, deadline, (deadline - today).days)
                created = notify(
                    users,
                    KINDS[due],
                    title,
                    body,
                    url,
                    unit=unit,
                    dedupe_key=f"han:{round_.pk}:{level}:{due}:{deadline.isoformat()}",
                )
                sent += len(created)
    return sent
