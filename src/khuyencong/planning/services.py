"""Writes to rounds, registrations and plans. Each function is one transaction: it asks the
access policy, keeps the state machine, logs the step (transition log and activity log) and
notifies the people concerned."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role, RoleAssignment
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date
from khuyencong.core.models import Visibility
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.norms.models import NormContent
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg, lines
from khuyencong.programs.models import ContentGroup
from khuyencong.registry.models import Establishment

from . import deadlines, kept_counts, rules, selectors, workflow
from .models import (
    AnnualPlan,
    PlanFund,
    PlanItem,
    PlanStatus,
    PlanTransition,
    RegistrationRound,
    RegistrationTransition,
    SupportRegistration,
)
from .organisations import centre_name
from .workflow import PlanAction, RegistrationAction

CREATED = "tao"


class PlanningError(Exception):
    """A domain error whose Vietnamese message is shown to the user as it is."""


class RegistrationInvalid(PlanningError):
    """The registration's content breaks a rule; ``findings`` name the fields."""

    def __init__(self, findings: Sequence[rules.Finding]) -> None:
        self.findings = list(findings)
        super().__init__(" ".join(f.message for f in self.findings))


def _require(actor: Any, action: policy.Action, obj: Any) -> None:
    decision = policy.can(actor, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def today() -> datetime.date:
    return timezone.localdate()


def _users_with_role(roles: Iterable[str], units: Iterable[AdministrativeUnit]) -> list[Any]:
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role__in=list(roles), unit__in=list(units), is_active=True, user__is_active=True
        ).select_related("user")
    ]


# --------------------------------------------------------------------------------------------
# Registrations (phiếu đăng ký nhu cầu hỗ trợ)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegistrationData:
    content_group: ContentGroup
    activity: str
    amounts: rules.Amounts
    start_month: datetime.date | None
    end_month: datetime.date | None
    description: str = ""
    expected_outputs: str = ""
    norm_content: NormContent | None = None


def check_registration(
    round_: RegistrationRound, data: RegistrationData, *, on: datetime.date | None = None
) -> list[rules.Finding]:
    """The pure rules applied to a registration's content in its round."""
    norm = data.norm_content
    findings = rules.check_registration(
        data.amounts,
        round_fund=round_.fund,
        plan_year=round_.plan_year,
        content_group=data.content_group.code,
        eligible_groups=[g.code for g in round_.content_groups.all()],
        start=data.start_month,
        end=data.end_month,
        on=on or today(),
        norm_content=norm.code if norm is not None else "",
        province=round_.unit.province,
    )
    if norm is not None and norm.group_id is not None and norm.group_id != data.content_group.pk:
        findings.insert(
            0,
            rules.Finding(
                "norm_content",
                _(
                    "Định mức “%(norm)s” thuộc nhóm nội dung “%(group)s”, không thuộc nhóm đã "
                    "chọn: chọn lại nhóm nội dung hoặc định mức."
                )
                % {"norm": norm.name, "group": norm.group},
            ),
        )
    if not data.activity.strip():
        findings.insert(
            0, rules.Finding("activity", _("Cần ghi nội dung hoạt động đề nghị hỗ trợ."))
        )
    return findings


def _validated(round_: RegistrationRound, data: RegistrationData) -> list[rules.Finding]:
    findings = check_registration(round_, data)
    problems = rules.errors(findings)
    if problems:
        raise RegistrationInvalid(problems)
    return [f for f in findings if f.severity == "warning"]


def _apply(registration: SupportRegistration, data: RegistrationData) -> None:
    registration.content_group = data.content_group
    registration.activity = data.activity.strip()
    registration.norm_content = data.norm_content
    registration.description = data.description.strip()
    registration.expected_outputs = data.expected_outputs.strip()
    registration.total_cost = data.amounts.total_cost
    registration.support_kcqg = data.amounts.kcqg
    registration.support_kcdp = data.amounts.kcdp
    registration.counterpart = data.amounts.counterpart
    registration.other = data.amounts.other
    registration.start_month = data.start_month
    registration.end_month = data.end_month


def _log_registration(
    registration: SupportRegistration, *, actor: Any, action: str, source: str, comment: str = ""
) -> None:
    """The establishment is a party to its registration: every comment is shared with it."""
    RegistrationTransition.objects.create(
        registration=registration,
        action=action,
        from_state=source,
        to_state=registration.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
        visibility=Visibility.SHARED,
    )
    record_event(
        EventType.REGISTRATION_CHANGED,
        actor=actor,
        obj=registration,
        comment=comment,
        data={"action": action, "from": source, "to": registration.status},
    )


