"""Reads of the rate table, and the public API other apps call.

* :func:`support_limit` — the maximum support for a content, fund, cost and date, with the
  sentence that explains it (projects, planning, the calculator page and command);
* :func:`advance_ceiling` — the share of the contracted support that may be advanced;
* :func:`terms` — both from one read of the norm in force;
* :func:`unit_cost_cap_hook` — the programme checker's ``unit_cost_cap`` hook.

Which row applies: rows of the content and fund in force on the date (``effective_from`` ≤ date
< ``effective_to``). For the national fund (KCQG) only national rows count. For other funds a
row of the province wins over a national one. Among the rest, the row that took effect last wins
(a newer circular replaces the older one even before someone closes the older row).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.programs.models import Fund

from . import rules
from .models import DEFAULT_ADVANCE_CEILING, NormContent, SupportNorm, SupportNormQuerySet
from .seed import OVERSEAS_FAIR as OVERSEAS_FAIR  # public: other apps check this content

if TYPE_CHECKING:
    from khuyencong.programs.models import Programme
    from khuyencong.programs.programme_data import ActivityLineData, Cell


@dataclass(frozen=True)
class SupportLimit:
    """Mức hỗ trợ tối đa: the number, the row that produced it and the sentence citing it."""

    maximum: int
    norm_id: int | None
    legal_basis: str
    sentence: str
    needs_verification: bool


def _province(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    if unit is None or unit.level == UnitLevel.PROVINCE:
        return unit
    return unit.province


def _winner(
    norms: Iterable[SupportNorm],
    *,
    fund: str,
    on: datetime.date,
    province: AdministrativeUnit | None,
) -> SupportNorm | None:
    """The row that applies among rows of one content (any fund, date, jurisdiction)."""
    best: SupportNorm | None = None
    best_key: tuple[int, datetime.date, int] | None = None
    for norm in norms:
        if norm.fund != fund or not norm.in_force_on(on):
            continue
        if norm.jurisdiction_id is None:
            rank = 0
        elif fund != Fund.KCQG and province is not None and norm.jurisdiction_id == province.pk:
            rank = 1
        else:
            continue
        key = (rank, norm.effective_from, norm.pk)
        if best_key is None or key > best_key:
            best, best_key = norm, key
    return best


def _applicable_rows(
    contents: Iterable[str], province: AdministrativeUnit | None
) -> SupportNormQuerySet:
    """Rows of these contents that could apply somewhere in ``province`` (one query)."""
    where = Q(jurisdiction__isnull=True)
    if province is not None:
        where |= Q(jurisdiction=province)
    return SupportNorm.objects.filter(where, content__code__in=list(contents)).select_related(
        "content"
    )


def norm_in_force(
    *, content: str, fund: str, on: datetime.date, province: AdministrativeUnit | None = None
) -> SupportNorm | None:
    """The row that applies, or ``None``. ``province`` may be a commune (its province counts)."""
    province = _province(province)
    rows = _applicable_rows([content], province).filter(fund=fund).in_force(on)
    return _winner(rows, fund=fund, on=on, province=province)


@dataclass(frozen=True)
class Terms:
    """What the norm in force (or none) gives: a support limit and the advance ceiling. A page
    that needs both reads the norm once (:func:`terms`) instead of once for each."""

    norm: SupportNorm | None

    def limit(self, eligible_cost: int, *, priority: bool = False) -> SupportLimit | None:
        """:func:`support_limit` for this norm."""
        if self.norm is None:
            return None
        outcome = rules.maximum_support(self.norm.rate(), eligible_cost, priority=priority)
        return SupportLimit(
            maximum=outcome.maximum,
            norm_id=self.norm.pk,
            legal_basis=self.norm.legal_basis,
            sentence=outcome.sentence,
            needs_verification=self.norm.needs_verification,
        )

    @property
    def advance_ceiling(self) -> Decimal:
        """:func:`advance_ceiling` for this norm."""
        if self.norm is None:
            return DEFAULT_ADVANCE_CEILING
        return Decimal(self.norm.advance_ceiling)


def terms(
    *, content: str, fund: str, on: datetime.date, province: AdministrativeUnit | None = None
) -> Terms:
    """The norm in force for ``content`` and ``fund`` on ``on`` (one query), as :class:`Terms`."""
    return Terms(norm_in_force(content=content, fund=fund, on=on, province=province))


def support_limit(
    *,
    content: str,
    fund: str,
    eligible_cost: int,
    on: datetime.date,
    province: AdministrativeUnit | None = None,
    priority: bool = False,
) -> SupportLimit | None:
    """The highest support for one unit of ``content`` costing ``eligible_cost`` đồng from
    ``fund`` on date ``on``; ``None`` when no norm applies."""
    found = terms(content=content, fund=fund, on=on, province=province)
    return found.limit(eligible_cost, priority=priority)


def advance_ceiling(
    *, content: str, fund: str, on: datetime.date, province: AdministrativeUnit | None = None
) -> Decimal:
    """Tỷ lệ tạm ứng tối đa of the norm that applies; 0.70 when none does."""
    return terms(content=content, fund=fund, on=on, province=province).advance_ceiling


def unit_cost_cap_hook(programme: Programme) -> Callable[[ActivityLineData, Cell], int | None]:
    """The checker's hook for a programme: the cap per unit of the line's norm content.

    A line is mapped to a content through ``ActivityLine.norm_content`` (by the line's
    ``order``); the cap is the one in force for the programme's province (none for the national
    programme) and the cell's fund on 1 January of the cell's year — the programme's start date
    for its first year, so that a rate changed during the programme applies from then on.
    Lines without a content, funds without a norm and norms without a cap give ``None``.
    """
    contents = {
        line.order: line.norm_content_id for line in programme.lines.all() if line.norm_content_id
    }
    province = _province(programme.unit)
    by_content: dict[str, list[SupportNorm]] = {}
    for norm in _applicable_rows(set(contents.values()), province):
        by_content.setdefault(norm.content.code, []).append(norm)
    cache: dict[tuple[str, str, int], int | None] = {}

    def cap(line: ActivityLineData, cell: Cell) -> int | None:
        content = contents.get(line.order)
        if content is None:
            return None
        key = (content, cell.fund, cell.year)
        if key not in cache:
            norm = _winner(
                by_content.get(content, []),
                fund=cell.fund,
                on=datetime.date(cell.year, 1, 1),
                province=province,
            )
            cache[key] = norm.cap_per_unit if norm is not None else None
        return cache[key]

    return cap


def contents() -> QuerySet[NormContent]:
    return NormContent.objects.select_related("group").order_by("order", "code")


def provinces() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.current().provinces().order_by("name")


def content_exists(code: str) -> bool:
    return NormContent.objects.filter(code=code).exists()


@dataclass(frozen=True)
class NormRow:
    """A row of the rate table page, with whether it is the one applied today."""

    norm: SupportNorm
    status: str  # "applied", "superseded", "future", "expired"


def norm_table(*, on: datetime.date, content: str = "", fund: str = "") -> list[NormRow]:
    """Every row of the table (it is public legal data: no scope), marked by status on ``on``."""
    norms = SupportNorm.objects.select_related("content", "jurisdiction").order_by(
        "content__order", "content__code", "fund", "jurisdiction__name", "-effective_from", "pk"
    )
    if content:
        norms = norms.filter(content__code=content)
    if fund:
        norms = norms.filter(fund=fund)
    rows = list(norms)
    national = AdministrativeUnit.objects.current().filter(level=UnitLevel.NATIONAL).first()
    if national is not None:
        for norm in rows:
            norm._national_unit = national  # spares the policy one query per row
    applied: set[int] = set()
    groups: dict[tuple[int, str, int | None], list[SupportNorm]] = {}
    for norm in rows:
        if norm.in_force_on(on):
            groups.setdefault((norm.content_id, norm.fund, norm.jurisdiction_id), []).append(norm)
    for members in groups.values():
        winner = max(members, key=lambda n: (n.effective_from, n.pk))
        applied.add(winner.pk)
    result = []
    for norm in rows:
        if norm.pk in applied:
            status = "applied"
        elif norm.in_force_on(on):
            status = "superseded"
        elif norm.effective_from > on:
            status = "future"
        else:
            status = "expired"
        result.append(NormRow(norm, status))
    return result


def norm_for_view(pk: int) -> SupportNorm:
    return SupportNorm.objects.select_related("content", "jurisdiction").get(pk=pk)
