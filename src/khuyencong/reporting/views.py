"""Pages of the reporting app (thin: selectors read, services write, the policy decides)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core import exports, http
from khuyencong.core.concurrency import StaleEditError

from . import documents, expected, exporting, selectors, services, workflow
from .forms import EntriesForm, ExtensionForm, OpenReportForm
from .models import Report, ReportStatus, Source
from .periods import Period, PeriodError

ERRORS = (services.ReportingError, StaleEditError)


def _require_view(request: HttpRequest) -> None:
    decision = policy.can(request.user, policy.Action.VIEW_REPORTS)
    if not decision:
        raise PermissionDenied(decision.reason)


def _period(request: HttpRequest, default: str = "") -> Period | None:
    try:
        return Period.parse(request.GET.get("ky", default))
    except PeriodError:
        return None


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Báo cáo định kỳ: the reports the user may see, and opening the unit's own."""
    _require_view(request)
    period = request.GET.get("ky", "")
    status = request.GET.get("trang_thai", "")
    found = selectors.reports(request.user, period=period, status=status)
    assignment = policy.active_assignment(request.user)
    schedules = None
    if assignment and policy.can(request.user, policy.Action.PREPARE_REPORT):
        # The opening form is written in the template: Django's widgets rendered its select
        # through a template per option, ~4 ms of a ~9 ms page (issue 11); POST still goes
        # through OpenReportForm.
        schedules = selectors.preparable_schedules(assignment.role)
    return render(
        request,
        "reporting/report_list.html",
        {
            "reports": found[:200],
            "period": period,
            "status": status,
            "statuses": ReportStatus.choices,
            "schedules": schedules,
        },
    )


@login_required
def report_list_export(request: HttpRequest) -> HttpResponseBase:
    """Xuất danh sách báo cáo: every report of the list as filtered, in the user's scope; a
    long list is written in the background (``export_plans``)."""
    _require_view(request)
    return exports.list_export(request, "bao-cao")


@login_required
@require_POST
def report_open(request: HttpRequest) -> HttpResponse:
    decision = policy.can(request.user, policy.Action.PREPARE_REPORT)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = OpenReportForm(request.POST)
    unit = policy.scope_unit(request.user)
    if not form.is_valid() or unit is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("reporting:list")
    try:
        report = services.open_report(
            actor=request.user,
            schedule=form.cleaned_data["schedule"],
            unit=unit,
            period=form.cleaned_data["period"],
        )
    except services.ReportingError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:list")
    return redirect("reporting:detail", pk=report.pk)


def _entries_form(report: Report, data: Any = None) -> EntriesForm:
    indicators = list(
        report.indicator_set.indicators.filter(source=Source.MANUAL).order_by("order")
    )
    lines = {line.indicator.pk: line for line in selectors.lines(report)}
    initial: dict[str, Any] = {"narrative": report.narrative}
    for indicator in indicators:
        own = lines[indicator.pk].own.get("")
        initial[f"so_{indicator.pk}"] = own.numerator if own else ""
        initial[f"ghi_chu_{indicator.pk}"] = lines[indicator.pk].notes
    return EntriesForm(data, initial=initial, indicators=indicators)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_view(request.user, pk)
    can_edit = services.may_edit(request.user, report)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "lines": selectors.lines(report),
            "steps": services.allowed_steps(request.user, report),
            "can_edit": can_edit,
            "form": _entries_form(report) if can_edit else None,
            "changes": selectors.changes_since_submission(report),
            "missing": expected.missing_below(report),
            "transitions": report.transitions.select_related("actor"),
            "late": report.submitted_late(),
        },
    )


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None


@login_required
@require_POST
def report_entries(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_view(request.user, pk)
    services.require_preparer(request.user, report)
    form = _entries_form(report, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("reporting:detail", pk=pk)
    try:
        services.save_entries(
            actor=request.user,
            report=report,
            expected_version=_version(request),
            narrative=form.cleaned_data["narrative"],
            values=form.values(),
        )
    except ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu số liệu nhập tay và thuyết minh."))
    return redirect("reporting:detail", pk=pk)


@login_required
@require_POST
def report_refill(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_view(request.user, pk)
    services.require_preparer(request.user, report)
    try:
        services.refill(actor=request.user, report=report, expected_version=_version(request))
    except ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã tính lại số liệu tại ngày chốt."))
    return redirect("reporting:detail", pk=pk)


@login_required
@require_POST
def report_step(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_view(request.user, pk)
    services.require_participant(request.user, report)
    name = request.POST.get("step", "")
    if name not in workflow.Step.__members__.values():
        raise Http404
    try:
        report = services.transition(
            actor=request.user,
            report=report,
            step=name,
            expected_version=_version(request),
            reason=request.POST.get("reason", ""),
            missing_note=request.POST.get("missing_note", ""),
        )
    except ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Báo cáo: %(s)s.") % {"s": report.get_status_display()})
    return redirect("reporting:detail", pk=pk)


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    """Tình hình nộp báo cáo: every expected report of a period in the user's scope, late and
    locked shown apart."""
    _require_view(request)
    period = _period(request, "2026-H1")
    rows = selectors.status_table(request.user, period) if period else []
    return render(
        request,
        "reporting/status.html",
        {
            "period": period,
            "rows": rows,
            "period_text": request.GET.get("ky", "2026-H1"),
            "can_extend": bool(policy.can(request.user, policy.Action.EXTEND_REPORT)),
        },
    )


@login_required
def status_export(request: HttpRequest) -> HttpResponse:
    """The submissions table as shown (.xlsx)."""
    _require_view(request)
    period = _period(request, "2026-H1")
    if period is None:
        raise Http404
    return http.download(
        exporting.status_xlsx(selectors.status_table(request.user, period), period),
        f"tinh-hinh-nop-{period.code}.xlsx",
        exporting.XLSX,
    )


@login_required
def extension_create(request: HttpRequest) -> HttpResponse:
    """Gia hạn nộp, mở lại nhập liệu cho một đơn vị (the level it reports to)."""
    decision = policy.can(request.user, policy.Action.EXTEND_REPORT)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = ExtensionForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = policy.visible_units(request.user).filter(code=data["unit_code"].strip()).first()
        if unit is None:
            form.add_error("unit_code", _("Không có đơn vị mã này trong phạm vi của bạn."))
        else:
            try:
                services.grant_exception(
                    actor=request.user,
                    schedule=data["schedule"],
                    unit=unit,
                    period=data["period"],
                    reason=data["reason"],
                    due_until=data["due_until"],
                    lock_until=data["lock_until"],
                )
            except services.ReportingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã gia hạn cho %(unit)s.") % {"unit": unit})
                return redirect(f"{_status_url()}?ky={data['period'].code}")
    return render(request, "reporting/extension_form.html", {"form": form})


def _status_url() -> str:
    from django.urls import reverse

    return reverse("reporting:status")


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as .docx / .pdf (BÁO CÁO, Decree 30 layout) or .xlsx."""
    report = selectors.report_for_view(request.user, pk)
    if fmt not in documents.FORMATS:
        raise Http404
    return http.download(
        documents.render(report, fmt), documents.filename(report, fmt), documents.FORMATS[fmt]
    )
