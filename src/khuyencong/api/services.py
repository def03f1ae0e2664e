"""Writes of API clients (máy khách API): issue, rotate, revoke; and reading a token.

Only an administrator (``Action.MANAGE_USERS``) issues clients, for a unit in their own scope
(``policy.can_grant`` on the unit), never with the administrator's role itself. Each client's
token is ``kc_<prefix>_<secret>``: the prefix finds the row, the SHA-256 of the whole token is
compared in constant time. Every issue, rotation and revocation goes to the activity log.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.accounts.models import ROLE_LEVELS, Role, RoleAssignment, User
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.geo.models import AdministrativeUnit

from .models import SCOPES, ApiClient

TOKEN_PREFIX = "kc_"
#: Roles a system may act as: the officers' roles (never an administrator's, a council
#: member's or an establishment's: those are people).
CLIENT_ROLES = frozenset(
    {
        Role.COMMUNE_OFFICER,
        Role.PROVINCE_CENTRE,
        Role.PROVINCE_SCT,
        Role.PROVINCE_FINANCE,
        Role.NATIONAL_OFFICER,
    }
)
#: Touch ``last_used_at`` at most this often (not one write per request).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A client and its token in clear: shown once, never stored."""

    client: ApiClient
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def _require(decision: policy.Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise ValidationError(
            {
                "scopes": _("Phạm vi quyền không hợp lệ: %(scopes)s. Chọn trong: %(known)s.")
                % {"scopes": ", ".join(unknown) or "—", "known": ", ".join(SCOPES)}
            }
        )
    return chosen


def _expiry(expires_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if expires_at is None:
        return now + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Ngày hết hạn phải sau thời điểm hiện tại.")})
    return expires_at


@transaction.atomic
def issue_client(
    *,
    actor: Any,
    name: str,
    unit: AdministrativeUnit,
    role: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
) -> IssuedToken:
    """Cấp máy khách API: a service account with ``role`` at ``unit`` and a new token."""
    _require(policy.can(actor, policy.Action.MANAGE_USERS, unit))
    if role not in CLIENT_ROLES or unit.level not in ROLE_LEVELS[role]:
        raise ValidationError(
            {"role": _("Vai trò này không giao được cho máy khách API tại đơn vị đã chọn.")}
        )
    if not name.strip():
        raise ValidationError({"name": _("Hãy đặt tên cho máy khách API.")})
    chosen = _check_scopes(scopes)
    account = User.objects.create_user(
        f"api-{uuid.uuid4().hex[:12]}@may-khach.invalid", None, full_name=name.strip()[:150]
    )
    assignment = RoleAssignment.objects.create(
        user=account, role=role, unit=unit, title=_("Máy khách API")
    )
    account.current_assignment = assignment
    account.save(update_fields=["current_assignment"])
    prefix, token = _new_token()
    client = ApiClient.objects.create(
        name=name.strip()[:150],
        unit=unit,
        role=role,
        account=account,
        scopes=chosen,
        token_prefix=prefix,
        token_hash=_hash(token),
        expires_at=_expiry(expires_at),
        created_by=actor,
    )
    record_event(
        EventType.API_CLIENT, actor=actor, obj=client, data={"step": "issue", "scopes": chosen}
    )
    return IssuedToken(client, token)


@transaction.atomic
def rotate_token(
    *,
    actor: Any,
    client: ApiClient,
    expected_version: int,
    expires_at: datetime.datetime | None = None,
) -> IssuedToken:
    """Đổi mã truy cập: the old token stops working at once; the new one is shown once."""
    locked = lock_current_version(client, expected_version)
    _require(policy.can(actor, policy.Action.MANAGE_USERS, locked))
    if locked.revoked_at is not None:
        raise ValidationError(_("Máy khách API này đã bị thu hồi: hãy cấp máy khách mới."))
    locked.token_prefix, token = _new_token()
    locked.token_hash = _hash(token)
    locked.expires_at = _expiry(expires_at)
    locked.version += 1
    locked.save()
    record_event(EventType.API_CLIENT, actor=actor, obj=locked, data={"step": "rotate"})
    return IssuedToken(locked, token)


@transaction.atomic
def revoke_client(*, actor: Any, client: ApiClient, expected_version: int) -> ApiClient:
    """Thu hồi máy khách API: its token and its service account stop working for good."""
    locked = lock_current_version(client, expected_version)
    _require(policy.can(actor, policy.Action.MANAGE_USERS, locked))
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.version += 1
        locked.save()
        User.objects.filter(pk=locked.account_id).update(is_active=False)
        record_event(EventType.API_CLIENT, actor=actor, obj=locked, data={"step": "revoke"})
    return locked


def client_for_token(token: str) -> ApiClient | None:
    """The usable client a token names, else ``None`` (unknown, wrong, expired or revoked),
    recording the time of use (at most once a minute)."""
    parts = token.split("_")
    if len(parts) < 3 or not token.startswith(TOKEN_PREFIX):
        return None
    client = (
        ApiClient.objects.select_related("account", "unit").filter(token_prefix=parts[1]).first()
    )
    if client is None or not hmac.compare_digest(client.token_hash, _hash(token)):
        return None
    if not client.is_usable or not client.account.is_active:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
