"""The project's state machine (máy trạng thái đề án): a pure table, like ``planning.workflow``.

Each row is (state, action, fund) → (new state, who signs). "Who signs" is a tuple of
:class:`SignOff` — a role and the access-policy action under which that role acts. A row
either needs **any one** of its sign-offs (``all_required=False``: one officer takes the step)
or **every** one of them (``all_required=True``: several departments, e.g. the SCT signs the
technical appraisal and Finance the budget appraisal; the state moves only when both are in).
The policy (``accounts.policy``) still decides whether the user's role holds the action and
whether the project lies in the user's scope; this table adds which role signs which step for
which fund (a national-fund project is approved by the national department, a local-fund one
by the province).

Besides the transitions, the table says what may be recorded in each state (edits, progress
reports, inspections, advances, payments, attachments): the *rights per state*.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class State(StrEnum):
    DRAFT = "nhap"
    SUBMITTED = "da-trinh"
    RETURNED = "tra-lai"
    APPRAISED_PROVINCE = "tham-dinh-tinh"
    APPRAISED_NATIONAL = "tham-dinh-tw"
    APPROVED = "phe-duyet"
    REJECTED = "khong-duyet"
    CONTRACTED = "hop-dong"
    IMPLEMENTING = "trien-khai"
    ACCEPTED = "nghiem-thu"
    SETTLED = "quyet-toan"
    CLOSED = "dong"
    CANCELLED = "huy"


class Step(StrEnum):
    """Thao tác (actions on the project's state)."""

    SUBMIT = "trinh"
    RESUBMIT = "trinh-lai"
    APPRAISE_PROVINCE = "tham-dinh-tinh"
    APPRAISE_NATIONAL = "tham-dinh-tw"
    APPROVE = "phe-duyet"
    RETURN = "tra-lai"
    REJECT = "khong-duyet"
    CONTRACT = "ky-hop-dong"
    START = "trien-khai"
    ACCEPT = "nghiem-thu"
    SETTLE = "quyet-toan"
    CLOSE = "dong"
    CANCEL = "huy"


class Payload(StrEnum):
    """What a sign-off carries besides a comment."""

    NONE = ""
    REASON = "ly-do"  # a required comment
    APPRAISAL = "tham-dinh"  # appraisal sheet text, score, conclusion
    DECISION = "quyet-dinh"  # decision number and date, approved amount per fund
    CONTRACT = "hop-dong"  # contract number and date
    ACCEPTANCE = "nghiem-thu"  # minutes, date, actual output per programme line
    SETTLEMENT = "quyet-toan"  # actual amount per fund, date


KCQG, KCDP = "KCQG", "KCDP"
FUNDS = (KCQG, KCDP)
ANY_FUND = frozenset(FUNDS)

# Roles (accounts.models.Role values) and policy actions (accounts.policy.Action values), kept
# as text so this module stays pure; a test checks they match the policy.
CENTRE = "trung-tam-khuyen-cong"
SCT = "so-cong-thuong"
FINANCE = "so-tai-chinh"
NATIONAL = "cuc-khuyen-cong"

CREATE_PROJECT = "create_project"
SUBMIT_PROJECT = "submit_project"
APPRAISE_PROJECT_PROVINCE = "appraise_project_province"
APPRAISE_PROJECT_NATIONAL = "appraise_project_national"
APPROVE_PROJECT = "approve_project"
SIGN_OFF_FINANCE = "sign_off_finance"
CONTRACT_PROJECT = "contract_project"
REPORT_PROGRESS = "report_progress"
INSPECT_PROJECT = "inspect_project"
ACCEPT_PROJECT = "accept_project"
SETTLE_PROJECT = "settle_project"
CANCEL_PROJECT = "cancel_project"
RECORD_PAYMENT = "record_payment"
ATTACH_PROJECT_FILE = "attach_project_file"

ROLE_LABELS: dict[str, Promise] = {
    CENTRE: _("Trung tâm khuyến công"),
    SCT: _("Sở Công Thương"),
    FINANCE: _("Sở Tài chính"),
    NATIONAL: _("Cục Đổi mới sáng tạo, CĐX và Khuyến công"),
}


@dataclass(frozen=True)
class SignOff:
    role: str
    permission: str
    label: Promise
    payload: Payload = Payload.NONE

    @property
    def role_label(self) -> Promise:
        return ROLE_LABELS[self.role]


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    label: Promise
    signoffs: tuple[SignOff, ...]
    funds: frozenset[str] = ANY_FUND
    all_required: bool = False
    #: A forward step (what the project waits for); returns, rejections, cancellations are not.
    forward: bool = True
    style: str = "primary"

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(s.role for s in self.signoffs)

    @property
    def reason_required(self) -> bool:
        return any(s.payload == Payload.REASON for s in self.signoffs)

    def signoff_for(self, role: str) -> SignOff | None:
        return next((s for s in self.signoffs if s.role == role), None)


STATE_LABELS: dict[str, Promise] = {
    State.DRAFT: _("Dự thảo"),
    State.SUBMITTED: _("Đã trình, chờ thẩm định cấp tỉnh"),
    State.RETURNED: _("Trả lại để bổ sung"),
    State.APPRAISED_PROVINCE: _("Đã thẩm định cấp tỉnh"),
    State.APPRAISED_NATIONAL: _("Đã thẩm định cấp trung ương"),
    State.APPROVED: _("Đã phê duyệt"),
    State.REJECTED: _("Không được phê duyệt"),
    State.CONTRACTED: _("Đã ký hợp đồng"),
    State.IMPLEMENTING: _("Đang triển khai"),
    State.ACCEPTED: _("Đã nghiệm thu"),
    State.SETTLED: _("Đã quyết toán"),
    State.CLOSED: _("Đã thanh lý, đóng hồ sơ"),
    State.CANCELLED: _("Đã hủy"),
}

STEP_LABELS: dict[str, Promise] = {
    "tao": _("Lập đề án"),
    Step.SUBMIT: _("Trình thẩm định"),
    Step.RESUBMIT: _("Trình lại"),
    Step.APPRAISE_PROVINCE: _("Thẩm định cấp tỉnh"),
    Step.APPRAISE_NATIONAL: _("Thẩm định cấp trung ương"),
    Step.APPROVE: _("Phê duyệt"),
    Step.RETURN: _("Trả lại để bổ sung"),
    Step.REJECT: _("Không phê duyệt"),
    Step.CONTRACT: _("Ký hợp đồng"),
    Step.START: _("Bắt đầu triển khai"),
    Step.ACCEPT: _("Nghiệm thu"),
    Step.SETTLE: _("Quyết toán"),
    Step.CLOSE: _("Thanh lý, đóng hồ sơ"),
    Step.CANCEL: _("Hủy đề án"),
}

_S = State


def _one(role: str, permission: str, label: Promise, payload: Payload = Payload.NONE) -> SignOff:
    return SignOff(role, permission, label, payload)


def _reason(role: str, permission: str) -> SignOff:
    return SignOff(role, permission, _("Ghi lý do"), Payload.REASON)


#: Who may send a project back or turn it down from a state, per fund (the one who would
#: otherwise take the next forward step, or the province's appraisers).
_DECIDERS: list[tuple[str, frozenset[str], tuple[SignOff, ...]]] = [
    (
        _S.SUBMITTED,
        ANY_FUND,
        (_reason(SCT, APPRAISE_PROJECT_PROVINCE), _reason(FINANCE, APPRAISE_PROJECT_PROVINCE)),
    ),
    (_S.APPRAISED_PROVINCE, frozenset({KCQG}), (_reason(NATIONAL, APPRAISE_PROJECT_NATIONAL),)),
    (_S.APPRAISED_PROVINCE, frozenset({KCDP}), (_reason(SCT, APPROVE_PROJECT),)),
    (_S.APPRAISED_NATIONAL, frozenset({KCQG}), (_reason(NATIONAL, APPROVE_PROJECT),)),
]

#: States from which a project may be cancelled (every state before settlement but the ends).
CANCELLABLE = (
    _S.DRAFT,
    _S.SUBMITTED,
    _S.RETURNED,
    _S.APPRAISED_PROVINCE,
    _S.APPRAISED_NATIONAL,
    _S.APPROVED,
    _S.CONTRACTED,
    _S.IMPLEMENTING,
    _S.ACCEPTED,
)


def _rows() -> list[Transition]:
    rows = [
        Transition(
            _S.DRAFT,
            Step.SUBMIT,
            _S.SUBMITTED,
            _("Trình thẩm định"),
            (_one(CENTRE, SUBMIT_PROJECT, _("Trình đề án")),),
        ),
        Transition(
            _S.RETURNED,
            Step.RESUBMIT,
            _S.SUBMITTED,
            _("Trình lại sau khi bổ sung"),
            (_one(CENTRE, SUBMIT_PROJECT, _("Trình lại đề án")),),
        ),
        Transition(
            _S.SUBMITTED,
            Step.APPRAISE_PROVINCE,
            _S.APPRAISED_PROVINCE,
            _("Ký phiếu thẩm định cấp tỉnh"),
            (
                _one(
                    SCT,
                    APPRAISE_PROJECT_PROVINCE,
                    _("Thẩm định nội dung, kỹ thuật"),
                    Payload.APPRAISAL,
                ),
                _one(
                    FINANCE, APPRAISE_PROJECT_PROVINCE, _("Thẩm định kinh phí"), Payload.APPRAISAL
                ),
            ),
            all_required=True,
            style="success",
        ),
        Transition(
            _S.APPRAISED_PROVINCE,
            Step.APPRAISE_NATIONAL,
            _S.APPRAISED_NATIONAL,
            _("Ký phiếu thẩm định cấp trung ương"),
            (
                _one(
                    NATIONAL,
                    APPRAISE_PROJECT_NATIONAL,
                    _("Thẩm định của Cục"),
                    Payload.APPRAISAL,
                ),
            ),
            funds=frozenset({KCQG}),
            style="success",
        ),
        Transition(
            _S.APPRAISED_PROVINCE,
            Step.APPROVE,
            _S.APPROVED,
            _("Phê duyệt đề án"),
            (
                _one(SCT, APPROVE_PROJECT, _("Ghi nhận quyết định phê duyệt"), Payload.DECISION),
                _one(FINANCE, SIGN_OFF_FINANCE, _("Thống nhất kinh phí")),
            ),
            funds=frozenset({KCDP}),
            all_required=True,
            style="success",
        ),
        Transition(
            _S.APPRAISED_NATIONAL,
            Step.APPROVE,
            _S.APPROVED,
            _("Phê duyệt đề án"),
            (
                _one(
                    NATIONAL, APPROVE_PROJECT, _("Ghi nhận quyết định phê duyệt"), Payload.DECISION
                ),
            ),
            funds=frozenset({KCQG}),
            style="success",
        ),
        Transition(
            _S.APPROVED,
            Step.CONTRACT,
            _S.CONTRACTED,
            _("Ghi nhận hợp đồng"),
            (_one(CENTRE, CONTRACT_PROJECT, _("Ghi nhận hợp đồng"), Payload.CONTRACT),),
        ),
        Transition(
            _S.CONTRACTED,
            Step.START,
            _S.IMPLEMENTING,
            _("Bắt đầu triển khai"),
            (_one(CENTRE, CONTRACT_PROJECT, _("Bắt đầu triển khai")),),
        ),
        Transition(
            _S.IMPLEMENTING,
            Step.ACCEPT,
            _S.ACCEPTED,
            _("Nghiệm thu"),
            (
                _one(CENTRE, ACCEPT_PROJECT, _("Ghi nhận biên bản nghiệm thu"), Payload.ACCEPTANCE),
                _one(SCT, ACCEPT_PROJECT, _("Ghi nhận biên bản nghiệm thu"), Payload.ACCEPTANCE),
            ),
            style="success",
        ),
        Transition(
            _S.ACCEPTED,
            Step.SETTLE,
            _S.SETTLED,
            _("Quyết toán"),
            (
                _one(CENTRE, SETTLE_PROJECT, _("Ghi nhận quyết toán"), Payload.SETTLEMENT),
                _one(SCT, SETTLE_PROJECT, _("Ghi nhận quyết toán"), Payload.SETTLEMENT),
            ),
            style="success",
        ),
        Transition(
            _S.SETTLED,
            Step.CLOSE,
            _S.CLOSED,
            _("Thanh lý, đóng hồ sơ"),
            (_one(SCT, SETTLE_PROJECT, _("Thanh lý, đóng hồ sơ")),),
            style="outline-success",
        ),
    ]
    for source, funds, deciders in _DECIDERS:
        rows.append(
            Transition(
                source,
                Step.RETURN,
                _S.RETURNED,
                _("Trả lại để bổ sung"),
                deciders,
                funds=funds,
                forward=False,
                style="warning",
            )
        )
        rows.append(
            Transition(
                source,
                Step.REJECT,
                _S.REJECTED,
                _("Không phê duyệt"),
                deciders,
                funds=funds,
                forward=False,
                style="danger",
            )
        )
    for source in CANCELLABLE:
        # A proposal not yet with the appraisers may be withdrawn by the centre that wrote it;
        # later only the SCT cancels.
        early = source in (_S.DRAFT, _S.RETURNED)
        cancellers = (_reason(CENTRE, CANCEL_PROJECT),) if early else ()
        rows.append(
            Transition(
                source,
                Step.CANCEL,
                _S.CANCELLED,
                _("Hủy đề án"),
                (*cancellers, _reason(SCT, CANCEL_PROJECT)),
                forward=False,
                style="outline-danger",
            )
        )
    return rows


TRANSITIONS: tuple[Transition, ...] = tuple(_rows())
#: Every policy action a step is signed under: a role holding none takes no part in the lifecycle.
STEP_PERMISSIONS = frozenset(s.permission for t in TRANSITIONS for s in t.signoffs)

_INDEX: dict[tuple[str, str, str], Transition] = {
    (t.source, t.action, fund): t for t in TRANSITIONS for fund in t.funds
}


class TransitionError(Exception):
    """An action the current state does not allow; the message says why, in Vietnamese."""


def available(state: str, fund: str) -> list[Transition]:
    """Every transition from ``state`` for a project of ``fund``, forward steps first."""
    found = [t for t in TRANSITIONS if t.source == state and fund in t.funds]
    return sorted(found, key=lambda t: not t.forward)


def find(state: str, action: str, fund: str) -> Transition:
    transition = _INDEX.get((state, action, fund))
    if transition is not None:
        return transition
    current = STATE_LABELS.get(state, state)
    allowed = [f"“{t.label}”" for t in available(state, fund)]
    if allowed:
        raise TransitionError(
            _("Đề án đang ở trạng thái “%(state)s”: chỉ có thể %(allowed)s.")
            % {"state": current, "allowed": ", ".join(allowed)}
        )
    raise TransitionError(
        _("Đề án đang ở trạng thái “%(state)s”: không còn bước nào để thực hiện.")
        % {"state": current}
    )


def pending_signoffs(transition: Transition, signed_roles: Iterable[str]) -> list[SignOff]:
    """The sign-offs still missing before ``transition`` takes effect."""
    if not transition.all_required:
        return []
    signed = set(signed_roles)
    return [s for s in transition.signoffs if s.role not in signed]


def forward_steps_for_role(role: str) -> list[tuple[str, str, Transition]]:
    """(state, fund, transition) where a project waits for ``role`` to take a forward step."""
    return [
        (t.source, fund, t)
        for t in TRANSITIONS
        if t.forward and role in t.roles
        for fund in t.funds
    ]


# ------------------------------------------------------------------------------ who reads comments
INTERNAL, SHARED = "noi-bo", "chia-se"  # core.models.Visibility values (this module stays pure)
#: Steps whose comment the beneficiary establishment reads by default: the project's milestones
#: and why it ended. Appraisals (their scores and sheets), returns between agencies and one
#: department's sign-off while others are awaited stay internal.
SHARED_STEPS = frozenset(
    {
        "tao",
        Step.SUBMIT,
        Step.RESUBMIT,
        Step.APPROVE,
        Step.REJECT,
        Step.CONTRACT,
        Step.START,
        Step.ACCEPT,
        Step.SETTLE,
        Step.CLOSE,
        Step.CANCEL,
    }
)


def comment_visibility(action: str, *, completed: bool = True) -> str:
    """The default visibility of a step's comment (the officer may choose otherwise)."""
    return SHARED if completed and action in SHARED_STEPS else INTERNAL


# ------------------------------------------------------------------------------ rights per state
#: The project's content (budget, schedule, beneficiaries, outputs) may be edited.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
#: Monthly progress reports.
PROGRESS_STATES = frozenset({State.CONTRACTED, State.IMPLEMENTING})
#: Inspections (kiểm tra, giám sát).
INSPECTION_STATES = frozenset({State.CONTRACTED, State.IMPLEMENTING, State.ACCEPTED})
#: Advances (tạm ứng): after the contract, before acceptance.
ADVANCE_STATES = frozenset({State.CONTRACTED, State.IMPLEMENTING})
#: Payments (thanh toán): after the contract, until settlement.
PAYMENT_STATES = frozenset({State.CONTRACTED, State.IMPLEMENTING, State.ACCEPTED})
#: Settlement locks the project: nothing but closing it may happen any more.
LOCKED = frozenset({State.SETTLED, State.CLOSED})
#: States that end the project without settlement.
ENDED = frozenset({State.REJECTED, State.CANCELLED})
#: Attachments may be added while the file is open.
ATTACHMENT_STATES = frozenset(State) - LOCKED - ENDED
#: A project in one of these states counts as support received (for the repeat-support rule).
SUPPORTED = frozenset(
    {
        State.APPROVED,
        State.CONTRACTED,
        State.IMPLEMENTING,
        State.ACCEPTED,
        State.SETTLED,
        State.CLOSED,
    }
)
#: A project in one of these states takes a place in the yearly overseas-fair allowance.
COMMITTED = frozenset(State) - {State.DRAFT, State.REJECTED, State.CANCELLED}
#: Approved amounts exist from approval on.
HAS_DECISION = SUPPORTED
