"""Writes to registration rounds (đợt đăng ký): open, edit, extend a deadline. Each function
is one transaction, asks the access policy and records the activity."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version
from khuyencong.core.formatting import format_date
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.programs.models import ContentGroup

from . import deadlines, selectors
from .models import DeadlineExtension, PlanFund, RegistrationRound
from .services import PlanningError, _require, today


@dataclass(frozen=True)
class RoundData:
    title: str
    plan_year: int
    fund: str
    content_groups: Sequence[ContentGroup]
    commune_deadline: datetime.date
    province_deadline: datetime.date
    notes: str = ""


def _check_round(
    data: RoundData, *, unchanged: tuple[datetime.date, datetime.date] | None = None
) -> None:
    if not data.title.strip():
        raise PlanningError(_("Cần ghi tên đợt đăng ký."))
    if data.fund not in PlanFund.values:
        raise PlanningError(_("Nguồn kinh phí phải là KCQG hoặc KCĐP."))
    if not 2000 <= data.plan_year <= 2100:
        raise PlanningError(_("Năm kế hoạch không hợp lệ."))
    if not data.content_groups:
        raise PlanningError(_("Chọn ít nhất một nhóm nội dung được đăng ký."))
    problems = deadlines.deadline_problems(
        commune=data.commune_deadline,
        province=data.province_deadline,
        today=today(),
        unchanged=unchanged,
    )
    if problems:
        raise PlanningError(" ".join(problems))


def _dates(data: RoundData) -> dict[str, str]:
    return {
        "plan_year": str(data.plan_year),
        "fund": data.fund,
        "commune_deadline": data.commune_deadline.isoformat(),
        "province_deadline": data.province_deadline.isoformat(),
    }


@transaction.atomic
def open_round(*, actor: Any, data: RoundData) -> RegistrationRound:
    """Mở đợt đăng ký at the actor's own unit (a province, or the nation); its deadlines are
    not already past."""
    unit = policy.scope_unit(actor)
    if unit is None:
        raise PermissionDenied(_("Tài khoản của bạn chưa được giao vai trò nào."))
    _require(actor, policy.Action.MANAGE_ROUNDS, unit)
    if unit.level not in (UnitLevel.NATIONAL, UnitLevel.PROVINCE):
        raise PermissionDenied(_("Chỉ cấp tỉnh hoặc Cục mới mở đợt đăng ký."))
    _check_round(data)
    round_ = RegistrationRound.objects.create(
        unit=unit,
        title=data.title.strip(),
        plan_year=data.plan_year,
        fund=data.fund,
        commune_deadline=data.commune_deadline,
        province_deadline=data.province_deadline,
        notes=data.notes.strip(),
        created_by=actor,
    )
    round_.content_groups.set(data.content_groups)
    record_event(EventType.ROUND_OPENED, actor=actor, obj=round_, data=_dates(data))
    return round_


@transaction.atomic
def update_round(
    *, actor: Any, round: RegistrationRound, expected_version: int, data: RoundData
) -> RegistrationRound:
    """Sửa đợt đăng ký, by its own unit. Once registrations exist the plan year and the fund
    stay (the registrations were made for them) and no content group they use is dropped; a
    deadline may stay as it was even when past, a new one may not be."""
    _require(actor, policy.Action.CHANGE_ROUND, round)
    locked = lock_current_version(round, expected_version)
    _check_round(data, unchanged=(locked.commune_deadline, locked.province_deadline))
    registrations = locked.registrations.all()
    if registrations.exists() and (data.plan_year, data.fund) != (locked.plan_year, locked.fund):
        raise PlanningError(
            _(
                "Đợt đã có phiếu đăng ký cho năm %(year)s, nguồn %(fund)s: không đổi năm kế "
                "hoạch hay nguồn kinh phí được nữa. Hãy mở một đợt mới."
            )
            % {"year": locked.plan_year, "fund": locked.get_fund_display()}
        )
    dropped = set(locked.content_groups.all()) - set(data.content_groups)
    used = sorted(
        {r.content_group for r in registrations.filter(content_group__in=dropped)},
        key=lambda g: g.number,
    )
    if used:
        raise PlanningError(
            _("Đã có phiếu đăng ký nhóm nội dung %(groups)s: không bỏ nhóm này khỏi đợt được.")
            % {"groups": ", ".join(f"“{g}”" for g in used)}
        )
    locked.title, locked.notes = data.title.strip(), data.notes.strip()
    locked.plan_year, locked.fund = data.plan_year, data.fund
    locked.commune_deadline, locked.province_deadline = (
        data.commune_deadline,
        data.province_deadline,
    )
    locked.version += 1
    locked.save()
    locked.content_groups.set(data.content_groups)
    record_event(EventType.ROUND_CHANGED, actor=actor, obj=locked, data=_dates(data))
    return locked


@transaction.atomic
def extend_deadline(
    *,
    actor: Any,
    round: RegistrationRound,
    unit: AdministrativeUnit,
    new_deadline: datetime.date,
    reason: str,
) -> DeadlineExtension:
    """Gia hạn for a unit and every unit below it: a commune, or a whole province (each of its
    communes too). A commune's deadline may be extended by a round manager whose scope holds
    the commune; a province's only by a manager of the round itself."""
    _require(actor, policy.Action.MANAGE_ROUNDS, unit)
    if unit.level not in (UnitLevel.COMMUNE, UnitLevel.PROVINCE):
        raise PlanningError(_("Chỉ gia hạn cho một xã, phường hoặc một tỉnh."))
    if unit.level == UnitLevel.PROVINCE:
        _require(actor, policy.Action.MANAGE_ROUNDS, round)
    if not unit.is_within(round.unit):
        raise PlanningError(
            _("%(unit)s không thuộc phạm vi đợt đăng ký “%(round)s”.")
            % {"unit": unit, "round": round}
        )
    if not reason.strip():
        raise PlanningError(_("Cần ghi lý do gia hạn."))
    locked = RegistrationRound.objects.select_for_update().get(pk=round.pk)
    current = deadlines.effective_deadline(
        locked, unit, selectors.covering_extensions(locked, unit)
    )
    if new_deadline <= current:
        raise PlanningError(
            _("Hạn mới phải sau hạn hiện tại của %(unit)s (%(date)s).")
            % {"unit": unit, "date": format_date(current)}
        )
    extension = DeadlineExtension.objects.create(
        round=locked, unit=unit, new_deadline=new_deadline, reason=reason.strip(), granted_by=actor
    )
    record_event(
        EventType.DEADLINE_EXTENDED,
        actor=actor,
        obj=locked,
        unit=unit,
        comment=reason.strip(),
        data={"unit": unit.code, "from": current.isoformat(), "to": new_deadline.isoformat()},
    )
    return extension
