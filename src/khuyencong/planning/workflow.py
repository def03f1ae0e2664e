"""State machines (máy trạng thái) of registrations and annual plans: pure tables.

Each transition is (state, action) → (new state, the policy action whose roles may take it).
The roles come from the access policy (``accounts.policy.ACTION_ROLES``), so this table and the
policy cannot disagree; the policy also checks the unit. Services look transitions up here,
refuse unknown ones with a Vietnamese sentence, then ask the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class RegistrationState(StrEnum):
    DRAFT = "nhap"
    SUBMITTED = "da-gui"
    RETURNED = "tra-lai"
    ACCEPTED = "chap-nhan"
    REJECTED = "tu-choi"


class RegistrationAction(StrEnum):
    SUBMIT = "gui"
    RETURN = "tra-lai"
    RESUBMIT = "gui-lai"
    ACCEPT = "chap-nhan"
    REJECT = "tu-choi"


class PlanState(StrEnum):
    DRAFT = "du-thao"
    SUBMITTED = "da-trinh"
    APPRAISED = "da-tham-dinh"
    APPROVED = "da-phe-duyet"
    ADJUSTED = "da-dieu-chinh"


class PlanAction(StrEnum):
    SUBMIT = "trinh"
    RETURN = "tra-lai"
    APPRAISE = "tham-dinh"
    APPROVE = "phe-duyet"
    ADJUST = "dieu-chinh"


# Policy actions by name (accounts.policy.Action values), kept as text so this module stays pure.
REGISTER_NEED = "register_need"
REVIEW_REGISTRATION = "review_registration"
PREPARE_PLAN = "prepare_plan"
APPRAISE_PLAN = "appraise_plan"
APPROVE_PLAN = "approve_plan"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    permission: str
    label: Promise
    reason_required: bool = False
    style: str = "primary"


REGISTRATION_STATE_LABELS: dict[str, Promise] = {
    RegistrationState.DRAFT: _("Nháp"),
    RegistrationState.SUBMITTED: _("Đã gửi, chờ xem xét"),
    RegistrationState.RETURNED: _("Trả lại để bổ sung"),
    RegistrationState.ACCEPTED: _("Được chấp nhận vào kế hoạch"),
    RegistrationState.REJECTED: _("Không được chấp nhận"),
}

PLAN_STATE_LABELS: dict[str, Promise] = {
    PlanState.DRAFT: _("Dự thảo"),
    PlanState.SUBMITTED: _("Đã trình Sở Công Thương"),
    PlanState.APPRAISED: _("Đã thẩm định"),
    PlanState.APPROVED: _("Đã phê duyệt"),
    PlanState.ADJUSTED: _("Đã được điều chỉnh (phiên bản cũ)"),
}

_R, _RA = RegistrationState, RegistrationAction
REGISTRATION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in (
        Transition(_R.DRAFT, _RA.SUBMIT, _R.SUBMITTED, REGISTER_NEED, _("Gửi phiếu")),
        Transition(
            _R.SUBMITTED,
            _RA.RETURN,
            _R.RETURNED,
            REVIEW_REGISTRATION,
            _("Trả lại để bổ sung"),
            reason_required=True,
            style="warning",
        ),
        Transition(_R.RETURNED, _RA.RESUBMIT, _R.SUBMITTED, REGISTER_NEED, _("Gửi lại phiếu")),
        Transition(
            _R.SUBMITTED,
            _RA.ACCEPT,
            _R.ACCEPTED,
            REVIEW_REGISTRATION,
            _("Chấp nhận vào kế hoạch"),
            style="success",
        ),
        Transition(
            _R.SUBMITTED,
            _RA.REJECT,
            _R.REJECTED,
            REVIEW_REGISTRATION,
            _("Không chấp nhận"),
            reason_required=True,
            style="danger",
        ),
    )
}

_P, _PA = PlanState, PlanAction
PLAN_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.action): t
    for t in (
        Transition(_P.DRAFT, _PA.SUBMIT, _P.SUBMITTED, PREPARE_PLAN, _("Trình Sở Công Thương")),
        Transition(
            _P.SUBMITTED,
            _PA.RETURN,
            _P.DRAFT,
            APPRAISE_PLAN,
            _("Trả lại để chỉnh sửa"),
            reason_required=True,
            style="warning",
        ),
        Transition(
            _P.SUBMITTED, _PA.APPRAISE, _P.APPRAISED, APPRAISE_PLAN, _("Ghi nhận đã thẩm định")
        ),
        Transition(
            _P.APPRAISED,
            _PA.RETURN,
            _P.DRAFT,
            APPROVE_PLAN,
            _("Trả lại để chỉnh sửa"),
            reason_required=True,
            style="warning",
        ),
        Transition(
            _P.APPRAISED,
            _PA.APPROVE,
            _P.APPROVED,
            APPROVE_PLAN,
            _("Ghi nhận quyết định phê duyệt"),
            style="success",
        ),
        Transition(
            _P.APPROVED,
            _PA.ADJUST,
            _P.ADJUSTED,
            PREPARE_PLAN,
            _("Điều chỉnh kế hoạch (tạo phiên bản mới)"),
            reason_required=True,
            style="outline-primary",
        ),
    )
}


#: What each logged step was, for the history shown beside a registration or a plan.
ACTION_LABELS: dict[str, Promise] = {
    "tao": _("Lập"),
    RegistrationAction.SUBMIT: _("Gửi phiếu"),
    RegistrationAction.RESUBMIT: _("Gửi lại phiếu"),
    RegistrationAction.ACCEPT: _("Chấp nhận"),
    RegistrationAction.REJECT: _("Không chấp nhận"),
    PlanAction.SUBMIT: _("Trình Sở Công Thương"),
    PlanAction.APPRAISE: _("Thẩm định"),
    PlanAction.APPROVE: _("Phê duyệt"),
    PlanAction.ADJUST: _("Điều chỉnh"),
    # "tra-lai" is the same word for both machines.
    RegistrationAction.RETURN: _("Trả lại"),
}


class TransitionError(Exception):
    """An action that the current state does not allow; the message says why, in Vietnamese."""


def find(
    table: dict[tuple[str, str], Transition],
    labels: dict[str, Promise],
    state: str,
    action: str,
) -> Transition:
    transition = table.get((state, action))
    if transition is None:
        allowed = [f"“{t.label}”" for (s, _a), t in table.items() if s == state]
        current = labels.get(state, state)
        if allowed:
            raise TransitionError(
                _("Trạng thái hiện tại “%(state)s” chỉ cho phép: %(allowed)s.")
                % {"state": current, "allowed": ", ".join(allowed)}
            )
        raise TransitionError(
            _("Không thể thay đổi khi đang ở trạng thái “%(state)s”.") % {"state": current}
        )
    return transition


def registration_transition(state: str, action: str) -> Transition:
    return find(REGISTRATION_TRANSITIONS, REGISTRATION_STATE_LABELS, state, action)


def plan_transition(state: str, action: str) -> Transition:
    return find(PLAN_TRANSITIONS, PLAN_STATE_LABELS, state, action)


def available(table: dict[tuple[str, str], Transition], state: str) -> list[Transition]:
    return [t for (s, _a), t in table.items() if s == state]


#: States in which the author may still edit a registration.
REGISTRATION_EDITABLE = frozenset({RegistrationState.DRAFT, RegistrationState.RETURNED})
#: States in which the plan's items may change.
PLAN_EDITABLE = frozenset({PlanState.DRAFT})
