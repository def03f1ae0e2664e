"""Nhắc hạn báo cáo: a notice some days before a report is due and one on the day, to the
officers who prepare it, for every expected report not yet submitted.

Idempotent (run daily by cron or ``report_reminders_task``): each notice carries a key
(schedule, period, kind, due date, user), so running twice sends nothing twice; an extension
moves the due date and so brings fresh reminders for the new date.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.core.formatting import format_date
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from . import expected, workflow
from .models import Schedule, ScheduleException
from .periods import Period, PeriodType, due_date


def _periods(kind: str, today: datetime.date) -> list[Period]:
    found = []
    for year in (today.year - 1, today.year):
        if kind == PeriodType.YEAR:
            found.append(Period(year, PeriodType.YEAR))
        else:
            found += Period(year, PeriodType.YEAR).parts(PeriodType(kind))
    return found


def send_report_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due today; returns how many notices were created."""
    today = today or timezone.localdate()
    sent = 0
    url = reverse("reporting:list")
    for schedule in Schedule.objects.filter(is_active=True).select_related("indicator_set"):
        for period in _periods(schedule.period_kind, today):
            default_due = due_date(
                period, day=schedule.due_day, months_after_end=schedule.due_months_after_end
            )
            if default_due + datetime.timedelta(days=90) < today:
                continue
            extended = {
                e.unit_id: e.due_until
                for e in ScheduleException.objects.filter(
                    schedule=schedule, period=period.code, due_until__isnull=False
                )
            }
            for due in expected.expected(period, reporters=(schedule.reporter,)):
                if due.schedule.pk != schedule.pk:
                    continue
                if due.report is not None and due.report.submitted_at is not None:
                    continue
                deadline = extended.get(due.unit.pk) or default_due
                before = deadline - datetime.timedelta(days=schedule.remind_days_before)
                if today == deadline:
                    kind = "dung-han"
                elif before <= today < deadline:
                    kind = "truoc-han"
                else:
                    continue
                users = expected.users_with_role(
                    workflow.PREPARER[workflow.Reporter(schedule.reporter)], due.unit
                )
                title = Msg(
                    gettext_noop("Hạn nộp %(report)s %(period)s: %(date)s"),
                    report=schedule.name,
                    period=period.code,
                    date=format_date(deadline),
                )
                sent += len(
                    notify(
                        users,
                        NotificationKind.REPORT,
                        title,
                        _("%(unit)s chưa gửi báo cáo.") % {"unit": due.reporter_label},
                        url,
                        unit=due.unit,
                        dedupe_key=f"bao-cao:{schedule.code}:{period.code}:{kind}:{deadline}",
                    )
                )
    return sent
