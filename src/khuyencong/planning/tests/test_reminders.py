"""Deadline reminders at 7 days and 1 day, idempotent, through the command and the task."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from khuyencong.accounts.models import Role
from khuyencong.notifications.models import Notification, NotificationKind
from khuyencong.planning import rounds
from khuyencong.planning.reminders import send_deadline_reminders

from .conftest import CHIENG_SON, KH_COMMUNE, KHANH_HOA, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(make_user):
    return {
        "xa": make_user(Role.COMMUNE_OFFICER, CHIENG_SON),
        "xa2": make_user(Role.COMMUNE_OFFICER, TO_HIEU),
        "trungtam": make_user(Role.PROVINCE_CENTRE, SON_LA),
        "sct": make_user(Role.PROVINCE_SCT, SON_LA),
        "kh": make_user(Role.COMMUNE_OFFICER, KH_COMMUNE),
        "kh_sct": make_user(Role.PROVINCE_SCT, KHANH_HOA),
    }


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_seven_days_then_one_day_then_nothing(round_, people, django_capture_on_commit_callbacks):
    # Commune deadline 10/6, province deadline 19/6.
    assert send_deadline_reminders(today=D(2026, 6, 2)) == 0  # 8 days left
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_deadline_reminders(today=D(2026, 6, 3))  # 7 days left for communes
    assert sent == 2
    assert kinds(people["xa"]) == [NotificationKind.DEADLINE_7_DAYS]
    assert kinds(people["xa2"]) == [NotificationKind.DEADLINE_7_DAYS]
    assert kinds(people["kh"]) == []
    assert kinds(people["trungtam"]) == []
    assert {m.to[0] for m in mail.outbox} == {people["xa"].email, people["xa2"].email}
    assert "còn 7 ngày" in mail.outbox[0].subject
    assert "10/6/2026" in mail.outbox[0].subject
    # The same day again, and the days after within the window: nothing new.
    assert send_deadline_reminders(today=D(2026, 6, 3)) == 0
    assert send_deadline_reminders(today=D(2026, 6, 5)) == 0
    assert send_deadline_reminders(today=D(2026, 6, 9)) == 2  # 1 day left
    assert send_deadline_reminders(today=D(2026, 6, 9)) == 0
    assert send_deadline_reminders(today=D(2026, 6, 10)) == 0
    assert kinds(people["xa"]) == [
        NotificationKind.DEADLINE_1_DAY,
        NotificationKind.DEADLINE_7_DAYS,
    ]
    # The province's own deadline (19/6) reminds the centre and the SCT, not Khánh Hòa.
    assert send_deadline_reminders(today=D(2026, 6, 12)) == 2
    assert kinds(people["trungtam"]) == [NotificationKind.DEADLINE_7_DAYS]
    assert kinds(people["kh_sct"]) == []


def test_a_missed_day_is_caught_up(round_, people):
    assert send_deadline_reminders(today=D(2026, 6, 6)) == 2  # the job did not run on 3/6


def test_an_extension_brings_reminders_for_the_new_date(round_, people, sct, unit):
    send_deadline_reminders(today=D(2026, 6, 9))
    rounds.extend_deadline(
        actor=sct, round=round_, unit=unit(CHIENG_SON), new_deadline=D(2026, 6, 30), reason="Lũ"
    )
    assert send_deadline_reminders(today=D(2026, 6, 23)) == 1
    assert Notification.objects.filter(recipient=people["xa"]).count() == 2
    assert Notification.objects.filter(recipient=people["xa2"]).count() == 1


def test_command_and_task(round_, people):
    out = io.StringIO()
    call_command("send_deadline_reminders", "--today", "2026-06-03", stdout=out)
    assert "Đã gửi 2 thông báo" in out.getvalue()
    out = io.StringIO()
    call_command("send_deadline_reminders", "--today", "2026-06-03", stdout=out)
    assert "Đã gửi 0 thông báo" in out.getvalue()

    from khuyencong.planning.tasks import send_deadline_reminders_task

    assert send_deadline_reminders_task.call("2026-06-09") == 2
