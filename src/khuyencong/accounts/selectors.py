"""Scoped reads about users and roles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.core.formatting import format_date
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit

from . import policy
from .models import RoleAssignment, User


def assignments_in_scope(user: Any) -> QuerySet[RoleAssignment]:
    """Role assignments at units the user may see (for the staff directory)."""
    return policy.scope_queryset(
        user, RoleAssignment.objects.filter(is_active=True).select_related("user", "unit")
    ).order_by("unit__path", "role", "user__full_name")


def staff_of_unit(user: Any, unit: AdministrativeUnit) -> QuerySet[RoleAssignment]:
    return assignments_in_scope(user).filter(unit=unit)


def users_in_scope(user: Any, *, search: str = "") -> QuerySet[RoleAssignment]:
    assignments = assignments_in_scope(user)
    if search:
        needle = search.strip()
        assignments = assignments.filter(
            Q(user__email__icontains=needle)
            | Q(user__full_name__icontains=needle)
            | Q(unit__name_folded__contains=fold(needle))
        )
    return assignments


def user_without_mfa_in_scope(user: Any) -> QuerySet[User]:
    """Officers in the user's scope who have not set up two-factor login yet."""
    from allauth.mfa.models import Authenticator

    officer_ids = (
        assignments_in_scope(user)
        .filter(role__in=policy.OFFICER_ROLES)
        .values_list("user_id", flat=True)
    )
    with_totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).values("user_id")
    return User.objects.filter(pk__in=officer_ids, is_active=True).exclude(pk__in=with_totp)


# --------------------------------------------------------------------------------------------
# User administration
# --------------------------------------------------------------------------------------------
def users_for_admin(
    actor: Any, *, search: str = "", role: str = "", unit_code: str = "", status: str = ""
) -> QuerySet[User]:
    """Accounts the administrator may see (the policy), each with its active roles loaded:
    two queries per page whatever the number of roles."""
    users = policy.scope_users(actor, User.objects.all())
    needle = search.strip()
    if needle:
        users = users.filter(Q(email__icontains=needle) | Q(full_name__icontains=needle))
    if role or unit_code:
        held = RoleAssignment.objects.filter(is_active=True)
        if role:
            held = held.filter(role=role)
        if unit_code:
            held = held.filter(unit__code=unit_code.strip())
        users = users.filter(pk__in=held.values("user_id"))
    if status == "khoa":
        users = users.filter(is_active=False)
    elif status == "mo":
        users = users.filter(is_active=True)
    active_roles = RoleAssignment.objects.filter(is_active=True).select_related("unit")
    return users.prefetch_related(
        Prefetch(
            "assignments", queryset=active_roles.order_by("unit__path", "role"), to_attr="roles"
        )
    ).order_by("full_name", "email", "pk")


def account_in_scope(actor: Any, pk: int) -> bool:
    """Does account ``pk`` hold or has it held a role inside the actor's scope (whatever the
    actor's role)? Outside it, the account pages answer 404 to everyone; inside it, a role that
    does not manage accounts is refused with the reason (403)."""
    return policy.scope_queryset(actor, RoleAssignment.objects.filter(user_id=pk)).exists()


def user_for_admin(actor: Any, pk: int) -> User:
    """One account in the administrator's view, or 404 (never revealing others)."""
    user = policy.scope_users(actor, User.objects.filter(pk=pk)).first()
    if user is None:
        raise Http404
    return user


def roles_of(user: User) -> list[RoleAssignment]:
    """Every role the account holds or held, active first."""
    return list(
        RoleAssignment.objects.filter(user=user)
        .select_related("unit", "establishment")
        .order_by("-is_active", "unit__path", "role")
    )


def has_two_factor(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _lockout_attempts(user: User) -> QuerySet[AccessAttempt]:
    """django-axes' counted failures under the account's e-mail (in whatever case it was typed)."""
    return AccessAttempt.objects.filter(username__iexact=user.email)


def lockout_keys(user: User) -> list[str]:
    """The usernames django-axes counts the account's failures under."""
    return sorted(set(_lockout_attempts(user).values_list("username", flat=True)))


@dataclass(frozen=True)
class LockState:
    """Is the account locked out of signing in (django-axes), from where, until when?"""

    failures: int
    locked: bool
    until: datetime.datetime | None
    addresses: tuple[str, ...]


def lock_state(user: User) -> LockState:
    limit = settings.AXES_FAILURE_LIMIT
    cool_off = get_cool_off()
    attempts = list(_lockout_attempts(user).order_by("-attempt_time"))
    recent = [
        a for a in attempts if cool_off is None or a.attempt_time >= timezone.now() - cool_off
    ]
    locking = [a for a in recent if a.failures_since_start >= limit]
    until = None
    if locking and cool_off is not None:
        until = max(a.attempt_time for a in locking) + cool_off
    return LockState(
        failures=max((a.failures_since_start for a in recent), default=0),
        locked=bool(locking),
        until=until,
        addresses=tuple(sorted({a.ip_address or "" for a in locking})),
    )


@dataclass(frozen=True)
class SignIn:
    """One line of an account's sign-in history."""

    at: datetime.datetime
    label: str
    address: str = ""
    browser: str = ""
    note: str = ""


SIGN_IN_EVENTS = (EventType.LOGIN_FAILED, EventType.LOCKED_OUT)


def sign_in_history(user: User, *, limit: int = 50) -> list[SignIn]:
    """Successful sign-ins as django-axes logged them (address, browser, sign-out), failures and
    lock-outs from the activity log; newest first. Three queries."""
    entries = [
        SignIn(
            at=log.attempt_time,
            label=str(_("Đăng nhập")),
            address=log.ip_address or "",
            browser=log.user_agent[:120],
            note=str(_("đăng xuất lúc %(t)s") % {"t": format_date(log.logout_time)})
            if log.logout_time
            else "",
        )
        for log in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")[
            :limit
        ]
    ]
    events = ActivityEvent.objects.filter(
        event_type__in=SIGN_IN_EVENTS, data__login__iexact=user.email
    ).order_by("-at")[:limit]
    entries += [SignIn(at=e.at, label=e.get_event_type_display()) for e in events]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def account_events(user: User, *, limit: int = 100) -> QuerySet[ActivityEvent]:
    """What administrators did to the account and its roles, newest first."""
    assignment_ids = [
        str(pk) for pk in RoleAssignment.objects.filter(user=user).values_list("pk", flat=True)
    ]
    return (
        ActivityEvent.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
            | Q(
                content_type=ContentType.objects.get_for_model(RoleAssignment),
                object_id__in=assignment_ids,
            )
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
