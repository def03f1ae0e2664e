"""Log sign-ins, sign-outs, failures and lock-outs to the activity log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event

from . import policy
from .lockout import login_key


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(EventType.LOGGED_IN, actor=user, unit=policy.scope_unit(user))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(EventType.LOGGED_OUT, actor=user, unit=policy.scope_unit(user))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    record_event(EventType.LOGIN_FAILED, data={"login": login_key(None, credentials)[:150]})


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    record_event(EventType.LOCKED_OUT, data={"login": str(username or "")[:150]})
