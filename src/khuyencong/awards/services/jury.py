"""Hội đồng và ban giám khảo: the organiser seats members (chair, vice-chair, members,
secretary) and judges, within the council size of the level and with an odd jury; judges
declare their relations until the jury closes; scoring starts with every judge of the jury
assigned to every accepted entry except where a conflict of interest blocks it (the system
says why), and the chair reassigns, records an absent judge, and watches who has submitted
(never what).

Giám khảo dự khuyết (reserve judges, ``CouncilMember.is_reserve``): seated like any judge
(once scoring has started, only reserves join the jury), they are not counted in the jury's
odd size nor assigned at the start; the chair assigns a reserve to an entry in place of a
judge kept off it by a conflict of interest (or recorded absent: the reserve takes over that
judge's open sheet), so every entry keeps a panel of the jury's odd size — which the close
checks entry by entry (``scoring.closing_problems``, ``rules.panel_problem``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg
from khuyencong.registry.models import Establishment

from .. import rules
from ..models import (
    ON_JURY,
    ConflictDeclaration,
    CouncilMember,
    CouncilRole,
    Entry,
    EntryStatus,
    RoundStatus,
    ScoreSheet,
    SelectionRound,
    SheetStatus,
)
from ..workflow import RoundStep
from .common import SelectionError, SelectionInvalid, actor_or_none, require
from .rounds import finish_step, lock_for_step

#: Until the jury closes, the organiser may change the council (a judge replaced by another).
SEATING_STATES = (RoundStatus.DRAFT, RoundStatus.OPEN, RoundStatus.SCORING)


def _check_seating(round_: SelectionRound) -> None:
    if round_.status not in SEATING_STATES:
        raise SelectionError(
            _("Kỳ bình chọn đang ở trạng thái “%(s)s”: không thay đổi hội đồng được nữa.")
            % {"s": round_.get_status_display()}
        )


@retry_when_locked
@transaction.atomic
def add_member(
    *,
    actor: Any,
    round_: SelectionRound,
    user: User,
    council_role: str,
    is_judge: bool,
    is_reserve: bool = False,
    position: str = "",
    workplace: AdministrativeUnit | None = None,
) -> CouncilMember:
    """Seat a user (who holds the council-member role, to log in and score) on the council
    and/or the jury, or as a reserve judge."""
    require(actor, policy.Action.RUN_SELECTION, round_)
    locked = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    _check_seating(locked)
    if council_role not in CouncilRole.values:
        raise SelectionInvalid({"council_role": [_("Chọn vai trò trong hội đồng.")]})
    if not council_role and not is_judge:
        raise SelectionInvalid(
            {"is_judge": [_("Người không là thành viên hội đồng thì phải là giám khảo.")]}
        )
    if is_reserve and not is_judge:
        raise SelectionInvalid(
            {"is_reserve": [_("Giám khảo dự khuyết phải được đánh dấu là giám khảo.")]}
        )
    if is_judge and not is_reserve and locked.status == RoundStatus.SCORING:
        raise SelectionInvalid(
            {
                "is_reserve": [
                    _(
                        "Ban giám khảo đang chấm: chỉ thêm được giám khảo dự khuyết (Chủ tịch "
                        "phân công chấm thay giám khảo có xung đột lợi ích hoặc vắng mặt), để "
                        "ban giám khảo giữ số lẻ."
                    )
                ]
            }
        )
    if not RoleAssignment.objects.filter(
        user=user, role=Role.COUNCIL_MEMBER, is_active=True
    ).exists():
        raise SelectionInvalid(
            {
                "email": [
                    _(
                        "%(u)s chưa được giao vai trò “Thành viên hội đồng”: quản trị hệ thống "
                        "cần giao vai trò này trước để người đó đăng nhập và chấm điểm."
                    )
                    % {"u": user}
                ]
            }
        )
    if CouncilMember.objects.filter(round=locked, user=user).exists():
        raise SelectionInvalid({"email": [_("%(u)s đã có trong hội đồng.") % {"u": user}]})
    if (
        council_role == CouncilRole.CHAIR
        and CouncilMember.objects.filter(round=locked, council_role=CouncilRole.CHAIR).exists()
    ):
        raise SelectionInvalid({"council_role": [_("Hội đồng đã có Chủ tịch.")]})
    member = CouncilMember.objects.create(
        round=locked,
        user=user,
        full_name=user.full_name,
        position=" ".join(position.split()),
        council_role=council_role,
        is_judge=is_judge,
        is_reserve=is_reserve,
        workplace=workplace,
        added_by=actor_or_none(actor),
    )
    record_event(
        EventType.SELECTION_COUNCIL,
        actor=actor,
        obj=locked,
        comment=f"{member.full_name}: {member.get_council_role_display()}",
        data={"action": "them", "member": member.pk, "judge": is_judge, "reserve": is_reserve},
    )
    notify(
        [user],
        NotificationKind.SELECTION,
        Msg(gettext_noop("Bạn được mời vào hội đồng “%(r)s”"), r=locked.title),
        "",
        reverse("awards:judge_home", args=[locked.code]),
        unit=locked.unit,
    )
    return member


@retry_when_locked
@transaction.atomic
def remove_member(*, actor: Any, member: CouncilMember) -> None:
    require(actor, policy.Action.RUN_SELECTION, member.round)
    round_ = SelectionRound.objects.select_for_update().get(pk=member.round_id)
    _check_seating(round_)
    if member.on_jury and round_.status == RoundStatus.SCORING:
        raise SelectionError(
            _(
                "Ban giám khảo đang chấm: không bỏ %(m)s được (ban giám khảo phải giữ số lẻ); "
                "Chủ tịch ghi vắng mặt và phân công giám khảo dự khuyết chấm thay."
            )
            % {"m": member}
        )
    if member.sheets.filter(status=SheetStatus.SUBMITTED).exists():
        raise SelectionError(
            _("%(m)s đã nộp phiếu chấm: không bỏ khỏi hội đồng được, hãy ghi vắng mặt.")
            % {"m": member}
        )
    record_event(
        EventType.SELECTION_COUNCIL,
        actor=actor,
        obj=round_,
        comment=member.full_name,
        data={"action": "bo", "member": member.pk},
    )
    member.sheets.all().delete()
    member.delete()


def jury_size(round_: SelectionRound) -> int:
    """How many judges the jury proper has (reserves not counted): each entry's panel size."""
    return CouncilMember.objects.filter(ON_JURY, round=round_).count()


