"""Writes of the reporting app (báo cáo định kỳ): open and fill a report, enter figures, move
it through its lifecycle, extend a unit's dates. One transaction each; domain errors carry a
Vietnamese sentence; the access policy decides who may (``accounts.policy``)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.core.formatting import format_date
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from . import breakdowns, computations, expected, summary, workflow
from .aggregation import Figure, by_key
from .models import (
    Indicator,
    Part,
    Report,
    ReportTransition,
    ReportValue,
    Schedule,
    ScheduleException,
    Source,
    as_dict,
)
from .periods import Period, cutoff, due_date


class ReportingError(Exception):
    """A step the rules refuse; the message says what to do."""


def today() -> datetime.date:
    return timezone.localdate()


def _require(actor: Any, action: policy.Action, obj: Any) -> None:
    decision = policy.can(actor, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


@dataclass(frozen=True)
class Dates:
    due: datetime.date
    lock: datetime.date
    cutoff: datetime.date


def dates_for(schedule: Schedule, unit: AdministrativeUnit, period: Period) -> Dates:
    """The unit's due date, lock date and cut-off for the period, with its extension if any."""
    due = due_date(period, day=schedule.due_day, months_after_end=schedule.due_months_after_end)
    lock = due + datetime.timedelta(days=schedule.lock_days_after_due)
    figures_at = cutoff(period, due)
    extension = ScheduleException.objects.filter(
        schedule=schedule, unit=unit, period=period.code
    ).first()
    if extension is not None:
        due = max(due, extension.due_until or due)
        lock = max(lock, extension.lock_until or lock, due)
    return Dates(due, lock, figures_at)


@transaction.atomic
def open_report(
    *, actor: Any, schedule: Schedule, unit: AdministrativeUnit, period: Period
) -> Report:
    """Lập báo cáo: the draft of the unit's report for the period, filled at the cut-off (or the
    report already opened)."""
    if schedule.period_kind != period.kind:
        raise ReportingError(
            _("“%(schedule)s” báo cáo theo %(kind)s, không theo kỳ %(period)s.")
            % {
                "schedule": schedule.name,
                "kind": schedule.get_period_kind_display().lower(),
                "period": period.code,
            }
        )
    level = expected.REPORTER_LEVEL[workflow.Reporter(schedule.reporter)]
    if unit.level != level or (schedule.province_id and unit.province_pk != schedule.province_id):
        raise ReportingError(
            _("%(unit)s không báo cáo theo “%(schedule)s”.")
            % {"unit": unit, "schedule": schedule.name}
        )
    draft = Report(unit=unit, schedule=schedule, period=period.code)
    _require(actor, policy.Action.PREPARE_REPORT, draft)
    _require_role(actor, workflow.PREPARER[workflow.Reporter(schedule.reporter)], draft)
    existing = Report.objects.filter(unit=unit, schedule=schedule, period=period.code).first()
    if existing is not None:
        return existing
    dates = dates_for(schedule, unit, period)
    draft.indicator_set = schedule.indicator_set
    draft.due_on, draft.lock_on, draft.cutoff_on = dates.due, dates.lock, dates.cutoff
    draft.created_by = actor
    draft.save()
    fill(draft)
    return draft


def _require_role(actor: Any, role: str, report: Report) -> None:
    assignment = policy.active_assignment(actor)
    if assignment is None or assignment.role != role:
        raise PermissionDenied(
            _("Báo cáo “%(schedule)s” do %(role)s thực hiện bước này.")
            % {"schedule": report.schedule.name, "role": _role_label(role)}
        )


def _role_label(role: str) -> str:
    from khuyencong.accounts.models import Role

    return str(Role(role).label)


