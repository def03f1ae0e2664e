"""Hồ sơ tham gia: file (PL1, PL2), edit, submit, and the organiser's or lower authority's
review (accept, return for supplements, refuse)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy

from .. import workflow
from ..forms import EntryForm, ReasonForm
from ..models import Entry
from ..selectors import aftercare as aftercare_selectors
from ..selectors import products as product_selectors
from ..selectors import results as result_selectors
from ..selectors import rounds as selectors
from ..services import SelectionInvalid
from ..services import complaints as complaint_services
from ..services import entries as services
from ..workflow import EntryStep
from .common import DOMAIN_ERRORS, add_problems, require, step_actions

STEP_ACTIONS = step_actions(workflow.ENTRY_TRANSITIONS)  # file; forward, return; check


def _initial(entry: Entry | None, product: Any) -> dict[str, Any]:
    if entry is None:
        establishment = product.establishment
        return {
            "representative": establishment.owner_name,
            "phone": establishment.phone,
            "description": product.description,
        }
    return {
        name: getattr(entry, name)
        for name in (
            "representative",
            "representative_title",
            "phone",
            "description",
            "materials_process",
            "market",
            "benefits",
            "culture",
            "commitment",
            "version",
        )
    }


@login_required
def entry_create(request: HttpRequest, code: str) -> HttpResponse:
    round_ = selectors.round_for_view(request.user, code)
    require(request, policy.Action.FILE_ENTRY)
    raw = request.GET.get("san_pham") or request.POST.get("san_pham") or ""
    if not raw.isdigit():
        return render(
            request,
            "awards/entry_choose.html",
            {"round": round_, "products": selectors.products_to_enter(request.user, round_)},
        )
    product = product_selectors.product_for_view(request.user, int(raw))
    require(request, policy.Action.FILE_ENTRY, product)
    form = EntryForm(request.POST or None, initial=_initial(None, product))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_entry(
                actor=request.user, round_=round_, product=product, data=form.entry_data()
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lập hồ sơ. Kiểm tra lại rồi bấm “Nộp hồ sơ”."))
            return redirect("awards:entry_detail", entry.pk)
    return render(
        request, "awards/entry_form.html", {"form": form, "round": round_, "product": product}
    )


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for_view(request.user, pk)
    require(request, policy.Action.FILE_ENTRY, entry)
    form = EntryForm(request.POST or None, initial=_initial(entry, entry.product))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(
                actor=request.user,
                entry=entry,
                expected_version=form.expected_version,
                data=form.entry_data(),
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu hồ sơ."))
            return redirect("awards:entry_detail", entry.pk)
    return render(
        request,
        "awards/entry_form.html",
        {"form": form, "round": entry.round, "product": entry.product, "entry": entry},
    )


def _step_target(entry: Entry, permission: str) -> Any:
    """What the policy weighs a step against, as the services do: the organiser's steps
    against the round, the lower authority's against its own unit, the filer's the entry."""
    if permission == workflow.RUN_SELECTION:
        return entry.round
    if permission == workflow.FORWARD_ENTRIES:
        return services.authority_of(entry.round, entry)
    return entry


def _step_decision(user: Any, entry: Entry) -> policy.Decision:
    """May the user take any step on this entry (the step form asks before reading it)?"""
    refusal: policy.Decision | None = None
    for action in STEP_ACTIONS:
        target = _step_target(entry, action)
        if target is None:  # no lower authority: a commune round's entry
            continue
        decision = policy.can(user, action, target)
        if decision:
            return decision
        if refusal is None:  # not ``refusal or …``: a refusal is falsy
            refusal = decision
    if refusal is not None:
        return refusal
    return policy.Decision(False, _("Bạn không được phép thực hiện thao tác này."))


def _actions(request: HttpRequest, entry: Entry) -> list[dict[str, Any]]:
    """The steps the user may take on the entry now (the policy decides each)."""
    round_ = entry.round
    out = []
    for step in workflow.entry_steps(entry.status, needs_forwarding=round_.needs_forwarding):
        if step.action == EntryStep.FORWARD:
            continue  # forwarded in bulk from the short-list page
        target = _step_target(entry, step.permission)
        if policy.can(request.user, policy.Action(step.permission), target):
            out.append(
                {
                    "action": step.action,
                    "label": workflow.ENTRY_STEP_LABELS[step.action],
                    "reason": step.reason_required,
                }
            )
    return out


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for_view(request.user, pk)
    refusal, certificate = (
        services.prerequisite(entry.round, entry) if entry.is_editable else ("", None)
    )
    actions = _actions(request, entry)
    return render(
        request,
        "awards/entry_detail.html",
        {
            "entry": entry,
            "round": entry.round,
            "product": entry.product,
            "photos": list(entry.product.photos.all()),
            "papers": list(entry.product.papers.all()),
            "problems": services.completeness(entry) if entry.is_editable else {},
            "refusal": refusal,
            "lower_certificate": certificate,
            "actions": actions,
            "needs_reason": any(a["reason"] for a in actions),
            "can_edit": entry.is_editable
            and bool(policy.can(request.user, policy.Action.FILE_ENTRY, entry)),
            "can_view_history": policy.can(request.user, policy.Action.VIEW_HISTORY, entry),
            "reason_form": ReasonForm(initial={"version": entry.version}),
            "result": result_selectors.result_of_entry(request.user, entry),
            "complaints": list(
                aftercare_selectors.visible_complaints(request.user).filter(entry=entry)
            ),
            "can_complain": complaint_services.may_lodge(request.user, entry, timezone.localdate())[
                0
            ],
            "may_close_rescoring": entry.is_being_rescored
            and bool(complaint_services.may_close_rescoring(request.user, entry)),
        },
    )


@require_POST
@login_required
def entry_step(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for_view(request.user, pk)
    decision = _step_decision(request.user, entry)
    if not decision:  # before the form: a role that takes no step here hears 403 and why
        raise PermissionDenied(decision.reason)
    form = ReasonForm(request.POST)
    action = request.POST.get("action", "")
    if not form.is_valid() or action not in (
        EntryStep.SUBMIT,
        EntryStep.ACCEPT,
        EntryStep.RETURN,
        EntryStep.REJECT,
    ):
        raise Http404
    try:
        if action == EntryStep.SUBMIT:
            services.submit_entry(
                actor=request.user, entry=entry, expected_version=form.expected_version
            )
        else:
            services.review_entry(
                actor=request.user,
                entry=entry,
                action=action,
                expected_version=form.expected_version,
                reason=form.cleaned_data["reason"] or "",
            )
    except SelectionInvalid as exc:
        for problems in exc.problems.values():
            for problem in problems:
                messages.error(request, problem)
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        entry.refresh_from_db()
        messages.success(request, _("Hồ sơ: %(s)s.") % {"s": entry.get_status_display()})
    return redirect("awards:entry_detail", pk)
