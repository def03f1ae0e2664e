"""The year's plan by fund against what was achieved (kế hoạch năm theo nguồn kinh phí).

A programme's allocation table gives, for each of its lines, the quantity and money planned per
year and fund (``AllocationCell``); a programme target names the lines that carry it
(``Target.line_orders``). So the year's target of an indicator for a fund is the quantity of
its target's lines in that year and fund, and the year's money per fund is the sum of every
line's cells. A province reads its own approved programmes; the nation reads the approved
province programmes combined (the national programme 2646 has targets for the whole period but
no allocation table). Two queries, whatever the number of provinces.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.programs.models import AllocationCell, Programme, ProgrammeStatus, Target

from . import breakdowns, target_keys
from .aggregation import Figure
from .models import Indicator

#: The indicator whose fund keys are the money approved in the period.
MONEY = "kinh-phi-phe-duyet"


@dataclass(frozen=True)
class PlanRow:
    """One indicator (or the money) in the year's plan: for one fund (``fund``) when the
    indicator is broken down by fund, else for all funds together (``fund`` is ``""`` and
    ``parts`` says how the plan splits between funds)."""

    indicator: Indicator
    fund: str
    planned: Decimal
    achieved: Figure | None
    parts: tuple[tuple[str, Decimal], ...] = ()

    @property
    def share(self) -> Decimal | None:
        if self.achieved is None or not self.planned:
            return None
        return Figure(self.achieved.numerator, self.planned).value


def programmes(area: AdministrativeUnit, year: int) -> QuerySet[Programme]:
    """The approved programmes whose allocation tables plan the area's year."""
    running = Programme.objects.filter(
        status=ProgrammeStatus.APPROVED, start_year__lte=year, end_year__gte=year
    )
    if area.level == UnitLevel.NATIONAL:
        return running.filter(Q(unit=area) | Q(unit__level=UnitLevel.PROVINCE))
    return running.filter(unit=area)


def year_plan(
    area: AdministrativeUnit, year: int, keys: list[str]
) -> tuple[dict[str, int], dict[str, dict[str, Decimal]]]:
    """(money planned per fund, quantity planned per target key and fund) for the year."""
    found = programmes(area, year)
    cells = AllocationCell.objects.filter(line__programme__in=found, year=year)
    money: dict[str, int] = {
        fund: int(amount or 0)
        for fund, amount in cells.values_list("fund").annotate(amount=Sum("amount")).order_by()
        if amount
    }
    quantities: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for programme_id, order, fund, quantity in cells.filter(quantity__gt=0).values_list(
        "line__programme_id", "line__order", "fund", "quantity"
    ):
        quantities[(programme_id, order)][fund] = quantity
    # A line counts once per indicator key, even when two targets of the programme point at it
    # (a key stated in two sections, or two keys mapped onto one indicator).
    mapping = target_keys.programme_keys(keys)
    lines: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for programme_id, key, orders in Target.objects.filter(
        programme__in=found, key__in=list(mapping)
    ).values_list("programme_id", "key", "line_orders"):
        lines[mapping[key]].update((programme_id, order) for order in orders or [])
    planned: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for key, carried in lines.items():
        for line in carried:
            for fund, quantity in quantities.get(line, {}).items():
                planned[key][fund] += quantity
    return money, {key: dict(funds) for key, funds in planned.items() if funds}


def planned_by_indicator(
    area: AdministrativeUnit, year: int, indicators: list[Indicator]
) -> dict[str, dict[str, Decimal]]:
    """Indicator code → fund → what the area's year plan holds for it (what the summary
    stores, ``Basis.PLAN``)."""
    keys = [i.target_key for i in indicators if i.target_key]
    money, planned = year_plan(area, year, keys)
    result: dict[str, dict[str, Decimal]] = {}
    for indicator in indicators:
        if indicator.code == MONEY:
            funds = {fund: Decimal(amount) for fund, amount in money.items()}
        else:
            funds = planned.get(indicator.target_key, {}) if indicator.target_key else {}
        if funds:
            result[indicator.code] = funds
    return result


def plan_rows(
    area: AdministrativeUnit,
    year: int,
    indicators: list[Indicator],
    achieved: dict[tuple[str, str], Figure | None],
) -> list[PlanRow]:
    """The rows of the year's plan table, computed now (see :func:`rows_from`)."""
    return rows_from(indicators, planned_by_indicator(area, year, indicators), achieved)


def rows_from(
    indicators: list[Indicator],
    planned: dict[str, dict[str, Decimal]],
    achieved: dict[tuple[str, str], Figure | None],
) -> list[PlanRow]:
    """The rows of the year's plan table, in the indicators' order, a row per fund planned.

    ``achieved`` maps (indicator code, key) to the area's live figure; an indicator broken down
    by fund (it declares the breakdown ``nguon``) is compared fund by fund, another one by its
    total."""
    rows: list[PlanRow] = []
    for indicator in indicators:
        funds = planned.get(indicator.code, {})
        if not funds:
            continue
        if breakdowns.FUND in indicator.breakdowns:
            rows += [
                PlanRow(indicator, fund, funds[fund], achieved.get((indicator.code, fund)))
                for fund in sorted(funds)
            ]
        else:
            parts = tuple(sorted(funds.items()))
            total = sum(funds.values(), Decimal(0))
            rows.append(PlanRow(indicator, "", total, achieved.get((indicator.code, "")), parts))
    return rows
