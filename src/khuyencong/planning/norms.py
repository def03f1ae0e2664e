"""Support norms (mức hỗ trợ) for registrations: the bridge to the norms app's rate table.

A registration names its content group and, where it falls under one, the norm content
(``norms.NormContent``, e.g. ``may-moc-thiet-bi``). Only then is a cap known: a content group
holds several norms (and activities without any), so a group alone decides nothing.
"""

from __future__ import annotations

import datetime

from khuyencong.geo.models import AdministrativeUnit
from khuyencong.norms.selectors import SupportLimit, support_limit


def support_cap(
    *,
    content_group: str,
    fund: str,
    total_cost: int,
    on: datetime.date,
    content: str = "",
    province: AdministrativeUnit | None = None,
) -> SupportLimit | None:
    """The highest support from ``fund`` for a registration of norm ``content`` costing
    ``total_cost`` on date ``on`` in ``province``, with the rule that gives it; ``None`` when the
    registration names no norm content or no norm applies (``content_group`` is kept for
    callers that know no more)."""
    if not content:
        return None
    return support_limit(
        content=content, fund=fund, eligible_cost=total_cost, on=on, province=province
    )