def fill(report: Report) -> None:
    """Tính số liệu: the computed figures at the cut-off (own data) and the roll-up of the
    lower units' accepted reports (hand-entered indicators), stored on the report. Hand-entered
    own figures are kept."""
    period = report.period_obj
    indicators = list(report.indicator_set.indicators.order_by("order"))
    ReportValue.objects.filter(report=report, indicator__source=Source.COMPUTED).delete()
    ReportValue.objects.filter(report=report, part=Part.BELOW).delete()
    rows: list[ReportValue] = []
    below = _accepted_below(report, indicators)
    for indicator in indicators:
        if indicator.source == Source.COMPUTED:
            figures = computations.for_unit(
                indicator, unit=report.unit, period=period, cutoff=report.cutoff_on
            )
            rows += _values(report, indicator, figures, Part.OWN)
        else:
            rows += _values(report, indicator, below.get(indicator.code, {}), Part.BELOW)
    ReportValue.objects.bulk_create(rows)
    report.filled_at = timezone.now()
    report.save(update_fields=["filled_at"])


def _values(
    report: Report, indicator: Indicator, figures: Mapping[str, Figure], part: str
) -> list[ReportValue]:
    return [
        ReportValue(
            report=report,
            indicator=indicator,
            key=key,
            part=part,
            numerator=figure.numerator,
            denominator=figure.denominator,
        )
        for key, figure in figures.items()
    ]


def _accepted_below(report: Report, indicators: list[Indicator]) -> dict[str, dict[str, Figure]]:
    """Hand-entered figures of the lower units' accepted reports of the same period, combined
    by each indicator's rule (computed indicators come from the data itself, never twice)."""
    lower = expected.lower_reports(report).filter(status=workflow.State.ACCEPTED)
    rules = {i.code: i.aggregation for i in indicators if i.source == Source.MANUAL}
    rows: dict[str, list[tuple[str, Figure]]] = {code: [] for code in rules}
    for value in ReportValue.objects.filter(
        report__in=lower, indicator__code__in=list(rules)
    ).select_related("indicator"):
        if breakdowns.shown(value.key, value.indicator.breakdowns):
            rows[value.indicator.code].append((value.key, value.figure))
    return {code: by_key(rules[code], rows[code]) for code in rules if rows[code]}


def _check_editable(report: Report, actor: Any, on: datetime.date | None = None) -> None:
    _require(actor, policy.Action.PREPARE_REPORT, report)
    _require_role(actor, workflow.PREPARER[report.reporter], report)
    if report.status not in workflow.EDITABLE:
        raise ReportingError(
            _("Báo cáo đang ở trạng thái “%(state)s”: không sửa được số liệu.")
            % {"state": report.get_status_display()}
        )
    if report.entry_closed(on or today()):
        raise ReportingError(
            _(
                "Đã khóa nhập liệu từ sau ngày %(date)s. Đề nghị cấp trên gia hạn (mở lại nhập "
                "liệu) cho đơn vị nếu cần."
            )
            % {"date": format_date(report.lock_on)}
        )


@transaction.atomic
def refill(*, actor: Any, report: Report, expected_version: int) -> Report:
    """Tính lại số liệu tại ngày chốt (only while the report may be edited)."""
    locked = lock_current_version(report, expected_version)
    _check_editable(locked, actor)
    fill(locked)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return locked


@dataclass(frozen=True)
class HandValue:
    numerator: Decimal
    denominator: Decimal | None = None
    note: str = ""


@transaction.atomic
def save_entries(
    *,
    actor: Any,
    report: Report,
    expected_version: int,
    narrative: str,
    values: Mapping[int, HandValue],
    at: datetime.datetime | None = None,
) -> Report:
    """Nhập số liệu tay và thuyết minh: ``values`` by hand-entered indicator id (total key).
    ``at`` is when the figures were entered (a paper report keyed in later), now by default."""
    locked = lock_current_version(report, expected_version)
    _check_editable(locked, actor, timezone.localdate(at) if at else None)
    manual = {
        i.pk: i
        for i in locked.indicator_set.indicators.filter(source=Source.MANUAL, pk__in=list(values))
    }
    unknown = set(values) - set(manual)
    if unknown:
        raise ReportingError(_("Chỉ tiêu không thuộc bộ chỉ tiêu của báo cáo hoặc không nhập tay."))
    for pk, value in values.items():
        if value.numerator < 0 or (value.denominator is not None and value.denominator < 0):
            raise ReportingError(
                _("“%(indicator)s”: số liệu không được âm.") % {"indicator": manual[pk]}
            )
        ReportValue.objects.update_or_create(
            report=locked,
            indicator=manual[pk],
            key="",
            part=Part.OWN,
            defaults={
                "numerator": value.numerator,
                "denominator": value.denominator,
                "note": value.note.strip()[:500],
                "entered_by": actor,
                "entered_at": at or timezone.now(),
            },
        )
    locked.narrative = narrative.strip()
    locked.version += 1
    locked.save(update_fields=["narrative", "version", "updated_at"])
    return locked


