"""After the result: complaints (khiếu nại — lodged by the establishment within the window,
decided by the organiser, an upheld one re-scoring that entry only) and the holders' yearly
reports (báo cáo hằng năm — filed by the holder, late or missing ones listed for the SCT)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core.counting import ListPaginator

from ..forms import ComplaintDecisionForm, ComplaintForm, HolderReportForm, ReasonForm
from ..models import Complaint, ComplaintStatus
from ..selectors import aftercare as selectors
from ..selectors import rounds as round_selectors
from ..services import complaints as services
from ..services import holder_reports as report_services
from .common import DOMAIN_ERRORS, require, saved, show_errors

PAGE_SIZE = 50


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    found = selectors.visible_complaints(request.user).order_by("-lodged_on", "-pk")
    status = request.GET.get("trang_thai", "")
    if status in ComplaintStatus.values:
        found = found.filter(status=status)
    return render(
        request,
        "awards/complaint_list.html",
        {
            "page": ListPaginator.for_request(found, PAGE_SIZE, request),
            "status": status,
            "statuses": ComplaintStatus.choices,
            "query": f"trang_thai={status}" if status else "",
        },
    )


@login_required
def complaint_create(request: HttpRequest, pk: int) -> HttpResponse:
    entry = round_selectors.entry_for_view(request.user, pk)
    require(request, policy.Action.LODGE_COMPLAINT, entry)
    allowed, reason = services.may_lodge(request.user, entry, timezone.localdate())
    form = ComplaintForm(request.POST or None)
    if request.method == "POST":
        complaint = saved(
            request,
            form,
            lambda: services.lodge_complaint(
                actor=request.user, entry=entry, text=form.cleaned_data["text"]
            ),
            _("Đã gửi khiếu nại."),
        )
        if complaint is not None:
            return redirect("awards:complaint_detail", complaint.pk)
        show_errors(request, form)
    return render(
        request,
        "awards/complaint_form.html",
        {
            "entry": entry,
            "form": form,
            "allowed": allowed,
            "reason": reason,
            "deadline": services.complaint_deadline(entry.round),
        },
    )


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for_view(request.user, pk)
    return _complaint_page(request, complaint, None)


def _complaint_page(
    request: HttpRequest, complaint: Complaint, form: ComplaintDecisionForm | None
) -> HttpResponse:
    entry = complaint.entry
    may_decide = complaint.status == ComplaintStatus.LODGED and bool(
        policy.can(request.user, policy.Action.RUN_SELECTION, complaint.round)
    )
    may_close = entry.is_being_rescored and bool(services.may_close_rescoring(request.user, entry))
    return render(
        request,
        "awards/complaint_detail.html",
        {
            "complaint": complaint,
            "entry": entry,
            "form": (form or ComplaintDecisionForm(initial={"version": complaint.version}))
            if may_decide
            else None,
            "close_form": ReasonForm(initial={"version": entry.version}) if may_close else None,
        },
    )


@require_POST
@login_required
def complaint_decide(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_for_view(request.user, pk)
    require(request, policy.Action.RUN_SELECTION, complaint.round)
    form = ComplaintDecisionForm(request.POST)
    if (
        saved(
            request,
            form,
            lambda: services.decide_complaint(
                actor=request.user,
                complaint=complaint,
                expected_version=form.expected_version,
                upheld=form.cleaned_data["upheld"],
                decision=form.cleaned_data["decision"],
            ),
            _("Đã ghi kết quả giải quyết khiếu nại."),
        )
        is not None
    ):
        return redirect("awards:complaint_detail", pk)
    show_errors(request, form)
    return _complaint_page(request, complaint, form)


@require_POST
@login_required
def rescoring_close(request: HttpRequest, pk: int) -> HttpResponse:
    entry = round_selectors.entry_for_view(request.user, pk)
    decision = services.may_close_rescoring(request.user, entry)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            done = services.close_rescoring(
                actor=request.user, entry=entry, expected_version=form.expected_version
            )
        except DOMAIN_ERRORS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Đã khóa chấm lại: điểm trung bình %(m)s, %(v)s.")
                % {"m": done.mean, "v": _("đạt") if done.passed else _("không đạt")},
            )
    else:
        show_errors(request, form)
    return redirect("awards:entry_detail", pk)


@login_required
def holder_report_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = selectors.visible_reports(request.user)
    late = request.GET.get("tre") == "1"
    if late:
        found = selectors.late_reports(found, today)
    return render(
        request,
        "awards/holder_report_list.html",
        {
            "page": ListPaginator.for_request(
                found.order_by("-year", "due_on", "pk"), PAGE_SIZE, request
            ),
            "late": late,
            "today": today,
            "query": "tre=1" if late else "",
        },
    )


@login_required
def holder_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_for_view(request.user, pk)
    may_file = bool(policy.can(request.user, policy.Action.REPORT_AS_HOLDER, report))
    if request.method == "POST" and not may_file:
        require(request, policy.Action.REPORT_AS_HOLDER, report)
    form = HolderReportForm(
        request.POST or None,
        initial={
            "version": report.version,
            "production": report.production,
            "revenue": report.revenue,
            "employees": report.employees,
            "support_received": report.support_received,
        },
    )
    if request.method == "POST":
        if (
            saved(
                request,
                form,
                lambda: report_services.submit_report(
                    actor=request.user,
                    report=report,
                    expected_version=form.expected_version,
                    production=form.cleaned_data["production"],
                    revenue=form.cleaned_data["revenue"],
                    employees=form.cleaned_data["employees"],
                    support_received=form.cleaned_data["support_received"],
                ),
                _("Đã nộp báo cáo hằng năm."),
            )
            is not None
        ):
            return redirect("awards:holder_report_detail", pk)
        show_errors(request, form)
    return render(
        request,
        "awards/holder_report_detail.html",
        {"report": report, "form": form if may_file else None, "today": timezone.localdate()},
    )
