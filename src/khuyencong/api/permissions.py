"""What a request may reach before the access policy looks at objects: a signed-in user or a
client, and for a client one of its scopes (``<resource>:read`` / ``<resource>:write``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import permissions

from .models import ApiClient


class ClientScopes(permissions.BasePermission):
    """Views name their resource (``resource = "establishments"``); a client needs its scope.
    Who may do what to which object is the access policy's, in the services and selectors."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        # A calculation asked by POST (the support-limit calculator) writes nothing.
        reads = request.method in permissions.SAFE_METHODS or getattr(view, "read_only_post", False)
        mode = "read" if reads else "write"
        needed = f"{getattr(view, 'resource', '')}:{mode}"
        if needed not in client.scopes:
            self.message = _(
                "Máy khách API “%(client)s” không có phạm vi quyền “%(scope)s”: hãy đề nghị "
                "quản trị hệ thống bổ sung."
            ) % {"client": client, "scope": needed}
            return False
        return True
