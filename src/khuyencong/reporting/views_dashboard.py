"""The national (and province-scoped) dashboard, its drill-down to the records and its export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core import exports, http

from . import board_rows, dashboard, drilldown, exporting, refreshing
from .periods import Period, PeriodError


def _choice(request: HttpRequest) -> dashboard.Choice:
    choice = dashboard.choose(request.user, request.GET)
    if not choice.period_valid:
        messages.error(request, _("Kỳ báo cáo không hợp lệ: đang xem 6 tháng đầu năm 2026."))
    return choice


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Tổng hợp: target vs achieved, accepted reports vs live data, per unit, with a chart."""
    choice = _choice(request)
    period, indicator = choice.period, choice.indicator
    board = dashboard.board(choice.area, period, choice.indicators, indicator)
    can_refresh = bool(policy.can(request.user, policy.Action.REFRESH_SUMMARY))
    own = policy.active_assignment(request.user)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "board": board,
            "period": period,
            "indicator": indicator,
            "indicator_rows": board_rows.indicator_rows(
                board, dashboard.indicator_rows(board), indicator
            ),
            "unit_rows": board_rows.unit_rows(board, indicator) if board.units else "",
            # Another unit than the user's own (a drill-down): the form keeps it.
            "drilled": own is None or board.area.pk != own.unit_id,
            "chart": dashboard.chart(board, indicator) if board.units else "",
            "refreshed": board.refreshed,
            "can_refresh": can_refresh,
            "job": refreshing.latest(period.code) if can_refresh else None,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """Xuất những gì đang xem: the same period, area and indicator as the page (.xlsx; one
    row per indicator and key, per plan line and per lower unit: small, sent at once)."""
    choice = _choice(request)
    board = dashboard.board(choice.area, choice.period, choice.indicators, choice.indicator)
    return http.download(
        exporting.board_xlsx(board, choice.indicator),
        f"tong-hop-{board.area.code}-{choice.period.code}.xlsx",
        exporting.XLSX,
    )


def _chart_board(request: HttpRequest) -> tuple[dashboard.Board, dashboard.Choice]:
    """The board whose chart the page draws (same period, area, indicator and scope; a page
    without lower units draws no bar, and its exports have none)."""
    choice = _choice(request)
    return dashboard.board(choice.area, choice.period, choice.indicators, choice.indicator), choice


@login_required
def chart_export(request: HttpRequest) -> HttpResponse:
    """Xuất dữ liệu biểu đồ: the chart's bars as .xlsx (small: a bar per lower unit)."""
    board, choice = _chart_board(request)
    return http.download(
        exporting.chart_xlsx(board, choice.indicator),
        f"bieu-do-{choice.indicator.code}-{board.area.code}-{choice.period.code}.xlsx",
        exporting.XLSX,
    )


@login_required
def chart_svg(request: HttpRequest) -> HttpResponse:
    """Tải biểu đồ: the chart itself as an .svg file (it prints as drawn)."""
    board, choice = _chart_board(request)
    return http.download(
        dashboard.chart(board, choice.indicator).encode(),
        f"bieu-do-{choice.indicator.code}-{board.area.code}-{choice.period.code}.svg",
        "image/svg+xml",
    )


@login_required
def dashboard_records(request: HttpRequest) -> HttpResponse:
    """Số liệu này gồm những gì: the records behind a unit's live figure, down to each one."""
    choice = _choice(request)
    if not choice.indicator.computation:
        raise Http404
    key = drilldown.check_key(choice.indicator, choice.key, live=True)
    found = dashboard.records(request.user, choice.indicator, choice.area, choice.period, key)
    return render(
        request,
        "reporting/records.html",
        {
            "area": choice.area,
            "period": choice.period,
            "indicator": choice.indicator,
            "key": key,
            "records": found,
        },
    )


@login_required
def dashboard_reported(request: HttpRequest) -> HttpResponse:
    """Số liệu theo báo cáo gồm những gì: the accepted reports a reported (or hand-entered)
    figure sums, each with the lines where it was entered, who entered them, when and why."""
    choice = _choice(request)
    key = drilldown.check_key(choice.indicator, choice.key, live=False)
    found = drilldown.reported(request.user, choice.indicator, choice.area, choice.period, key)
    return render(
        request,
        "reporting/reported.html",
        {
            "area": choice.area,
            "period": choice.period,
            "indicator": choice.indicator,
            "key": key,
            "found": found,
        },
    )


@login_required
def reported_export(request: HttpRequest) -> HttpResponse:
    """Xuất những gì đang xem: the reports behind a reported figure (.xlsx; a few dozen rows at
    most — a report per province — sent at once)."""
    choice = _choice(request)
    key = drilldown.check_key(choice.indicator, choice.key, live=False)
    found = drilldown.reported(request.user, choice.indicator, choice.area, choice.period, key)
    code = f"{choice.indicator.code}-{key + '-' if key else ''}{choice.area.code}"
    return http.download(
        exporting.reported_xlsx(found, choice.indicator, choice.period),
        f"theo-bao-cao-{code}-{choice.period.code}.xlsx",
        exporting.XLSX,
    )


@login_required
def records_export(request: HttpRequest) -> HttpResponseBase:
    """Xuất danh sách bản ghi: every record behind the figure, in the user's scope (.xlsx);
    a long list is written in the background (``export_plans``)."""
    return exports.list_export(request, "bao-cao-ban-ghi")


@login_required
@require_POST
def summary_refresh(request: HttpRequest) -> HttpResponse:
    """Làm mới bảng tổng hợp: the job runs in the background; the dashboard shows its progress."""
    _require_refresh(request)
    try:
        period = Period.parse(request.POST.get("ky", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:dashboard")
    refreshing.start_refresh(actor=request.user, period=period)
    messages.success(
        request,
        _("Đã đưa việc làm mới bảng tổng hợp %(period)s vào hàng đợi; tiến độ hiện trên trang.")
        % {"period": period.code},
    )
    return redirect(f"{reverse('reporting:dashboard')}?ky={period.code}")


@login_required
def summary_refresh_status(request: HttpRequest) -> HttpResponse:
    """Tiến độ làm mới bảng tổng hợp of a period (polled by htmx every 2 s while it runs)."""
    _require_refresh(request)
    return render(
        request,
        "reporting/_refresh_status.html",
        {"job": refreshing.latest(request.GET.get("ky", "")[:8])},
    )


def _require_refresh(request: HttpRequest) -> None:
    decision = policy.can(request.user, policy.Action.REFRESH_SUMMARY)
    if not decision:
        raise PermissionDenied(decision.reason)
