"""Scoped reads of the reporting app: every query goes through the access policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from khuyencong.accounts import policy

from . import breakdowns, computations, display, expected, summary, workflow
from .aggregation import Figure, across_units
from .models import Indicator, Part, Report, Schedule, Source
from .periods import Period


def visible_reports(user: Any) -> QuerySet[Report]:
    return policy.scope_queryset(
        user,
        Report.objects.select_related("unit", "schedule", "indicator_set"),
        action=policy.Action.VIEW_REPORTS,
    )


def reports(user: Any, *, period: str = "", status: str = "") -> QuerySet[Report]:
    found = visible_reports(user)
    if period:
        found = found.filter(period=period)
    if status:
        found = found.filter(status=status)
    return found.order_by("-period", "schedule__reporter", "unit__path", "pk")


def preparable_schedules(role: str) -> list[tuple[int, str]]:
    """(pk, name) of the active schedules whose reports ``role`` prepares, in their order:
    what the report list offers to open."""
    reporters = [r.value for r, preparer in workflow.PREPARER.items() if preparer == role]
    found = Schedule.objects.filter(is_active=True, reporter__in=reporters)
    return list(found.values_list("pk", "name"))


def report_for_view(user: Any, pk: int) -> Report:
    """A report in the user's scope (404 outside it); 403 with the reason for a role that has
    no reports (an establishment, a council member)."""
    in_scope = policy.scope_queryset(
        user, Report.objects.select_related("unit", "schedule", "indicator_set")
    )
    report = in_scope.filter(pk=pk).first()
    if report is None:
        raise Http404
    decision = policy.can(user, policy.Action.VIEW_REPORTS, report)
    if not decision:
        raise PermissionDenied(decision.reason)
    return report


@dataclass
class Line:
    """One indicator of a report as shown: the total figure and, by key, its parts."""

    indicator: Indicator
    own: dict[str, Figure] = field(default_factory=dict)
    below: dict[str, Figure] = field(default_factory=dict)
    notes: str = ""

    def total(self, key: str = "") -> Figure | None:
        parts = [f for f in (self.own.get(key), self.below.get(key)) if f is not None]
        return across_units(self.indicator.aggregation, parts) if parts else None

    @property
    def keys(self) -> list[str]:
        """The keys of the indicator's declared breakdowns that have a figure."""
        kinds = self.indicator.breakdowns
        found = {*self.own, *self.below} - {""}
        return display.ordered_keys(k for k in found if breakdowns.shown(k, kinds))


def lines(report: Report) -> list[Line]:
    """The report's indicators with their stored figures (two queries)."""
    by_code = {i.pk: Line(i) for i in report.indicator_set.indicators.order_by("order")}
    for value in report.values.all():
        line = by_code[value.indicator_id]
        (line.own if value.part == Part.OWN else line.below)[value.key] = value.figure
        if value.note and value.key == "":
            line.notes = value.note
    return list(by_code.values())


@dataclass(frozen=True)
class Change:
    indicator: Indicator
    key: str
    submitted: Figure | None
    live: Figure | None

    @property
    def difference(self) -> Decimal | None:
        if self.submitted is None or self.live is None:
            return None
        a, b = self.submitted.value, self.live.value
        return None if a is None or b is None else b - a


def changes_since_submission(report: Report) -> list[Change]:
    """Chênh lệch từ khi gửi: the computed figures of the frozen submission against the same
    figures computed now at the same cut-off (data entered or corrected since)."""
    if not report.submission:
        return []
    frozen = summary.submitted_figures(report)
    period = report.period_obj
    changes: list[Change] = []
    for indicator in report.indicator_set.indicators.filter(source=Source.COMPUTED).order_by(
        "order"
    ):
        kinds = indicator.breakdowns
        live = computations.for_unit(
            indicator, unit=report.unit, period=period, cutoff=report.cutoff_on
        )
        was_keys = {k for code, k in frozen if code == indicator.code}
        for key in display.ordered_keys(
            k for k in {*live, *was_keys} if breakdowns.shown(k, kinds)
        ):
            was, now = frozen.get((indicator.code, key)), live.get(key)
            if (was.value if was else None) != (now.value if now else None):
                changes.append(Change(indicator, key, was, now))
    return changes


@dataclass(frozen=True)
class StatusRow:
    due: expected.Due

    @property
    def state(self) -> str:
        return self.due.report.get_status_display() if self.due.report else _("Chưa có báo cáo")

    @property
    def late(self) -> bool:
        return bool(self.due.report and self.due.report.submitted_late())

    @property
    def timeliness(self) -> str:
        report = self.due.report
        if report is None or report.submitted_at is None:
            return _("chưa gửi")
        return _("muộn") if report.submitted_late() else _("đúng hạn")


def status_table(user: Any | None, period: Period) -> list[StatusRow]:
    """Tình hình nộp báo cáo: every expected report of the period in the user's scope (the
    whole country for ``user=None``, the command line)."""
    within = None if user is None else policy.scope_unit(user)
    if user is not None and not policy.can(user, policy.Action.VIEW_REPORTS):
        return []
    return [StatusRow(due) for due in expected.expected(period, within=within)]
