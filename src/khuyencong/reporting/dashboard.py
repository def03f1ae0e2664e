"""The dashboards' reads (bảng tổng hợp): target vs achieved, reports vs live data, per unit.

Everything comes from the stored summary (``SummaryFigure``) and the programme targets: a few
queries whatever the size of the country, scoped by the access policy (the nation sees every
province, a province itself and its communes, a commune itself).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404

from khuyencong.accounts import policy
from khuyencong.accounts.models import RoleAssignment
from khuyencong.core.counting import ListCount, bounded_count
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.programs.models import Programme, ProgrammeStatus, Target

from . import breakdowns, display, plans, summary, target_keys, workflow
from .aggregation import Figure
from .models import Basis, Indicator, Report, SummaryFigure
from .periods import Period, PeriodError

CHILD_LEVEL = {UnitLevel.NATIONAL: UnitLevel.PROVINCE, UnitLevel.PROVINCE: UnitLevel.COMMUNE}


@dataclass
class Cell:
    """One unit's figure of one indicator and key: from accepted reports and live."""

    reported: Figure | None = None
    live: Figure | None = None

    @property
    def differs(self) -> bool:
        if self.reported is None:
            return False
        a = self.reported.value
        b = self.live.value if self.live else Decimal(0)
        return a != b

    @property
    def difference(self) -> Decimal | None:
        if self.reported is None:
            return None
        a, b = self.reported.value, (self.live.value if self.live else Decimal(0))
        return None if a is None or b is None else b - a


class LowerUnit(NamedTuple):
    """A lower unit as the board lists it: what the page, the chart, the exports and the API
    read of it (a province's ~150 communes as model instances cost ~1 ms a page, issue 11)."""

    pk: int
    code: str
    name: str


@dataclass
class Board:
    area: AdministrativeUnit
    period: Period
    indicators: list[Indicator]
    units: list[LowerUnit]
    cells: dict[tuple[int, str, str], Cell] = field(default_factory=dict)
    targets: dict[str, Decimal] = field(default_factory=dict)
    plan: list[plans.PlanRow] = field(default_factory=list)
    expected: int = 0
    on_time: int = 0
    submitted: int = 0
    #: When the rows shown were last refreshed (``None``: no summary for the period yet).
    refreshed: datetime.datetime | None = None

    def cell(self, unit: AdministrativeUnit | LowerUnit, code: str, key: str = "") -> Cell:
        return self.cells.get((unit.pk, code, key), Cell())

    @property
    def on_time_share(self) -> Decimal | None:
        return Figure(Decimal(self.on_time), Decimal(self.expected)).value


DEFAULT_PERIOD = "2026-H1"


def require_view(user: Any) -> None:
    decision = policy.can(user, policy.Action.VIEW_REPORTS)
    if not decision:
        raise PermissionDenied(decision.reason)


@dataclass(frozen=True)
class Choice:
    """What a dashboard request asks for (``ky``, ``don_vi``, ``chi_tieu``), checked: the
    period (the default one when ``period_valid`` is false), the area inside the user's scope
    and the indicator shown."""

    period: Period
    area: AdministrativeUnit
    indicators: list[Indicator]
    indicator: Indicator
    period_valid: bool = True
    #: A breakdown key (``phan_to``) of the figure asked for; checked by ``drilldown.check_key``.
    key: str = ""


def choose(user: Any, query: Any) -> Choice:
    """The request's choice; 403 with the reason for a role without reports, 404 for a unit
    out of scope or a set without indicators."""
    require_view(user)
    try:
        period, valid = Period.parse(query.get("ky", DEFAULT_PERIOD)), True
    except PeriodError:
        period, valid = Period.parse(DEFAULT_PERIOD), False
    unit = query.get("don_vi", "")
    area = area_of(user, int(unit) if unit.isdigit() else None)
    indicators = summary.dashboard_indicators()
    if area is None or not indicators:
        raise Http404
    code = query.get("chi_tieu", "")
    indicator = next((i for i in indicators if i.code == code), indicators[0])
    return Choice(period, area, indicators, indicator, valid, query.get("phan_to", "")[:32])


def area_of(user: Any, unit_pk: int | None = None) -> AdministrativeUnit | None:
    """The unit a dashboard shows: the user's scope, or a unit inside it (a drill-down)."""
    if not policy.can(user, policy.Action.VIEW_REPORTS):
        return None
    scope = policy.scope_unit(user)
    if unit_pk is None or scope is None:
        return scope
    return policy.visible_units(user).filter(pk=unit_pk).first()


