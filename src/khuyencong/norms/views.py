from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import policy
from khuyencong.core.concurrency import StaleEditError
from khuyencong.geo import picker
from khuyencong.programs.models import Fund

from . import rules, selectors, services
from .forms import CalculatorForm, SupportNormForm
from .models import SupportNorm

STATUS_LABELS = {
    "applied": gettext_lazy("đang áp dụng"),
    "superseded": gettext_lazy("đã có định mức mới hơn"),
    "future": gettext_lazy("chưa có hiệu lực"),
    "expired": gettext_lazy("hết hiệu lực"),
}


def _require_manage(request: HttpRequest, obj: Any = None) -> None:
    decision = policy.can(request.user, policy.Action.MANAGE_NORMS, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


@login_required
def norm_list(request: HttpRequest) -> HttpResponse:
    """Bảng định mức hỗ trợ: everyone logged in reads it; the administrator edits it."""
    today = timezone.localdate()
    content = request.GET.get("noi_dung", "")
    fund = request.GET.get("nguon", "")
    rows = selectors.norm_table(on=today, content=content, fund=fund if fund in Fund.values else "")
    can_manage = policy.can(request.user, policy.Action.MANAGE_NORMS)
    return render(
        request,
        "norms/norm_list.html",
        {
            "rows": [
                {
                    "norm": row.norm,
                    "status": row.status,
                    "status_label": STATUS_LABELS[row.status],
                    "can_edit": bool(can_manage)
                    and bool(policy.can(request.user, policy.Action.MANAGE_NORMS, row.norm)),
                }
                for row in rows
            ],
            "contents": selectors.contents(),
            "funds": Fund.choices,
            "content": content,
            "fund": fund,
            "today": today,
            "can_manage": bool(can_manage),
        },
    )


def _add_service_errors(form: SupportNormForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def norm_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    initial = {
        **SupportNormForm.initial_for(None),
        "jurisdiction": picker.own_province(request.user),
    }
    form = SupportNormForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            norm = services.create_norm(actor=request.user, data=form.data_for_service())
        except PermissionDenied as exc:
            form.add_error("jurisdiction", str(exc))
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm định mức “%(norm)s”.") % {"norm": norm})
            return redirect("norms:norm_list")
    return render(request, "norms/norm_form.html", {"form": form, "norm": None})


@login_required
def norm_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        norm = selectors.norm_for_view(pk)
    except SupportNorm.DoesNotExist:
        raise Http404 from None
    _require_manage(request, norm)
    if request.method == "POST":
        form = SupportNormForm(request.POST)
        if form.is_valid():
            try:
                services.update_norm(
                    actor=request.user,
                    norm=norm,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=form.data_for_service(),
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            except PermissionDenied as exc:
                form.add_error("jurisdiction", str(exc))
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu định mức “%(norm)s”.") % {"norm": norm})
                return redirect("norms:norm_list")
    else:
        form = SupportNormForm(initial=SupportNormForm.initial_for(norm))
    return render(
        request,
        "norms/norm_form.html",
        {
            "form": form,
            "norm": norm,
        },
    )


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    """Tính mức hỗ trợ tối đa: content, fund, province, date, cost, priority → the maximum."""
    today = timezone.localdate()
    form = CalculatorForm(
        request.GET or None,
        initial={"fund": Fund.KCQG, "province": picker.own_province(request.user)},
    )
    result = None
    searched = False
    advance = None
    if request.GET and form.is_valid():
        searched = True
        data = form.cleaned_data
        on = form.date(today)
        result = selectors.support_limit(
            content=data["content"].code,
            fund=data["fund"],
            eligible_cost=data["eligible_cost"],
            on=on,
            province=data["province"],
            priority=data["priority"],
        )
        if result is not None:
            ceiling = selectors.advance_ceiling(
                content=data["content"].code, fund=data["fund"], on=on, province=data["province"]
            )
            advance = {
                "percent": ceiling * 100,
                "amount": rules.floor_dong(result.maximum * ceiling),
            }
    return render(
        request,
        "norms/calculator.html",
        {
            "form": form,
            "result": result,
            "searched": searched,
            "advance": advance,
            "norm": selectors.norm_for_view(result.norm_id)
            if result is not None and result.norm_id
            else None,
        },
    )
