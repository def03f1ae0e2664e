from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login form, passing the e-mail as ``login`` so django-axes can count failures."""

    def user_credentials(self) -> dict[str, Any]:
        credentials: dict[str, Any] = super().user_credentials()
        credentials["login"] = credentials.get("email") or credentials.get("username")
        return credentials
