"""Reminders before the due date and on the day, once each, only to units that have not
submitted; an extension moves them."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.notifications.models import Notification
from khuyencong.reporting import services
from khuyencong.reporting.reminders import send_report_reminders

from .conftest import CHIENG_SON, TO_HIEU, open_for, schedule, step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]
D = datetime.date


def notices(user):
    return list(
        Notification.objects.filter(recipient=user, kind="bao-cao").values_list(
            "dedupe_key", flat=True
        )
    )


def test_before_the_due_date_and_on_the_day_once_each(officers, unit):
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    assert send_report_reminders(D(2026, 6, 9)) == 0  # due 15/6, reminders from 10/6
    send_report_reminders(D(2026, 6, 10))
    send_report_reminders(D(2026, 6, 11))  # the same reminder is not sent twice
    assert notices(officers["commune"]) == ["bao-cao:xa-6-thang:2026-H1:truoc-han:2026-06-15"]
    assert len(notices(officers["other_commune"])) == 1  # no report opened yet: reminded too
    step(officers["commune"], report, "gui")
    send_report_reminders(D(2026, 6, 15))
    assert len(notices(officers["commune"])) == 1  # submitted: nothing on the day
    assert "bao-cao:xa-6-thang:2026-H1:dung-han:2026-06-15" in notices(officers["other_commune"])
    assert notices(officers["sct"]) == []  # the SCT's own report is due on 10/7


def test_an_extension_moves_the_reminders(officers, unit):
    services.grant_exception(
        actor=officers["sct"],
        schedule=schedule("xa-6-thang"),
        unit=unit(TO_HIEU),
        period=open_for(officers["other_commune"], "xa-6-thang", unit(TO_HIEU)).period_obj,
        reason="Lũ quét.",
        due_until=D(2026, 6, 30),
    )
    send_report_reminders(D(2026, 6, 15))
    assert not any("dung-han:2026-06-15" in key for key in notices(officers["other_commune"]))
    send_report_reminders(D(2026, 6, 30))
    assert "bao-cao:xa-6-thang:2026-H1:dung-han:2026-06-30" in notices(officers["other_commune"])