def council_problems(round_: SelectionRound) -> list[str]:
    counts = CouncilMember.objects.filter(round=round_).aggregate(
        members=Count("pk", filter=~Q(council_role="")),
        judges=Count("pk", filter=ON_JURY),
        chairs=Count("pk", filter=Q(council_role=CouncilRole.CHAIR)),
    )
    problems = rules.council_problems(
        level=round_.level,
        members=counts["members"],
        judges=counts["judges"],
        minimum=round_.council_min,
        maximum=round_.council_max,
    )
    if not counts["chairs"]:
        problems.append(_("Hội đồng chưa có Chủ tịch."))
    return problems


# --------------------------------------------------------------------------------------------
# Conflicts of interest
# --------------------------------------------------------------------------------------------
def judge_facts(members: list[CouncilMember]) -> dict[int, rules.JudgeFacts]:
    """What the system knows of each judge: the establishments they represent and the communes
    where they are officers (their role assignments and the seat's workplace), their
    declarations. Three queries whatever the number of judges."""
    represents: dict[int, set[int]] = defaultdict(set)
    communes: dict[int, set[int]] = defaultdict(set)
    for a in RoleAssignment.objects.filter(
        user__in=[m.user_id for m in members], is_active=True
    ).values("user_id", "role", "unit_id", "establishment_id"):
        if a["role"] == Role.ESTABLISHMENT and a["establishment_id"]:
            represents[a["user_id"]].add(a["establishment_id"])
        if a["role"] == Role.COMMUNE_OFFICER:
            communes[a["user_id"]].add(a["unit_id"])
    declared: dict[int, dict[int, str]] = defaultdict(dict)
    for d in ConflictDeclaration.objects.filter(member__in=members).values(
        "member_id", "establishment_id", "relation"
    ):
        declared[d["member_id"]][d["establishment_id"]] = d["relation"]
    return {
        m.pk: rules.JudgeFacts(
            represents=frozenset(represents[m.user_id]),
            officer_communes=frozenset(
                communes[m.user_id] | ({m.workplace_id} if m.workplace_id else set())
            ),
            declared=declared[m.pk],
        )
        for m in members
    }


