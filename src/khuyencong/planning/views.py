"""Pages of rounds, registrations and annual plans. Thin: reads through selectors, writes
through services; access is the policy's (selectors answer 404 out of scope, services 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core.concurrency import StaleEditError
from khuyencong.core.counting import ListPaginator
from khuyencong.core.http import DOCX, XLSX, download
from khuyencong.geo import picker
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import deadlines, documents, excel, rounds, rows, selectors, services, workflow
from .forms import (
    ExtensionForm,
    ItemDeleteForm,
    PlanCreateForm,
    PlanItemForm,
    PlanTransitionForm,
    RegistrationForm,
    RoundForm,
    TransitionForm,
    VersionForm,
    initial_from_round,
)
from .models import AnnualPlan, PlanItem, RegistrationRound, RegistrationStatus
from .presentation import plan_sheet

DOMAIN_ERRORS = (services.PlanningError, StaleEditError)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _form_errors_to_messages(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _may_extend(user: Any, round_: Any) -> policy.Decision:
    """Grant extensions in this round: its own managers, or a province's for its communes in a
    round opened above the province."""
    decision = policy.can(user, policy.Action.MANAGE_ROUNDS, round_)
    scope = policy.scope_unit(user)
    if decision or scope is None or scope.level != UnitLevel.PROVINCE:
        return decision
    if not scope.is_within(round_.unit):
        return decision
    return policy.can(user, policy.Action.MANAGE_ROUNDS, scope)


def _require_any(user: Any, table: dict[Any, workflow.Transition], obj: Any) -> None:
    """A role that takes no step of this lifecycle is refused before the form is read."""
    actions = {policy.Action(t.permission) for t in table.values()}
    decision = policy.can_any(user, sorted(actions), obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def _allowed(user: Any, table: dict[Any, workflow.Transition], state: str, obj: Any) -> list[Any]:
    """The transitions the user may take from ``state`` (the policy decides each)."""
    return [
        t
        for t in workflow.available(table, state)
        if policy.can(user, policy.Action(t.permission), obj)
    ]


# --------------------------------------------------------------------------------------------
# Rounds
# --------------------------------------------------------------------------------------------
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    scope = policy.scope_unit(request.user)
    return render(
        request,
        "planning/round_list.html",
        {
            "page": ListPaginator.for_request(
                selectors.rounds_with_counts(request.user), 50, request
            ),
            "can_open": scope is not None
            and scope.level in (UnitLevel.NATIONAL, UnitLevel.PROVINCE)
            and policy.can(request.user, policy.Action.MANAGE_ROUNDS, scope),
        },
    )


def _province_code(user: Any) -> str | None:
    scope = policy.scope_unit(user)
    return scope.code if scope is not None and scope.level == UnitLevel.PROVINCE else None


def _round_data(data: dict[str, Any]) -> rounds.RoundData:
    return rounds.RoundData(
        title=data["title"],
        plan_year=data["plan_year"],
        fund=data["fund"],
        content_groups=list(data["content_groups"]),
        commune_deadline=data["commune_deadline"],
        province_deadline=data["province_deadline"],
        notes=data.get("notes", ""),
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    scope = policy.scope_unit(request.user)
    decision = policy.can(request.user, policy.Action.MANAGE_ROUNDS, scope)
    if scope is None or not decision:
        raise PermissionDenied(decision.reason)
    code = _province_code(request.user)
    year, default = deadlines.next_round(code, services.today())
    form = RoundForm(
        request.POST or None,
        defaults=lambda plan_year: deadlines.default_deadlines(code, plan_year),
        initial={
            "plan_year": year,
            "commune_deadline": default.commune,
            "province_deadline": default.province,
            "content_groups": [g.pk for g in selectors.content_groups()],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.open_round(actor=request.user, data=_round_data(form.cleaned_data))
        except services.PlanningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã mở đợt đăng ký “%(r)s”.") % {"r": round_})
            return redirect("planning:round_detail", pk=round_.pk)
    return render(
        request,
        "planning/round_form.html",
        {"form": form, "scope": scope, "default_source": default.source, "round": None},
    )


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, pk)
    decision = policy.can(request.user, policy.Action.CHANGE_ROUND, round_)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = RoundForm(request.POST or None, initial=initial_from_round(round_))
    if request.method == "POST" and form.is_valid():
        try:
            rounds.update_round(
                actor=request.user,
                round=round_,
                expected_version=form.cleaned_data["version"],
                data=_round_data(form.cleaned_data),
            )
        except (services.PlanningError, StaleEditError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu đợt đăng ký."))
            return redirect("planning:round_detail", pk=pk)
    return render(
        request,
        "planning/round_form.html",
        {"form": form, "scope": round_.unit, "round": round_},
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, pk)
    scope = policy.scope_unit(request.user)
    can_manage = bool(_may_extend(request.user, round_))
    own = None
    if scope is not None and scope.level == UnitLevel.COMMUNE and scope.is_within(round_.unit):
        deadline = selectors.deadline_for(round_, scope)
        own = {
            "deadline": deadline,
            "open": deadlines.is_open(deadline, services.today()),
            "extended": deadline != deadlines.base_deadline(round_, scope),
        }
    return render(
        request,
        "planning/round_detail.html",
        {
            "round": round_,
            "own": own,
            "can_register": bool(policy.can(request.user, policy.Action.REGISTER_NEED)),
            "can_manage": can_manage,
            "extension_form": ExtensionForm(round_unit=round_.unit) if can_manage else None,
            "summary": selectors.commune_summary(round_, request.user),
            "can_change": bool(policy.can(request.user, policy.Action.CHANGE_ROUND, round_)),
            "statuses": RegistrationStatus.choices,
        },
    )


@login_required
@require_POST
def extension_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, pk)
    decision = _may_extend(request.user, round_)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = ExtensionForm(request.POST, round_unit=round_.unit)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("planning:round_detail", pk=pk)
    unit = form.cleaned_data["unit_code"]
    try:
        rounds.extend_deadline(
            actor=request.user,
            round=round_,
            unit=unit,
            new_deadline=form.cleaned_data["new_deadline"],
            reason=form.cleaned_data["reason"],
        )
    except services.PlanningError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã gia hạn cho %(unit)s đến ngày %(date)s.")
            % {"unit": unit, "date": form.cleaned_data["new_deadline"].strftime("%d/%m/%Y")},
        )
    return redirect("planning:round_detail", pk=pk)


# --------------------------------------------------------------------------------------------
# Registrations
# --------------------------------------------------------------------------------------------
@login_required
def registration_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang_thai", "")
    round_id = _int(request.GET.get("dot"))
    commune = picker.filter_unit(request.user, request.GET.get("xa", ""), level=UnitLevel.COMMUNE)
    found = selectors.registrations(
        request.user,
        round_id=round_id,
        status=status if status in RegistrationStatus.values else "",
        commune_code=commune.code,
        year=_int(request.GET.get("nam")),
    )
    page = ListPaginator.for_request(selectors.registration_rows(found), 50, request, counted=found)
    page.object_list = rows.labelled_registration_rows(page.object_list)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "planning/registration_list.html",
        {
            "page": page,
            "statuses": RegistrationStatus.choices,
            "status": status,
            "round_options": rows.round_options(
                selectors.round_choices(request.user), "" if round_id is None else str(round_id)
            ),
            "commune": commune,
            "year": request.GET.get("nam", ""),
            "query": query.urlencode(),
            "can_register": bool(policy.can(request.user, policy.Action.REGISTER_NEED)),
        },
    )


def _registration_form(
    request: HttpRequest, round_: RegistrationRound, **kwargs: Any
) -> RegistrationForm:
    establishments = selectors.establishments_for_registration(request.user).filter(
        commune__path__startswith=round_.unit.path + "/"
    )
    form = RegistrationForm(
        request.POST or None,
        round=round_,
        establishments=establishments,
        check=lambda data: services.check_registration(round_, data),
        **kwargs,
    )
    return form


@login_required
def registration_create(request: HttpRequest) -> HttpResponse:
    decision = policy.can(request.user, policy.Action.REGISTER_NEED)
    if not decision:
        raise PermissionDenied(decision.reason)
    scope = policy.scope_unit(request.user)
    round_id = _int(request.GET.get("dot"))
    if round_id is None:
        open_rounds = (
            selectors.rounds_open_for_unit(request.user, scope, services.today())
            if scope is not None
            else []
        )
        return render(
            request,
            "planning/registration_choose_round.html",
            {"open": open_rounds, "establishment_id": _int(request.GET.get("co_so"))},
        )
    round_ = selectors.round_for_view(request.user, round_id)
    initial: dict[str, Any] = {}
    establishment_id = _int(request.GET.get("co_so"))
    if establishment_id:
        initial["establishment"] = establishment_id
    form = _registration_form(request, round_, initial=initial)
    establishments = form.fields["establishment"].queryset  # type: ignore[attr-defined]
    if len(establishments[:2]) == 1:
        form.fields["establishment"].initial = establishments[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            registration, _warnings = services.create_registration(
                actor=request.user,
                round=round_,
                establishment=form.cleaned_data["establishment"],
                data=form.data_for_service(),
            )
        except services.RegistrationInvalid as exc:
            for finding in exc.findings:
                form.add_error(None, finding.message)
        except services.PlanningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã lưu phiếu số %(n)s (nháp). Kiểm tra lại rồi bấm “Gửi phiếu”.")
                % {"n": registration.pk},
            )
            return redirect("planning:registration_detail", pk=registration.pk)
    deadline = selectors.deadline_for(round_, scope) if scope and scope.level == 3 else None
    return render(
        request,
        "planning/registration_form.html",
        {"form": form, "round": round_, "registration": None, "deadline": deadline},
    )


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for_view(request.user, pk)
    transitions = _allowed(
        request.user, workflow.REGISTRATION_TRANSITIONS, registration.status, registration
    )
    deadline, extended = services.registration_deadline(registration)
    return render(
        request,
        "planning/registration_detail.html",
        {
            "registration": registration,
            "transitions": transitions,
            "sees_internal": policy.sees_internal(request.user),
            "can_edit": registration.is_editable
            and bool(policy.can(request.user, policy.Action.REGISTER_NEED, registration)),
            "deadline": deadline,
            "deadline_passed": not deadlines.is_open(deadline, services.today()),
            "extended": extended,
            "version": registration.version,
            "warnings": [
                f
                for f in services.check_registration(registration.round, _data_of(registration))
                if f.severity == "warning"
            ]
            if registration.is_editable
            else [],
        },
    )


def _data_of(registration: Any) -> services.RegistrationData:
    return services.RegistrationData(
        content_group=registration.content_group,
        activity=registration.activity,
        amounts=registration.amounts,
        start_month=registration.start_month,
        end_month=registration.end_month,
        description=registration.description,
        expected_outputs=registration.expected_outputs,
        norm_content=registration.norm_content,
    )


@login_required
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for_view(request.user, pk)
    decision = policy.can(request.user, policy.Action.REGISTER_NEED, registration)
    if not decision:
        raise PermissionDenied(decision.reason)
    if not registration.is_editable:
        messages.error(
            request,
            _("Phiếu đang ở trạng thái “%(s)s”: không sửa được.")
            % {"s": registration.get_status_display()},
        )
        return redirect("planning:registration_detail", pk=pk)
    form = _registration_form(
        request,
        registration.round,
        initial={
            "establishment": registration.establishment_id,
            "content_group": registration.content_group_id,
            "activity": registration.activity,
            "norm_content": registration.norm_content_id,
            "description": registration.description,
            "expected_outputs": registration.expected_outputs,
            "total_cost": registration.total_cost,
            "support_kcqg": registration.support_kcqg,
            "support_kcdp": registration.support_kcdp,
            "counterpart": registration.counterpart,
            "other": registration.other,
            "start_month": registration.start_month,
            "end_month": registration.end_month,
            "version": registration.version,
        },
    )
    form.fields["establishment"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            _saved, _warnings = services.update_registration(
                actor=request.user,
                registration=registration,
                expected_version=form.cleaned_data.get("version") or 0,
                data=form.data_for_service(),
            )
        except services.RegistrationInvalid as exc:
            for finding in exc.findings:
                form.add_error(None, finding.message)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu phiếu."))
            return redirect("planning:registration_detail", pk=pk)
    return render(
        request,
        "planning/registration_form.html",
        {"form": form, "round": registration.round, "registration": registration},
    )


@login_required
@require_POST
def registration_transition(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_for_view(request.user, pk)
    _require_any(request.user, workflow.REGISTRATION_TRANSITIONS, registration)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("planning:registration_detail", pk=pk)
    action = form.cleaned_data["action"]
    try:
        updated = services.transition_registration(
            actor=request.user,
            registration=registration,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
            expected_version=form.cleaned_data["version"],
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Phiếu số %(n)s: %(state)s.")
            % {"n": updated.pk, "state": updated.get_status_display()},
        )
    return redirect("planning:registration_detail", pk=pk)


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = policy.scope_unit(request.user)
    can_create = (
        scope is not None
        and scope.level == UnitLevel.PROVINCE
        and bool(policy.can(request.user, policy.Action.PREPARE_PLAN, scope))
    )
    return render(
        request,
        "planning/plan_list.html",
        {
            "plans": selectors.plans(request.user, year=_int(request.GET.get("nam"))),
            "year": request.GET.get("nam", ""),
            "create_form": PlanCreateForm(initial={"year": services.today().year + 1})
            if can_create
            else None,
        },
    )


@login_required
@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    decision = policy.can(request.user, policy.Action.PREPARE_PLAN, policy.scope_unit(request.user))
    if not decision:
        raise PermissionDenied(decision.reason)
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("planning:plan_list")
    try:
        plan = services.create_plan(
            actor=request.user, year=form.cleaned_data["year"], fund=form.cleaned_data["fund"]
        )
    except services.PlanningError as exc:
        messages.error(request, str(exc))
        return redirect("planning:plan_list")
    messages.success(request, _("Đã lập “%(p)s” (dự thảo).") % {"p": plan})
    return redirect("planning:plan_detail", pk=plan.pk)


def _sheet(plan: AnnualPlan) -> Any:
    programme = selectors.province_programme(plan.unit, plan.year)
    allocated = selectors.allocation_by_group(programme, plan.year, plan.fund)
    return plan_sheet(
        plan, allocated=allocated, programme_title=programme.title if programme else ""
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    sheet = _sheet(plan)
    can_prepare = bool(policy.can(request.user, policy.Action.PREPARE_PLAN, plan))
    transitions = _allowed(request.user, workflow.PLAN_TRANSITIONS, plan.status, plan)
    # An empty plan is refused on submission: offer no "Trình" button, say what is missing.
    held = [t for t in transitions if not sheet.rows and t.action == workflow.PlanAction.SUBMIT]
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "sheet": sheet,
            "rows": list(zip(sheet.rows, plan.items.all(), strict=True)),
            "fund_total": sheet.total.for_fund(plan.fund),
            "transitions": [t for t in transitions if t not in held],
            "cannot_submit_empty": bool(held),
            "can_edit": plan.is_editable and can_prepare,
            "pending": selectors.accepted_not_in_plan(plan).count()
            if plan.is_editable and can_prepare
            else 0,
            "revisions": selectors.plan_revisions(plan),
            "log": plan.transitions.all(),
            "programme": selectors.province_programme(plan.unit, plan.year),
        },
    )


@login_required
@require_POST
def plan_consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    _require_prepare(request, plan)
    form = VersionForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("planning:plan_detail", pk=pk)
    try:
        added = services.consolidate(
            actor=request.user, plan=plan, expected_version=form.cleaned_data["version"]
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        if added:
            messages.success(
                request,
                _("Đã tổng hợp %(n)s phiếu đăng ký vào kế hoạch.") % {"n": added},
            )
        else:
            messages.info(request, _("Không có phiếu đã chấp nhận nào chưa được tổng hợp."))
    return redirect("planning:plan_detail", pk=pk)


@login_required
@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    _require_any(request.user, workflow.PLAN_TRANSITIONS, plan)
    form = PlanTransitionForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("planning:plan_detail", pk=pk)
    try:
        result = services.transition_plan(
            actor=request.user,
            plan=plan,
            action=form.cleaned_data["action"],
            expected_version=form.cleaned_data["version"],
            comment=form.cleaned_data.get("comment", ""),
            decision_number=form.cleaned_data.get("decision_number", ""),
            decision_date=form.cleaned_data.get("decision_date"),
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
        return redirect("planning:plan_detail", pk=pk)
    if result.pk != plan.pk:
        messages.success(
            request,
            _("Đã tạo phiên bản điều chỉnh lần %(n)s (dự thảo); phiên bản trước được giữ nguyên.")
            % {"n": result.revision},
        )
    else:
        messages.success(request, _("Kế hoạch: %(s)s.") % {"s": result.get_status_display()})
    return redirect("planning:plan_detail", pk=result.pk)


def _plan_item(request: HttpRequest, pk: int, item_pk: int) -> tuple[AnnualPlan, PlanItem]:
    plan = selectors.plan_for_view(request.user, pk)
    item = next((i for i in plan.items.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404
    return plan, item


def _item_form(request: HttpRequest, plan: AnnualPlan, **kwargs: Any) -> PlanItemForm:
    return PlanItemForm(
        request.POST or None,
        communes=AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.COMMUNE, parent=plan.unit)
        .order_by("name"),
        check=lambda data: services.check_item(plan, data),
        **kwargs,
    )


def _require_prepare(request: HttpRequest, plan: AnnualPlan) -> None:
    decision = policy.can(request.user, policy.Action.PREPARE_PLAN, plan)
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    _require_prepare(request, plan)
    sheet_centre = _sheet(plan).centre
    form = _item_form(
        request, plan, initial={"version": plan.version, "implementing_unit": sheet_centre}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(
                actor=request.user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                data=form.data_for_service(),
            )
        except services.RegistrationInvalid as exc:
            for finding in exc.findings:
                form.add_error(None, finding.message)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã thêm hoạt động vào kế hoạch."))
            return redirect("planning:plan_detail", pk=pk)
    return render(request, "planning/item_form.html", {"form": form, "plan": plan, "item": None})


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan, item = _plan_item(request, pk, item_pk)
    _require_prepare(request, plan)
    form = _item_form(
        request,
        plan,
        initial={
            "name": item.name,
            "implementing_unit": item.implementing_unit,
            "beneficiary": item.beneficiary,
            "commune": item.commune_id,
            "content_group": item.content_group_id,
            "total_cost": item.total_cost,
            "support_kcqg": item.support_kcqg,
            "support_kcdp": item.support_kcdp,
            "counterpart": item.counterpart,
            "other": item.other,
            "start_month": item.start_month,
            "end_month": item.end_month,
            "notes": item.notes,
            "version": plan.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(
                actor=request.user,
                item=item,
                expected_version=form.cleaned_data["version"],
                data=form.data_for_service(),
            )
        except services.RegistrationInvalid as exc:
            for finding in exc.findings:
                form.add_error(None, finding.message)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu “%(i)s”.") % {"i": form.cleaned_data["name"]})
            return redirect("planning:plan_detail", pk=pk)
    return render(
        request,
        "planning/item_form.html",
        {
            "form": form,
            "plan": plan,
            "item": item,
            "delete_form": ItemDeleteForm(initial={"version": plan.version}),
        },
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan, item = _plan_item(request, pk, item_pk)
    _require_prepare(request, plan)
    form = ItemDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do bỏ đề án khỏi kế hoạch."))
        return redirect("planning:item_edit", pk=pk, item_pk=item_pk)
    try:
        services.delete_item(
            actor=request.user,
            item=item,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
        return redirect("planning:item_edit", pk=pk, item_pk=item_pk)
    messages.success(request, _("Đã bỏ “%(i)s” khỏi kế hoạch.") % {"i": item.name})
    return redirect("planning:plan_detail", pk=pk)


def _filename(plan: AnnualPlan, suffix: str) -> str:
    revision = f"-dc{plan.revision}" if plan.revision else ""
    return f"ke-hoach-{plan.fund.lower()}-{plan.year}-{plan.unit.code}{revision}{suffix}"


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    return download(excel.plan_xlsx(_sheet(plan)), _filename(plan, "-mau-2.xlsx"), XLSX)


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_view(request.user, pk)
    issued_on = plan.decision_date or services.today()
    content = documents.plan_docx(_sheet(plan), issued_on=issued_on)
    return download(content, _filename(plan, ".docx"), DOCX)
