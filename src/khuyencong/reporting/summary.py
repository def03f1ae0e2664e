"""The stored summary (bảng tổng hợp) that dashboards read: per unit × period × indicator ×
disaggregation key, the figure of accepted reports and the figure live from the data at the
period's end. Refreshed for one report when it moves (submit, approve, accept, return) and for
a whole period by ``manage.py refresh_summary`` / the ``refresh_summary_task`` (daily): a
dashboard never scans the raw tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import breakdowns, computations, workflow
from .aggregation import Figure, Rule, across_units
from .models import Basis, Indicator, IndicatorSet, Report, SummaryFigure
from .periods import Period

#: The indicator set whose indicators the dashboards show (the provinces' report to the nation).
DASHBOARD_SET = "chi-tieu-2646-tinh"
#: Reports whose figures stand for their unit on the dashboards (a centre's report is an input
#: to its province's report, not a unit's figure of its own).
REPORTED_BY = (workflow.Reporter.PROVINCE, workflow.Reporter.COMMUNE)

Figures = dict[tuple[str, str], Figure]


def dashboard_indicators() -> list[Indicator]:
    """The latest version of the dashboard's set, its indicators in order (one query)."""
    latest = IndicatorSet.objects.filter(code=DASHBOARD_SET).order_by("-version").values("pk")
    return list(Indicator.objects.filter(indicator_set=latest[:1]).order_by("order"))


def report_figures(report: Report) -> Figures:
    """The report's figures per (indicator code, key): its frozen submission once submitted,
    the stored values of a draft; own figures and the roll-up from below combined by rule."""
    if report.status in workflow.FROZEN and report.submission:
        return submitted_figures(report)
    parts: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for value in report.values.select_related("indicator"):
        parts[(value.indicator.code, value.key)].append(value.figure)
    return _combined(report, parts)


def submitted_figures(report: Report) -> Figures:
    """The figures of the report's last submission (its frozen snapshot)."""
    parts: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for name, (numerator, denominator) in report.submission.get("values", {}).items():
        code, key, _part = name.split("|")
        parts[(code, key)].append(
            Figure(Decimal(numerator), None if denominator is None else Decimal(denominator))
        )
    return _combined(report, parts)


def _combined(report: Report, parts: dict[tuple[str, str], list[Figure]]) -> Figures:
    """Own and lower figures combined by rule; keys of breakdowns the indicator does not
    declare (kept on an older report) are left out."""
    indicators = {i.code: i for i in report.indicator_set.indicators.all()}
    return {
        (code, key): across_units(indicators[code].aggregation, figures)
        for (code, key), figures in parts.items()
        if code in indicators and breakdowns.shown(key, indicators[code].breakdowns)
    }


def _rows(
    unit: AdministrativeUnit, period: str, basis: str, figures: Figures
) -> list[SummaryFigure]:
    rows = [
        SummaryFigure(
            unit=unit,
            level=unit.level,
            province_id=unit.province_pk,
            period=period,
            indicator_code=code,
            key=key,
            basis=basis,
            numerator=figure.numerator,
            denominator=figure.denominator,
        )
        for (code, key), figure in figures.items()
    ]
    return rows


#: ``progress(stage, done, total)``: told after each step of a whole period's refresh.
Progress = Callable[[str, int, int], None]


def live_figures(
    period: Period,
    level: computations.Level,
    after_each: Callable[[Indicator], None] | None = None,
) -> dict[int, Figures]:
    """Every unit's live figures of the level at the period's end: one grouped query or two
    per indicator family (``computations.sharing``: the project indicators share theirs)."""
    by_unit: dict[int, Figures] = defaultdict(dict)
    with computations.sharing():
        for indicator in dashboard_indicators():
            if not indicator.computation:
                continue
            result = computations.for_indicator(
                indicator, period=period, cutoff=period.end, level=level
            )
            for unit_id, figures in result.items():
                for key, figure in figures.items():
                    by_unit[unit_id][(indicator.code, key)] = figure
            if after_each is not None:
                after_each(indicator)
    return by_unit


def combine(indicators: Iterable[Indicator], units: Iterable[Figures]) -> Figures:
    """Several units' figures as one (the nation from its provinces), each by its rule."""
    rules = {i.code: i.aggregation for i in indicators}
    parts: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figures in units:
        for name, figure in figures.items():
            parts[name].append(figure)
    return {
        name: across_units(rules.get(name[0], Rule.SUM), figures) for name, figures in parts.items()
    }


def _national_reported(period: str, indicators: list[Indicator]) -> Figures:
    provinces = Report.objects.filter(
        period=period,
        status=workflow.State.ACCEPTED,
        schedule__reporter=workflow.Reporter.PROVINCE,
    ).select_related("indicator_set")
    return combine(indicators, (report_figures(r) for r in provinces))


