"""The national roll-up (tổng hợp theo tỉnh × năm × nguồn): counted projects, approved and
disbursed money, within the viewer's scope, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import astuple
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.bench_rollup import sql_rollup
from khuyencong.projects import cosign
from khuyencong.projects.models import Advance, Payment
from khuyencong.projects.selectors import RollupRow, national_rollup
from khuyencong.projects.workflow import KCDP, KCQG, State

from .conftest import MILLION, D, disburse

pytestmark = pytest.mark.django_db
KHANH_HOA = "56"


def _pay(project, model, amount, **fields):
    disburse(model, project, amount, on=D(2026, 5, 1), **fields)


@pytest.fixture
def projects(make_project):
    son_la_1 = make_project(state=State.IMPLEMENTING, support=300 * MILLION)
    son_la_2 = make_project(state=State.CLOSED, support=100 * MILLION)
    make_project(state=State.SUBMITTED, support=900 * MILLION)  # not approved: not counted
    make_project(state=State.CANCELLED, support=50 * MILLION)  # cancelled: not counted
    local = make_project(state=State.APPROVED, fund=KCDP, support=40 * MILLION, year=2027)
    khanh_hoa = make_project(state=State.ACCEPTED, province=KHANH_HOA, support=200 * MILLION)
    _pay(son_la_1, Advance, 90 * MILLION)
    _pay(son_la_1, Payment, 60 * MILLION)
    _pay(son_la_2, Payment, 100 * MILLION)
    _pay(khanh_hoa, Advance, 20 * MILLION)
    # Recorded but not disbursed: awaiting Finance's co-signature, or refused.
    _pay(son_la_1, Payment, 10 * MILLION, cosign_status=cosign.PENDING)
    _pay(khanh_hoa, Payment, 30 * MILLION, cosign_status=cosign.REFUSED)
    return son_la_1, local, khanh_hoa


def test_the_nation_sees_every_province_grouped_by_year_and_fund(projects, make_user, unit):
    son_la, _local, khanh_hoa = projects
    national = make_user(Role.NATIONAL_OFFICER, "VN")
    assert set(national_rollup(national)) == {
        RollupRow(son_la.unit_id, 2026, KCQG, 2, 400 * MILLION, 250 * MILLION),
        RollupRow(son_la.unit_id, 2027, KCDP, 1, 40 * MILLION, 0),
        RollupRow(khanh_hoa.unit_id, 2026, KCQG, 1, 200 * MILLION, 20 * MILLION),
    }


def test_a_province_sees_only_its_own_rows(projects, make_user):
    son_la, _local, _khanh_hoa = projects
    sct = make_user(Role.PROVINCE_SCT, "14")
    assert {row.unit_id for row in national_rollup(sct)} == {son_la.unit_id}


def test_one_query_whatever_the_number_of_projects(projects, make_project, make_user):
    national = make_user(Role.NATIONAL_OFFICER, "VN")
    national_rollup(national)  # the policy's assignment lookup is cached on the user
    with CaptureQueriesContext(connection) as few:
        national_rollup(national)
    for _n in range(5):
        make_project(state=State.CLOSED, province=KHANH_HOA, year=2028)
    with CaptureQueriesContext(connection) as more:
        assert len(national_rollup(national)) == 4
    assert len(few) == len(more) == 1  # one scan of the projects, no join of the money


def test_the_bench_group_by_reads_the_same_figures_as_the_application(projects, make_user):
    """bench_national compares the application's roll-up with one SQL GROUP BY (and DuckDB
    running that SQL): both must compute the same rows from the same columns."""
    national = make_user(Role.NATIONAL_OFFICER, "VN")
    by_sql = {tuple(int(v) if isinstance(v, Decimal) else v for v in r) for r in sql_rollup()}
    assert by_sql == {astuple(row) for row in national_rollup(national)}
