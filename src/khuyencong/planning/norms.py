"""Hook for support norms (mức hỗ trợ): the norms issue replaces :func:`support_cap`.

Until norms are kept as a dated rate table (DOMAIN.md §4), no cap is known: registrations show
a warning instead of an error.
"""

from __future__ import annotations

import datetime


def support_cap(*, content_group: str, fund: str, total_cost: int, on: datetime.date) -> int | None:
    """The highest support in đồng from ``fund`` for a project of ``content_group`` costing
    ``total_cost`` on date ``on``; ``None`` while no norm is known."""
    return None
