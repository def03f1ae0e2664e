"""The lifecycles of a selection round and of an entry, as pure tables (like
``projects.workflow``): (state, step) → (new state, the policy action that takes the step).

The access policy (``accounts.policy``) decides whether the user's role holds the action and
whether the object lies in the user's scope (or, for a council member, whether they sit on the
round's council); these tables add which step is possible in which state.

A round: draft → open for entries → scoring → closed (results) → published (decision,
certificates); a draft or open round may be cancelled. An entry: draft → submitted → (above the
commune: forwarded by the lower authority in its short-list) → accepted (the jury sees it), or
returned for supplements (and submitted again), or rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# accounts.policy.Action values, as text so that this module stays pure (a test checks them).
RUN_SELECTION = "run_selection"
FILE_ENTRY = "file_entry"
FORWARD_ENTRIES = "forward_entries"
CHAIR_JURY = "chair_jury"


class RoundState(StrEnum):
    DRAFT = "nhap"
    OPEN = "nhan-ho-so"
    SCORING = "dang-cham"
    CLOSED = "da-khoa"
    PUBLISHED = "da-cong-bo"
    CANCELLED = "huy"


class RoundStep(StrEnum):
    OPEN = "mo"
    START_SCORING = "bat-dau-cham"
    CLOSE = "khoa"
    PUBLISH = "cong-bo"
    CANCEL = "huy"


class EntryState(StrEnum):
    DRAFT = "nhap"
    SUBMITTED = "da-nop"
    FORWARDED = "de-xuat"
    RETURNED = "tra-lai"
    ACCEPTED = "hop-le"
    REJECTED = "khong-hop-le"


class EntryStep(StrEnum):
    SUBMIT = "nop"
    FORWARD = "de-xuat"
    ACCEPT = "chap-nhan"
    RETURN = "tra-lai"
    REJECT = "tu-choi"


ROUND_STATE_LABELS: dict[str, Promise] = {
    RoundState.DRAFT: _("Dự thảo"),
    RoundState.OPEN: _("Đang nhận hồ sơ"),
    RoundState.SCORING: _("Đang chấm điểm"),
    RoundState.CLOSED: _("Đã khóa chấm, có kết quả"),
    RoundState.PUBLISHED: _("Đã công bố kết quả"),
    RoundState.CANCELLED: _("Đã hủy"),
}
ROUND_STEP_LABELS: dict[str, Promise] = {
    "tao": _("Lập kỳ bình chọn"),
    RoundStep.OPEN: _("Mở nhận hồ sơ"),
    RoundStep.START_SCORING: _("Bắt đầu chấm điểm"),
    RoundStep.CLOSE: _("Khóa chấm, tính kết quả"),
    RoundStep.PUBLISH: _("Công bố kết quả, cấp giấy chứng nhận"),
    RoundStep.CANCEL: _("Hủy kỳ bình chọn"),
}
ENTRY_STATE_LABELS: dict[str, Promise] = {
    EntryState.DRAFT: _("Đang soạn"),
    EntryState.SUBMITTED: _("Đã nộp"),
    EntryState.FORWARDED: _("Đã được cấp dưới đề xuất"),
    EntryState.RETURNED: _("Trả lại để bổ sung"),
    EntryState.ACCEPTED: _("Hợp lệ, vào chấm điểm"),
    EntryState.REJECTED: _("Không hợp lệ"),
}
ENTRY_STEP_LABELS: dict[str, Promise] = {
    "tao": _("Lập hồ sơ"),
    EntryStep.SUBMIT: _("Nộp hồ sơ"),
    EntryStep.FORWARD: _("Đề xuất lên cấp trên (danh sách PL5)"),
    EntryStep.ACCEPT: _("Xác nhận hồ sơ hợp lệ"),
    EntryStep.RETURN: _("Trả lại để bổ sung"),
    EntryStep.REJECT: _("Không chấp nhận hồ sơ"),
}


class WorkflowError(Exception):
    """The step is not possible in the object's state."""


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    permission: str
    reason_required: bool = False


ROUND_TRANSITIONS: tuple[Transition, ...] = (
    Transition(RoundState.DRAFT, RoundStep.OPEN, RoundState.OPEN, RUN_SELECTION),
    Transition(RoundState.OPEN, RoundStep.START_SCORING, RoundState.SCORING, RUN_SELECTION),
    Transition(RoundState.SCORING, RoundStep.CLOSE, RoundState.CLOSED, CHAIR_JURY),
    Transition(RoundState.CLOSED, RoundStep.PUBLISH, RoundState.PUBLISHED, RUN_SELECTION),
    Transition(RoundState.DRAFT, RoundStep.CANCEL, RoundState.CANCELLED, RUN_SELECTION, True),
    Transition(RoundState.OPEN, RoundStep.CANCEL, RoundState.CANCELLED, RUN_SELECTION, True),
)