@transaction.atomic
def create_registration(
    *,
    actor: Any,
    round: RegistrationRound,
    establishment: Establishment,
    data: RegistrationData,
    is_demo: bool = False,
) -> tuple[SupportRegistration, list[rules.Finding]]:
    """Lập phiếu (nháp) for an establishment; returns it with the warnings to show."""
    _require(actor, policy.Action.REGISTER_NEED, establishment)
    commune = establishment.commune
    if not commune.is_within(round.unit):
        raise PlanningError(
            _("Đợt “%(round)s” của %(owner)s không áp dụng cho cơ sở ở %(commune)s.")
            % {"round": round, "owner": round.unit, "commune": commune}
        )
    warnings = _validated(round, data)
    registration = SupportRegistration(
        round=round, establishment=establishment, commune=commune, author=actor, is_demo=is_demo
    )
    _apply(registration, data)
    registration.save()
    kept_counts.moved(None, (registration.round_id, registration.status))  # a draft: none
    _log_registration(registration, actor=actor, action=CREATED, source="")
    return registration, warnings


@transaction.atomic
def update_registration(
    *,
    actor: Any,
    registration: SupportRegistration,
    expected_version: int,
    data: RegistrationData,
) -> tuple[SupportRegistration, list[rules.Finding]]:
    """Sửa phiếu while it is a draft or returned for more information."""
    _require(actor, policy.Action.REGISTER_NEED, registration)
    locked = lock_current_version(registration, expected_version)
    if not locked.is_editable:
        raise PlanningError(
            _("Phiếu đang ở trạng thái “%(state)s”: không sửa được.")
            % {"state": locked.get_status_display()}
        )
    warnings = _validated(locked.round, data)
    _apply(locked, data)
    locked.version += 1
    locked.save()
    record_event(EventType.REGISTRATION_CHANGED, actor=actor, obj=locked, data={"action": "sua"})
    return locked, warnings


def registration_deadline(registration: SupportRegistration) -> tuple[datetime.date, bool]:
    """The commune's effective deadline in the registration's round, and whether extended."""
    round_ = registration.round
    commune = registration.commune
    extensions = selectors.covering_extensions(round_, commune)
    deadline = deadlines.effective_deadline(round_, commune, extensions)
    return deadline, deadline != deadlines.base_deadline(round_, commune)


_NOTICE_KINDS = {
    RegistrationAction.RETURN: NotificationKind.RETURNED,
    RegistrationAction.ACCEPT: NotificationKind.ACCEPTED,
    RegistrationAction.REJECT: NotificationKind.REJECTED,
}


def _notify_registration(registration: SupportRegistration, action: str, comment: str) -> None:
    kind = _NOTICE_KINDS.get(RegistrationAction(action))
    if kind is None:
        return
    recipients = _users_with_role([Role.COMMUNE_OFFICER], [registration.commune])
    if registration.author is not None:
        recipients.append(registration.author)
    what = {
        NotificationKind.RETURNED: gettext_noop("được trả lại để bổ sung thông tin"),
        NotificationKind.ACCEPTED: gettext_noop("được chấp nhận đưa vào kế hoạch"),
        NotificationKind.REJECTED: gettext_noop("không được chấp nhận"),
    }[kind]
    title = Msg(
        gettext_noop("Phiếu số %(n)s (%(establishment)s) %(what)s"),
        n=registration.pk,
        establishment=registration.establishment.name,
        what=Msg(what),
    )
    body = lines(
        Msg(
            gettext_noop("Phiếu: %(activity)s. Đợt: %(round)s."),
            activity=registration.activity,
            round=registration.round.title,
        ),
        Msg(gettext_noop("Lý do, ghi chú: %(comment)s"), comment=comment) if comment else None,
    )
    notify(
        recipients,
        kind,
        title,
        body,
        reverse("planning:registration_detail", args=[registration.pk]),
        unit=registration.commune,
    )


