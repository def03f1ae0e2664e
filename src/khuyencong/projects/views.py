"""Project pages. Thin: reads through selectors, writes through services; access is the
policy's (selectors answer 404 outside the scope, services 403 with the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core import http, uploads
from khuyencong.core.concurrency import StaleEditError, refuse_stale
from khuyencong.core.counting import ListPaginator
from khuyencong.core.exports import list_export
from khuyencong.core.formatting import format_money
from khuyencong.core.http import download
from khuyencong.geo.models import UnitLevel
from khuyencong.planning.models import SupportRegistration
from khuyencong.planning.organisations import centre_name

from . import (
    cosigning,
    documents,
    listing,
    norms_api,
    rows,
    rules,
    selectors,
    services,
    workflow,
)
from . import disbursement as money
from .forms import (
    AttachmentForm,
    BudgetFormSet,
    InspectionForm,
    MoneyForm,
    OutputFormSet,
    ProgressForm,
    ProjectForm,
    TaskFormSet,
    add_findings,
    initial_from_project,
    line_choices,
    project_data,
    step_form,
)
from .models import Project, ProjectFund, ProjectStatus

DOMAIN_ERRORS = (services.ProjectError, StaleEditError)
PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _form_errors_to_messages(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


# --------------------------------------------------------------------------------------------
# List
# --------------------------------------------------------------------------------------------
def _list_filters(request: HttpRequest) -> listing.ListFilters:
    return listing.list_filters(request.user, request.GET)


def _without(query: Any, name: str) -> str:
    rest = query.copy()
    rest.pop(name, None)
    return str(rest.urlencode())


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    filters = _list_filters(request)
    found = selectors.project_rows(request.user, **filters.selector)
    # A title search counts as the registry's does (exact up to SEARCH_EXACT_COUNT_LIMIT, then
    # "hơn …" with the exact figure on request): each match's row is read to be counted.
    search = bool(filters.selector["search"].strip())
    page = ListPaginator.for_request(
        found,
        PAGE_SIZE,
        request,
        counted=selectors.counted_projects(request.user, **filters.selector),
        estimate=not search,
        limit=settings.SEARCH_EXACT_COUNT_LIMIT if search else None,
    )
    query = request.GET.copy()
    query.pop("trang", None)
    scope = policy.scope_unit(request.user)
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "rows_html": rows.table_rows(page.object_list),
            "statuses": [
                (selectors.SUPPORTED_STATUS, _("Đã phê duyệt trở lên")),
                *ProjectStatus.choices,
            ],
            "funds": ProjectFund.choices,
            **filters.raw,
            "line_filter": selectors.line_for_filter(request.user, filters.selector["line_id"]),
            "query_without_line": _without(query, "dong"),
            "query": query.urlencode(),
            "can_create": scope is not None
            and scope.level == UnitLevel.PROVINCE
            and bool(policy.can(request.user, policy.Action.CREATE_PROJECT, scope)),
        },
    )


@login_required
def project_export(request: HttpRequest) -> HttpResponseBase:
    """Xuất Excel the projects the list shows with the same filters (all pages, in the same
    order); a long list is written in the background (``core.exports``)."""
    try:
        return list_export(request, "de-an")
    except selectors.ExportTooLarge as exc:
        messages.error(request, exc.message)
        query = request.GET.urlencode()
        return redirect(reverse("projects:project_list") + (f"?{query}" if query else ""))


# --------------------------------------------------------------------------------------------
# Create and edit
# --------------------------------------------------------------------------------------------
def _formsets(request: HttpRequest, unit: Any, initial: dict[str, Any]) -> Any:
    data = request.POST if request.method == "POST" else None
    lines = selectors.activity_lines_for(unit)
    budget = BudgetFormSet(data, prefix="dutoan", initial=initial.get("budget"))
    tasks = TaskFormSet(data, prefix="congviec", initial=initial.get("tasks"))
    outputs = OutputFormSet(
        data,
        prefix="sanpham",
        initial=initial.get("outputs"),
        form_kwargs={"lines": lines, "choices": line_choices(lines)},
    )
    return budget, tasks, outputs


def _all_valid(*forms: Any) -> bool:
    return all([f.is_valid() for f in forms])  # noqa: C419 - validate every form


def _initial_from_registration(registration: SupportRegistration, unit: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": registration.activity,
        "fund": registration.round.fund,
        "plan_year": registration.round.plan_year,
        "kind": "thuong",
        "implementing_unit": centre_name(unit.code, unit.name, unit.unit_type),
        "location": registration.commune_id,
        "beneficiaries": [registration.establishment_id],
        "need": registration.description,
        "expected_effects": registration.expected_outputs,
    }
    contents = norms_api.contents_of_group(registration.content_group_id)
    if registration.norm_content_id:
        initial["content"] = registration.norm_content_id
    elif len(contents) == 1:
        initial["content"] = contents[0]
    if initial.get("content"):
        # The programme line of that norm, when the programmes have exactly one: the
        # quantity is left for the centre to state.
        lines = selectors.activity_lines_for(unit, registration.round.plan_year).filter(
            norm_content=initial["content"]
        )
        if len(found := lines[:2]) == 1:
            initial["outputs"] = [{"line": found[0].pk}]
    initial["budget"] = [
        {
            "item": registration.activity,
            "kcqg": registration.support_kcqg,
            "kcdp": registration.support_kcdp,
            "counterpart": registration.counterpart,
            "other": registration.other,
        }
    ]
    if registration.start_month and registration.end_month:
        initial["tasks"] = [
            {
                "name": registration.activity,
                "start": registration.start_month,
                "end": rules.month_end(registration.end_month),
            }
        ]
    return initial


def _save_form(request: HttpRequest, form: ProjectForm, formsets: Any, save: Any) -> Project | None:
    """Validate the form and its formsets, call ``save(data)``; put findings on the form."""
    if not _all_valid(form, *formsets):
        return None
    try:
        # Its warnings are not repeated as messages: the project's page lists every finding.
        project, _warnings = save(project_data(form, *formsets))
    except services.ProjectInvalid as exc:
        add_findings(form, exc.findings)
        return None
    except DOMAIN_ERRORS as exc:
        form.add_error(None, str(exc))
        return None
    return project


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    scope = policy.scope_unit(request.user)
    decision = policy.can(request.user, policy.Action.CREATE_PROJECT, scope)
    if scope is None or not decision:
        raise PermissionDenied(decision.reason)
    if scope.level != UnitLevel.PROVINCE:
        raise PermissionDenied(_("Đề án khuyến công do Trung tâm khuyến công cấp tỉnh lập."))
    registration = None
    registration_id = _int(request.GET.get("phieu"))
    initial: dict[str, Any] = {
        "plan_year": services.today().year + 1,
        "implementing_unit": centre_name(scope.code, scope.name, scope.unit_type),
        "version": 0,
    }
    if registration_id is not None:
        registration = (
            selectors.registrations_for_projects(request.user).filter(pk=registration_id).first()
        )
        if registration is None:
            raise Http404
        initial = _initial_from_registration(registration, scope)
    form = ProjectForm(request.POST or None, unit=scope, initial=initial)
    formsets = _formsets(request, scope, initial)
    if request.method == "POST":
        project = _save_form(
            request,
            form,
            formsets,
            lambda data: services.create_project(
                actor=request.user, data=data, registration=registration
            ),
        )
        if project is not None:
            messages.success(request, _("Đã lập đề án “%(p)s” (dự thảo).") % {"p": project})
            return redirect("projects:project_detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "formsets": formsets,
            "budget": formsets[0],
            "tasks": formsets[1],
            "outputs": formsets[2],
            "project": None,
            "registration": registration,
            "registrations": selectors.registrations_for_projects(request.user)[:50]
            if registration is None
            else [],
        },
    )


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_view(request.user, pk)
    decision = policy.can(request.user, policy.Action.CREATE_PROJECT, project)
    if not decision:
        raise PermissionDenied(decision.reason)
    if project.is_locked:
        messages.error(request, services.locked_message(project))
        return redirect("projects:project_detail", pk=pk)
    if not project.is_editable:
        messages.error(
            request,
            _("Đề án đang ở trạng thái “%(s)s”: chỉ sửa được khi là dự thảo hoặc bị trả lại.")
            % {"s": project.get_status_display()},
        )
        return redirect("projects:project_detail", pk=pk)
    initial = initial_from_project(project)
    initial["budget"] = [
        {
            "item": b.item,
            "kcqg": b.kcqg,
            "kcdp": b.kcdp,
            "counterpart": b.counterpart,
            "other": b.other,
        }
        for b in project.budget_lines.all()
    ]
    initial["tasks"] = [
        {"name": t.name, "start": t.start, "end": t.end} for t in project.tasks.all()
    ]
    initial["outputs"] = [
        {"line": o.line_id, "planned": o.planned_quantity.normalize()}
        for o in project.outputs.all()
    ]
    form = ProjectForm(request.POST or None, unit=project.unit, initial=initial)
    formsets = _formsets(request, project.unit, initial)
    if request.method == "POST":
        saved = _save_form(
            request,
            form,
            formsets,
            lambda data: services.update_project(
                actor=request.user,
                project=project,
                expected_version=form.cleaned_data.get("version") or 0,
                data=data,
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu đề án."))
            return redirect("projects:project_detail", pk=pk)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "formsets": formsets,
            "budget": formsets[0],
            "tasks": formsets[1],
            "outputs": formsets[2],
            "project": project,
            "registration": project.registration,
            "registrations": [],
        },
    )


# --------------------------------------------------------------------------------------------
# Detail
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PanelItem:
    transition: workflow.Transition
    signoff: workflow.SignOff
    form: Any
    signed: list[str]
    waiting: list[str]


def _panel(user: Any, project: Project) -> list[PanelItem]:
    """The steps the user may take now: the table says which role signs, the policy decides."""
    assignment = policy.active_assignment(user)
    if assignment is None:
        return []
    items = []
    for t in workflow.available(project.status, project.fund):
        signoff = t.signoff_for(assignment.role)
        if signoff is None or not policy.can(user, policy.Action(signoff.permission), project):
            continue
        signed = selectors.current_signers(project, t) if t.all_required else set()
        if assignment.role in signed:
            continue
        items.append(
            PanelItem(
                t,
                signoff,
                step_form(signoff, project, t.action),
                [str(s.role_label) for s in t.signoffs if s.role in signed],
                [
                    str(s.role_label)
                    for s in workflow.pending_signoffs(t, signed | {assignment.role})
                ],
            )
        )
    return items


def _pending_steps(project: Project) -> list[dict[str, Any]]:
    """For multi-department steps from the current state: who signed, who has not yet."""
    found = []
    for t in workflow.available(project.status, project.fund):
        if not t.all_required:
            continue
        signed = selectors.current_signers(project, t)
        found.append(
            {
                "transition": t,
                "signoffs": [(s, s.role in signed) for s in t.signoffs],
            }
        )
    return found


def _can(user: Any, action: policy.Action, project: Project) -> bool:
    return bool(policy.can(user, action, project))


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_page(request.user, pk)
    user = request.user
    status = project.status
    open_ = not project.is_locked
    # The rule checks and what changed between submissions are the administration's.
    internal = policy.sees_internal(user)
    # The norm in force gives both the advance rate and the rule check's limit: read once.
    terms = services.norm_terms(project) if project.approved_support or internal else None
    rate = terms.advance_rate if terms is not None and project.approved_support else None
    can_money = open_ and _can(user, policy.Action.RECORD_PAYMENT, project)
    version_initial = {"version": project.version}
    content_name = selectors.content_name(project)
    findings = (
        services.findings_for(project, content_name=content_name, terms=terms) if internal else []
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "content_label": content_name or project.content,
            "findings": findings,
            "errors": rules.errors(findings),
            "summary": selectors.change_summary(project) if internal else None,
            "sees_internal": internal,
            "panel": _panel(user, project),
            "pending_steps": _pending_steps(project) if internal else [],
            "can_cosign": _can(user, policy.Action.COSIGN_PAYMENT, project),
            "money": selectors.money_of(project, rate) if rate is not None else [],
            "rate": rules.percent(rate) if rate is not None else "",
            "advance_form": MoneyForm(project=project, initial=version_initial, prefix="tamung")
            if can_money and status in workflow.ADVANCE_STATES
            else None,
            "payment_form": MoneyForm(project=project, initial=version_initial, prefix="thanhtoan")
            if can_money and status in workflow.PAYMENT_STATES
            else None,
            "progress_form": ProgressForm(initial=version_initial)
            if open_
            and status in workflow.PROGRESS_STATES
            and _can(user, policy.Action.REPORT_PROGRESS, project)
            else None,
            "inspection_form": InspectionForm(initial=version_initial)
            if open_
            and status in workflow.INSPECTION_STATES
            and _can(user, policy.Action.INSPECT_PROJECT, project)
            else None,
            "attachment_form": AttachmentForm()
            if status in workflow.ATTACHMENT_STATES
            and _can(user, policy.Action.ATTACH_PROJECT_FILE, project)
            else None,
            "can_edit": project.is_editable and _can(user, policy.Action.CREATE_PROJECT, project),
            "outputs": list(project.outputs.all()),
            "documents": [
                d for d in documents.available(project) if policy.may_read(user, d.visibility)
            ],
        },
    )


# --------------------------------------------------------------------------------------------
# Writes from the detail page
# --------------------------------------------------------------------------------------------
def _version(request: HttpRequest) -> int:
    """The version the form was built on; a form without one is treated as out of date (0:
    no row has it), so the user is asked to reload rather than told the project is gone."""
    return _int(request.POST.get("version")) or 0


@login_required
@require_POST
def project_transition(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_view(request.user, pk)
    steps = [policy.Action(p) for p in sorted(workflow.STEP_PERMISSIONS)]
    decision = policy.can_any(request.user, steps, project)
    if not decision:
        raise PermissionDenied(decision.reason)
    action = request.POST.get("action", "")
    version = _version(request)
    try:  # a form from an older page: "reload", before the new state's steps are looked at
        refuse_stale(project, version)
        t = workflow.find(project.status, action, project.fund)
    except (StaleEditError, workflow.TransitionError) as exc:
        messages.error(request, str(exc))
        return redirect("projects:project_detail", pk=pk)
    assignment = policy.active_assignment(request.user)
    signoff = t.signoff_for(assignment.role) if assignment is not None else None
    payload: dict[str, Any] = {}
    comment = ""
    if signoff is not None:
        form = step_form(signoff, project, action, request.POST)
        if not form.is_valid():
            _form_errors_to_messages(request, form)
            return redirect("projects:project_detail", pk=pk)
        payload, comment = form.payload(), form.cleaned_data.get("comment", "")
        payload["visibility"] = form.visibility()
    try:  # without a sign-off for the role, the service refuses with the policy's reason
        outcome = services.transition(
            actor=request.user,
            project=project,
            action=action,
            expected_version=version,
            comment=comment,
            **payload,
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
        return redirect("projects:project_detail", pk=pk)
    if outcome.advanced:
        messages.success(request, _("Đề án: %(s)s.") % {"s": outcome.project.get_status_display()})
    else:
        messages.success(
            request,
            _("Đã ghi nhận ý kiến của bạn cho bước “%(step)s”; đang chờ %(who)s.")
            % {"step": t.label, "who": ", ".join(str(s.role_label) for s in outcome.pending)},
        )
    return redirect("projects:project_detail", pk=pk)


def _require(request: HttpRequest, action: policy.Action, project: Project) -> None:
    """A role that may not take this step hears so (403 with the reason) before any form."""
    decision = policy.can(request.user, action, project)
    if not decision:
        raise PermissionDenied(decision.reason)


def _money(request: HttpRequest, pk: int, prefix: str, save: Any, done: str) -> HttpResponse:
    project = selectors.project_for_view(request.user, pk)
    _require(request, policy.Action.RECORD_PAYMENT, project)
    form = MoneyForm(request.POST, project=project, prefix=prefix)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:project_detail", pk=pk)
    d = form.cleaned_data
    try:
        save(
            actor=request.user,
            project=project,
            expected_version=d["version"],
            fund=d["fund"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            note=d.get("note", ""),
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("projects:project_detail", pk=pk)


@login_required
@require_POST
def advance_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _money(request, pk, "tamung", services.record_advance, _("Đã ghi nhận tạm ứng."))


@login_required
@require_POST
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _money(request, pk, "thanhtoan", services.record_payment, _("Đã ghi nhận thanh toán."))


@login_required
@require_POST
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_view(request.user, pk)
    _require(request, policy.Action.REPORT_PROGRESS, project)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:project_detail", pk=pk)
    d = form.cleaned_data
    try:
        services.report_progress(
            actor=request.user,
            project=project,
            expected_version=d["version"],
            month=d["month"],
            percent=d["percent"],
            text=d["text"],
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi báo cáo tiến độ."))
    return redirect("projects:project_detail", pk=pk)


@login_required
@require_POST
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_view(request.user, pk)
    _require(request, policy.Action.INSPECT_PROJECT, project)
    form = InspectionForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:project_detail", pk=pk)
    d = form.cleaned_data
    try:
        services.record_inspection(
            actor=request.user,
            project=project,
            expected_version=d["version"],
            inspected_on=d["inspected_on"],
            findings=d["findings"],
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi kết quả kiểm tra."))
    return redirect("projects:project_detail", pk=pk)


@uploads.accepts_upload(uploads.ATTACHMENT)
@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for_view(request.user, pk)
    _require(request, policy.Action.ATTACH_PROJECT_FILE, project)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("projects:project_detail", pk=pk)
    try:
        attachment = services.add_attachment(
            actor=request.user,
            project=project,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data.get("description", ""),
            shared=form.cleaned_data.get("shared", False),
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã đính kèm “%(n)s”.") % {"n": attachment.original_name})
    return redirect("projects:project_detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Files are served only here, after the scope check (never from a public media URL)."""
    attachment = selectors.attachment_for_download(request.user, pk, attachment_pk)
    return http.stored_file(attachment.file, attachment.original_name, attachment.content_type)


