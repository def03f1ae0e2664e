"""Ngày nghỉ, ngày làm bù are entered by the administrator in the admin and apply at once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from khuyencong.accounts.models import User
from khuyencong.core import workdays
from khuyencong.core.models import WorkingDayOverride

D = datetime.date


@pytest.mark.django_db
def test_the_administrator_adds_a_day_off_in_the_admin_and_working_days_follow(client):
    root = User.objects.create_superuser("root@test.khuyencong.vn", "x", full_name="Quản trị")
    client.force_login(root)
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    assert client.get(reverse("admin:core_workingdayoverride_changelist")).status_code == 200
    response = client.post(
        reverse("admin:core_workingdayoverride_add"),
        {
            "day": "2026-03-09",
            "reason": "Nghỉ bù (thông báo thử)",
            "legal_basis": "Thông báo số 1/TB-BNV",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = WorkingDayOverride.objects.get()
    assert (row.day, row.is_working_day) == (D(2026, 3, 9), False)
    assert workdays.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 10)
    history = reverse("admin:core_workingdayoverride_history", args=[row.pk])
    assert "Nghỉ bù (thông báo thử)" in client.get(history).content.decode()


@pytest.mark.django_db
def test_officers_without_staff_rights_cannot_open_it(client):
    officer = User.objects.create_user("sct@test.khuyencong.vn", "x", full_name="Cán bộ")
    client.force_login(officer)
    response = client.get(reverse("admin:core_workingdayoverride_changelist"))
    assert response.status_code == 302
    assert WorkingDayOverride.objects.count() == 0
