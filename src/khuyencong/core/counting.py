"""Counts of long lists (đếm danh sách dài): exact where cheap, otherwise an estimate.

Counting a province's or the country's establishments exactly reads every matching row (the
count of 300,000 rows costs more than the page itself). A list counts at most
``settings.LIST_EXACT_COUNT_LIMIT`` rows (a bounded subquery); above that it shows the
PostgreSQL planner's estimate (asked below the limit too, so that the page's queries are the
same at every size of the data) as "khoảng 290.000" (SQLite has none: "hơn 5.000"), with a link
that asks for the exact figure (``dem=du`` in the query string, kept while paging).

A text search shows no estimate (``estimate=False``): the planner guesses the selectivity of
``LIKE '%word%'`` from statistics of whole strings and multiplies the words as if independent
— 2,463 for 667 matches of "tho cam" at scale 0.1, 172,750 for about 6,000 at 1.0 before the
search used its indexes (issue 11) — so above the limit it says "hơn 5.000", which is true.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

#: The query-string parameter (and its value) that asks for the exact count.
EXACT_PARAM, EXACT_VALUE = "dem", "du"


@dataclass(frozen=True)
class ListCount:
    """How many rows a list has: ``value`` exact, about (``estimated``) or "more than"."""

    value: int
    exact: bool = True
    estimated: bool = False


def planner_estimate(queryset: QuerySet[Any]) -> int | None:
    """The rows PostgreSQL's planner expects ``queryset`` to return (no row is read), or
    ``None`` on a database without one."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # a list the policy empties (.none()): no SQL to plan, no row
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def two_figures(value: int) -> int:
    """Rounded to two significant figures: an estimate does not pretend to more."""
    if value < 100:
        return value
    step = 10 ** (int(math.log10(value)) - 1)
    return round(value / step) * step


def bounded_count(
    queryset: QuerySet[Any], *, limit: int, exact: bool = False, estimate: bool = True
) -> ListCount:
    """Exact up to ``limit`` rows (or always with ``exact``); above, the planner's estimate
    (with ``estimate``) or "more than ``limit``"."""
    if exact:
        return ListCount(queryset.count())
    counted = queryset.order_by()[: limit + 1].count()  # any limit + 1 rows: no sort
    # The planner is asked whatever the count: a page issues the same queries at every size
    # of the data (issue 11: the lists gained a query above the limit). It reads no row.
    guess = planner_estimate(queryset) if estimate else None
    if counted <= limit:
        return ListCount(counted)
    if not estimate:
        return ListCount(limit, exact=False)
    if guess is None or guess <= limit:
        return ListCount(limit, exact=False)
    return ListCount(two_figures(guess), exact=False, estimated=True)


class FlatPaginator(Paginator):
    """Django's paginator, except that an empty page still reads its rows: Django slices an
    empty list ``[0:0]`` and so skips the page's query (and its prefetches), and a list page
    issued one query less when nothing matched — a commune's search, 4 queries at scale 0.01
    and 5 at 1.0 (issue 11). Rows past the count are simply not returned by the ``LIMIT``;
    no orphans here (they are what Django's clamping to the count is for)."""

    def __init__(
        self, object_list: Any, per_page: int, *, counted: QuerySet[Any] | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        #: What the count reads. A list whose rows carry joined names (``values(name=F(…))``)
        #: gives the base rows here: counting the rows themselves keeps their joins (an INNER
        #: JOIN may drop rows, so neither Django nor PostgreSQL removes it): 9,876 certificates
        #: counted in 34,424 buffers instead of 506 (issue 11, quiet-run-2026-12-05-c.md).
        self.counted = counted

    @cached_property
    def count(self) -> int:
        if self.counted is None:
            return int(Paginator.count.func(self))  # type: ignore[attr-defined]
        return self.counted.count()

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)


class _OpenPage(Page):
    """A page of a list counted roughly: whether a next page exists is read, not computed."""

    more = False

    def has_next(self) -> bool:
        return self.more


class ListPaginator(FlatPaginator):
    """A paginator whose count is :func:`bounded_count`. When the count is rough, a page reads
    one row more than it shows to know whether another follows (every page stays reachable)."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        exact: bool = False,
        estimate: bool = True,
        limit: int | None = None,
        counted: QuerySet[Any] | None = None,
    ) -> None:
        super().__init__(object_list, per_page, counted=counted)
        self.queryset = object_list
        self.exact = exact
        self.estimate = estimate
        self.limit = limit

    @classmethod
    def for_request(
        cls,
        object_list: Any,
        per_page: int,
        request: Any,
        *,
        estimate: bool = True,
        limit: int | None = None,
        counted: QuerySet[Any] | None = None,
    ) -> Any:
        """The page the request asks for (``trang``), counted exactly when it asks (``dem``);
        ``estimate=False`` for a text search (see the module's docstring); counted exactly up
        to ``limit`` rows (``LIST_EXACT_COUNT_LIMIT`` when not given)."""
        exact = request.GET.get(EXACT_PARAM) == EXACT_VALUE
        paginator = cls(
            object_list, per_page, exact=exact, estimate=estimate, limit=limit, counted=counted
        )
        return paginator.get_page(request.GET.get("trang"))

    def page(self, number: Any) -> Page:
        if self.total.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.queryset[bottom : bottom + self.per_page + 1])
        page = _OpenPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def validate_number(self, number: Any) -> int:
        if self.total.exact:
            return super().validate_number(number)
        try:
            return max(1, int(number))
        except (TypeError, ValueError):
            return 1

    def get_page(self, number: Any) -> Page:
        return self.page(number) if not self.total.exact else super().get_page(number)

    @cached_property
    def total(self) -> ListCount:
        limit = settings.LIST_EXACT_COUNT_LIMIT if self.limit is None else self.limit
        counted = self.queryset if self.counted is None else self.counted
        return bounded_count(counted, limit=limit, exact=self.exact, estimate=self.estimate)

    @cached_property
    def count(self) -> int:
        total = self.total
        return total.value if total.exact or total.estimated else total.value + 1
