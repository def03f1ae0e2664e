"""The nation's and a province's dashboard read only the stored summary: programme targets, the
year plan by fund and timeliness are computed by the refresh (in the background), beside the
figures; a report's step updates the stored timeliness of its province and of the nation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.programs.models import AllocationCell
from khuyencong.reporting import dashboard, plans, summary
from khuyencong.reporting.models import Basis, SummaryFigure

from .conftest import CHIENG_SON, H1, SON_LA, open_for, step
from .test_pages import accepted_province  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("in_june", "accepted_province"),
]


def _money_plan(board: dashboard.Board) -> dict[str, Any]:
    return {row.fund: row.planned for row in board.plan if row.indicator.code == plans.MONEY}


@pytest.mark.parametrize(("who", "area"), [("national", "VN"), ("sct", SON_LA)])
def test_the_dashboard_reads_targets_plan_and_timeliness_from_the_summary(
    client, officers, unit, who, area
):
    client.force_login(officers[who])
    url = reverse("reporting:dashboard") + "?ky=2026-H1"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    read = " ".join(q["sql"] for q in queries.captured_queries)
    # No programme, allocation, report or role table read to build the page's figures.
    for table in ("programs_", "reporting_report", 'U0."role"'):
        assert table not in read, table
    board = page.context["board"]
    live = dashboard.compute_extras(unit(area), H1, board.indicators)
    assert board.targets == live.targets
    assert _money_plan(board) == live.planned[plans.MONEY]
    assert (board.expected, board.submitted, board.on_time) == live.timeliness


def test_the_stored_plan_changes_with_the_refresh_not_with_the_request(unit):
    indicators = summary.dashboard_indicators()
    before = _money_plan(dashboard.board(unit(SON_LA), H1, indicators))
    cell = AllocationCell.objects.filter(
        line__programme__unit=unit(SON_LA), year=2026, amount__gt=0
    ).first()
    cell.amount += 1_000_000
    cell.save()
    assert _money_plan(dashboard.board(unit(SON_LA), H1, indicators)) == before
    summary.refresh_period(H1)
    after = _money_plan(dashboard.board(unit(SON_LA), H1, indicators))
    assert after[cell.fund] == before[cell.fund] + 1_000_000


def test_a_report_step_updates_the_stored_timeliness(
    officers, unit, django_capture_on_commit_callbacks
):
    def submitted(code: str) -> int:
        row = SummaryFigure.objects.get(
            period=H1.code,
            unit=unit(code),
            basis=Basis.TIMELINESS,
            indicator_code=dashboard.TIMELINESS,
            key="da-gui",
        )
        return int(row.numerator)

    province, nation = submitted(SON_LA), submitted("VN")
    report = open_for(officers["commune"], "xa-6-thang", unit(CHIENG_SON))
    with django_capture_on_commit_callbacks(execute=True):  # the refresh runs after commit
        step(officers["commune"], report, "gui")
    assert (submitted(SON_LA), submitted("VN")) == (province + 1, nation + 1)
