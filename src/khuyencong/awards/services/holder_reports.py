"""Báo cáo hằng năm của cơ sở có sản phẩm được chứng nhận: the holder of a certificate valid in
a year reports on that year (production, revenue, employees, support received) by the due date
of its level's rule (``LevelRule.report_due_month``/``report_due_day`` of the next year, as
data). The expected reports are opened, and their holders reminded through the notifications,
by ``send_holder_report_reminders`` (daily: cron or the task); the organising unit sees which
are late or missing (``selectors.holder_reports``)."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core import bounds
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from ..models import Certificate, HolderReport, LevelRule
from ..models.common import REPORT_REMINDER_DAYS, REPORT_REMINDER_DAYS_MAX
from .common import SelectionError, SelectionInvalid, representatives_of, require, today


def due_date(rule: LevelRule, year: int) -> datetime.date:
    """The due date of the report on ``year``: the rule's day and month of the next year
    (a 31 in a shorter month is the month's last day)."""
    last = calendar.monthrange(year + 1, rule.report_due_month)[1]
    return datetime.date(year + 1, rule.report_due_month, min(rule.report_due_day, last))


def open_reports(year: int) -> int:
    """Create the report expected of every certificate valid at some time in ``year`` (once
    each); returns how many were created."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    certificates = (
        Certificate.objects.filter(issued_on__lte=last, valid_until__gte=first)
        .exclude(revoked_on__lte=first)
        .exclude(reports__year=year)
        .select_related("round")
    )
    rules: dict[tuple[str, datetime.date], LevelRule | None] = {}
    created = []
    for certificate in certificates:
        key = (certificate.level, certificate.issued_on)
        if key not in rules:
            rules[key] = LevelRule.objects.in_force(certificate.level, certificate.issued_on)
        rule = rules[key]
        if rule is None:
            continue
        created.append(
            HolderReport(
                certificate=certificate,
                establishment_id=certificate.establishment_id,
                commune_id=certificate.commune_id,
                province_id=certificate.province_id,  # bulk_create skips InProvince.save
                year=year,
                due_on=due_date(rule, year),
            )
        )
    HolderReport.objects.bulk_create(created, ignore_conflicts=True)
    return len(created)


def send_holder_report_reminders(on: datetime.date | None = None) -> int:
    """Open last year's reports and remind the holders of those not yet submitted: from the
    level rule's ``report_reminder_days`` before the due date (14 unless the administrator
    set another), and every week once late (one notice per report, kind and due date or week:
    running twice sends nothing twice)."""
    on = on or timezone.localdate()
    open_reports(on.year - 1)
    sent = 0
    pending = HolderReport.objects.filter(
        submitted_at__isnull=True,
        due_on__lte=on + datetime.timedelta(days=REPORT_REMINDER_DAYS_MAX),
        due_on__gte=on - datetime.timedelta(days=366),
    ).select_related("certificate__product")
    leads: dict[tuple[str, datetime.date], int] = {}
    for report in pending:
        lead = _reminder_days(report.certificate, leads)
        if on < report.due_on - datetime.timedelta(days=lead):
            continue
        if on <= report.due_on:
            title = gettext_noop("Hạn nộp báo cáo năm %(y)s về sản phẩm “%(p)s”: %(d)s")
            key = f"bao-cao-sp:{report.pk}:truoc-han:{report.due_on}"
        else:
            title = gettext_noop("Quá hạn báo cáo năm %(y)s về sản phẩm “%(p)s” (hạn %(d)s)")
            key = f"bao-cao-sp:{report.pk}:qua-han:{(on - report.due_on).days // 7}"
        sent += len(
            notify(
                representatives_of(report.establishment_id),
                NotificationKind.SELECTION,
                Msg(
                    title,
                    y=report.year,
                    p=str(report.certificate.product),
                    d=format_date(report.due_on),
                ),
                Msg(
                    gettext_noop(
                        "Cơ sở có sản phẩm được chứng nhận báo cáo sản lượng, doanh thu, lao động "
                        "và hỗ trợ đã nhận trong năm."
                    )
                ),
                reverse("awards:holder_report_detail", args=[report.pk]),
                unit=report.commune,
                dedupe_key=key,
            )
        )
    return sent


def _reminder_days(certificate: Certificate, known: dict[tuple[str, datetime.date], int]) -> int:
    """The lead time of the rule that set the certificate's report due date (read once per
    level and issue date)."""
    key = (certificate.level, certificate.issued_on)
    if key not in known:
        rule = LevelRule.objects.in_force(certificate.level, certificate.issued_on)
        known[key] = rule.report_reminder_days if rule is not None else REPORT_REMINDER_DAYS
    return known[key]


@retry_when_locked
@transaction.atomic
def submit_report(
    *,
    actor: Any,
    report: HolderReport,
    expected_version: int,
    production: str,
    revenue: int | None,
    employees: int | None,
    support_received: str = "",
) -> HolderReport:
    """Nộp báo cáo hằng năm (the holder, or its commune on its behalf); a report already
    submitted may be corrected (history keeps the earlier figures)."""
    require(actor, policy.Action.REPORT_AS_HOLDER, report)
    locked = lock_current_version(report, expected_version)
    if datetime.date(locked.year + 1, 1, 1) > today():
        raise SelectionError(
            _("Báo cáo năm %(y)s nộp từ ngày 01/01/%(n)s.")
            % {"y": locked.year, "n": locked.year + 1}
        )
    problems: dict[str, list[str]] = {}
    production = " ".join(production.split())
    if not production:
        problems["production"] = [_("Cần ghi sản lượng trong năm, ví dụ 12 tấn chè khô.")]
    if revenue is None:
        problems["revenue"] = [_("Cần ghi doanh thu trong năm (đồng; ghi 0 nếu không bán).")]
    else:
        try:
            bounds.MONEY.check(revenue, str(_("Doanh thu")))
        except bounds.OutOfBounds as exc:
            problems["revenue"] = [str(exc)]
    if employees is None or employees < 0:
        problems["employees"] = [_("Cần ghi số lao động (0 trở lên).")]
    if problems:
        raise SelectionInvalid(problems)
    first = locked.submitted_at is None
    locked.production = production
    locked.revenue = revenue
    locked.employees = employees
    locked.support_received = support_received.strip()
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    locked.version += 1
    locked.save()
    record_event(
        EventType.HOLDER_REPORT,
        actor=actor,
        obj=locked,
        data={
            "action": "nop" if first else "sua",
            "year": locked.year,
            "late": today() > locked.due_on,
        },
    )
    return locked
