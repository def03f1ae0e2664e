"""Kỳ bình chọn: list, create, edit, extend, open, cancel; the lower authority's short-list."""

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
from khuyencong.core import http
from khuyencong.core.counting import ListPaginator

from .. import exporting, legal, rules, workflow
from ..forms import ExtensionForm, ForwardForm, ReasonForm, RoundForm, criteria_text
from ..models import RoundStatus, SelectionLevel
from ..selectors import jury as jury_selectors
from ..selectors import rounds as selectors
from ..services import SelectionInvalid, scoring
from ..services import entries as entry_services
from ..services import jury as jury_services
from ..services import rounds as services
from ..services.common import today
from ..workflow import RoundStep
from .common import DOMAIN_ERRORS, add_problems, require, show_errors, step_actions

PAGE_SIZE = 50
STEP_ACTIONS = step_actions(workflow.ROUND_TRANSITIONS)  # the organiser's, the chair's close


def organiser_levels(user: Any) -> list[tuple[str, Any]]:
    """The levels the user's role and unit organise (a commune officer: the commune...)."""
    assignment = policy.active_assignment(user)
    if assignment is None or not policy.can(user, policy.Action.RUN_SELECTION, assignment.unit):
        return []
    return [
        (d.level.value, SelectionLevel(d.level.value).label)
        for d in legal.LEVELS
        if d.organiser == assignment.role
        and assignment.unit.level == services.ORGANISER_UNIT_LEVEL[d.level]
    ]


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("nam", "")
    level = request.GET.get("cap", "")
    chosen: dict[str, Any] = {
        "year": int(year) if year.isdigit() else None,
        "level": level if level in SelectionLevel.values else "",
    }
    found = selectors.round_rows(request.user, **chosen)
    counted = selectors.rounds(request.user, **chosen)
    page = ListPaginator.for_request(found, PAGE_SIZE, request, counted=counted)
    page.object_list = selectors.labelled_round_rows(page.object_list)
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "awards/round_list.html",
        {
            "page": page,
            "levels": SelectionLevel.choices,
            "year": year,
            "level": level,
            "query": params.urlencode(),
            "can_create": bool(organiser_levels(request.user)),
        },
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    levels = organiser_levels(request.user)
    if not levels:
        require(request, policy.Action.RUN_SELECTION, policy.scope_unit(request.user))
        raise Http404
    chosen = request.POST.get("level") or request.GET.get("cap") or levels[0][0]
    if chosen not in dict(levels):
        chosen = levels[0][0]
    form = RoundForm(request.POST or None, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        unit = policy.scope_unit(request.user)
        assert unit is not None  # organiser_levels needs an assignment
        try:
            round_ = services.create_round(
                actor=request.user,
                unit=unit,
                level=chosen,
                data=form.round_data(),
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Đã lập kỳ bình chọn (dự thảo). Kiểm tra rồi bấm “Mở nhận hồ sơ”.")
            )
            return redirect("awards:round_detail", round_.code)
    return render(
        request, "awards/round_form.html", {"form": form, "levels": levels, "level": chosen}
    )


def _initial(round_: Any) -> dict[str, Any]:
    return {
        "title": round_.title,
        "year": round_.year,
        "region": round_.region_id,
        "legal_basis": round_.legal_basis,
        "registration_opens": round_.registration_opens,
        "registration_closes": round_.registration_closes,
        "scoring_opens": round_.scoring_opens,
        "scoring_closes": round_.scoring_closes,
        "pass_mark": round_.pass_mark,
        "pass_mark_basis": round_.pass_mark_basis,
        "criteria": criteria_text(round_.criteria),
        "outlier_margin": round_.outlier_margin,
        "max_passing": round_.max_passing,
        "max_passing_basis": round_.max_passing_basis,
        "version": round_.version,
    }


@login_required
def round_edit(request: HttpRequest, code: str) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, code)
    require(request, policy.Action.RUN_SELECTION, round_)
    form = RoundForm(request.POST or None, initial=_initial(round_))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(
                actor=request.user,
                round_=round_,
                expected_version=form.expected_version,
                data=form.round_data(),
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu kỳ bình chọn."))
            return redirect("awards:round_detail", round_.code)
    return render(
        request,
        "awards/round_form.html",
        {"form": form, "round": round_, "level": round_.level, "levels": []},
    )


@login_required
def round_detail(request: HttpRequest, code: str) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, code)
    user = request.user
    can_run = policy.can(user, policy.Action.RUN_SELECTION, round_)
    scope = policy.scope_unit(user)
    can_forward = (
        round_.status == RoundStatus.OPEN
        and scope is not None
        and round_.needs_forwarding
        and scope.level == legal_proposer(round_)
        and bool(policy.can(user, policy.Action.FORWARD_ENTRIES, scope))
    )
    entries = selectors.entries_of_round(user, round_)
    return render(
        request,
        "awards/round_detail.html",
        {
            "round": round_,
            "criteria": round_.criteria_list,
            "entries": entries[:500],
            "entry_total": entries.count(),
            "counts": selectors.entry_counts(user, round_),
            "can_run": can_run,
            "can_edit": can_run and services.is_editable(round_, today()),
            "can_file": round_.status == RoundStatus.OPEN
            and bool(policy.can(user, policy.Action.FILE_ENTRY)),
            "can_forward": can_forward,
            "forwardings": list(selectors.forwardings(user, round_)),
            "extension_form": ExtensionForm(initial={"version": round_.version}),
            "reason_form": ReasonForm(initial={"version": round_.version}),
            "level_name": rules.level_name(round_.level),
            "seat": jury_selectors.seat_of(user, round_),
        },
    )