def board(
    area: AdministrativeUnit,
    period: Period,
    indicators: list[Indicator] | None = None,
    shown: Indicator | None = None,
) -> Board:
    """The area's figures with their breakdowns and extras, and the lower units' totals — of
    every indicator, or only of ``shown`` (what the page, its chart and its exports show of
    each lower unit: a province's 144 communes × 15 indicators were read and parsed at scale
    1.0 for 144 rows shown, issue 11). The lower units listed are those with a figure of any
    indicator either way."""
    indicators = summary.dashboard_indicators() if indicators is None else indicators
    child = CHILD_LEVEL.get(UnitLevel(area.level))
    rows = SummaryFigure.objects.filter(period=period.code)
    lower_rows = None
    if child is None:
        rows = rows.filter(unit=area)
    elif area.level == UnitLevel.NATIONAL:
        lower_rows = rows.filter(level=child)
        rows = rows.filter(level__in=[UnitLevel.NATIONAL, child])
    else:
        lower_rows = rows.filter(level=child, province=area.pk)
        rows = rows.filter(level__in=[area.level, child], province=area.pk)
    # The area's figures with their breakdowns and its stored extras, the lower units' totals
    # only (what the page shows), read as tuples: no model instance per row.
    totals = Q(key="", basis__in=[Basis.REPORTED, Basis.LIVE])
    rows = rows.filter(Q(unit=area) | (totals & Q(indicator_code=shown.code) if shown else totals))
    result = Board(area, period, indicators, [])
    stored: list[tuple[str, str, str, Decimal]] = []
    for unit_id, code, key, basis, numerator, denominator, refreshed in rows.values_list(
        "unit_id", "indicator_code", "key", "basis", "numerator", "denominator", "refreshed_at"
    ):
        if result.refreshed is None or refreshed > result.refreshed:
            result.refreshed = refreshed
        if basis in EXTRAS:
            stored.append((code, key, basis, numerator))
            continue
        cell = result.cells.setdefault((unit_id, code, key), Cell())
        if basis == Basis.REPORTED:
            cell.reported = Figure(numerator, denominator)
        else:
            cell.live = Figure(numerator, denominator)
    if lower_rows is not None:
        with_figures = lower_rows.filter(totals).values("unit_id")
        listed = AdministrativeUnit.objects.filter(pk__in=with_figures)
        result.units = sorted(
            (LowerUnit(*row) for row in listed.values_list("pk", "code", "name")),
            key=lambda u: u.name,
        )
    # The nation's and a province's extras are the summary's (computed by the refresh, in the
    # background); a commune's few rows are read now.
    if area.level == UnitLevel.COMMUNE:
        extras = compute_extras(area, period, indicators)
    else:
        extras = read_extras(stored)
    result.targets = extras.targets
    live = {(c, k): cell.live for (u, c, k), cell in result.cells.items() if u == area.pk}
    result.plan = plans.rows_from(indicators, extras.planned, live)
    result.expected, result.submitted, result.on_time = extras.timeliness
    return result


EXTRAS = (Basis.TARGET, Basis.PLAN, Basis.TIMELINESS)
#: The summary's pseudo-indicator of timeliness and its keys (expected, submitted, on time).
TIMELINESS = "nop-bao-cao"
TIMELINESS_KEYS = ("ky-vong", "da-gui", "dung-han")


@dataclass(frozen=True)
class Extras:
    """What a dashboard shows beside the figures: the period's programme targets and the year
    plan by fund (by indicator code), and the units expected / submitted / on time."""

    targets: dict[str, Decimal] = field(default_factory=dict)
    planned: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    timeliness: tuple[int, int, int] = (0, 0, 0)


def compute_extras(area: AdministrativeUnit, period: Period, indicators: list[Indicator]) -> Extras:
    """The extras from the programmes and the reports now (the refresh job; a commune)."""
    if area.level != UnitLevel.NATIONAL and not Programme.objects.filter(unit=area).exists():
        # A province's or a commune's targets and plan are its own programmes': without one
        # (most communes) one query instead of six — a commune's page computes its extras on
        # every request (issue 11).
        return Extras(timeliness=timeliness(area, period))
    by_key = targets(area, [i.target_key for i in indicators if i.target_key])
    return Extras(
        {i.code: by_key[i.target_key] for i in indicators if i.target_key in by_key},
        plans.planned_by_indicator(area, period.year, indicators),
        timeliness(area, period),
    )


