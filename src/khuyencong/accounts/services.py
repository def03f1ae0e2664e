"""Writes about users and their roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.geo.models import AdministrativeUnit

from . import policy
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


@transaction.atomic
def assign_role(
    *, actor: Any, user: User, role: Role, unit: AdministrativeUnit, title: str = ""
) -> RoleAssignment:
    """Giao vai trò: give ``user`` a role at ``unit``; the actor must manage users there."""
    decision = policy.can(actor, policy.Action.MANAGE_USERS, unit)
    if not decision:
        raise PermissionDenied(decision.reason)
    assignment = RoleAssignment(user=user, role=role, unit=unit, title=title)
    assignment.full_clean()
    assignment.save()
    if user.current_assignment_id is None:
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
    policy.forget(user)
    record_event(EventType.ROLE_ASSIGNED, actor=actor, obj=assignment, comment=str(assignment))
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment, reason: str) -> None:
    """Thu hồi vai trò (kept for the record, marked inactive)."""
    decision = policy.can(actor, policy.Action.MANAGE_USERS, assignment)
    if not decision:
        raise PermissionDenied(decision.reason)
    if not reason.strip():
        raise AccountError(_("Cần ghi lý do thu hồi vai trò."))
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    user = assignment.user
    if user.current_assignment_id == assignment.pk:
        user.current_assignment = None
        user.save(update_fields=["current_assignment"])
    policy.forget(user)
    record_event(EventType.ROLE_REVOKED, actor=actor, obj=assignment, comment=reason)