@login_required
def project_document(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """A generated document (phiếu thẩm định, quyết định, biên bản nghiệm thu) as Word or PDF;
    404 outside the scope, and 404 with the reason when the project's state has none yet."""
    project = selectors.project_for_view(request.user, pk)
    if kind not in documents.KINDS or fmt not in documents.FORMATS:
        raise Http404
    if not policy.may_read(request.user, documents.KINDS[kind].visibility):
        raise Http404
    if not documents.KINDS[kind].is_available(project):
        reason = _("Đề án đang ở trạng thái “%(s)s”: chưa có “%(d)s”.") % {
            "s": project.get_status_display(),
            "d": documents.KINDS[kind].label,
        }
        return render(request, "404.html", {"reason": reason}, status=404)
    return download(
        documents.render(kind, fmt, project),
        documents.filename(kind, fmt, project),
        documents.FORMATS[fmt][0],
    )


# --------------------------------------------------------------------------------------------
# Disbursement and the finance department's co-signature
# --------------------------------------------------------------------------------------------
def _require_disbursement(request: HttpRequest) -> None:
    decision = policy.can(request.user, policy.Action.VIEW_DISBURSEMENT)
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
def disbursement(request: HttpRequest) -> HttpResponse:
    """Tình hình giải ngân by plan year and fund, and the payments awaiting co-signature."""
    _require_disbursement(request)
    year = _int(request.GET.get("nam"))
    lines = money.by_year_and_fund(request.user, year=year)
    scope = policy.scope_unit(request.user)
    return render(
        request,
        "projects/disbursement.html",
        {
            "lines": lines,
            "totals": money.totals(lines),
            "year": year,
            "awaiting": list(money.awaiting_cosignature(request.user)[:200]),
            "can_cosign": bool(policy.can(request.user, policy.Action.COSIGN_PAYMENT)),
            "rules": cosigning.rules_in_force(
                scope.pk if scope is not None and scope.level == UnitLevel.PROVINCE else None,
                timezone.localdate(),
            ),
        },
    )


@login_required
def disbursement_export(request: HttpRequest) -> HttpResponse:
    _require_disbursement(request)
    year = _int(request.GET.get("nam"))
    lines = money.by_year_and_fund(request.user, year=year)
    content = money.workbook(lines, list(money.awaiting_cosignature(request.user)))
    return download(content, f"giai-ngan-{timezone.localdate():%Y%m%d}.xlsx", http.XLSX)


@login_required
@require_POST
def payment_cosign(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    """Sở Tài chính đồng ký (agree) or không đồng ý (with the reason) a payment."""
    payment = money.payment_for_cosign(request.user, pk, payment_pk)
    back = request.POST.get("next") or reverse("projects:disbursement")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("projects:disbursement")
    try:
        done = cosigning.cosign_payment(
            actor=request.user,
            payment=payment,
            expected_version=_version(request),
            agree=request.POST.get("decision") == "dong-y",
            note=request.POST.get("note", ""),
        )
    except (*DOMAIN_ERRORS, cosigning.CoSignError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(state)s: %(p)s, %(amount)s.")
            % {
                "state": done.get_cosign_status_display(),
                "p": payment.project.title,
                "amount": format_money(done.amount),
            },
        )
    return redirect(back)
