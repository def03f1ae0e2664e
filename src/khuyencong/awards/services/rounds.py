"""Kỳ bình chọn: the organising unit opens a round at its level (the commune for a commune
round, the SCT for the province, the national department for a region or the nation) with the
level's legal numbers copied from ``LevelRule``; it edits it until registration opens, extends
a window with a reason, opens it for entries, and cancels it. Scoring, closing and publishing
are in ``jury`` and ``results``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from .. import legal, rules, workflow
from ..models import Region, RoundExtension, RoundStatus, RoundTransition, SelectionRound
from ..rules import Level
from ..workflow import RoundStep
from .common import (
    SelectionError,
    SelectionInvalid,
    actor_or_none,
    require,
    role_of,
    today,
    users_with_role,
)
from .legal_data import level_defaults, round_rule_values, rule_for

#: The unit level that runs each selection level (the commune, the province, the nation).
ORGANISER_UNIT_LEVEL = {
    Level.COMMUNE: UnitLevel.COMMUNE,
    Level.PROVINCE: UnitLevel.PROVINCE,
    Level.REGION: UnitLevel.NATIONAL,
    Level.NATION: UnitLevel.NATIONAL,
}


@dataclass(frozen=True)
class RoundData:
    """What the organiser writes in a round; the legal numbers default to the level's rule."""

    title: str
    year: int
    legal_basis: str
    registration_opens: datetime.date
    registration_closes: datetime.date
    scoring_opens: datetime.date
    scoring_closes: datetime.date
    pass_mark: Decimal | None = None
    pass_mark_basis: str = ""
    criteria: Sequence[dict[str, object]] | None = None
    outlier_margin: Decimal | None = None
    max_passing: int | None = None
    max_passing_basis: str = ""
    region: Region | None = None
    provinces: Sequence[AdministrativeUnit] = field(default_factory=tuple)


def _problems(level: str, data: RoundData) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not data.title.strip():
        add("title", _("Cần ghi tên kỳ bình chọn."))
    if not data.legal_basis.strip():
        add("legal_basis", _("Cần ghi căn cứ pháp lý (quyết định, kế hoạch tổ chức kỳ bình chọn)."))
    if not 2000 <= data.year <= 2100:
        add("year", _("Năm bình chọn phải từ 2000 đến 2100."))
    if data.registration_closes < data.registration_opens:
        add("registration_closes", _("Ngày hết hạn nhận hồ sơ phải sau ngày bắt đầu nhận."))
    if data.scoring_opens < data.registration_opens:
        add("scoring_opens", _("Ngày bắt đầu chấm điểm phải sau ngày bắt đầu nhận hồ sơ."))
    if data.scoring_closes < data.scoring_opens:
        add("scoring_closes", _("Ngày kết thúc chấm điểm phải sau ngày bắt đầu chấm."))
    if data.pass_mark is not None and not Decimal(0) <= data.pass_mark <= Decimal(100):
        add("pass_mark", _("Điểm đạt phải từ 0 đến 100."))
    if data.pass_mark is not None and not data.pass_mark_basis.strip():
        add("pass_mark_basis", _("Cần ghi căn cứ của điểm đạt (văn bản quy định)."))
    if data.outlier_margin is not None and data.outlier_margin <= 0:
        add("outlier_margin", _("Mức lệch cảnh báo phải lớn hơn 0 điểm."))
    if data.criteria is not None:
        try:
            criteria = rules.criteria_from_data(data.criteria)
        except (KeyError, ValueError, ArithmeticError):
            add("criteria", _("Tiêu chí phải có mã, tên và điểm tối đa."))
        else:
            for problem in rules.check_criteria(criteria):
                add("criteria", problem)
    if data.max_passing is not None and data.max_passing < 1:
        add("max_passing", _("Số sản phẩm được công nhận tối đa phải từ 1 trở lên."))
    if data.max_passing is not None and not data.max_passing_basis.strip():
        add("max_passing_basis", _("Cần ghi căn cứ giới hạn số sản phẩm (ý kiến của hội đồng)."))
    if level == Level.REGION and data.region is None:
        add("region", _("Chọn khu vực của kỳ bình chọn cấp khu vực."))
    return problems


def round_code_base(level: str, unit_name: str, year: int) -> str:
    """A round's code before a namesake's ``-2``: a URL slug, since unit names carry marks a URL
    cannot (the commune “Cư M’ta”)."""
    return slugify(fold(f"{level} {unit_name} {year}").replace(".", " "))[:60]


def _code_for(level: str, unit: AdministrativeUnit, year: int) -> str:
    base = round_code_base(level, unit.name, year)
    code, n = base, 1
    while SelectionRound.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code[:64]