def extras_figures(extras: Extras) -> dict[str, dict[tuple[str, str], Figure]]:
    """The extras as the summary stores them: basis → (indicator code, key) → figure."""
    return {
        Basis.TARGET: {(code, ""): Figure(value) for code, value in extras.targets.items()},
        Basis.PLAN: {
            (code, fund): Figure(value)
            for code, funds in extras.planned.items()
            for fund, value in funds.items()
        },
        Basis.TIMELINESS: {
            (TIMELINESS, key): Figure(Decimal(value))
            for key, value in zip(TIMELINESS_KEYS, extras.timeliness, strict=True)
        },
    }


def read_extras(rows: list[tuple[str, str, str, Decimal]]) -> Extras:
    extras = Extras()
    counts = dict.fromkeys(TIMELINESS_KEYS, 0)
    for code, key, basis, value in rows:
        if basis == Basis.TARGET:
            extras.targets[code] = value
        elif basis == Basis.PLAN:
            extras.planned.setdefault(code, {})[key] = value
        elif code == TIMELINESS and key in counts:
            counts[key] = int(value)
    return Extras(extras.targets, extras.planned, tuple(counts.values()))  # type: ignore[arg-type]


def targets(area: AdministrativeUnit, keys: list[str]) -> dict[str, Decimal]:
    """The area's programme targets (chỉ tiêu) by key: the nation's are 2646's; a province's its
    own programme's where it uses the same keys."""
    mapping = target_keys.programme_keys(keys)
    rows = Target.objects.filter(programme__unit=area, key__in=list(mapping)).order_by(
        "programme_id", "order", "pk"
    )
    columns = ("programme_id", "key", "quantity")
    found = list(rows.filter(programme__status=ProgrammeStatus.APPROVED).values_list(*columns))
    if area.level == UnitLevel.NATIONAL and not found:
        found = list(rows.values_list(*columns))
    # A key stated twice in one programme (objectives and contents) counts once; keys mapped
    # onto one indicator add up (Sơn La's machines and technology lines).
    seen: set[tuple[int, str]] = set()
    result: dict[str, Decimal] = defaultdict(Decimal)
    for programme_id, key, quantity in found:
        if (programme_id, key) not in seen:
            seen.add((programme_id, key))
            result[mapping[key]] += quantity
    return dict(result)


def timeliness(area: AdministrativeUnit, period: Period) -> tuple[int, int, int]:
    """Units expected to report in the area this period, how many submitted and how many on
    time (counted in the database)."""
    within = Q()
    if area.level == UnitLevel.PROVINCE:
        within = Q(unit=area) | Q(unit__parent=area)
    elif area.level == UnitLevel.COMMUNE:
        within = Q(unit=area)
    reports = Report.objects.filter(within, period=period.code, schedule__period_kind=period.kind)
    counts = reports.aggregate(
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        on_time=Count("pk", filter=Q(submitted_at__date__lte=F("due_on"))),
    )
    expected = 0
    kinds = {s.reporter for s in _schedules(period)}
    for reporter in kinds:
        level = UnitLevel.COMMUNE if reporter == workflow.Reporter.COMMUNE else UnitLevel.PROVINCE
        if area.level == UnitLevel.COMMUNE and level != UnitLevel.COMMUNE:
            continue  # no province inside a commune: a count known to be 0 (issue 11)
        holders = RoleAssignment.objects.filter(
            within,
            is_active=True,
            role=workflow.PREPARER[workflow.Reporter(reporter)],
            unit__level=level,
        ).values("unit_id")
        with_report = reports.filter(schedule__reporter=reporter).values("unit_id")
        expected += AdministrativeUnit.objects.filter(
            Q(pk__in=holders) | Q(pk__in=with_report)
        ).count()
    return expected, counts["submitted"], counts["on_time"]


def _schedules(period: Period) -> Any:
    from .models import Schedule

    return Schedule.objects.filter(is_active=True, period_kind=period.kind).only("reporter")


def by_unit(result: Board, code: str) -> list[tuple[LowerUnit, Cell]]:
    return [(unit, result.cell(unit, code)) for unit in result.units]


def keyed(result: Board) -> dict[str, list[str]]:
    """The keys of each indicator's declared breakdowns present for the area (a stored row of
    a breakdown no longer declared is not shown)."""
    kinds = {i.code: i.breakdowns for i in result.indicators}
    keys: dict[str, set[str]] = defaultdict(set)
    for unit_id, code, key in result.cells:
        if unit_id == result.area.pk and key and breakdowns.shown(key, kinds.get(code, ())):
            keys[code].add(key)
    return {code: display.ordered_keys(found) for code, found in keys.items()}


