"""Registrations written over the API: the registration form's fields, bounds and messages
(amounts in integer đồng), the planning services; a step needs If-Match and the step's right."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.core import bounds
from khuyencong.planning.models import PlanFund, RegistrationRound, SupportRegistration
from khuyencong.programs.services import load_seed_programmes
from khuyencong.projects.tests.conftest import establishment

from .conftest import CHIENG_SON, NHA_TRANG, SON_LA

pytestmark = pytest.mark.django_db
LIST = "/api/v1/registrations"


@pytest.fixture
def open_round(unit):
    """A Sơn La round for 2026 whose deadlines lie far ahead (whatever today is)."""
    load_seed_programmes()
    round_ = RegistrationRound.objects.create(
        unit=unit(SON_LA),
        title="Đợt đăng ký 2026",
        plan_year=2026,
        fund=PlanFund.KCDP,
        commune_deadline=datetime.date(2100, 6, 10),
        province_deadline=datetime.date(2100, 6, 19),
    )
    from khuyencong.programs.models import ContentGroup

    round_.content_groups.set(ContentGroup.objects.all())
    return round_


def _body(round_, place, **changes):
    return {
        "round": round_.pk,
        "establishment": place.pk,
        "content_group": "nhom-1",
        "activity": "Hỗ trợ ứng dụng máy sao chè tự động",
        "total_cost": 500_000_000,
        "support_kcdp": 200_000_000,
        "counterpart": 300_000_000,
        "start_month": "2026-03",
        "end_month": "11/2026",
        **changes,
    }


def test_a_commune_files_and_submits_a_registration(issue, bearer, open_round, unit):
    tea = establishment(unit, CHIENG_SON, "Chè Chiềng Sơn")
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    created = api.post(LIST, _body(open_round, tea), format="json")
    assert created.status_code == 201, created.content
    assert created["Location"] == f"{LIST}/{created.json()['id']}"
    assert created.json()["status"] == "nhap"
    assert created.json()["support_kcdp"] == 200_000_000
    assert created.json()["start_month"] == "2026-03-01"
    step = f"{LIST}/{created.json()['id']}/transitions/gui"
    assert api.post(step, {}, format="json").status_code == 428
    sent = api.post(step, {}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "da-gui"
    stale = api.post(step, {}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert stale.status_code == 412


def test_amounts_are_refused_as_the_form_refuses_them(issue, bearer, open_round, unit):
    tea = establishment(unit, CHIENG_SON, "Chè Chiềng Sơn")
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    refused = bearer(token).post(
        LIST, _body(open_round, tea, total_cost=bounds.MONEY.high + 1), format="json"
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert "total_cost" in refused.json()["errors"]
    assert not SupportRegistration.objects.exists()


def test_an_establishment_outside_the_scope_is_not_a_choice(issue, bearer, open_round, unit):
    far = establishment(unit, NHA_TRANG, "Yến Nha Trang")
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    refused = bearer(token).post(LIST, _body(open_round, far), format="json")
    assert refused.status_code == 400
    assert "establishment" in refused.json()["errors"]
    assert not SupportRegistration.objects.exists()


def test_a_reviewer_may_not_submit_for_the_commune(issue, bearer, open_round, unit):
    tea = establishment(unit, CHIENG_SON, "Chè Chiềng Sơn")
    _, commune = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    created = bearer(commune).post(LIST, _body(open_round, tea), format="json")
    _, centre = issue(Role.PROVINCE_CENTRE, SON_LA)
    refused = bearer(centre).post(
        f"{LIST}/{created.json()['id']}/transitions/gui",
        {},
        format="json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert bearer(centre).post(LIST, _body(open_round, tea), format="json").status_code == 403