def refresh_period(period: Period, progress: Progress | None = None) -> int:
    """Recompute the whole period's summary (live for every province and commune, and the
    accepted reports); returns the number of rows written. The reads run step by step (each
    told to ``progress``, visible to others while the job runs); the rows are replaced in one
    transaction."""
    indicators = dashboard_indicators()
    total = 2 * sum(1 for i in indicators if i.computation) + 3
    done = 0

    def step(stage: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(stage, done, total)

    nation = AdministrativeUnit.objects.get(level=UnitLevel.NATIONAL)
    rows: list[SummaryFigure] = []
    provinces = live_figures(
        period, "province", lambda i: step(_("Cấp tỉnh: %(label)s") % {"label": i.label})
    )
    communes = live_figures(
        period, "commune", lambda i: step(_("Cấp xã: %(label)s") % {"label": i.label})
    )
    units = AdministrativeUnit.objects.in_bulk([*provinces, *communes])
    for unit_id, figures in [*provinces.items(), *communes.items()]:
        rows += _rows(units[unit_id], period.code, Basis.LIVE, figures)
    rows += _rows(nation, period.code, Basis.LIVE, combine(indicators, provinces.values()))
    for report in Report.objects.filter(
        period=period.code,
        status=workflow.State.ACCEPTED,
        schedule__reporter__in=list(REPORTED_BY),
    ).select_related("unit", "indicator_set"):
        rows += _rows(report.unit, period.code, Basis.REPORTED, report_figures(report))
    rows += _rows(nation, period.code, Basis.REPORTED, _national_reported(period.code, indicators))
    step(_("Đã đọc các báo cáo được chấp nhận"))
    rows += _extras_rows(
        [nation, *AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE)], period, indicators
    )
    step(_("Đã tính chỉ tiêu, kế hoạch năm và tình hình nộp báo cáo; đang ghi bảng tổng hợp"))
    with transaction.atomic():
        SummaryFigure.objects.filter(period=period.code).delete()
        SummaryFigure.objects.bulk_create(rows, batch_size=2000)
    step(_("Đã ghi %(n)s dòng tổng hợp") % {"n": len(rows)})
    return len(rows)


@transaction.atomic
def refresh_report(report_id: int) -> None:
    """After a report moved: its unit's reported and live figures, and the nation's."""
    report = Report.objects.select_related("unit", "schedule", "indicator_set").get(pk=report_id)
    period = report.period_obj
    indicators = dashboard_indicators()
    unit = report.unit
    stale = SummaryFigure.objects.filter(period=period.code, unit=unit)
    rows: list[SummaryFigure] = []
    if report.reporter in REPORTED_BY:
        stale.filter(basis=Basis.REPORTED).delete()
        if report.status == workflow.State.ACCEPTED:
            rows += _rows(unit, period.code, Basis.REPORTED, report_figures(report))
    level: computations.Level = "commune" if unit.level == UnitLevel.COMMUNE else "province"
    live: Figures = {}
    for indicator in indicators:
        if indicator.computation:
            result = computations.for_indicator(
                indicator, period=period, cutoff=period.end, level=level, within=unit
            )
            for key, figure in result.get(unit.pk, {}).items():
                live[(indicator.code, key)] = figure
    stale.filter(basis=Basis.LIVE).delete()
    rows += _rows(unit, period.code, Basis.LIVE, live)
    nation = AdministrativeUnit.objects.get(level=UnitLevel.NATIONAL)
    SummaryFigure.objects.filter(period=period.code, unit=nation, basis=Basis.REPORTED).delete()
    rows += _rows(nation, period.code, Basis.REPORTED, _national_reported(period.code, indicators))
    # Who has submitted changed: the province's and the nation's timeliness.
    from . import dashboard  # the dashboard reads this module

    province = unit.province_pk
    areas = [nation] if province is None else [nation, _province_of(unit, province)]
    SummaryFigure.objects.filter(
        period=period.code, unit__in=areas, basis=Basis.TIMELINESS
    ).delete()
    for area in areas:
        counts = dashboard.timeliness(area, period)
        extras = dashboard.extras_figures(dashboard.Extras(timeliness=counts))
        rows += _rows(area, period.code, Basis.TIMELINESS, extras[Basis.TIMELINESS])
    SummaryFigure.objects.bulk_create(rows)


def _province_of(unit: AdministrativeUnit, province: int) -> AdministrativeUnit:
    return unit if unit.pk == province else AdministrativeUnit.objects.get(pk=province)


def _extras_rows(
    areas: list[AdministrativeUnit], period: Period, indicators: list[Indicator]
) -> list[SummaryFigure]:
    """The targets, the year plan by fund and timeliness of the nation and each province
    (a few queries each, in the background: a dashboard only reads them)."""
    from . import dashboard  # the dashboard reads this module

    rows: list[SummaryFigure] = []
    for area in areas:
        extras = dashboard.compute_extras(area, period, indicators)
        for basis, figures in dashboard.extras_figures(extras).items():
            rows += _rows(area, period.code, basis, figures)
    return rows
