"""Who is expected to report, to whom (đơn vị phải báo cáo, nơi nhận).

A unit is expected to report under a schedule when someone holds the schedule's preparing role
there (the system knows whom to remind) or it already has a report: units that do not use the
system yet are not counted as missing reports. The same definition serves the province's
missing units, the timeliness table, reminders and ``manage.py reports status``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from khuyencong.accounts.models import RoleAssignment
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import workflow
from .models import Report, Schedule
from .periods import Period

REPORTER_LEVEL: dict[workflow.Reporter, int] = {
    workflow.Reporter.COMMUNE: UnitLevel.COMMUNE,
    workflow.Reporter.CENTRE: UnitLevel.PROVINCE,
    workflow.Reporter.PROVINCE: UnitLevel.PROVINCE,
}
LOWER: dict[workflow.Reporter, tuple[workflow.Reporter, ...]] = {
    workflow.Reporter.PROVINCE: (workflow.Reporter.COMMUNE, workflow.Reporter.CENTRE),
}


@dataclass(frozen=True)
class Due:
    """One expected report: a schedule, a unit, and the report if it exists."""

    schedule: Schedule
    unit: AdministrativeUnit
    report: Report | None

    @property
    def reporter_label(self) -> str:
        if self.schedule.reporter == workflow.Reporter.CENTRE:
            return _("Trung tâm khuyến công %(unit)s") % {"unit": self.unit.name}
        if self.schedule.reporter == workflow.Reporter.PROVINCE:
            return _("Sở Công Thương %(unit)s") % {"unit": self.unit.name}
        return self.unit.name


def schedules_for(
    period: Period, reporters: tuple[workflow.Reporter, ...] | None = None
) -> list[Schedule]:
    schedules = Schedule.objects.filter(is_active=True, period_kind=period.kind)
    if reporters is not None:
        schedules = schedules.filter(reporter__in=list(reporters))
    return list(schedules.select_related("province", "indicator_set").order_by("reporter", "code"))


def expected(
    period: Period, *, within: AdministrativeUnit | None = None, reporters: Any = None
) -> list[Due]:
    """Every expected report of the period (within a unit's subtree), with its report: a few
    queries whatever the number of units (role assignments and reports each read once)."""
    dues: list[Due] = []
    for schedule in schedules_for(period, reporters):
        reporter = workflow.Reporter(schedule.reporter)
        level = REPORTER_LEVEL[reporter]
        reports = Report.objects.filter(schedule=schedule, period=period.code).select_related(
            "unit", "schedule"
        )
        holders = RoleAssignment.objects.filter(
            is_active=True,
            user__is_active=True,
            role=workflow.PREPARER[reporter],
            unit__level=level,
        )
        where = _within(within, "unit")
        if schedule.province_id:
            where &= Q(unit_id=schedule.province_id) | Q(unit__parent_id=schedule.province_id)
        by_unit = {r.unit_id: r for r in reports.filter(where)}
        units = AdministrativeUnit.objects.filter(
            Q(pk__in=holders.filter(where).values("unit_id")) | Q(pk__in=list(by_unit))
        ).order_by("path")
        dues += [Due(schedule, unit, by_unit.get(unit.pk)) for unit in units]
    return dues


def _within(unit: AdministrativeUnit | None, field: str) -> Q:
    if unit is None or unit.level == UnitLevel.NATIONAL:
        return Q()
    return Q(**{f"{field}__path": unit.path}) | Q(**{f"{field}__path__startswith": unit.path + "/"})


def lower_reports(report: Report) -> QuerySet[Report]:
    reporters = LOWER.get(report.reporter, ())
    if not reporters:
        return Report.objects.none()
    return Report.objects.filter(
        province_id=report.unit_id,
        period=report.period,
        schedule__reporter__in=list(reporters),
    )


def missing_below(report: Report) -> list[Due]:
    """The lower units' expected reports that are not accepted (yet)."""
    reporters = LOWER.get(report.reporter, ())
    if not reporters:
        return []
    return [
        due
        for due in expected(report.period_obj, within=report.unit, reporters=reporters)
        if due.report is None or due.report.status != workflow.State.ACCEPTED
    ]


def receiver_unit(report: Report) -> AdministrativeUnit:
    """Where the report goes: the commune's province, the centre's own province's SCT, the
    nation for a province."""
    steps_up = workflow.RECEIVER[report.reporter][1]
    unit = report.unit
    if steps_up == 0:
        return unit
    if unit.level == UnitLevel.PROVINCE:
        return AdministrativeUnit.objects.get(level=UnitLevel.NATIONAL)
    province = unit.province
    assert province is not None
    return province


def users_with_role(role: str, unit: AdministrativeUnit) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=role, unit=unit, is_active=True, user__is_active=True
        ).select_related("user")
    ]
