"""The roll-up (GET /api/v1/reports/rollup): the Tổng hợp page's figures for the caller's
scope — the nation sees every province, a province only itself and its communes; a unit out
of the scope 404, a role without reports 403 with the reason, a wrong period 400."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.reporting import dashboard, summary
from khuyencong.reporting.periods import Period, PeriodError
from khuyencong.reporting.tests.conftest import H1, make_project  # noqa: F401 (a fixture)

from .conftest import CHIENG_SON, KHANH_HOA, SON_LA

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/rollup"
INDICATOR = "de-an-phe-duyet"


@pytest.fixture
def refreshed(make_project):  # noqa: F811
    from khuyencong.programs.services import load_seed_programmes

    load_seed_programmes()
    make_project()
    make_project(province=KHANH_HOA, commune=None, fund="KCDP")
    summary.refresh_period(H1)


def _rollup(api, **query):
    response = api.get(URL, {"ky": "2026-H1", **query})
    assert response.status_code == 200, response.content
    return response.json()


def _indicator(body):
    return next(i for i in body["indicators"] if i["code"] == INDICATOR)


def test_the_nation_sees_every_province_as_the_dashboard_does(issue, bearer, refreshed, unit):
    _, token = issue(Role.NATIONAL_OFFICER, "VN")
    body = _rollup(bearer(token))
    assert (body["area"], body["period"]) == ("VN", "2026-H1")
    approved = _indicator(body)
    assert {row["unit"] for row in approved["units"]} >= {SON_LA, KHANH_HOA}
    page = dashboard.board(unit("VN"), H1)
    cell = page.cell(page.area, INDICATOR)
    assert Decimal(approved["live"]["value"]) == cell.live.value == 2


def test_a_province_sees_itself_and_its_communes_only(issue, bearer, refreshed):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    body = _rollup(bearer(token))
    assert body["area"] == SON_LA
    approved = _indicator(body)
    assert Decimal(approved["live"]["value"]) == 1
    communes = {row["unit"] for row in approved["units"]}
    assert CHIENG_SON in communes
    assert KHANH_HOA not in communes
    assert "Khánh Hòa" not in str(body)


def test_another_provinces_unit_is_a_404(issue, bearer, refreshed, unit):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    response = api.get(URL, {"ky": "2026-H1", "don_vi": unit(KHANH_HOA).pk})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert _rollup(api, don_vi=unit(CHIENG_SON).pk)["area"] == CHIENG_SON


def test_a_role_without_reports_gets_the_reason(as_user, make_user):
    response = as_user(make_user(Role.ESTABLISHMENT, CHIENG_SON)).get(URL)
    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.parametrize("period", ["2026-H3", "hai-nghin", "1999"])
def test_a_wrong_period_is_a_400_naming_it(issue, bearer, period):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    response = bearer(token).get(URL, {"ky": period})
    assert response.status_code == 400
    with pytest.raises(PeriodError) as refused:
        Period.parse(period)
    assert response.json()["errors"] == {"ky": [str(refused.value)]}


@pytest.mark.parametrize(
    ("value", "says"), [("0", "Phải từ 1 trở lên."), ("ba", "Phải là một số nguyên.")]
)
def test_a_wrong_unit_is_a_400_naming_it(issue, bearer, value, says):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    response = bearer(token).get(URL, {"don_vi": value})
    assert response.status_code == 400
    assert response.json()["errors"] == {"don_vi": [says]}


def test_queries_do_not_grow_with_the_data(issue, bearer, refreshed, make_project):  # noqa: F811
    _, token = issue(Role.NATIONAL_OFFICER, "VN")
    api = bearer(token)
    _rollup(api)
    with CaptureQueriesContext(connection) as few:
        _rollup(api)
    for _ in range(3):
        make_project(province=KHANH_HOA, commune=None)
    summary.refresh_period(H1)
    with CaptureQueriesContext(connection) as more:
        _rollup(api)
    assert len(more) == len(few)
