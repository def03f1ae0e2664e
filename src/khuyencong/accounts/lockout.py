"""The lock-out key (khóa đăng nhập): one name for an account, whichever form asked.

django-axes counts failures per (account, IP address). Every form that checks a password —
allauth's login (field ``login``, credentials ``email``), its re-authentication, Django's
``username`` convention — must name the account the same way, or failures spread over several
keys (or none: the admin's ``username`` under ``AXES_USERNAME_FORM_FIELD = "login"`` was ``None``)
and the lock-out never comes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Where the account's e-mail address may be found, in order.
LOGIN_FIELDS = ("login", "email", "username")


def login_key(request: Any, credentials: Mapping[str, Any] | None = None) -> str:
    """The account a login attempt names: its e-mail address, trimmed and lower-cased (e-mail
    addresses are stored lower-cased, so ``XA@…`` and ``xa@…`` are one account)."""
    sources: list[Mapping[str, Any]] = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "POST", {}))
    for source in sources:
        for field in LOGIN_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return ""
