"""The lifecycle of a periodic report (vòng đời báo cáo), as one pure table.

(state, action) → (new state, the policy action whose roles may take it). Which role of those
acts for which reporter comes from :data:`PREPARER` (drafts, submits, approves its own report)
and :data:`RECEIVER` (the level above, which accepts or returns): the access policy checks the
role and the unit, this table the step.

draft → submitted (figures frozen) → approved (locked by the unit's head) → accepted by the
level above; the level above may return an approved report (unlocks it), and the head may
send a submitted one back to its author.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Reporter(StrEnum):
    COMMUNE = "xa"
    CENTRE = "trung-tam"
    PROVINCE = "tinh"


class State(StrEnum):
    DRAFT = "nhap"
    SUBMITTED = "da-gui"
    APPROVED = "da-duyet"
    ACCEPTED = "da-chap-nhan"
    RETURNED = "tra-lai"


class Step(StrEnum):
    SUBMIT = "gui"
    SEND_BACK = "tra-nguoi-lap"
    APPROVE = "phe-duyet"
    ACCEPT = "chap-nhan"
    RETURN = "tra-lai"


# Policy actions by name (accounts.policy.Action values): this module stays pure.
PREPARE_REPORT = "prepare_report"
APPROVE_REPORT = "approve_report"
REVIEW_REPORT = "review_report"

#: The role (accounts.models.Role value) that prepares and approves each reporter's report.
PREPARER: dict[Reporter, str] = {
    Reporter.COMMUNE: "can-bo-xa",
    Reporter.CENTRE: "trung-tam-khuyen-cong",
    Reporter.PROVINCE: "so-cong-thuong",
}
#: The role of the level above that accepts or returns it, and how many levels above it sits
#: (a centre reports to the SCT of its own province: 0).
RECEIVER: dict[Reporter, tuple[str, int]] = {
    Reporter.COMMUNE: ("so-cong-thuong", 1),
    Reporter.CENTRE: ("so-cong-thuong", 0),
    Reporter.PROVINCE: ("cuc-khuyen-cong", 1),
}

STATE_LABELS: dict[str, Promise] = {
    State.DRAFT: _("Đang lập"),
    State.SUBMITTED: _("Đã gửi, chờ thủ trưởng phê duyệt"),
    State.APPROVED: _("Đã phê duyệt (khóa), chờ cấp trên"),
    State.ACCEPTED: _("Cấp trên đã chấp nhận"),
    State.RETURNED: _("Cấp trên trả lại"),
}

ACTION_LABELS: dict[str, Promise] = {
    Step.SUBMIT: _("Gửi báo cáo"),
    Step.SEND_BACK: _("Trả người lập"),
    Step.APPROVE: _("Phê duyệt và khóa"),
    Step.ACCEPT: _("Chấp nhận"),
    Step.RETURN: _("Trả lại"),
}


@dataclass(frozen=True)
class Transition:
    source: State
    step: Step
    target: State
    permission: str
    reason_required: bool = False
    style: str = "primary"

    @property
    def label(self) -> Promise:
        return ACTION_LABELS[self.step]

    @property
    def by_receiver(self) -> bool:
        return self.permission == REVIEW_REPORT


TRANSITIONS: dict[tuple[State, Step], Transition] = {
    (t.source, t.step): t
    for t in (
        Transition(State.DRAFT, Step.SUBMIT, State.SUBMITTED, PREPARE_REPORT),
        Transition(State.RETURNED, Step.SUBMIT, State.SUBMITTED, PREPARE_REPORT),
        Transition(
            State.SUBMITTED,
            Step.SEND_BACK,
            State.DRAFT,
            APPROVE_REPORT,
            reason_required=True,
            style="warning",
        ),
        Transition(State.SUBMITTED, Step.APPROVE, State.APPROVED, APPROVE_REPORT, style="success"),
        Transition(State.APPROVED, Step.ACCEPT, State.ACCEPTED, REVIEW_REPORT, style="success"),
        Transition(
            State.APPROVED,
            Step.RETURN,
            State.RETURNED,
            REVIEW_REPORT,
            reason_required=True,
            style="warning",
        ),
    )
}

#: States in which the preparer may change figures and narrative.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
#: States whose figures are frozen by the submission (the snapshot is what counts).
FROZEN = frozenset({State.SUBMITTED, State.APPROVED, State.ACCEPTED})


def steps_from(state: str) -> list[Transition]:
    return [t for (source, _step), t in TRANSITIONS.items() if source == state]


def role_for(transition: Transition, reporter: Reporter) -> str:
    """The one role that takes this step for this reporter."""
    if transition.by_receiver:
        return RECEIVER[reporter][0]
    return PREPARER[reporter]
