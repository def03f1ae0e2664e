"""Reporting's long exports as the core's export plans (``core.exports``): the report list and
the records behind a dashboard figure. Up to ``settings.EXPORT_BACKGROUND_ROWS`` rows the file
is sent at once; above, the request only records an ``ExportJob`` and the task worker writes
the file, its progress polled on the job's page (htmx) — a national export never runs inside a
request. The worker plans again from the saved query string, with the scope of the role the
export was asked under."""

from __future__ import annotations

from typing import Any

from django.http import Http404, QueryDict

from khuyencong.core import http
from khuyencong.core.exports import ExportPlan

from . import dashboard, drilldown, exporting, selectors

CHUNK = 2000


def reports_plan(user: Any, query: QueryDict, fmt: str = "xlsx") -> ExportPlan:
    """Xuất danh sách báo cáo: the list as filtered, in the user's scope."""
    dashboard.require_view(user)
    found = selectors.reports(user, period=query.get("ky", ""), status=query.get("trang_thai", ""))
    return ExportPlan(
        found=found,
        rows=lambda: found.iterator(chunk_size=CHUNK),
        write=lambda rows, out: exporting.reports_xlsx(rows).save(out),
        filename="bao-cao-dinh-ky.xlsx",
        content_type=http.XLSX,
    )


def records_plan(user: Any, query: QueryDict, fmt: str = "xlsx") -> ExportPlan:
    """Xuất danh sách bản ghi: every record behind a unit's live figure (or the breakdown key
    the drill-down shows) that the user may see (404 for a unit out of scope, a hand-entered
    indicator or an undeclared key)."""
    choice = dashboard.choose(user, query)
    indicator, area, period = choice.indicator, choice.area, choice.period
    if not indicator.computation:
        raise Http404
    key = drilldown.check_key(indicator, choice.key, live=True)
    kind, found = dashboard.record_queryset(user, indicator, area, period, key)
    return ExportPlan(
        found=found,
        rows=lambda: found.iterator(chunk_size=CHUNK),
        write=lambda rows, out: exporting.records_xlsx(kind, rows, indicator, period).save(out),
        filename=f"{indicator.code}-{key + '-' if key else ''}{area.code}-{period.code}.xlsx",
        content_type=http.XLSX,
    )
