"""Số liệu này gồm những gì: what a dashboard figure is made of, down to the record.

A live figure — its total or one key of a breakdown (a fund, a content group, a product group,
an owner, a certificate level) — lists the records it counts, each with how much it adds to
the figure (``share``), so the list adds up to the cell. A figure from accepted reports lists
the reports it sums and, for each, the lines where its parts were entered (who, when, the
note); a hand-entered figure rolled up from lower units lists the lower reports' own entries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.expressions import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.norms.models import NormContent
from khuyencong.projects import kept_money

from . import breakdowns, computations, expected, selectors, workflow
from .aggregation import Figure, across_units
from .models import Indicator, Part, Report, ReportValue
from .periods import Period

#: Money a project adds to each fund key of ``money-approved`` / ``money-settled``.
APPROVED = dict(computations.FUND_MONEY)
SETTLED = {"KCQG": "settled_kcqg", "KCDP": "settled_kcdp"}


def check_key(indicator: Indicator, key: str, *, live: bool) -> str:
    """The breakdown key asked for (``phan_to``), if the indicator declares its breakdown (and,
    for a live figure, its computation gives it); else 404."""
    if not key:
        return ""
    kind = breakdowns.kind_of(key)
    declared = kind is not None and kind in indicator.breakdowns
    if live:
        declared = declared and kind in computations.BREAKDOWNS.get(indicator.computation, ())
    if not declared:
        raise Http404
    return key


def _contents(group: str) -> list[str]:
    return list(NormContent.objects.filter(group__code=group).values_list("code", flat=True))


def key_filter(computation: str, kind: str, key: str, window: computations.Window) -> Q:
    """The records of one breakdown key among those the figure counts (``Q()`` for the
    total)."""
    family = breakdowns.kind_of(key)
    if not key or family is None:
        return Q()
    if family == breakdowns.CONTENT:
        return Q(content__in=_contents(key))
    if family == breakdowns.OWNER:
        return Q(owner_gender="nu") if key == "nu" else Q(owner_ethnic_minority=True)
    if family == breakdowns.PRODUCT_GROUP:
        group = key.removeprefix(breakdowns.PRODUCT_GROUP_PREFIX)
        return Q(product__group=group) if kind == "certificate" else Q(product_group=group)
    if family == breakdowns.LEVEL:
        return Q(level=key)
    # A fund.
    if computation == "money-approved":
        return Q(**{f"{APPROVED[key]}__gt": 0}) if key in APPROVED else Q(pk__in=[])
    if computation == "money-settled":
        return Q(**{f"{SETTLED[key]}__gt": 0}) if key in SETTLED else Q(pk__in=[])
    if computation in computations.MONEY_ROWS:
        paid = Q(pk__in=[])
        for model in computations.MONEY_ROWS[computation]:
            rows = kept_money.disbursed_rows(model).filter(paid_on__range=window.dates, fund=key)
            paid |= Q(pk__in=rows.values("project_id"))
        return paid
    return Q(fund=key)


def _paid(model: Any, window: computations.Window, key: str) -> Any:
    paid = kept_money.disbursed_rows(model).filter(
        project=OuterRef("pk"), paid_on__range=window.dates
    )
    if breakdowns.kind_of(key) == breakdowns.FUND:
        paid = paid.filter(fund=key)
    return Coalesce(
        Subquery(paid.values("project").annotate(s=Sum("amount")).values("s")[:1]), Value(0)
    )


def share(computation: str, key: str, window: computations.Window) -> Any:
    """How much one record adds to the figure of ``key`` (``None`` for a ratio, whose parts
    the record's columns show)."""
    fund = key if breakdowns.kind_of(key) == breakdowns.FUND else ""
    if computation == "kcqg-share":
        return None
    if computation == "money-approved":
        if fund:
            return F(APPROVED[fund])
        return F("approved_kcqg") + F("approved_kcdp") + F("counterpart") + F("other")
    if computation == "money-settled":
        return F(SETTLED[fund]) if fund else F("settled_kcqg") + F("settled_kcdp")
    if computation == "trainees":
        outputs = computations.trainee_outputs().filter(project=OuterRef("pk"))
        total = outputs.values("project").annotate(s=Sum("actual_quantity")).values("s")[:1]
        quantity: DecimalField[Any, Any] = DecimalField(max_digits=16, decimal_places=3)
        return Coalesce(Subquery(total, output_field=quantity), Value(0), output_field=quantity)
    if computation in computations.MONEY_ROWS:
        first, *more = (_paid(m, window, key) for m in computations.MONEY_ROWS[computation])
        return sum(more, first)
    return Value(1)


@dataclass(frozen=True)
class Entry:
    """One line of a report behind a reported figure: the report, its part (own or rolled up
    from below), the value and, for a hand-entered one, who entered it, when and the note."""

    report: Report
    value: ReportValue

    @property
    def figure(self) -> Figure:
        return self.value.figure


@dataclass(frozen=True)
class Summed:
    """One accepted report a reported figure sums: its figure (from its frozen submission),
    its lines, and the lower units' entries its rolled-up part comes from."""

    report: Report
    figure: Figure | None
    lines: list[Entry]
    below: list[Entry]


@dataclass(frozen=True)
class Reported:
    figure: Figure | None
    reports: list[Summed]


def summed_reports(area: AdministrativeUnit, period: Period) -> Any:
    """The accepted reports a unit's reported figure sums (``summary.refresh_period``): the
    provinces' for the nation, the unit's own report otherwise."""
    from . import summary

    accepted = Report.objects.filter(period=period.code, status=workflow.State.ACCEPTED)
    if area.level == UnitLevel.NATIONAL:
        return accepted.filter(schedule__reporter=workflow.Reporter.PROVINCE)
    return accepted.filter(unit=area, schedule__reporter__in=list(summary.REPORTED_BY))


def _frozen(report: Report, indicator: Indicator, key: str) -> Figure | None:
    """The report's submitted figure of the indicator and key, its parts combined by rule
    (read from the snapshot: no query)."""
    parts = [
        Figure(Decimal(n), None if d is None else Decimal(d))
        for name, (n, d) in report.submission.get("values", {}).items()
        if name.rsplit("|", 1)[0] == f"{indicator.code}|{key}"
    ]
    return across_units(indicator.aggregation, parts) if parts else None


def reported(
    user: Any, indicator: Indicator, area: AdministrativeUnit, period: Period, key: str = ""
) -> Reported:
    """The accepted reports behind the unit's reported figure of ``indicator`` / ``key`` that
    the user may see, their lines and the lower entries (three queries)."""
    visible = selectors.visible_reports(user)
    reports = list(
        visible.filter(pk__in=summed_reports(area, period).values("pk")).order_by("unit__name")
    )
    values = ReportValue.objects.filter(indicator__code=indicator.code, key=key).select_related(
        "entered_by"
    )
    lines: dict[int, list[Entry]] = defaultdict(list)
    by_pk = {r.pk: r for r in reports}
    for value in values.filter(report__in=reports).order_by("report_id", "part"):
        lines[value.report_id].append(Entry(by_pk[value.report_id], value))
    lower: dict[int, list[Entry]] = defaultdict(list)
    rolled = [r for r in reports if any(e.value.part == Part.BELOW for e in lines[r.pk])]
    if rolled:
        below = Report.objects.none()
        for report in rolled:
            below |= expected.lower_reports(report)
        found = visible.filter(pk__in=below.values("pk"), status=workflow.State.ACCEPTED)
        for value in (
            values.filter(report__in=found, part=Part.OWN)
            .select_related("report__unit", "report__schedule")
            .order_by("report__unit__name", "pk")
        ):
            lower[value.report.province_id or 0].append(Entry(value.report, value))
    summed = [
        Summed(r, _frozen(r, indicator, key), lines[r.pk], lower.get(r.unit_id, []))
        for r in reports
    ]
    figures = [s.figure for s in summed if s.figure is not None]
    total = across_units(indicator.aggregation, figures) if figures else None
    return Reported(total, summed)
