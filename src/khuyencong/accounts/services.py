"""Writes about users and their roles (người dùng, vai trò)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.forms import ResetPasswordForm
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.core.tabular import ImportFileError, RowError
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.registry.models import Establishment

from . import importing, policy, selectors
from .models import Role, RoleAssignment, User


class AccountError(Exception):
    """A domain error whose message is shown to the user."""


@transaction.atomic
def switch_assignment(*, user: User, assignment_id: int) -> RoleAssignment:
    """Chuyển vai trò: act through another of one's own active assignments."""
    assignment = next((a for a in policy.assignments(user) if a.pk == assignment_id), None)
    if assignment is None:
        raise AccountError(_("Vai trò này không thuộc tài khoản của bạn hoặc đã hết hiệu lực."))
    user.current_assignment = assignment
    user.save(update_fields=["current_assignment"])
    policy.forget(user)
    record_event(EventType.ROLE_SWITCHED, actor=user, obj=assignment, comment=str(assignment))
    return assignment


# --------------------------------------------------------------------------------------------
# Account administration (quản trị tài khoản). Every change takes the version the administrator
# saw (optimistic locking), asks the policy and goes to the activity log.
# --------------------------------------------------------------------------------------------
def _require(decision: policy.Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _locked(user: User, expected_version: int) -> User:
    locked = lock_current_version(user, expected_version)
    locked.version += 1
    return locked


def _log_account(
    event: EventType, *, actor: Any, user: User, comment: str = "", **data: Any
) -> None:
    """Account events name the user and belong to the administrator's unit (so the activity
    log of that unit, and of the units above, shows them)."""
    record_event(
        event, actor=actor, obj=user, unit=policy.scope_unit(actor), comment=comment, data=data
    )


@dataclass(frozen=True)
class NewUser:
    """Tài khoản mới: who, and the first role they get."""

    email: str
    full_name: str
    role: Role
    unit: AdministrativeUnit
    phone: str = ""
    title: str = ""
    establishment: Establishment | None = None


def _check_new_email(email: str) -> str:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(
            _(
                "Địa chỉ thư điện tử “%(email)s” đã là tài khoản trong hệ thống: tìm tài khoản đó "
                "và giao thêm vai trò, không tạo tài khoản thứ hai."
            )
            % {"email": email}
        )
    return email


def _grant(
    *,
    actor: Any,
    user: User,
    role: Role,
    unit: AdministrativeUnit,
    title: str = "",
    establishment: Establishment | None = None,
) -> RoleAssignment:
    """Give the role (or give an ended one back), with the level and establishment rules."""
    _require(policy.can_grant(actor, user, unit))
    if role == Role.ESTABLISHMENT:
        if establishment is None:
            raise AccountError(_("Vai trò đại diện cơ sở CNNT cần chọn cơ sở được đại diện."))
        if establishment.commune_id != unit.pk:
            raise AccountError(
                _("Cơ sở “%(e)s” không thuộc %(unit)s.") % {"e": establishment, "unit": unit}
            )
    elif establishment is not None:
        raise AccountError(_("Chỉ vai trò đại diện cơ sở CNNT mới gắn với một cơ sở."))
    assignment = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    if assignment is not None and assignment.is_active:
        raise AccountError(
            _("“%(user)s” đã giữ vai trò “%(role)s” tại %(unit)s.")
            % {"user": user, "role": assignment.get_role_display(), "unit": unit}
        )
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, unit=unit)
    assignment.title = title.strip()
    assignment.establishment = establishment
    assignment.is_active = True
    try:
        assignment.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from None
    assignment.save()
    if user.current_assignment_id is None:
        user.current_assignment = assignment
    policy.forget(user)
    record_event(EventType.ROLE_ASSIGNED, actor=actor, obj=assignment, comment=str(assignment))
    return assignment


def _create(*, actor: Any, data: NewUser) -> User:
    user = User(
        email=_check_new_email(data.email),
        full_name=" ".join(data.full_name.split()),
        phone=data.phone.strip(),
    )
    if not user.full_name:
        raise AccountError(_("Cần ghi họ và tên."))
    user.set_unusable_password()  # the user sets it from the e-mailed link
    user.save()
    _grant(
        actor=actor,
        user=user,
        role=data.role,
        unit=data.unit,
        title=data.title,
        establishment=data.establishment,
    )
    user.save(update_fields=["current_assignment"])
    _log_account(EventType.USER_CREATED, actor=actor, user=user, comment=user.email)
    return user