@retry_when_locked
@transaction.atomic
def transition_registration(
    *,
    actor: Any,
    registration: SupportRegistration,
    action: str,
    comment: str = "",
    expected_version: int | None = None,
    on: datetime.date | None = None,
) -> SupportRegistration:
    """Gửi, trả lại, gửi lại, chấp nhận, từ chối: one step of the registration's state machine.

    The row is locked (and its version checked) first; the step comes from its current state."""
    if expected_version is None:
        locked = SupportRegistration.objects.select_for_update().get(pk=registration.pk)
    else:
        locked = lock_current_version(registration, expected_version)
    try:
        transition = workflow.registration_transition(locked.status, action)
    except workflow.TransitionError as exc:
        raise PlanningError(str(exc)) from None
    _require(actor, policy.Action(transition.permission), locked)
    comment = comment.strip()
    if transition.reason_required and not comment:
        raise PlanningError(_("Cần ghi lý do khi “%(action)s”.") % {"action": transition.label})
    if action in (RegistrationAction.SUBMIT, RegistrationAction.RESUBMIT):
        data = RegistrationData(
            content_group=locked.content_group,
            activity=locked.activity,
            amounts=locked.amounts,
            start_month=locked.start_month,
            end_month=locked.end_month,
        )
        _validated(locked.round, data)
    if action == RegistrationAction.SUBMIT:
        deadline, extended = registration_deadline(locked)
        refusal = rules.deadline_refusal(
            today=on or today(), deadline=deadline, unit_name=locked.commune.name, extended=extended
        )
        if refusal:
            raise PlanningError(refusal)
        locked.submitted_at = timezone.now()
    source = locked.status
    locked.status = transition.target
    locked.version += 1
    locked.save()
    kept_counts.moved((locked.round_id, source), (locked.round_id, locked.status))
    _log_registration(locked, actor=actor, action=action, source=source, comment=comment)
    _notify_registration(locked, action, comment)
    return locked


# --------------------------------------------------------------------------------------------
# Annual plans (kế hoạch khuyến công năm)
# --------------------------------------------------------------------------------------------
def _log_plan(plan: AnnualPlan, *, actor: Any, action: str, source: str, comment: str = "") -> None:
    PlanTransition.objects.create(
        plan=plan,
        action=action,
        from_state=source,
        to_state=plan.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
    )
    record_event(
        EventType.PLAN_CHANGED,
        actor=actor,
        obj=plan,
        comment=comment,
        data={"action": action, "from": source, "to": plan.status},
    )


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    year: int,
    fund: str,
    unit: AdministrativeUnit | None = None,
) -> AnnualPlan:
    """Lập kế hoạch năm (dự thảo) for the actor's province."""
    unit = unit or policy.scope_unit(actor)
    if unit is None:
        raise PermissionDenied(_("Tài khoản của bạn chưa được giao vai trò nào."))
    _require(actor, policy.Action.PREPARE_PLAN, unit)
    if unit.level != UnitLevel.PROVINCE:
        raise PlanningError(_("Kế hoạch khuyến công năm được lập cho một tỉnh, thành phố."))
    if fund not in PlanFund.values:
        raise PlanningError(_("Nguồn kinh phí phải là KCQG hoặc KCĐP."))
    if not 2000 <= year <= 2100:
        raise PlanningError(_("Năm kế hoạch không hợp lệ."))
    existing = (
        AnnualPlan.objects.select_for_update()
        .filter(unit=unit, year=year, fund=fund)
        .exclude(status=PlanStatus.ADJUSTED)
        .first()
    )
    if existing is not None:
        raise PlanningError(_("Đã có “%(plan)s”: mở kế hoạch đó để tiếp tục.") % {"plan": existing})
    plan = AnnualPlan.objects.create(unit=unit, year=year, fund=fund, created_by=actor)
    _log_plan(plan, actor=actor, action=CREATED, source="")
    return plan


def _lock_editable(actor: Any, plan: AnnualPlan, expected_version: int) -> AnnualPlan:
    _require(actor, policy.Action.PREPARE_PLAN, plan)
    locked = lock_current_version(plan, expected_version)
    if not locked.is_editable:
        raise PlanningError(
            _("Kế hoạch đang ở trạng thái “%(state)s”: chỉ sửa được khi còn là dự thảo.")
            % {"state": locked.get_status_display()}
        )
    return locked


def _bump(plan: AnnualPlan) -> None:
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])