@dataclass(frozen=True)
class Records:
    kind: str
    rows: list[Any]
    total: ListCount

    @property
    def more(self) -> bool:
        """More records than the page lists."""
        return not self.total.exact or self.total.value > len(self.rows)


RECORD_LIMIT = 200


def records(
    user: Any, indicator: Indicator, unit: AdministrativeUnit, period: Period, key: str = ""
) -> Records:
    """The first records behind a unit's live figure (or one breakdown key of it), for the
    page, and how many there are: exact up to ``settings.LIST_EXACT_COUNT_LIMIT``, above it
    the planner's estimate (no count over a national table on a page)."""
    kind, scoped = record_queryset(user, indicator, unit, period, key)
    total = bounded_count(scoped, limit=settings.LIST_EXACT_COUNT_LIMIT)
    return Records(kind, list(scoped[:RECORD_LIMIT]), total)


def record_queryset(
    user: Any, indicator: Indicator, unit: AdministrativeUnit, period: Period, key: str = ""
) -> tuple[str, Any]:
    """The records behind a unit's live figure (the total, or one breakdown ``key``), as the
    user may see them (the access policy narrows them: a record out of scope is not listed),
    in the page's order, each annotated with ``share``: what it adds to the figure."""
    from khuyencong.awards.models import Certificate
    from khuyencong.projects.selectors import visible_projects
    from khuyencong.registry.models import Establishment

    from . import computations, drilldown

    level: computations.Level = "commune" if unit.level == UnitLevel.COMMUNE else "province"
    window = computations.Window(period, period.end, level, unit)
    kind, found = computations.records(indicator.computation, window)
    found = found.filter(drilldown.key_filter(indicator.computation, kind, key, window))
    scoped: Any
    if kind == "project":
        scoped = (
            visible_projects(user)
            .select_related("location")
            .filter(pk__in=found.values("pk"))
            .order_by("-decision_date", "pk")
        )
    elif kind == "establishment":
        scoped = (
            policy.scope_queryset(
                user,
                Establishment.objects.select_related("commune"),
                unit_field="commune",
                establishment_field="pk",
            )
            .filter(pk__in=found.values("pk"))
            .order_by("name", "pk")
        )
    else:
        scoped = (
            policy.scope_queryset(
                user,
                Certificate.objects.select_related("product", "commune", "establishment"),
                unit_field="commune",
                establishment_field="establishment",
            )
            .filter(pk__in=found.values("pk"))
            .order_by("-issued_on", "pk")
        )
    share = drilldown.share(indicator.computation, key, window)
    return kind, scoped if share is None else scoped.annotate(share=share)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    target: Decimal | None
    cell: Cell
    keys: list[tuple[str, Cell]]

    @property
    def share_of_target(self) -> Decimal | None:
        achieved = self.cell.live.value if self.cell.live else None
        if not self.target or achieved is None or self.cell.live is None:
            return None
        if self.cell.live.denominator is not None:
            return None
        return Figure(achieved, self.target).value


def indicator_rows(result: Board) -> list[IndicatorRow]:
    keys = keyed(result)
    return [
        IndicatorRow(
            indicator,
            result.targets.get(indicator.code),
            result.cell(result.area, indicator.code),
            [
                (key, result.cell(result.area, indicator.code, key))
                for key in keys.get(indicator.code, [])
            ],
        )
        for indicator in result.indicators
    ]


def chart_bars(result: Board, indicator: Indicator) -> list[tuple[LowerUnit, int]]:
    """The chart's bars: each lower unit in the area and its live figure (0 when none) — the
    one definition the chart and its export read."""
    return [
        (unit, int(cell.live.value) if cell.live and cell.live.value is not None else 0)
        for unit, cell in by_unit(result, indicator.code)
    ]


def chart(result: Board, indicator: Indicator) -> str:
    """Per-unit bars of the live figure (server-side SVG: it prints, needs no script)."""
    from khuyencong.core import charts

    bars = chart_bars(result, indicator)
    # The chart writes each bar's value twice (its tooltip and its label), and many
    # communes share a value: each text formatted once.
    texts: dict[int, str] = {}

    def text(value: int) -> str:
        if value not in texts:
            texts[value] = display.number_text(Decimal(value), indicator)
        return texts[value]

    return charts.horizontal_bars(
        [unit.name for unit, _value in bars],
        [value for _unit, value in bars],
        title=indicator.shown_label,
        value_text=text,
    )
