"""What waits for a user (việc cần xử lý): each domain registers a provider for its items.

The home page asks every provider for the current user's items. A provider returns a section
for the roles it concerns (possibly with an empty list) and ``None`` for other roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class InboxItem:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class InboxSection:
    title: str
    items: list[InboxItem] = field(default_factory=list)
    empty_text: str = gettext_lazy("Không có việc nào đang chờ.")  # type: ignore[assignment]


Provider = Callable[[Any], InboxSection | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user: Any) -> list[InboxSection]:
    return [section for p in _providers if (section := p(user)) is not None]
