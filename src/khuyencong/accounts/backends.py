"""The signed-in user of a request and their role assignments in one query (issue 11 item 7).

Every page read the session, then the user, then the user's active assignments (the policy,
the menu and the role switcher need them): three fixed queries a request. The user is read
here from the assignments' side, joined (``select_related``), and the assignments are left
where ``policy.assignments`` keeps them for the request; a user without an active assignment
is read alone, as Django's backend does. Logging in is allauth's, unchanged.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from . import policy
from .models import RoleAssignment, User


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        held = list(
            RoleAssignment.objects.filter(user_id=user_id, is_active=True)
            .select_related("user", "unit")
            .order_by("id")  # as policy.assignments orders them
        )
        if not held:
            user = super().get_user(user_id)
            if user is not None:
                policy.keep(user, [])
            return user
        user = held[0].user
        for assignment in held:
            assignment.user = user  # one instance, as the policy's own query would give
        policy.keep(user, held)
        return user if self.user_can_authenticate(user) else None
