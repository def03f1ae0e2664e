"""Account administration pages (quản trị người dùng) for system administrators. Thin: reads
through selectors (404 outside the administrator's scope), writes through services (403 with the
policy's reason, domain errors as messages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.core import http, tabular, uploads, xlsx
from khuyencong.core.concurrency import StaleEditError

from . import importing, policy, selectors, services
from .models import Role, RoleAssignment, User
from .user_forms import ImportForm, ReasonForm, RoleForm, UserCreateForm, VersionForm

DOMAIN_ERRORS = (services.AccountError, StaleEditError)
PAGE_SIZE = 50


def _require_admin(request: HttpRequest) -> None:
    decision = policy.can(request.user, policy.Action.MANAGE_USERS)
    if not decision:
        raise PermissionDenied(decision.reason)


def _account(request: HttpRequest, pk: int) -> User:
    """The account named in the URL: 404 outside the user's scope (for every role), then 403
    with the reason for a role that does not manage accounts — before any form is read."""
    if not policy.can(request.user, policy.Action.MANAGE_USERS) and not (
        selectors.account_in_scope(request.user, pk)
    ):
        raise Http404
    _require_admin(request)
    return selectors.user_for_admin(request.user, pk)


def _errors_to_messages(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Người dùng trong phạm vi: search by name or e-mail, filter by role, unit, state."""
    _require_admin(request)
    filters = {
        "search": request.GET.get("q", ""),
        "role": request.GET.get("vai_tro", "") if request.GET.get("vai_tro") in Role else "",
        "unit_code": request.GET.get("don_vi", "").strip(),
        "status": request.GET.get("trang_thai", ""),
    }
    found = selectors.users_for_admin(request.user, **filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "roles": Role.choices, "query": query.urlencode(), **filters},
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, data=form.new_user(), request=request)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã tạo tài khoản “%(u)s”; thư đặt mật khẩu đã gửi tới %(e)s.")
                % {"u": user, "e": user.email},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Một tài khoản: roles, sign-in lock, two-factor login, sign-in history, what was done."""
    user = _account(request, pk)
    roles = selectors.roles_of(user)
    initial = {"version": user.version}
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "roles": [(a, bool(policy.can_grant(request.user, user, a.unit))) for a in roles],
            "manage": policy.can_manage_account(request.user, user),
            "lock": selectors.lock_state(user),
            "two_factor": selectors.has_two_factor(user),
            "sign_ins": selectors.sign_in_history(user),
            "events": selectors.account_events(user),
            "role_form": RoleForm(actor=request.user, initial=initial, prefix="vaitro"),
            "reason_form": ReasonForm(initial=initial),
            "version_form": VersionForm(initial=initial),
        },
    )


def _account_action(
    request: HttpRequest, pk: int, form_class: type[VersionForm], run: Callable[..., Any]
) -> HttpResponse:
    """Validate the posted form, run the service, say what happened, back to the account."""
    user = _account(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("accounts:user_detail", pk=pk)
    try:
        done = run(user, form.cleaned_data)
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", pk=pk)


def _set_active(active: bool) -> Callable[..., str]:
    def run(request: HttpRequest, user: User, d: dict[str, Any]) -> str:
        services.set_active(
            actor=request.user,
            user=user,
            expected_version=d["version"],
            active=active,
            reason=d["reason"],
        )
        return _("Đã mở lại tài khoản.") if active else _("Đã khóa tài khoản.")

    return run


def _password(request: HttpRequest, user: User, d: dict[str, Any]) -> str:
    services.send_password_reset(
        actor=request.user, user=user, expected_version=d["version"], request=request
    )
    return _("Đã gửi thư đặt lại mật khẩu tới %(e)s.") % {"e": user.email}


def _unlock(request: HttpRequest, user: User, d: dict[str, Any]) -> str:
    services.unlock_sign_in(actor=request.user, user=user, expected_version=d["version"])
    return _("Đã mở khóa đăng nhập: tài khoản đăng nhập lại được ngay.")


def _two_factor(request: HttpRequest, user: User, d: dict[str, Any]) -> str:
    services.reset_two_factor(
        actor=request.user, user=user, expected_version=d["version"], reason=d["reason"]
    )
    return _("Đã đặt lại xác thực hai lớp: lần đăng nhập tới, người dùng cài lại ứng dụng tạo mã.")


#: URL slug → (form, what the service does).
ACTIONS: dict[str, tuple[type[VersionForm], Callable[..., str]]] = {
    "khoa": (ReasonForm, _set_active(False)),
    "mo-lai": (ReasonForm, _set_active(True)),
    "dat-lai-mat-khau": (VersionForm, _password),
    "mo-khoa-dang-nhap": (VersionForm, _unlock),
    "dat-lai-xac-thuc-hai-lop": (ReasonForm, _two_factor),
}


@login_required
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Khóa, mở lại, đặt lại mật khẩu, mở khóa đăng nhập, đặt lại xác thực hai lớp."""
    _account(request, pk)
    if action not in ACTIONS:
        return redirect("accounts:user_detail", pk=pk)
    form_class, run = ACTIONS[action]
    return _account_action(request, pk, form_class, lambda user, d: run(request, user, d))


@login_required
@require_POST
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    form = RoleForm(request.POST, actor=request.user, prefix="vaitro")
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("accounts:user_detail", pk=pk)
    d = form.cleaned_data
    try:
        assignment = services.assign_role(
            actor=request.user,
            user=user,
            expected_version=d["version"],
            role=Role(d["role"]),
            unit=d["unit"],
            title=d.get("title", ""),
            establishment=d.get("establishment"),
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã giao vai trò: %(a)s.") % {"a": assignment})
    return redirect("accounts:user_detail", pk=pk)


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    user = _account(request, pk)
    assignment = RoleAssignment.objects.filter(pk=assignment_pk, user=user, is_active=True).first()
    if assignment is None:
        messages.error(request, _("Vai trò này đã kết thúc hoặc không thuộc tài khoản."))
        return redirect("accounts:user_detail", pk=pk)

    def run(account: User, d: dict[str, Any]) -> str:
        services.revoke_role(
            actor=request.user,
            assignment=assignment,
            reason=d["reason"],
            expected_version=d["version"],
        )
        return _("Đã kết thúc vai trò: %(a)s.") % {"a": assignment}

    return _account_action(request, pk, ReasonForm, run)


@uploads.accepts_upload(uploads.OFFICER_IMPORT)
@login_required
def user_import(request: HttpRequest) -> HttpResponse:
    """Nhập danh sách cán bộ xã: all the accounts or none, errors by row and column."""
    _require_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.LIMITS.max_bytes:
            form.add_error(
                "file", tabular.too_large_message(upload.size, upload.name, importing.LIMITS)
            )
        else:
            outcome = services.import_officers(
                actor=request.user, content=upload.read(), filename=upload.name, request=request
            )
            if outcome.created:
                messages.success(
                    request,
                    _("Đã tạo %(n)s tài khoản cán bộ xã; mỗi người nhận thư đặt mật khẩu.")
                    % {"n": len(outcome.created)},
                )
    return render(
        request,
        "accounts/user_import.html",
        {"form": form, "outcome": outcome, "columns": importing.COLUMNS},
    )


@login_required
def user_import_template(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    content = xlsx.import_template(
        importing.TEMPLATE,
        title="Hướng dẫn điền danh sách cán bộ UBND xã/phường",
        notes=importing.NOTES,
    )
    return http.download(content, f"mau-can-bo-xa-{timezone.localdate():%Y%m%d}.xlsx", http.XLSX)