def entry_facts(entry: Entry) -> rules.EntryFacts:
    return rules.EntryFacts(
        entry.establishment_id, entry.establishment.name, entry.commune_id, entry.commune.name
    )


def conflicts(round_: SelectionRound) -> dict[tuple[int, int], list[str]]:
    """(member id, entry id) → why that judge may not score that entry (accepted entries)."""
    judges = list(CouncilMember.objects.filter(round=round_, is_judge=True))
    facts = judge_facts(judges)
    entries = Entry.objects.filter(round=round_, status=EntryStatus.ACCEPTED).select_related(
        "establishment", "commune"
    )
    found: dict[tuple[int, int], list[str]] = {}
    for entry in entries:
        about = entry_facts(entry)
        for judge in judges:
            reasons = rules.conflict_reasons(facts[judge.pk], about)
            if reasons:
                found[(judge.pk, entry.pk)] = reasons
    return found


def declaration_refusal(round_: SelectionRound) -> str:
    """Why a judge may no longer declare a relation ("" while they may): declarations are taken
    until the jury closes (the seating states). After the close no panel changes — not even
    while an entry is re-scored after an upheld complaint, when the chair cannot assign
    anyone and a withdrawn draft (with its scores) would leave that panel short for good."""
    if round_.status in SEATING_STATES:
        return ""
    return _(
        "Kỳ bình chọn đang ở trạng thái “%(s)s”: ban giám khảo đã khóa chấm, không khai báo "
        "quan hệ với cơ sở được nữa."
    ) % {"s": round_.get_status_display()}


@retry_when_locked
@transaction.atomic
def declare_conflict(
    *, actor: Any, member: CouncilMember, establishment: Establishment, relation: str
) -> ConflictDeclaration:
    """A judge declares a relation to an establishment (khai báo xung đột lợi ích) until the
    jury closes: their open sheets for its entries are withdrawn (the chair reassigns them)."""
    if member.user_id != getattr(actor, "pk", None):
        raise SelectionError(_("Chỉ giám khảo mới khai quan hệ của chính mình."))
    require(actor, policy.Action.VIEW_SELECTION, member.round)
    # Read afresh under the lock: the chair may be closing the jury at this moment.
    refusal = declaration_refusal(
        SelectionRound.objects.select_for_update().get(pk=member.round_id)
    )
    if refusal:
        raise SelectionError(refusal)
    if not relation.strip():
        raise SelectionInvalid({"relation": [_("Cần ghi quan hệ (ví dụ: người thân, góp vốn).")]})
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        member=member, establishment=establishment, defaults={"relation": relation.strip()}
    )
    withdrawn = ScoreSheet.objects.filter(
        member=member, entry__establishment=establishment
    ).exclude(status=SheetStatus.SUBMITTED)
    count = withdrawn.count()
    withdrawn.delete()
    record_event(
        EventType.SELECTION_COUNCIL,
        actor=actor,
        obj=member.round,
        comment=_("%(m)s khai quan hệ với %(e)s") % {"m": member, "e": establishment},
        data={"action": "khai-quan-he", "member": member.pk, "withdrawn": count},
    )
    _notify_chair(
        member.round,
        actor,
        Msg(
            gettext_noop("%(m)s khai có quan hệ với %(e)s: cần phân công giám khảo khác"),
            m=str(member),
            e=str(establishment),
        ),
    )
    return declaration


