"""Two-factor login is compulsory for national and provincial officers."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import policy

_EXEMPT_PREFIXES = ("/tai-khoan/", "/static/", "/healthz", "/i18n/")


def mfa_required(user: object) -> bool:
    """Must this user set up TOTP before using the system?"""
    if not settings.MFA_REQUIRED_FOR_OFFICERS or not getattr(user, "is_authenticated", False):
        return False
    if settings.DEBUG and getattr(user, "is_demo", False):
        return False
    return policy.is_officer(user)


class RequireOfficerMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not request.path.startswith(_EXEMPT_PREFIXES)
            and mfa_required(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "Cán bộ cấp tỉnh và trung ương phải bật xác thực hai lớp (ứng dụng tạo mã "
                    "TOTP) trước khi sử dụng hệ thống."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
