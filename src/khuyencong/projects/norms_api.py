"""The one place projects call the norms app (``norms.selectors``): its public API only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from khuyencong.geo.models import AdministrativeUnit
from khuyencong.norms import selectors as norms

from . import rules

#: The norm content of "taking part in a fair or exhibition abroad": at most two a year per
#: establishment.
OVERSEAS_FAIR = norms.OVERSEAS_FAIR


def content_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in norms.contents()]


def content_name(code: str) -> str | None:
    """The norm content's name, or None when the norms table has no such content (one query)."""
    if not code:
        return None
    return norms.contents().filter(code=code).values_list("name", flat=True).first()


def content_name_subquery(field: str = "content") -> Subquery:
    """The name of the norm content whose code is in ``field``, read with the row (``NULL``
    when the norms table has no such content): a page that shows a project's content and
    checks it reads the name once with the project instead of one query per look-up."""
    return Subquery(norms.contents().filter(code=OuterRef(field)).values("name")[:1])


def content_label(code: str) -> str:
    return content_name(code) or code


def content_labels(codes: Iterable[str]) -> dict[str, str]:
    """Names of several contents in one query."""
    return dict(norms.contents().filter(code__in=set(codes)).values_list("code", "name"))


def contents_of_group(group_id: int | None) -> list[str]:
    """Content codes the norms catalogue files under a programme content group."""
    return list(norms.contents().filter(group_id=group_id).values_list("code", flat=True))


@dataclass(frozen=True)
class Terms:
    """The norm in force for a project, read once: its support limit and its advance rate."""

    found: norms.Terms

    def limit_for(self, *, eligible_cost: int, priority: bool) -> rules.Limit | None:
        return _limit(self.found.limit(eligible_cost, priority=priority))

    @property
    def advance_rate(self) -> Decimal:
        return self.found.advance_ceiling


def terms(
    *, content: str, fund: str, on: datetime.date, province: AdministrativeUnit | None
) -> Terms:
    return Terms(norms.terms(content=content, fund=fund, on=on, province=province))


def limit_for(
    *,
    content: str,
    fund: str,
    eligible_cost: int,
    on: datetime.date,
    province: AdministrativeUnit | None,
    priority: bool,
) -> rules.Limit | None:
    found = terms(content=content, fund=fund, on=on, province=province)
    return found.limit_for(eligible_cost=eligible_cost, priority=priority)


def _limit(found: norms.SupportLimit | None) -> rules.Limit | None:
    if found is None:
        return None
    return rules.Limit(
        maximum=found.maximum,
        sentence=found.sentence,
        legal_basis=found.legal_basis,
        needs_verification=found.needs_verification,
    )
