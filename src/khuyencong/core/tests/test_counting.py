"""Bounded counts of long lists: exact up to the limit, an estimate above it (PostgreSQL's
planner; SQLite has none and says "more than"), and the exact figure on request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.counting import (
    FlatPaginator,
    ListCount,
    ListPaginator,
    bounded_count,
    two_figures,
)
from khuyencong.geo.models import AdministrativeUnit


@given(st.integers(min_value=0, max_value=10**9))
def test_two_figures_keeps_two_significant_digits_within_5_percent(value):
    rounded = two_figures(value)
    assert abs(rounded - value) * 20 <= value
    assert len(str(rounded).rstrip("0")) <= 2 or value < 100


@pytest.mark.parametrize(
    ("value", "rounded"), [(7, 7), (99, 99), (287_431, 290_000), (5_049, 5_000), (1_250, 1_200)]
)
def test_two_figures_examples(value, rounded):
    assert two_figures(value) == rounded


@pytest.mark.django_db
def test_exact_up_to_the_limit_then_an_estimate_or_more_than():
    units = AdministrativeUnit.objects.all()
    total = units.count()
    assert total > 10  # the country's units are loaded for the tests
    assert bounded_count(units, limit=total) == ListCount(total)
    above = bounded_count(units, limit=3)
    assert not above.exact
    if connection.vendor == "postgresql":
        assert above.estimated
        assert above.value > 3
    else:
        assert above == ListCount(3, exact=False, estimated=False)  # "hơn 3"
    assert bounded_count(units, limit=3, exact=True) == ListCount(total)


@pytest.mark.django_db
def test_without_an_estimate_above_the_limit_is_more_than_the_limit_in_one_query(settings):
    units = AdministrativeUnit.objects.filter(name_folded__contains="son")
    total = units.count()
    assert total > 3
    with CaptureQueriesContext(connection) as ctx:
        assert bounded_count(units, limit=3, estimate=False) == ListCount(3, exact=False)
    assert len(ctx.captured_queries) == 1  # no EXPLAIN
    assert bounded_count(units, limit=total, estimate=False) == ListCount(total)
    settings.LIST_EXACT_COUNT_LIMIT = 3
    paginator = ListPaginator(units.order_by("code"), 2, estimate=False)
    assert paginator.total == ListCount(3, exact=False)


@pytest.mark.django_db
def test_a_paginator_given_its_own_limit_counts_up_to_it_whatever_the_setting(settings):
    """A text search counts up to ``SEARCH_EXACT_COUNT_LIMIT``, not the lists' limit."""
    units = AdministrativeUnit.objects.filter(name_folded__contains="son").order_by("code")
    settings.LIST_EXACT_COUNT_LIMIT = 10_000
    assert ListPaginator(units, 2, estimate=False, limit=3).total == ListCount(3, exact=False)
    assert ListPaginator(units, 2, estimate=False).total == ListCount(units.count())


@pytest.mark.django_db
def test_the_count_reads_at_most_limit_plus_one_rows_in_no_order():
    # Sorted, the bounded count walked the list's sort index row by row (2.4 s for the
    # national search "tho cam" at scale 1.0); which rows it counts makes no difference.
    with CaptureQueriesContext(connection) as ctx:
        bounded_count(AdministrativeUnit.objects.order_by("name"), limit=3)
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"]
    assert "ORDER BY" not in ctx.captured_queries[0]["sql"]
    assert len(ctx.captured_queries) <= 2  # the bounded count, the planner's estimate


@pytest.mark.django_db
@pytest.mark.parametrize("estimate", [True, False])
def test_as_many_queries_below_as_above_the_limit(estimate):
    """Regression (issue 11): the planner was asked only above the limit, so a list issued a
    query more at national size than at small size."""
    units = AdministrativeUnit.objects.all()
    issued = []
    for limit in (units.count(), 3):
        with CaptureQueriesContext(connection) as ctx:
            bounded_count(units, limit=limit, estimate=estimate)
        issued.append(len(ctx.captured_queries))
    assert issued[0] == issued[1]


@pytest.mark.django_db
def test_the_paginator_follows_the_request(settings):
    settings.LIST_EXACT_COUNT_LIMIT = 3
    units = AdministrativeUnit.objects.order_by("code")
    total = units.count()
    factory = RequestFactory()
    rough = ListPaginator.for_request(units, 2, factory.get("/", {"trang": "2"}))
    assert rough.number == 2
    assert not rough.paginator.total.exact
    assert rough.has_next()
    assert rough.next_page_number() == 3
    last = ListPaginator.for_request(units, 2, factory.get("/", {"trang": (total + 1) // 2}))
    assert len(last) >= 1
    assert not last.has_next()
    exact = ListPaginator.for_request(units, 2, factory.get("/", {"dem": "du"}))
    assert exact.paginator.total == ListCount(total)
    assert exact.paginator.num_pages == (total + 1) // 2


def test_the_count_is_shown_the_vietnamese_way():
    shown = Template("{{ a|dem }}|{{ b|dem }}|{{ c|dem }}")
    context = Context(
        {
            "a": ListCount(1234),
            "b": ListCount(290_000, exact=False, estimated=True),
            "c": ListCount(5000, exact=False),
        }
    )
    assert shown.render(context) == "1.234|khoảng 290.000|hơn 5.000"


@pytest.mark.django_db
def test_a_list_the_policy_empties_counts_zero():
    """Regression (PostgreSQL only, 500 on every awards list of a council member): a ``.none()``
    queryset has no SQL, so asking the planner raised EmptyResultSet."""
    assert bounded_count(AdministrativeUnit.objects.none(), limit=5) == ListCount(0)
    request = RequestFactory().get("/")
    page = ListPaginator.for_request(AdministrativeUnit.objects.none(), 20, request)
    assert list(page.object_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize("paginator", [FlatPaginator, ListPaginator])
def test_an_empty_page_issues_the_same_queries_as_a_full_one(paginator):
    """Regression (issue 11, scale 0.01 → 1.0): Django's paginator slices an empty list [0:0]
    and skips the page's query, so a commune's search that found nothing issued one query
    less than one that found something (4, not 5)."""
    units = AdministrativeUnit.objects.order_by("code")
    issued, shown = [], []
    for found in (units, units.filter(code="không có mã này")):
        with CaptureQueriesContext(connection) as ctx:
            shown.append([u.code for u in paginator(found, 2).get_page(1)])
        issued.append(len(ctx.captured_queries))
    assert len(shown[0]) == 2
    assert shown[1] == []
    assert issued[0] == issued[1]


@pytest.mark.django_db
def test_the_flat_paginator_pages_as_django_does():
    units = AdministrativeUnit.objects.order_by("code")
    codes = list(units.values_list("code", flat=True))
    per_page = max(1, len(codes) // 2 - 1)
    paginator = FlatPaginator(units, per_page)
    paged = [u.code for n in paginator.page_range for u in paginator.page(n)]
    assert paged == codes
    last = paginator.get_page(10**6)  # past the end: the last page, as Django's
    assert last.number == paginator.num_pages
    assert last.end_index() == len(codes)
