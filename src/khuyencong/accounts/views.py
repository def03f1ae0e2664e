from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import policy, selectors, services


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    """Chuyển vai trò đang dùng."""
    try:
        assignment_id = int(request.POST.get("assignment", ""))
        assignment = services.switch_assignment(
            user=request.user,  # type: ignore[arg-type]
            assignment_id=assignment_id,
        )
    except (ValueError, services.AccountError) as exc:
        message = str(exc) if isinstance(exc, services.AccountError) else _("Vai trò không hợp lệ.")
        messages.error(request, message)
    else:
        messages.success(
            request, _("Bạn đang làm việc với vai trò: %(role)s.") % {"role": assignment}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target or "/")


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Danh bạ cán bộ trong phạm vi (dành cho quản trị hệ thống)."""
    decision = policy.can(request.user, policy.Action.MANAGE_USERS, policy.scope_unit(request.user))
    if not decision:
        raise PermissionDenied(decision.reason)
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.users_in_scope(request.user, search=search), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "accounts/staff_list.html", {"page": page, "search": search})


def locked_out(
    request: HttpRequest, original_response: object, credentials: object
) -> HttpResponse:
    """django-axes' lock-out page, in Vietnamese, with the cool-off time in hours."""
    from django.conf import settings

    hours = settings.AXES_COOLOFF_TIME
    if hours >= 1:
        duration = _("%(n)s giờ") % {"n": f"{hours:g}"}
    else:
        duration = _("%(n)s phút") % {"n": round(hours * 60)}
    return render(request, "account/lockout.html", {"duration": duration}, status=429)
