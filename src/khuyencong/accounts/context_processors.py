from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from khuyencong.core.middleware import is_public
from khuyencong.core.navigation import menu_bar

from . import policy


def current_role(request: HttpRequest) -> dict[str, Any]:
    """The current assignment, the others the user may switch to, and the role's menu bar."""
    if is_public(request):
        return {}  # the same page for everyone: the session is not even read
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = policy.active_assignment(user)
    return {
        "current_assignment": current,
        "user_assignments": policy.assignments(user),
        "menu_bar": menu_bar(current.role if current else None, request.path),
    }