ORGANISER_NAMES = {
    Level.COMMUNE: gettext_lazy("Ủy ban nhân dân xã, phường"),
    Level.PROVINCE: gettext_lazy("Sở Công Thương (cơ quan thường trực của Ủy ban nhân dân tỉnh)"),
    Level.REGION: gettext_lazy("Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"),
    Level.NATION: gettext_lazy(
        "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công (Bộ Công Thương)"
    ),
}


def _check_organiser(actor: Any, level: str, unit: AdministrativeUnit) -> None:
    require(actor, policy.Action.RUN_SELECTION, unit)
    defaults = level_defaults(level)
    if unit.level != ORGANISER_UNIT_LEVEL[Level(level)] or role_of(actor) != defaults.organiser:
        raise SelectionError(
            _("Kỳ bình chọn %(level)s do %(who)s tổ chức.")
            % {"level": rules.level_name(level), "who": ORGANISER_NAMES[Level(level)]}
        )


def _apply(round_: SelectionRound, data: RoundData) -> None:
    round_.title = " ".join(data.title.split())
    round_.year = data.year
    round_.legal_basis = data.legal_basis.strip()
    round_.registration_opens = data.registration_opens
    round_.registration_closes = data.registration_closes
    round_.scoring_opens = data.scoring_opens
    round_.scoring_closes = data.scoring_closes
    if data.pass_mark is not None:
        round_.pass_mark = data.pass_mark
        round_.pass_mark_basis = data.pass_mark_basis.strip()
    if data.criteria is not None:
        round_.criteria = rules.criteria_to_data(rules.criteria_from_data(data.criteria))
    if data.outlier_margin is not None:
        round_.outlier_margin = data.outlier_margin
    round_.max_passing = data.max_passing
    round_.max_passing_basis = data.max_passing_basis.strip()
    round_.region = data.region


@retry_when_locked
@transaction.atomic
def create_round(
    *, actor: Any, unit: AdministrativeUnit, level: str, data: RoundData
) -> SelectionRound:
    """Lập kỳ bình chọn (draft) with the legal numbers in force on the registration date."""
    if level not in Level._value2member_map_:
        raise SelectionError(_("Chọn cấp bình chọn: xã, tỉnh, khu vực hoặc quốc gia."))
    _check_organiser(actor, level, unit)
    problems = _problems(level, data)
    if problems:
        raise SelectionInvalid(problems)
    rule = rule_for(level, data.registration_opens)
    round_ = SelectionRound(
        code=_code_for(level, unit, data.year),
        level=level,
        unit=unit,
        **round_rule_values(rule),
        created_by=actor_or_none(actor),
    )
    _apply(round_, data)
    round_.save()
    if level == Level.REGION:
        chosen = list(data.provinces) or list(data.region.provinces())  # type: ignore[union-attr]
        round_.provinces.set(chosen)
    _log(round_, actor=actor, action="tao", source="")
    return round_


def is_editable(round_: SelectionRound, on: datetime.date) -> bool:
    """Settings may change while a draft, or while open but before registration starts."""
    return round_.status == RoundStatus.DRAFT or (
        round_.status == RoundStatus.OPEN and on < round_.registration_opens
    )


@retry_when_locked
@transaction.atomic
def update_round(
    *, actor: Any, round_: SelectionRound, expected_version: int, data: RoundData
) -> SelectionRound:
    require(actor, policy.Action.RUN_SELECTION, round_)
    locked = lock_current_version(round_, expected_version)
    if not is_editable(locked, today()):
        raise SelectionError(
            _(
                "Kỳ bình chọn đã bắt đầu nhận hồ sơ: không sửa được nữa. Muốn kéo dài thời hạn, "
                "hãy gia hạn và ghi lý do."
            )
        )
    problems = _problems(locked.level, data)
    if problems:
        raise SelectionInvalid(problems)
    _apply(locked, data)
    locked.version += 1
    locked.save()
    if locked.level == Level.REGION and data.provinces:
        locked.provinces.set(list(data.provinces))
    record_event(EventType.SELECTION_ROUND, actor=actor, obj=locked, data={"action": "sua"})
    return locked