def legal_proposer(round_: Any) -> int | None:
    return next(d.proposer_level for d in legal.LEVELS if d.level.value == round_.level)


@require_POST
@login_required
def round_extend(request: HttpRequest, code: str) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, code)
    require(request, policy.Action.RUN_SELECTION, round_)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        show_errors(request, form)
        return redirect("awards:round_detail", code)
    try:
        services.extend_round(
            actor=request.user,
            round_=round_,
            expected_version=form.expected_version,
            window=form.cleaned_data["window"],
            new_date=form.cleaned_data["new_date"],
            reason=form.cleaned_data["reason"],
        )
    except SelectionInvalid as exc:
        for problems in exc.problems.values():
            for problem in problems:
                messages.error(request, problem)
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã gia hạn."))
    return redirect("awards:round_detail", code)


@require_POST
@login_required
def round_step(request: HttpRequest, code: str) -> HttpResponse:
    """Mở nhận hồ sơ, bắt đầu chấm, khóa chấm (the chair), hủy kỳ."""
    round_ = selectors.round_for_view(request.user, code)
    decision = policy.can_any(request.user, STEP_ACTIONS, round_)
    if not decision:  # before the form: a role that takes no step here hears 403 and why
        raise PermissionDenied(decision.reason)
    form = ReasonForm(request.POST)
    action = request.POST.get("action", "")
    steps = {
        RoundStep.OPEN: services.open_round,
        RoundStep.START_SCORING: jury_services.start_scoring,
        RoundStep.CLOSE: scoring.close_round,
    }
    if not form.is_valid() or action not in (*steps, RoundStep.CANCEL):
        raise Http404
    version = form.expected_version
    try:
        if action == RoundStep.CANCEL:
            services.cancel_round(
                actor=request.user,
                round_=round_,
                expected_version=version,
                reason=form.cleaned_data["reason"] or "",
            )
        else:
            steps[RoundStep(action)](actor=request.user, round_=round_, expected_version=version)
    except SelectionInvalid as exc:
        messages.error(request, str(exc))
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        round_.refresh_from_db()
        messages.success(request, _("Kỳ bình chọn: %(s)s.") % {"s": round_.get_status_display()})
    return redirect("awards:round_detail", code)


@login_required
def forward(request: HttpRequest, code: str) -> HttpResponse:
    """Danh sách đề xuất (PL5) of the user's own unit for this round."""
    round_ = selectors.round_for_view(request.user, code)
    unit = policy.scope_unit(request.user)
    require(request, policy.Action.FORWARD_ENTRIES, unit)
    if unit is None or not round_.needs_forwarding or unit.level != legal_proposer(round_):
        raise PermissionDenied(
            _("Kỳ bình chọn này không nhận danh sách đề xuất của %(unit)s.") % {"unit": unit}
        )
    candidates = selectors.forwardable_entries(request.user, round_, unit)
    form = ForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = [int(pk) for pk in request.POST.getlist("entries") if pk.isdigit()]
        try:
            entry_services.forward_entries(
                actor=request.user,
                round_=round_,
                unit=unit,
                entries=list(candidates.filter(pk__in=chosen)),
                letter=form.cleaned_data["letter"],
                note=form.cleaned_data["note"],
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã gửi danh sách đề xuất."))
            return redirect("awards:forward", code)
    own = [f for f in selectors.forwardings(request.user, round_) if f.unit_id == unit.pk]
    return render(
        request,
        "awards/forward.html",
        {"round": round_, "unit": unit, "candidates": list(candidates), "form": form, "own": own},
    )


@login_required
def shortlist_export(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, code)
    forwarding, rows = selectors.forwarding_for_export(request.user, round_, pk)
    return http.download(
        exporting.shortlist_xlsx(rows),
        f"pl5-{round_.code}-{forwarding.unit.code}.xlsx",
        http.XLSX,
    )