@transaction.atomic
def create_user(*, actor: Any, data: NewUser, request: HttpRequest) -> User:
    """Tạo tài khoản with its first role; the user is mailed a link to set their password."""
    user = _create(actor=actor, data=data)
    transaction.on_commit(functools.partial(_mail_password_link, request, user))
    return user


@transaction.atomic
def assign_role(
    *,
    actor: Any,
    user: User,
    expected_version: int,
    role: Role,
    unit: AdministrativeUnit,
    title: str = "",
    establishment: Establishment | None = None,
) -> RoleAssignment:
    """Giao vai trò: give ``user`` a role at ``unit`` within the administrator's scope."""
    locked = _locked(user, expected_version)
    assignment = _grant(
        actor=actor, user=locked, role=role, unit=unit, title=title, establishment=establishment
    )
    locked.save(update_fields=["version", "current_assignment"])
    return assignment


@transaction.atomic
def revoke_role(
    *, actor: Any, assignment: RoleAssignment, reason: str, expected_version: int
) -> None:
    """Kết thúc vai trò (kept for the record, marked inactive), with the reason."""
    user = assignment.user
    _require(policy.can_grant(actor, user, assignment.unit))
    if not reason.strip():
        raise AccountError(_("Cần ghi lý do kết thúc vai trò."))
    locked = _locked(user, expected_version)
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    if locked.current_assignment_id == assignment.pk:
        locked.current_assignment = None
    locked.save(update_fields=["version", "current_assignment"])
    policy.forget(user)
    record_event(EventType.ROLE_REVOKED, actor=actor, obj=assignment, comment=reason.strip())


@transaction.atomic
def set_active(*, actor: Any, user: User, expected_version: int, active: bool, reason: str) -> User:
    """Khóa / mở lại tài khoản: a locked account cannot sign in; its sessions stop working."""
    _require(policy.can_manage_account(actor, user))
    if not reason.strip():
        raise AccountError(_("Cần ghi lý do."))
    locked = _locked(user, expected_version)
    if locked.is_active == active:
        raise AccountError(
            _("Tài khoản đang mở.") if active else _("Tài khoản đã bị khóa từ trước.")
        )
    locked.is_active = active
    locked.save(update_fields=["version", "is_active"])
    event = EventType.USER_REACTIVATED if active else EventType.USER_DEACTIVATED
    _log_account(event, actor=actor, user=locked, comment=reason.strip())
    return locked


def _mail_password_link(request: HttpRequest, user: User) -> None:
    """allauth's password-reset mail: a one-time link to set a new password."""
    form = ResetPasswordForm(data={"email": user.email})
    # allauth builds the link from the request it holds for the current thread.
    with allauth_context.request_context(request):
        if form.is_valid():
            form.save(request)


@transaction.atomic
def send_password_reset(
    *, actor: Any, user: User, expected_version: int, request: HttpRequest
) -> None:
    """Đặt lại mật khẩu: mail the user a link to choose a new one (the administrator never
    learns it). The old password keeps working until the link is used."""
    _require(policy.can_manage_account(actor, user))
    locked = _locked(user, expected_version)
    if not locked.is_active:
        raise AccountError(_("Tài khoản đang bị khóa: hãy mở lại tài khoản trước."))
    locked.save(update_fields=["version"])
    _log_account(EventType.PASSWORD_RESET_SENT, actor=actor, user=locked, comment=locked.email)
    transaction.on_commit(functools.partial(_mail_password_link, request, locked))


@transaction.atomic
def unlock_sign_in(*, actor: Any, user: User, expected_version: int) -> int:
    """Mở khóa đăng nhập: forget the failed attempts django-axes counted for the account (from
    every address), through axes' own reset. Returns how many records were cleared."""
    _require(policy.can_manage_account(actor, user))
    locked = _locked(user, expected_version)
    keys = selectors.lockout_keys(locked)
    if not keys:
        raise AccountError(_("Tài khoản không bị tạm khóa đăng nhập."))
    cleared = sum(axes_reset(username=key) for key in keys)
    locked.save(update_fields=["version"])
    _log_account(EventType.ACCOUNT_UNLOCKED, actor=actor, user=locked, cleared=cleared)
    return cleared