def snapshot(report: Report) -> dict[str, Any]:
    return {
        "values": as_dict(report.values.select_related("indicator")),
        "narrative": report.narrative,
        "cutoff": report.cutoff_on.isoformat(),
        "round": report.round,
    }


@transaction.atomic
def transition(
    *,
    actor: Any,
    report: Report,
    step: str,
    expected_version: int,
    reason: str = "",
    missing_note: str = "",
    at: datetime.datetime | None = None,
) -> Report:
    """One step of the report's lifecycle (``workflow.TRANSITIONS``), taken now or ``at`` the
    moment it was taken on paper (a report keyed in later keeps its real dates)."""
    locked = lock_current_version(report, expected_version)
    found = workflow.TRANSITIONS.get((workflow.State(locked.status), workflow.Step(step)))
    if found is None:
        raise ReportingError(
            _("Báo cáo đang “%(state)s”: không thể “%(step)s”.")
            % {"state": locked.get_status_display(), "step": workflow.ACTION_LABELS[step]}
        )
    _check_step(actor, locked, found)
    reason = reason.strip()
    if found.reason_required and not reason:
        raise ReportingError(_("Cần ghi lý do khi “%(step)s”.") % {"step": found.label})
    now = at or timezone.now()
    if found.step == workflow.Step.SUBMIT:
        if locked.entry_closed(timezone.localdate(now)):
            _check_editable(locked, actor, timezone.localdate(now))
        locked.round += 1
        locked.submitted_at = locked.submitted_at or now
        locked.last_submitted_at = now
        locked.submission = snapshot(locked)
    elif found.step == workflow.Step.APPROVE:
        missing = expected.missing_below(locked)
        note = missing_note.strip()
        if missing and not note:
            raise ReportingError(
                _(
                    "Còn %(n)s đơn vị cấp dưới chưa có báo cáo được chấp nhận (%(names)s): ghi "
                    "chú về các đơn vị này trước khi phê duyệt."
                )
                % {"n": len(missing), "names": ", ".join(due.reporter_label for due in missing[:5])}
            )
        locked.missing_note = note
        locked.approved_at = now
    elif found.step == workflow.Step.ACCEPT:
        locked.accepted_at = now
    elif found.step == workflow.Step.RETURN:
        locked.approved_at = None
    source = locked.status
    locked.status = found.target
    locked.version += 1
    locked.save()
    logged = ReportTransition.objects.create(
        report=locked,
        action=found.step,
        from_state=source,
        to_state=locked.status,
        actor=actor,
        comment=reason,
    )
    event = record_event(
        EventType.REPORT_STEP,
        actor=actor,
        obj=locked,
        comment=locked.missing_note if found.step == workflow.Step.APPROVE else reason,
        data={"step": found.step, "from": source, "to": locked.status, "round": locked.round},
    )
    if at is not None:
        ReportTransition.objects.filter(pk=logged.pk).update(at=at)
        ActivityEvent.objects.filter(pk=event.pk).update(at=at)
    transaction.on_commit(lambda: summary.refresh_report(locked.pk))
    _notify(locked, found, reason, actor)
    return locked


def _require_receiver(actor: Any, report: Report) -> None:
    """Only the level the report goes to: the SCT of the commune's or centre's province, the
    national department for a province."""
    scope = policy.scope_unit(actor)
    receiver = expected.receiver_unit(report)
    if scope is None or scope.pk != receiver.pk:
        raise PermissionDenied(
            _("Báo cáo của %(unit)s gửi %(receiver)s: chỉ cơ quan này chấp nhận hoặc trả lại.")
            % {"unit": report.unit, "receiver": receiver}
        )


