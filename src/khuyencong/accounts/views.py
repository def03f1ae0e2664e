from __future__ import annotations

from functools import partial
from typing import Any

from allauth.account.decorators import secure_admin_login
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services


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


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin's login page is the site's one login (allauth: password, second factor,
    lock-out); a signed-in account that may not enter the admin is told why."""
    user = request.user
    if user.is_authenticated and not (user.is_active and user.is_staff):
        raise PermissionDenied(_("Tài khoản của bạn không được phép vào trang quản trị hệ thống."))
    # The class's own view: ``admin.site.login`` is this function now.
    django_login = partial(admin.AdminSite.login, admin.site)
    return secure_admin_login(django_login)(request, extra_context)


class ActivateTOTP(ActivateTOTPView):
    """allauth's TOTP set-up. Typing a valid code from the new device is this session's second
    factor: recorded as allauth records a login's code (``method="mfa"``), so the officer is
    not asked for another code straight away."""

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)
        authenticator = Authenticator.objects.get(user=self.request.user, type="totp")
        record_authentication(
            self.request, self.request.user, "mfa", id=authenticator.pk, type="totp"
        )
        return response
