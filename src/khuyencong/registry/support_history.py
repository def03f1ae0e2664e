"""Lịch sử hỗ trợ của cơ sở: what support an establishment asked for and received, by year.

The registry does not know the domains that support establishments; each registers a provider
(like ``core.inbox``) that returns its records for one establishment::

    # planning/apps.py — PlanningConfig.ready()
    from khuyencong.registry import support_history

    @support_history.register
    def registrations(user, establishment):
        for r in selectors.registrations_of(user, establishment):
            yield support_history.SupportRecord(
                year=r.plan_year, kind="Đăng ký nhu cầu hỗ trợ", title=r.content_name,
                url=r.get_absolute_url(), status=r.get_state_display(),
                amount=r.requested_total, fund="KCQG",
            )

A provider receives the user asking, so it returns only what that user may see (use the
access policy, as the domain's own selectors do). It is called once per page view for one
establishment; it should load its records in a constant number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class SupportRecord:
    """One line of an establishment's support history.

    ``kind``: what it is ("Đăng ký nhu cầu hỗ trợ", "Đề án khuyến công", "Giấy chứng nhận
    sản phẩm tiêu biểu"); ``content``: the KC content it concerns (so rules such as "not the
    same expenditure twice" can be read off the page); ``amount``: integer đồng or ``None``;
    ``fund``: the funding source ("KCQG", "KCĐP", …).
    """

    year: int
    kind: StrOrPromise
    title: str
    url: str = ""
    status: StrOrPromise = ""
    content: str = ""
    amount: int | None = None
    fund: str = ""
    date: datetime.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class SupportYear:
    year: int
    records: list[SupportRecord]


Provider = Callable[[Any, Any], Iterable[SupportRecord]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (idempotent, so an app's ``ready`` may run twice)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def providers() -> list[Provider]:
    return list(_providers)


def records_for(user: Any, establishment: Any) -> list[SupportRecord]:
    """Every provider's records, newest year first, then by date and kind."""
    records = [record for p in _providers for record in p(user, establishment)]
    return sorted(
        records,
        key=lambda r: (-r.year, -(r.date.toordinal() if r.date else 0), str(r.kind), r.title),
    )


def history_for(user: Any, establishment: Any) -> list[SupportYear]:
    """The records grouped by year, newest first (an empty list: no support yet)."""
    return [
        SupportYear(year, list(group))
        for year, group in groupby(records_for(user, establishment), key=lambda r: r.year)
    ]