def _notify(report: Report, step: workflow.Transition, reason: str, actor: Any) -> None:
    url = reverse("reporting:detail", args=[report.pk])
    title = Msg(
        "%(report)s — %(unit)s — %(period)s: %(step)s",  # a layout, nothing to translate
        report=report.schedule.name,
        unit=report.unit.name,
        period=str(report.period),
        step=Msg.label(step.label),
    )
    reporter = report.reporter
    if step.step in (workflow.Step.SUBMIT,):
        users = expected.users_with_role(workflow.PREPARER[reporter], report.unit)
    elif step.step == workflow.Step.APPROVE:
        users = expected.users_with_role(
            workflow.RECEIVER[reporter][0], expected.receiver_unit(report)
        )
    else:
        users = expected.users_with_role(workflow.PREPARER[reporter], report.unit)
    others = [user for user in users if user.pk != getattr(actor, "pk", None)]
    notify(others, NotificationKind.REPORT, title, reason, url, unit=report.unit)


@transaction.atomic
def grant_exception(
    *,
    actor: Any,
    schedule: Schedule,
    unit: AdministrativeUnit,
    period: Period,
    reason: str,
    due_until: datetime.date | None = None,
    lock_until: datetime.date | None = None,
) -> ScheduleException:
    """Gia hạn nộp và/hoặc mở lại nhập liệu cho một đơn vị, với lý do và người cho phép. Only
    the level the unit reports to (the SCT for its communes and centre, the nation for a
    province)."""
    probe = Report(unit=unit, schedule=schedule, period=period.code)
    _require(actor, policy.Action.EXTEND_REPORT, probe)
    _require_role(actor, workflow.RECEIVER[workflow.Reporter(schedule.reporter)][0], probe)
    _require_receiver(actor, probe)
    if not reason.strip():
        raise ReportingError(_("Cần ghi lý do gia hạn."))
    if due_until is None and lock_until is None:
        raise ReportingError(_("Ghi hạn nộp mới hoặc ngày mở nhập liệu đến."))
    extension, _created = ScheduleException.objects.update_or_create(
        schedule=schedule,
        unit=unit,
        period=period.code,
        defaults={
            "due_until": due_until,
            "lock_until": lock_until,
            "reason": reason.strip(),
            "granted_by": actor,
        },
    )
    record_event(
        EventType.REPORT_EXCEPTION,
        actor=actor,
        obj=extension,
        unit=unit,
        comment=extension.reason,
        data={
            "schedule": schedule.code,
            "period": period.code,
            "due_until": due_until.isoformat() if due_until else None,
            "lock_until": lock_until.isoformat() if lock_until else None,
        },
    )
    dates = dates_for(schedule, unit, period)
    Report.objects.filter(schedule=schedule, unit=unit, period=period.code).update(
        due_on=dates.due, lock_on=dates.lock
    )
    return extension


def national_unit() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level=UnitLevel.NATIONAL)


def _check_step(actor: Any, report: Report, found: workflow.Transition) -> None:
    _require(actor, policy.Action(found.permission), report)
    _require_role(actor, workflow.role_for(found, report.reporter), report)
    if found.by_receiver:
        _require_receiver(actor, report)


def require_participant(actor: Any, report: Report) -> None:
    """Refuse (403, with the reason) a role that takes no step of any report's lifecycle,
    before its form is read."""
    for action in (
        policy.Action.PREPARE_REPORT,
        policy.Action.APPROVE_REPORT,
        policy.Action.REVIEW_REPORT,
    ):
        if policy.can(actor, action):
            return
    _require(actor, policy.Action.PREPARE_REPORT, report)


def require_preparer(actor: Any, report: Report) -> None:
    """Only the unit's own preparing role enters figures (403 with the reason otherwise)."""
    _require(actor, policy.Action.PREPARE_REPORT, report)
    _require_role(actor, workflow.PREPARER[report.reporter], report)


def allowed_steps(actor: Any, report: Report) -> list[workflow.Transition]:
    """The steps the actor may take on the report now (for the page's buttons)."""
    allowed = []
    for found in workflow.steps_from(report.status):
        try:
            _check_step(actor, report, found)
        except PermissionDenied:
            continue
        allowed.append(found)
    return allowed


def may_edit(actor: Any, report: Report) -> bool:
    try:
        _check_editable(report, actor)
    except (PermissionDenied, ReportingError):
        return False
    return True
