"""Rate limit per API client (or signed-in user): 429 with ``Retry-After``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerClientThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        # Read at each request (not frozen at import): deployments and tests set it.
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            ident = str(request.user.pk)
        else:
            ident = self.get_ident(request)
        return f"throttle_api_{ident}"