def _notify_chair(round_: SelectionRound, actor: Any, title: Msg) -> None:
    chairs = [
        m.user
        for m in CouncilMember.objects.filter(
            round=round_, council_role=CouncilRole.CHAIR
        ).select_related("user")
        if m.user != actor
    ]
    if chairs:
        notify(
            chairs,
            NotificationKind.SELECTION,
            title,
            "",
            reverse("awards:council", args=[round_.code]),
            unit=round_.unit,
        )


# --------------------------------------------------------------------------------------------
# Assignments (phân công chấm)
# --------------------------------------------------------------------------------------------
@retry_when_locked
@transaction.atomic
def start_scoring(*, actor: Any, round_: SelectionRound, expected_version: int) -> SelectionRound:
    """Bắt đầu chấm: the council is complete, no entry waits for its check, and every judge of
    the jury (not the reserves) is assigned every accepted entry unless a conflict of interest
    blocks it; the chair then assigns reserves where a conflict left a panel short."""
    locked, step = lock_for_step(actor, round_, RoundStep.START_SCORING, expected_version)
    problems = council_problems(locked)
    waiting = Entry.objects.filter(
        round=locked, status__in=[EntryStatus.SUBMITTED, EntryStatus.FORWARDED]
    ).count()
    if waiting:
        problems.append(
            _("Còn %(n)s hồ sơ chưa được kiểm tra (chấp nhận, trả lại hoặc không chấp nhận).")
            % {"n": waiting}
        )
    entries = list(Entry.objects.filter(round=locked, status=EntryStatus.ACCEPTED))
    if not entries:
        problems.append(_("Chưa có hồ sơ hợp lệ nào để chấm."))
    if problems:
        raise SelectionError(" ".join(problems))
    blocked = conflicts(locked)
    judges = list(CouncilMember.objects.filter(ON_JURY, round=locked))
    ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(round=locked, entry=e, member=j, assigned_by=actor_or_none(actor))
            for e in entries
            for j in judges
            if (j.pk, e.pk) not in blocked
        ],
        ignore_conflicts=True,
    )
    finish_step(locked, step, actor=actor)
    notify(
        [j.user for j in judges],
        NotificationKind.SELECTION,
        Msg(gettext_noop("Bắt đầu chấm điểm kỳ “%(r)s”"), r=locked.title),
        "",
        reverse("awards:judge_home", args=[locked.code]),
        unit=locked.unit,
    )
    return locked


def _scoring_round(round_id: int) -> SelectionRound:
    """The round, locked and read afresh, while its jury scores."""
    round_ = SelectionRound.objects.select_for_update().get(pk=round_id)
    if round_.status != RoundStatus.SCORING:
        raise SelectionError(
            _("Kỳ bình chọn đang ở trạng thái “%(s)s”: không phân công chấm được.")
            % {"s": round_.get_status_display()}
        )
    return round_


