"""The project indicators share one read of the approved projects (``computations.sharing``):
the same figures as each computation alone, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.reporting import computations, summary

from .conftest import H1

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]

FAMILY = (
    "projects-approved",
    "money-approved",
    "kcqg-share",
    "demonstration-models",
    "cleaner-production",
    "fairs",
)


def _all(level: computations.Level) -> list[computations.Result]:
    return [computations.compute(name, period=H1, cutoff=H1.end, level=level) for name in FAMILY]


@pytest.mark.parametrize("level", ["province", "commune"])
def test_shared_rows_give_the_same_figures_in_two_queries(data, make_project, level):
    make_project(content="mo-hinh-trinh-dien", fund="KCDP", support=80_000_000)
    make_project(province="56", commune=None, content="hoi-cho-trong-nuoc")
    alone = _all(level)
    with CaptureQueriesContext(connection) as queries, computations.sharing():
        shared = _all(level)
    assert shared == alone
    assert len(queries) == 2  # the approved projects' grouped rows and the content groups
    assert any(figures for figures in alone)


def test_the_summary_reads_every_live_figure_as_without_sharing(data):
    by_unit = summary.live_figures(H1, "commune")
    for indicator in summary.dashboard_indicators():
        if not indicator.computation:
            continue
        alone = computations.for_indicator(indicator, period=H1, cutoff=H1.end, level="commune")
        for unit_id, figures in alone.items():
            for key, figure in figures.items():
                assert by_unit[unit_id][(indicator.code, key)] == figure
