"""Support history (lịch sử hỗ trợ) of an establishment: its support-need registrations, for
the registry's establishment page (``registry.support_history``; connected in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.registry.support_history import SupportRecord

from . import selectors
from .rules import FUND_LABELS


def registration_records(user: Any, establishment: Any) -> Iterator[SupportRecord]:
    """The establishment's registrations that ``user`` may see (one query)."""
    for registration in selectors.registrations_for_establishment(user, establishment):
        fund = registration.round.fund
        yield SupportRecord(
            year=registration.round.plan_year,
            kind=_("Đăng ký nhu cầu hỗ trợ"),
            title=registration.activity,
            url=reverse("planning:registration_detail", args=[registration.pk]),
            status=registration.get_status_display(),
            content=str(registration.content_group),
            amount=registration.support_kcqg + registration.support_kcdp,
            fund=FUND_LABELS.get(fund, fund),
            # The day in Việt Nam: ``.date()`` of a UTC time is a day early before 7 am.
            date=timezone.localdate(registration.submitted_at or registration.created_at),
            detail=registration.round.title,
        )
