"""Planning and norms over the API: rounds, registrations and annual plans in the reader's
scope (404 outside), the norm table, and the support-limit calculator giving the calculator
page's own answer, bounds and messages included."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.core import bounds
from khuyencong.norms import selectors as norm_selectors
from khuyencong.norms.services import load_national_norms
from khuyencong.planning.models import AnnualPlan
from khuyencong.projects.tests.conftest import establishment, make_registration

from .conftest import CHIENG_SON, KHANH_HOA, NHA_TRANG, SON_LA, TO_HIEU

pytestmark = pytest.mark.django_db
LIMIT = "/api/v1/norms/support-limit"


@pytest.fixture
def registrations(unit):
    return {
        code: make_registration(
            unit, establishment(unit, code, f"Cơ sở {code}"), status="da-gui", activity=code
        )
        for code in (CHIENG_SON, TO_HIEU, NHA_TRANG)
    }


def test_a_commune_client_reads_its_communes_registrations_only(issue, bearer, registrations):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    listed = api.get("/api/v1/registrations").json()["results"]
    assert [row["activity"] for row in listed] == [CHIENG_SON]
    assert listed[0]["commune"] == CHIENG_SON
    assert api.get(f"/api/v1/registrations/{registrations[TO_HIEU].pk}").status_code == 404
    one = api.get(f"/api/v1/registrations/{registrations[CHIENG_SON].pk}")
    assert one.status_code == 200
    assert one["ETag"] == f'"{registrations[CHIENG_SON].version}"'


def test_registration_filters_are_the_web_lists(issue, bearer, registrations):
    _, token = issue(Role.PROVINCE_SCT, SON_LA)
    api = bearer(token)
    activities = lambda query: sorted(  # noqa: E731
        row["activity"] for row in api.get("/api/v1/registrations", query).json()["results"]
    )
    assert activities({}) == sorted([CHIENG_SON, TO_HIEU])
    assert activities({"xa": TO_HIEU}) == [TO_HIEU]
    assert activities({"nam": 2025}) == []
    assert activities({"dot": registrations[TO_HIEU].round_id}) == [TO_HIEU]
    refused = api.get("/api/v1/registrations", {"nam": "9" * 30, "dot": "9" * 30})
    assert refused.status_code == 400  # not silently no filter (api/tests/test_filters.py)
    assert set(refused.json()["errors"]) == {"nam", "dot"}


def test_rounds_are_read_from_below(issue, bearer, registrations):
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON)
    api = bearer(token)
    round_ = registrations[CHIENG_SON].round
    titles = [row["id"] for row in api.get("/api/v1/rounds").json()["results"]]
    assert round_.pk in titles  # opened by Sơn La, read by its communes
    assert api.get(f"/api/v1/rounds/{round_.pk}").json()["unit"] == SON_LA
    _, khanh_hoa = issue(Role.PROVINCE_CENTRE, KHANH_HOA)
    assert bearer(khanh_hoa).get(f"/api/v1/rounds/{round_.pk}").status_code == 404


def test_plans_of_the_province_only(issue, bearer, unit):
    son_la = AnnualPlan.objects.create(unit=unit(SON_LA), year=2026, fund="KCDP")
    khanh_hoa = AnnualPlan.objects.create(unit=unit(KHANH_HOA), year=2026, fund="KCDP")
    _, token = issue(Role.PROVINCE_CENTRE, SON_LA)
    api = bearer(token)
    assert [row["id"] for row in api.get("/api/v1/plans").json()["results"]] == [son_la.pk]
    assert api.get("/api/v1/plans", {"nguon": "KCQG"}).json()["results"] == []
    detail = api.get(f"/api/v1/plans/{son_la.pk}")
    assert detail.json()["items"] == []
    assert detail["ETag"] == '"1"'
    assert api.get(f"/api/v1/plans/{khanh_hoa.pk}").status_code == 404


def test_the_norm_table_marks_what_applies_today(issue, bearer):
    load_national_norms()
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON, scopes=("norms:read",))
    rows = bearer(token).get("/api/v1/norms", {"noi_dung": "may-moc-thiet-bi"}).json()
    assert rows
    assert {row["content"] for row in rows} == {"may-moc-thiet-bi"}
    assert "applied" in {row["status"] for row in rows}


def test_the_calculator_gives_the_pages_answer(issue, bearer, unit):
    load_national_norms()
    _, token = issue(Role.COMMUNE_OFFICER, CHIENG_SON, scopes=("norms:read",))
    on = datetime.date(2026, 5, 1)
    body = {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": 700_000_000}
    answer = bearer(token).post(LIMIT, {**body, "on": "2026-05-01"}, format="json")
    assert answer.status_code == 200, answer.content
    expected = norm_selectors.support_limit(
        content="may-moc-thiet-bi", fund="KCQG", eligible_cost=700_000_000, on=on
    )
    assert answer.json()["maximum"] == expected.maximum
    assert answer.json()["sentence"] == expected.sentence
    assert answer.json()["legal_basis"] == expected.legal_basis
    assert answer.json()["advance_maximum"] <= expected.maximum
    priority = bearer(token).post(
        LIMIT, {**body, "on": "2026-05-01", "priority": True, "province": SON_LA}, format="json"
    )
    assert priority.json()["maximum"] >= expected.maximum


def test_the_calculator_refuses_what_the_page_refuses(issue, bearer):
    load_national_norms()
    _, token = issue(Role.PROVINCE_SCT, SON_LA, scopes=("norms:read",))
    api = bearer(token)
    too_much = bounds.MONEY.high + 1
    refused = api.post(
        LIMIT,
        {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": too_much},
        format="json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    with pytest.raises(bounds.OutOfBounds) as expected:
        bounds.MONEY.check(too_much, "Chi phí hợp lý cho một đơn vị hỗ trợ")
    assert refused.json()["errors"]["eligible_cost"] == [str(expected.value)]
    unknown = api.post(
        LIMIT, {"content": "khong-co", "fund": "KCQG", "eligible_cost": 1}, format="json"
    )
    assert unknown.json()["errors"]["content"] == ["Không có nội dung hỗ trợ mã này."]
    province = api.post(
        LIMIT,
        {"content": "may-moc-thiet-bi", "fund": "KCDP", "eligible_cost": 1, "province": "99"},
        format="json",
    )
    assert province.json()["errors"]["province"] == ["Không có tỉnh, thành phố mã này."]


def test_the_calculator_needs_the_norms_scope_and_writes_nothing(issue, bearer):
    _, token = issue(Role.PROVINCE_SCT, SON_LA, scopes=("establishments:read",))
    refused = bearer(token).post(
        LIMIT, {"content": "may-moc-thiet-bi", "fund": "KCQG", "eligible_cost": 1}, format="json"
    )
    assert refused.status_code == 403
    assert "norms:read" in refused.json()["detail"]


def test_a_relation_is_nullable_in_the_schema_when_its_column_is(client):
    """Regression (schemathesis, 2026-12-04): a national norm answers ``jurisdiction: null``;
    the schema said string only."""
    schemas = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schemas["Norm"]["properties"]["jurisdiction"]["type"] == ["string", "null"]
    assert schemas["Unit"]["properties"]["parent"]["type"] == ["string", "null"]
    assert schemas["Registration"]["properties"]["commune"]["type"] == "string"