@transaction.atomic
def reset_two_factor(*, actor: Any, user: User, expected_version: int, reason: str) -> int:
    """Đặt lại xác thực hai lớp (a lost phone): remove the user's allauth MFA authenticators
    (TOTP and recovery codes). An officer sets TOTP up again at the next sign-in."""
    _require(policy.can_manage_account(actor, user))
    if not reason.strip():
        raise AccountError(_("Cần ghi lý do."))
    locked = _locked(user, expected_version)
    authenticators = list(Authenticator.objects.filter(user=locked))
    if not authenticators:
        raise AccountError(_("Tài khoản chưa bật xác thực hai lớp."))
    for authenticator in authenticators:
        authenticator.delete()
        authenticator_removed.send(
            sender=Authenticator, request=None, user=locked, authenticator=authenticator
        )
    locked.save(update_fields=["version"])
    _log_account(EventType.MFA_RESET, actor=actor, user=locked, comment=reason.strip())
    return len(authenticators)


# --------------------------------------------------------------------------------------------
# Bulk creation of commune officers from a spreadsheet (nhập danh sách cán bộ xã)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportOutcome:
    """Either the accounts created (every row) or the errors (and nothing created)."""

    created: tuple[User, ...] = ()
    errors: tuple[RowError, ...] = ()


def _officer_context(actor: Any, rows: Sequence[importing.OfficerRow]) -> importing.OfficerContext:
    codes = {r.commune_code for r in rows if r.commune_code}
    communes = AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE, code__in=codes)
    in_scope = set(
        policy.scope_queryset(
            actor, communes, unit_field="", action=policy.Action.MANAGE_USERS
        ).values_list("code", flat=True)
    )
    emails = {r.email for r in rows if r.email}
    existing = User.objects.filter(email__in=emails).values_list("email", flat=True)
    scope = policy.scope_unit(actor)
    return importing.OfficerContext(
        communes={
            u.code: importing.CommuneRef(u.code, u.name, u.code in in_scope) for u in communes
        },
        scope_name=str(scope) if scope is not None else "",
        existing_emails=frozenset(existing),
    )


def import_officers(
    *, actor: Any, content: bytes, filename: str, request: HttpRequest
) -> ImportOutcome:
    """Tạo tài khoản cán bộ xã hàng loạt: every row valid, or nothing created and every error
    named by row and column. Each officer is mailed a link to set their password."""
    _require(policy.can(actor, policy.Action.MANAGE_USERS))
    try:
        table = importing.read_table(content, filename)
    except ImportFileError as exc:
        return ImportOutcome(errors=tuple(exc.errors))
    rows, errors = importing.parse_rows(table)
    errors += importing.check_rows(rows, _officer_context(actor, rows))
    if errors:
        return ImportOutcome(errors=tuple(importing.sort_errors(errors)))
    return ImportOutcome(created=_create_officers(actor, rows, table.filename, request))


@transaction.atomic
def _create_officers(
    actor: Any, rows: Sequence[importing.OfficerRow], filename: str, request: HttpRequest
) -> tuple[User, ...]:
    communes = {
        u.code: u
        for u in AdministrativeUnit.objects.current().filter(
            level=UnitLevel.COMMUNE, code__in={r.commune_code for r in rows}
        )
    }
    created = tuple(
        _create(
            actor=actor,
            data=NewUser(
                email=row.email,
                full_name=row.full_name,
                role=Role.COMMUNE_OFFICER,
                unit=communes[row.commune_code],
                phone=row.phone,
                title=row.title,
            ),
        )
        for row in rows
    )
    record_event(
        EventType.USERS_IMPORTED,
        actor=actor,
        unit=policy.scope_unit(actor),
        comment=filename,
        data={"users": len(created)},
    )
    for user in created:
        transaction.on_commit(functools.partial(_mail_password_link, request, user))
    return created
