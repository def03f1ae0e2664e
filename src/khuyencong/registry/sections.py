"""Phần của các nghiệp vụ khác trên trang cơ sở: sections other domains add to the
establishment page (its products, say), without the registry knowing those domains.

A provider receives the request and the establishment and returns rendered HTML (from its own
template, with what the user may see through the access policy) or ``None`` to add nothing;
it should use a constant number of queries::

    # awards/apps.py — AwardsConfig.ready()
    from khuyencong.registry import sections

    sections.register(establishment_products)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

Provider = Callable[[HttpRequest, Any], SafeString | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (idempotent, so an app's ``ready`` may run twice)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(request: HttpRequest, establishment: Any) -> list[SafeString]:
    return [html for p in _providers if (html := p(request, establishment)) is not None]