@retry_when_locked
@transaction.atomic
def extend_round(
    *,
    actor: Any,
    round_: SelectionRound,
    expected_version: int,
    window: str,
    new_date: datetime.date,
    reason: str,
) -> RoundExtension:
    """Gia hạn nhận hồ sơ (while open) or chấm điểm (while open or scoring), with a reason."""
    require(actor, policy.Action.RUN_SELECTION, round_)
    locked = lock_current_version(round_, expected_version)
    allowed = {
        RoundExtension.REGISTRATION: {RoundStatus.OPEN},
        RoundExtension.SCORING: {RoundStatus.OPEN, RoundStatus.SCORING},
    }
    if window not in allowed:
        raise SelectionError(_("Chọn thời hạn cần gia hạn: nhận hồ sơ hoặc chấm điểm."))
    if locked.status not in allowed[window]:
        raise SelectionError(
            _("Kỳ bình chọn đang ở trạng thái “%(state)s”: không gia hạn thời hạn này được.")
            % {"state": locked.get_status_display()}
        )
    if not reason.strip():
        raise SelectionInvalid({"reason": [_("Cần ghi lý do gia hạn.")]})
    current = (
        locked.registration_deadline()
        if window == RoundExtension.REGISTRATION
        else locked.scoring_deadline()
    )
    if new_date <= current:
        raise SelectionInvalid(
            {
                "new_date": [
                    _("Hạn mới phải sau hạn hiện tại (%(d)s).") % {"d": format_date(current)}
                ]
            }
        )
    extension = RoundExtension.objects.create(
        round=locked,
        window=window,
        previous_date=current,
        new_date=new_date,
        reason=reason.strip(),
        actor=actor_or_none(actor),
    )
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    record_event(
        EventType.SELECTION_ROUND,
        actor=actor,
        obj=locked,
        comment=reason.strip(),
        data={
            "action": "gia-han",
            "window": window,
            "from": current.isoformat(),
            "to": new_date.isoformat(),
        },
    )
    _notify_round(
        locked,
        actor,
        Msg(
            gettext_noop("Kỳ “%(r)s” được gia hạn đến %(d)s"),
            r=locked.title,
            d=format_date(new_date),
        ),
    )
    return extension


def _log(
    round_: SelectionRound, *, actor: Any, action: str, source: str, comment: str = ""
) -> None:
    RoundTransition.objects.create(
        round=round_,
        action=action,
        from_state=source,
        to_state=round_.status,
        actor=actor_or_none(actor),
        comment=comment,
    )
    record_event(
        EventType.SELECTION_ROUND,
        actor=actor,
        obj=round_,
        comment=comment,
        data={"action": action, "from": source, "to": round_.status},
    )


def lock_for_step(
    actor: Any, round_: SelectionRound, action: str, expected_version: int
) -> tuple[SelectionRound, workflow.Transition]:
    """Lock the round at the version seen and find the step; the policy checks the actor."""
    locked = lock_current_version(round_, expected_version)
    try:
        step = workflow.find_round(locked.status, action)
    except workflow.WorkflowError as exc:
        raise SelectionError(str(exc)) from None
    require(actor, policy.Action(step.permission), locked)
    return locked, step


def finish_step(
    round_: SelectionRound, step: workflow.Transition, *, actor: Any, comment: str = ""
) -> None:
    source = round_.status
    round_.status = step.target
    round_.version += 1
    round_.save()
    _log(round_, actor=actor, action=step.action, source=source, comment=comment)


@retry_when_locked
@transaction.atomic
def open_round(*, actor: Any, round_: SelectionRound, expected_version: int) -> SelectionRound:
    """Mở nhận hồ sơ: the round is addressed to every unit of its area."""
    locked, step = lock_for_step(actor, round_, RoundStep.OPEN, expected_version)
    finish_step(locked, step, actor=actor)
    _notify_round(
        locked,
        actor,
        Msg(
            gettext_noop("Mở kỳ bình chọn “%(r)s”: nhận hồ sơ từ %(a)s đến %(b)s"),
            r=locked.title,
            a=format_date(locked.registration_opens),
            b=format_date(locked.registration_closes),
        ),
    )
    return locked


@retry_when_locked
@transaction.atomic
def cancel_round(
    *, actor: Any, round_: SelectionRound, expected_version: int, reason: str
) -> SelectionRound:
    if not reason.strip():
        raise SelectionInvalid({"reason": [_("Cần ghi lý do hủy kỳ bình chọn.")]})
    locked, step = lock_for_step(actor, round_, RoundStep.CANCEL, expected_version)
    locked.cancel_reason = reason.strip()
    finish_step(locked, step, actor=actor, comment=reason.strip())
    return locked


def _notify_round(round_: SelectionRound, actor: Any, title: Msg) -> None:
    """The officers below who file and forward entries hear of an opened or extended round."""
    defaults = level_defaults(round_.level)
    if defaults.proposer_level is None:
        units = [round_.unit]
        roles = ["can-bo-xa"]
    elif defaults.proposer_level == legal.COMMUNE_LEVEL:
        units = list(AdministrativeUnit.objects.current().filter(parent=round_.unit))
        roles = ["can-bo-xa"]
    elif round_.level == Level.REGION:
        units = list(round_.provinces.all())
        roles = ["so-cong-thuong"]
    else:
        units = list(AdministrativeUnit.objects.current().provinces())
        roles = ["so-cong-thuong"]
    recipients = [u for u in users_with_role(roles, units) if u != actor]
    if recipients:
        notify(
            recipients,
            NotificationKind.SELECTION,
            title,
            "",
            reverse("awards:round_detail", args=[round_.code]),
            unit=round_.unit,
        )
