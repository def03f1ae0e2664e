from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are issued by administrators: nobody signs themselves up."""

    def is_open_for_signup(self, request: Any) -> bool:
        return False

    def pre_authenticate(self, request: Any, **credentials: Any) -> None:
        """Password failures are django-axes' to count (one lock-out, one key, one message);
        allauth's own ``login_failed`` limit is left to the second factor's codes."""