def _next_order(plan: AnnualPlan) -> int:
    return (plan.items.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def consolidate(*, actor: Any, plan: AnnualPlan, expected_version: int) -> int:
    """Tổng hợp: every accepted registration of the province, year and fund not yet in the plan
    becomes a plan item. Returns how many were added."""
    locked = _lock_editable(actor, plan, expected_version)
    found = list(selectors.accepted_not_in_plan(locked))
    if not found:
        return 0
    implementing = centre_name(locked.unit.code, locked.unit.name, locked.unit.unit_type)
    order = _next_order(locked)
    items = []
    for offset, registration in enumerate(found):
        items.append(
            PlanItem(
                plan=locked,
                order=order + offset,
                registration=registration,
                name=registration.activity,
                implementing_unit=implementing,
                establishment=registration.establishment,
                beneficiary=registration.establishment.name,
                commune=registration.commune,
                content_group=registration.content_group,
                total_cost=registration.total_cost,
                support_kcqg=registration.support_kcqg,
                support_kcdp=registration.support_kcdp,
                counterpart=registration.counterpart,
                other=registration.other,
                start_month=registration.start_month,
                end_month=registration.end_month,
            )
        )
    for item in items:  # one by one: the history keeps each item's creation
        item.save()
    _bump(locked)
    record_event(
        EventType.PLAN_CHANGED,
        actor=actor,
        obj=locked,
        comment=_("Tổng hợp %(n)s phiếu đăng ký đã chấp nhận.") % {"n": len(items)},
        data={"action": "tong-hop", "registrations": [r.pk for r in found]},
    )
    return len(items)


@dataclass(frozen=True)
class ItemData:
    name: str
    implementing_unit: str
    content_group: ContentGroup
    amounts: rules.Amounts
    start_month: datetime.date | None
    end_month: datetime.date | None
    beneficiary: str = ""
    commune: AdministrativeUnit | None = None
    notes: str = ""


def check_item(plan: AnnualPlan, data: ItemData) -> list[rules.Finding]:
    findings = rules.check_amounts(data.amounts) + rules.check_timing(
        data.start_month, data.end_month, plan.year
    )
    if not data.name.strip():
        findings.insert(0, rules.Finding("name", _("Cần ghi tên đề án, hoạt động.")))
    if not data.implementing_unit.strip():
        findings.append(rules.Finding("implementing_unit", _("Cần ghi đơn vị thực hiện.")))
    if data.commune is not None and not data.commune.is_within(plan.unit):
        findings.append(
            rules.Finding(
                "commune",
                _("%(commune)s không thuộc %(unit)s.")
                % {"commune": data.commune, "unit": plan.unit},
            )
        )
    return rules.errors(findings)


def _apply_item(item: PlanItem, data: ItemData) -> None:
    item.name = data.name.strip()
    item.implementing_unit = data.implementing_unit.strip()
    item.beneficiary = data.beneficiary.strip()
    item.commune = data.commune
    item.content_group = data.content_group
    item.total_cost = data.amounts.total_cost
    item.support_kcqg = data.amounts.kcqg
    item.support_kcdp = data.amounts.kcdp
    item.counterpart = data.amounts.counterpart
    item.other = data.amounts.other
    item.start_month = data.start_month
    item.end_month = data.end_month
    item.notes = data.notes.strip()


@transaction.atomic
def add_item(*, actor: Any, plan: AnnualPlan, expected_version: int, data: ItemData) -> PlanItem:
    """Thêm hoạt động của Trung tâm (an item without an establishment)."""
    locked = _lock_editable(actor, plan, expected_version)
    problems = check_item(locked, data)
    if problems:
        raise RegistrationInvalid(problems)
    item = PlanItem(plan=locked, order=_next_order(locked))
    _apply_item(item, data)
    item.save()
    _bump(locked)
    record_event(
        EventType.PLAN_CHANGED,
        actor=actor,
        obj=locked,
        comment=_("Thêm: %(item)s") % {"item": item.name},
        data={"action": "them-muc", "item": item.pk},
    )
    return item


@transaction.atomic
def update_item(*, actor: Any, item: PlanItem, expected_version: int, data: ItemData) -> PlanItem:
    locked = _lock_editable(actor, item.plan, expected_version)
    problems = check_item(locked, data)
    if problems:
        raise RegistrationInvalid(problems)
    current = PlanItem.objects.get(pk=item.pk, plan=locked)
    _apply_item(current, data)
    current.save()
    _bump(locked)
    record_event(
        EventType.PLAN_CHANGED,
        actor=actor,
        obj=locked,
        comment=_("Sửa: %(item)s") % {"item": current.name},
        data={"action": "sua-muc", "item": current.pk},
    )
    return current


@transaction.atomic
def delete_item(*, actor: Any, item: PlanItem, expected_version: int, reason: str) -> None:
    locked = _lock_editable(actor, item.plan, expected_version)
    if not reason.strip():
        raise PlanningError(_("Cần ghi lý do bỏ đề án khỏi kế hoạch."))
    current = PlanItem.objects.get(pk=item.pk, plan=locked)
    record_event(
        EventType.PLAN_CHANGED,
        actor=actor,
        obj=locked,
        comment=_("Bỏ khỏi kế hoạch: %(item)s — %(reason)s")
        % {"item": current.name, "reason": reason.strip()},
        data={"action": "xoa-muc", "item": current.pk},
    )
    current._change_reason = reason.strip()  # type: ignore[attr-defined]
    current.delete()
    _bump(locked)


def _copy_items(source: AnnualPlan, target: AnnualPlan) -> None:
    for item in source.items.order_by("order"):
        item.pk = None
        item.id = None
        item.plan = target
        item._state.adding = True
        item.save()


def _notify_plan(plan: AnnualPlan, action: str, comment: str) -> None:
    if action == PlanAction.SUBMIT:
        roles = [Role.PROVINCE_SCT, Role.PROVINCE_FINANCE]
        title = Msg(gettext_noop("%(plan)s đã được trình, chờ thẩm định"), plan=plan.notice_name())
    elif action in (PlanAction.RETURN, PlanAction.APPRAISE, PlanAction.APPROVE):
        roles = [Role.PROVINCE_CENTRE]
        what = {
            PlanAction.RETURN: gettext_noop("được trả lại để chỉnh sửa"),
            PlanAction.APPRAISE: gettext_noop("đã được thẩm định"),
            PlanAction.APPROVE: gettext_noop("đã được phê duyệt"),
        }[PlanAction(action)]
        title = Msg(gettext_noop("%(plan)s %(what)s"), plan=plan.notice_name(), what=Msg(what))
    else:
        return
    notify(
        _users_with_role(roles, [plan.unit]),
        NotificationKind.PLAN,
        title,
        comment,
        reverse("planning:plan_detail", args=[plan.pk]),
        unit=plan.unit,
    )


@transaction.atomic
def transition_plan(
    *,
    actor: Any,
    plan: AnnualPlan,
    action: str,
    expected_version: int,
    comment: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> AnnualPlan:
    """Trình, trả lại, thẩm định, phê duyệt, điều chỉnh. Adjusting an approved plan keeps it
    (read-only, "đã được điều chỉnh") and returns the new draft revision copied from it.

    The version is checked first; the step comes from the locked row's current state."""
    locked = lock_current_version(plan, expected_version)
    try:
        transition = workflow.plan_transition(locked.status, action)
    except workflow.TransitionError as exc:
        raise PlanningError(str(exc)) from None
    _require(actor, policy.Action(transition.permission), locked)
    comment = comment.strip()
    if transition.reason_required and not comment:
        raise PlanningError(_("Cần ghi lý do khi “%(action)s”.") % {"action": transition.label})
    if action == PlanAction.SUBMIT and not locked.items.exists():
        raise PlanningError(_("Kế hoạch chưa có đề án nào: tổng hợp phiếu hoặc thêm hoạt động."))
    if action == PlanAction.APPROVE:
        if not decision_number.strip() or decision_date is None:
            raise PlanningError(_("Cần số và ngày của quyết định phê duyệt kế hoạch."))
        locked.decision_number, locked.decision_date = decision_number.strip(), decision_date
        comment = comment or _("Quyết định số %(n)s ngày %(d)s") % {
            "n": locked.decision_number,
            "d": format_date(decision_date),
        }
    source = locked.status
    locked.status = transition.target
    locked.version += 1
    locked.save()
    _log_plan(locked, actor=actor, action=action, source=source, comment=comment)
    _notify_plan(locked, action, comment)
    if action != PlanAction.ADJUST:
        return locked
    revision = AnnualPlan.objects.create(
        unit=locked.unit,
        year=locked.year,
        fund=locked.fund,
        revision=locked.revision + 1,
        previous=locked,
        adjustment_reason=comment,
        created_by=actor,
        is_demo=locked.is_demo,
    )
    _copy_items(locked, revision)
    _log_plan(revision, actor=actor, action=action, source="", comment=comment)
    return revision
