"""The demo seed and the support-history provider."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.planning import history, services
from khuyencong.planning.demo import seed_demo_planning
from khuyencong.planning.models import AnnualPlan, PlanStatus, RegistrationRound

from .conftest import need

pytestmark = pytest.mark.django_db
D = datetime.date


def test_demo_round_and_plan_are_idempotent_and_marked(seed_programmes):
    today = D(2026, 11, 22)
    seed_demo_planning(today=today)
    seed_demo_planning(today=today)
    round_ = RegistrationRound.objects.get(is_demo=True)
    assert "dữ liệu mẫu" in round_.title
    assert round_.commune_deadline == today + datetime.timedelta(days=30)
    assert round_.unit.code == "14"
    assert round_.fund == "KCDP"
    assert round_.plan_year == 2026
    assert round_.content_groups.count() == 6
    plan = AnnualPlan.objects.get(unit__code="14", year=2026, fund="KCDP")
    assert plan.is_demo
    assert plan.status == PlanStatus.DRAFT
    assert not plan.items.exists()
    # Loaded again much later: the commune deadline moves ahead, nothing is duplicated.
    seed_demo_planning(today=D(2027, 3, 1))
    round_.refresh_from_db()
    assert round_.commune_deadline == D(2027, 3, 31)
    assert RegistrationRound.objects.count() == 1
    assert AnnualPlan.objects.count() == 1


def test_demo_commune_officer_can_register_in_the_demo_round(officer, tea, groups):
    seed_demo_planning()
    round_ = RegistrationRound.objects.get(is_demo=True)
    registration, _ = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    sent = services.transition_registration(actor=officer, registration=registration, action="gui")
    assert sent.status == "da-gui"


def test_support_history_lists_the_establishments_registrations_in_scope(
    make_user, officer, submitted, tea
):
    from khuyencong.registry import support_history

    assert history.registration_records in support_history.providers()
    records = list(history.registration_records(officer, tea))
    assert [(r.year, r.title, r.amount, r.fund) for r in records] == [
        (2026, "Hỗ trợ ứng dụng máy sao chè tự động", 200_000_000, "KCĐP")
    ]
    assert records[0].url == f"/ke-hoach/phieu/{submitted.pk}/"
    assert str(records[0].status) == "Đã gửi, chờ xem xét"
    assert support_history.records_for(officer, tea)[0].title == records[0].title
    assert list(history.registration_records(make_user(Role.COMMUNE_OFFICER, "03646"), tea)) == []


def test_support_history_dates_are_days_in_viet_nam(client, officer, draft, make_user):
    """Regression (issue 9, defect 8): a registration sent at 3 am on 10/6 (Hà Nội), which is
    20:00 on 9/6 in UTC, showed as 9/6/2026 on the establishment's support history."""
    import datetime

    from django.urls import reverse

    from khuyencong.planning.models import SupportRegistration

    sent = datetime.datetime(2026, 6, 9, 20, 0, tzinfo=datetime.UTC)
    SupportRegistration.objects.filter(pk=draft.pk).update(submitted_at=sent, status="da-gui")
    client.force_login(officer)
    page = client.get(
        reverse("registry:establishment_detail", args=[draft.establishment_id])
    ).content.decode()
    assert "10/6/2026" in page
    assert "9/6/2026" not in page
