"""Support history (lịch sử hỗ trợ) of an establishment: the projects it benefits from, for
the registry's establishment page (``registry.support_history``; connected in ``apps.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.registry.support_history import SupportRecord

from . import norms_api, rules, selectors, workflow


def project_records(user: Any, establishment: Any) -> Iterator[SupportRecord]:
    """The establishment's projects that ``user`` may see (two queries)."""
    found = list(selectors.projects_for_establishment(user, establishment))
    if not found:
        return
    names = norms_api.content_labels(p.content for p in found)
    for project in found:
        decided = project.status in workflow.HAS_DECISION
        amount = project.approved_support if decided else project.support
        yield SupportRecord(
            year=project.plan_year,
            kind=_("Đề án khuyến công"),
            title=project.title,
            url=reverse("projects:project_detail", args=[project.pk]),
            status=project.get_status_display(),
            content=names.get(project.content, project.content),
            amount=amount,
            fund=rules.fund_label(project.fund),
            date=project.decision_date or timezone.localdate(project.created_at),
            detail=str(
                _("Quyết định %(n)s") % {"n": project.decision_number}
                if project.decision_number
                else _("Kinh phí đề nghị, chưa phê duyệt")
            ),
        )