@retry_when_locked
@transaction.atomic
def assign_judge(*, actor: Any, entry: Entry, member: CouncilMember) -> ScoreSheet:
    """The chair assigns a judge — in practice a reserve — to an entry whose panel a conflict
    of interest left short of the jury's size; on a full panel, in place of a judge recorded
    absent whose sheet is not in (that sheet is withdrawn, logged)."""
    require(actor, policy.Action.CHAIR_JURY, entry.round)
    round_ = _scoring_round(entry.round_id)
    entry = Entry.objects.select_related("establishment", "commune", "product").get(pk=entry.pk)
    member = CouncilMember.objects.get(pk=member.pk)
    if entry.scoring_closed_at is not None or member.round_id != round_.pk:
        raise SelectionError(_("Hồ sơ này không còn chấm."))
    if not member.is_judge:  # the close and the results count the judges' sheets only
        raise SelectionError(
            _("%(m)s không là giám khảo: chỉ phân công giám khảo chấm hồ sơ.") % {"m": member}
        )
    if member.is_absent:
        raise SelectionError(_("%(m)s đang được ghi vắng mặt.") % {"m": member})
    reasons = rules.conflict_reasons(judge_facts([member])[member.pk], entry_facts(entry))
    if reasons:
        raise SelectionError(
            _("Không phân công %(m)s chấm “%(p)s”: %(why)s")
            % {"m": member, "p": entry.product, "why": " ".join(reasons)}
        )
    panel = list(ScoreSheet.objects.filter(entry=entry).select_related("member"))
    if any(s.member_id == member.pk for s in panel):
        raise SelectionError(_("%(m)s đã được phân công chấm hồ sơ này.") % {"m": member})
    replaced = None
    if len(panel) >= jury_size(round_):
        replaced = next(
            (s for s in panel if s.member.is_absent and s.status != SheetStatus.SUBMITTED), None
        )
        if replaced is None:
            raise SelectionError(
                _(
                    "Hồ sơ “%(p)s” đã đủ %(n)s giám khảo chấm: chỉ phân công thay giám khảo có "
                    "xung đột lợi ích hoặc vắng mặt."
                )
                % {"p": entry.product, "n": len(panel)}
            )
        replaced.delete()
    sheet = ScoreSheet.objects.create(
        round=round_, entry=entry, member=member, assigned_by=actor_or_none(actor)
    )
    comment = _("Phân công %(m)s chấm “%(p)s”") % {"m": member, "p": entry.product}
    if replaced is not None:
        comment += " " + _("thay %(a)s (vắng mặt)") % {"a": replaced.member}
    record_event(
        EventType.SELECTION_COUNCIL,
        actor=actor,
        obj=round_,
        comment=comment,
        data={
            "action": "phan-cong",
            "member": member.pk,
            "entry": entry.pk,
            "replaces": replaced.member_id if replaced else None,
        },
    )
    notify(
        [member.user],
        NotificationKind.SELECTION,
        _("Bạn được phân công chấm “%(p)s”") % {"p": entry.product},
        "",
        reverse("awards:sheet", args=[sheet.pk]),
        unit=round_.unit,
    )
    return sheet


@retry_when_locked
@transaction.atomic
def withdraw_sheet(*, actor: Any, sheet: ScoreSheet, reason: str) -> None:
    """The chair takes a judge off an entry (a conflict found late), before the sheet is in."""
    require(actor, policy.Action.CHAIR_JURY, sheet.round)
    round_ = _scoring_round(sheet.round_id)
    sheet = ScoreSheet.objects.get(pk=sheet.pk)
    if sheet.status == SheetStatus.SUBMITTED:
        raise SelectionError(_("Phiếu đã nộp: giám khảo cần tự mở lại phiếu trước khi được rút."))
    if not reason.strip():
        raise SelectionInvalid({"reason": [_("Cần ghi lý do rút phân công.")]})
    record_event(
        EventType.SELECTION_COUNCIL,
        actor=actor,
        obj=round_,
        comment=reason.strip(),
        data={"action": "rut-phan-cong", "member": sheet.member_id, "entry": sheet.entry_id},
    )
    sheet.delete()


@retry_when_locked
@transaction.atomic
def record_absence(
    *, actor: Any, member: CouncilMember, expected_version: int, reason: str
) -> CouncilMember:
    """The chair records a judge as absent (with the reason): their sheets do not count."""
    require(actor, policy.Action.CHAIR_JURY, member.round)
    _scoring_round(member.round_id)
    locked = lock_current_version(member, expected_version)
    locked.absent_reason = reason.strip()
    locked.version += 1
    locked.save()
    record_event(
        EventType.SELECTION_COUNCIL,
        actor=actor,
        obj=member.round,
        comment=f"{locked.full_name}: {reason.strip() or _('có mặt trở lại')}",
        data={"action": "vang-mat", "member": locked.pk, "absent": locked.is_absent},
    )
    return locked