ENTRY_TRANSITIONS: tuple[Transition, ...] = (
    Transition(EntryState.DRAFT, EntryStep.SUBMIT, EntryState.SUBMITTED, FILE_ENTRY),
    Transition(EntryState.RETURNED, EntryStep.SUBMIT, EntryState.SUBMITTED, FILE_ENTRY),
    Transition(EntryState.SUBMITTED, EntryStep.FORWARD, EntryState.FORWARDED, FORWARD_ENTRIES),
    # The lower authority may send an entry back before forwarding it.
    Transition(EntryState.SUBMITTED, EntryStep.RETURN, EntryState.RETURNED, FORWARD_ENTRIES, True),
    # The organiser checks completeness: a commune round takes submitted entries directly,
    # a higher round the forwarded ones (``accepting_state``).
    Transition(EntryState.SUBMITTED, EntryStep.ACCEPT, EntryState.ACCEPTED, RUN_SELECTION),
    Transition(EntryState.FORWARDED, EntryStep.ACCEPT, EntryState.ACCEPTED, RUN_SELECTION),
    Transition(EntryState.FORWARDED, EntryStep.RETURN, EntryState.RETURNED, RUN_SELECTION, True),
    Transition(EntryState.SUBMITTED, EntryStep.REJECT, EntryState.REJECTED, RUN_SELECTION, True),
    Transition(EntryState.FORWARDED, EntryStep.REJECT, EntryState.REJECTED, RUN_SELECTION, True),
)

#: Entries the filer may still edit.
ENTRY_EDITABLE = frozenset({EntryState.DRAFT, EntryState.RETURNED})
#: Entries waiting for the organiser's completeness check (per round kind).
PENDING_CHECK = frozenset({EntryState.SUBMITTED, EntryState.FORWARDED})
#: Rounds whose settings may still be edited (until registration opens).
ROUND_EDITABLE = frozenset({RoundState.DRAFT})
#: Rounds whose results exist.
HAS_RESULTS = frozenset({RoundState.CLOSED, RoundState.PUBLISHED})


def find(
    table: tuple[Transition, ...], state: str, action: str, labels: dict[str, Promise]
) -> Transition:
    for t in table:
        if t.source == state and t.action == action:
            return t
    raise WorkflowError(
        _("Không thể “%(step)s” khi đang ở trạng thái “%(state)s”.")
        % {"step": labels.get(action, action), "state": _state_label(state)}
    )


def _state_label(state: str) -> Promise | str:
    return ROUND_STATE_LABELS.get(state) or ENTRY_STATE_LABELS.get(state) or state


def find_round(state: str, action: str) -> Transition:
    return find(ROUND_TRANSITIONS, state, action, ROUND_STEP_LABELS)


def find_entry(state: str, action: str, *, needs_forwarding: bool) -> Transition:
    """An entry's step; above the commune the organiser accepts only forwarded entries, and
    only the lower authority returns or forwards submitted ones."""
    t = find(ENTRY_TRANSITIONS, state, action, ENTRY_STEP_LABELS)
    if state == EntryState.SUBMITTED and needs_forwarding and t.permission == RUN_SELECTION:
        raise WorkflowError(
            _("Hồ sơ chưa được cấp dưới đề xuất (danh sách PL5): chưa thể “%(step)s”.")
            % {"step": ENTRY_STEP_LABELS[action]}
        )
    if action == EntryStep.FORWARD and not needs_forwarding:
        raise WorkflowError(_("Hồ sơ bình chọn cấp xã không cần cấp dưới đề xuất."))
    if state == EntryState.SUBMITTED and action == EntryStep.RETURN and not needs_forwarding:
        t = Transition(
            EntryState.SUBMITTED, EntryStep.RETURN, EntryState.RETURNED, RUN_SELECTION, True
        )
    return t


def entry_steps(state: str, *, needs_forwarding: bool) -> list[Transition]:
    out = []
    for t in ENTRY_TRANSITIONS:
        if t.source != state:
            continue
        try:
            out.append(find_entry(state, t.action, needs_forwarding=needs_forwarding))
        except WorkflowError:
            continue
    unique: dict[tuple[str, str], Transition] = {}
    for t in out:
        unique.setdefault((t.action, t.permission), t)
    return list(unique.values())
