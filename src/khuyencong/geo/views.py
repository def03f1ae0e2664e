from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.accounts.selectors import staff_of_unit
from khuyencong.core.concurrency import StaleEditError

from . import picker, selectors, services
from .forms import UnitContactForm
from .models import UnitLevel

PAGE_SIZE = 50


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """Danh sách đơn vị trong phạm vi của người dùng, có tìm kiếm và phân trang."""
    search = request.GET.get("q", "").strip()
    level_param = request.GET.get("cap", "")
    level = int(level_param) if level_param in {str(v) for v in UnitLevel.values} else None
    units = selectors.visible_units(request.user, search=search, level=level)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("trang"))
    template = "geo/_unit_rows.html" if request.htmx else "geo/unit_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"page": page, "search": search, "level": level, "levels": UnitLevel.choices},
    )


@login_required
def unit_suggest(request: HttpRequest) -> HttpResponse:
    """Gợi ý đơn vị for the unit picker: the box's text is the parameter named by ``truong``;
    ``cap`` narrows to a level. Only units in the user's scope."""
    text = request.GET.get(request.GET.get("truong", ""), "") or request.GET.get("q", "")
    level_param = request.GET.get("cap", "")
    level = int(level_param) if level_param in {str(v) for v in UnitLevel.values} else None
    units = picker.suggestions(request.user, text, level=level)
    return render(
        request,
        "geo/_unit_suggestions.html",
        {"units": [(u, picker.label(u)) for u in units], "text": text.strip()},
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.visible_unit(request.user, code)
    children = Paginator(selectors.communes_of(unit), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "geo/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "staff": staff_of_unit(request.user, unit),
            "can_change": policy.can(request.user, policy.Action.CHANGE_UNIT, unit),
        },
    )


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.visible_unit(request.user, code)
    decision = policy.can(request.user, policy.Action.CHANGE_UNIT, unit)
    if not decision:
        raise PermissionDenied(decision.reason)
    if request.method == "POST":
        form = UnitContactForm(request.POST, instance=unit)
        if form.is_valid():
            try:
                services.update_unit_contact(
                    actor=request.user,
                    unit=unit,
                    expected_version=form.cleaned_data["version"],
                    address=form.cleaned_data["address"],
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                )
            except StaleEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu thông tin đơn vị."))
                return redirect("geo:unit_detail", code=unit.code)
    else:
        form = UnitContactForm(instance=unit, initial={"version": unit.version})
    return render(request, "geo/unit_edit.html", {"unit": unit, "form": form})
