"""The demo reports of ``make run`` and the two command-line interfaces."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from khuyencong.core.demo import seed_demo
from khuyencong.reporting import selectors, summary
from khuyencong.reporting.models import Basis, Report, ReportStatus, SummaryFigure
from khuyencong.reporting.periods import Period
from khuyencong.reporting.seed import INDICATORS

from .conftest import H1, MILLION, SON_LA, open_for, step

pytestmark = pytest.mark.django_db


def test_demo_reports_show_on_time_late_missing_and_the_accepted_province():
    seed_demo()
    reports = Report.objects.filter(is_demo=True, period="2026-H1").select_related(
        "unit", "schedule"
    )
    assert reports.count() == 6
    late = [r.unit.name for r in reports if r.submitted_late()]
    assert late == ["Phường Chiềng An"]
    province = reports.get(schedule__code="tinh-6-thang")
    assert province.status == ReportStatus.ACCEPTED
    assert "chưa gửi" in province.missing_note
    statuses = {row.due.unit.name: row for row in selectors.status_table(None, H1)}
    assert statuses["Phường Chiềng Cơi"].due.report is None
    assert SummaryFigure.objects.filter(
        period="2026-H1", basis=Basis.REPORTED, unit__code="VN"
    ).exists()
    assert SummaryFigure.objects.filter(
        period="2026-H1", basis=Basis.REPORTED, unit__code=SON_LA
    ).exists()
    # Hand figures rolled up: 2 + 1 + 0 + 1 fairs in the communes, 2 at the centre.
    fairs = summary.report_figures(province)[("tham-gia-hoi-cho-trong-nuoc", "")]
    assert fairs.numerator == 6
    # The demo projects' steps are dated inside H1 2026 (projects.demo.on), so the computed
    # figures are the real ones: the national-fund model (16/3) and the local-fund design
    # project (23/2) approved, 200 million advanced and 30 million paid and settled.
    figures = summary.report_figures(province)
    assert figures[("de-an-phe-duyet", "")].numerator == 2
    assert figures[("de-an-phe-duyet", "KCQG")].numerator == 1
    assert figures[("kinh-phi-tam-ung", "")].numerator == 200 * MILLION
    assert figures[("kinh-phi-thanh-toan", "")].numerator == 30 * MILLION
    assert figures[("kinh-phi-quyet-toan", "KCDP")].numerator == 30 * MILLION
    national = {
        (code, key): value
        for code, key, value in SummaryFigure.objects.filter(
            period="2026-H1", basis=Basis.REPORTED, unit__code="VN"
        ).values_list("indicator_code", "key", "numerator")
    }
    assert national[("kinh-phi-phe-duyet", "KCQG")] == 450 * MILLION
    from khuyencong.reporting.demo import seed_demo_reports

    assert seed_demo_reports() == 0  # idempotent
    # ``manage.py reports status``: every expected unit, missing and late ones too.
    out = StringIO()
    call_command("reports", "status", "--period", "2026-H1", "--json", stdout=out)
    units = {row["unit"]: row for row in json.loads(out.getvalue())["units"]}
    assert units["Phường Chiềng Cơi"]["status"] == "missing"
    assert units["Phường Chiềng An"]["timeliness"] == "late"
    assert units["Xã Chiềng Sơn"] == units["Xã Chiềng Sơn"] | {
        "status": "accepted",
        "timeliness": "on time",
    }
    assert units["Sở Công Thương Sơn La"]["status"] == "accepted"
    text = StringIO()
    call_command("reports", "status", "--period", "2026-H1", stdout=text)
    assert "Phường Chiềng Cơi" in text.getvalue()
    assert "missing" in text.getvalue()


@pytest.mark.usefixtures("in_june")
@pytest.mark.parametrize("period", ["2026-H1", "2026-Q1", "2026"])
def test_rollup_command_gives_the_nation_and_each_province(make_project, period):
    make_project(support=300 * MILLION)
    make_project(province="56", commune=None, fund="KCDP", support=100 * MILLION)
    out = StringIO()
    call_command("rollup", "--period", period, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["period"] == period
    assert result["cutoff"] == Period.parse(period).end.isoformat()
    rows = {row["code"]: row for row in result["indicators"]}
    assert set(rows) == {i.code for i in INDICATORS if i.computation}
    approved = rows["de-an-phe-duyet"]
    # both projects use a norm of content group 1 (nhom-1): the breakdown by content group
    assert approved["nation"] == {"tong": 2, "KCQG": 1, "KCDP": 1, "nhom-1": 2}
    assert approved["provinces"] == {
        SON_LA: {"tong": 1, "KCQG": 1, "nhom-1": 1},
        "56": {"tong": 1, "KCDP": 1, "nhom-1": 1},
    }
    share = rows["ty-trong-kcqg"]["nation"]["tong"]
    assert share == {"value": 75.0, "numerator": 300 * MILLION, "denominator": 400 * MILLION}


def test_rollup_refuses_a_wrong_period():
    with pytest.raises(CommandError, match="2026-H1"):
        call_command("rollup", "--period", "2026-H7")


@pytest.mark.usefixtures("in_june")
def test_refresh_summary_command(officers, unit):
    report = open_for(officers["sct"], "tinh-6-thang", unit(SON_LA))
    step(officers["sct"], report, "gui")
    out = StringIO()
    call_command("refresh_summary", "--period", "2026-H1", stdout=out)
    assert "2026-H1:" in out.getvalue()
