"""Two-factor login (xác thực hai lớp) is compulsory for officers and administrators.

Officers of the national and provincial levels, and every staff or superuser account, must have
completed a second factor *in this session*: allauth records each authentication step of a
session (``allauth.account.authentication.get_authentication_records``); one of them must be
``mfa``. Having a TOTP device is not enough — a session that logged in with the password alone
(an old session, any login form that skipped allauth's stages) is sent to give a code first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import policy

#: What a session still owing its second factor may reach: giving the code, setting TOTP up
#: (allauth asks for the password again first when the login is old), leaving, the language.
SECOND_FACTOR_VIEWS = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_activate_totp",
        "set_language",
        "healthz",
    }
)


def mfa_required(user: Any) -> bool:
    """Must this user's sessions pass a second factor before using the system?"""
    if not settings.MFA_REQUIRED_FOR_OFFICERS or not getattr(user, "is_authenticated", False):
        return False
    if settings.DEBUG and getattr(user, "is_demo", False):
        return False
    return bool(user.is_staff or user.is_superuser or policy.is_officer(user))


def second_factor_done(request: HttpRequest) -> bool:
    """Did this session's user pass a second factor in this session (allauth's records)?"""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_VIEWS:
            return None
        if getattr(view_func, "public_view", False):
            return None  # the same page for everyone: the session is not even read
        if not mfa_required(request.user) or second_factor_done(request):
            return None
        has_totp = Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
        if has_totp:
            messages.warning(
                request, _("Hãy nhập mã xác thực hai lớp (mã TOTP) để tiếp tục phiên làm việc.")
            )
            target = reverse("mfa_reauthenticate")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        messages.warning(
            request,
            _(
                "Cán bộ cấp tỉnh, trung ương và quản trị viên phải bật xác thực hai lớp (ứng dụng "
                "tạo mã TOTP) trước khi sử dụng hệ thống."
            ),
        )
        return redirect(reverse("mfa_activate_totp"))
