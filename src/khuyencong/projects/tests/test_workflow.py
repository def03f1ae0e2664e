"""The project state machine: every step by every role (allowed ones succeed, the others are
refused with the policy's reason), steps the state does not allow, and the table itself."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from khuyencong.accounts import policy
from khuyencong.accounts.models import Role
from khuyencong.projects import services, workflow
from khuyencong.projects.models import ProjectSignOff, ProjectStatus, ProjectTransition
from khuyencong.projects.workflow import FUNDS, KCDP, KCQG, State, Step

from .conftest import valid_payload

#: Every row of the table, once per fund it applies to.
ROWS = sorted({(t.source, t.action, fund) for t in workflow.TRANSITIONS for fund in t.funds})
#: Every (state, action, fund) the table does not have.
MISSING = sorted(
    (state, action, fund)
    for state, action, fund in itertools.product(State, Step, FUNDS)
    if (state.value, action.value, fund) not in ROWS
)


# ------------------------------------------------------------------------------ the table (pure)
def test_the_table_speaks_the_policys_language():
    assert {workflow.CENTRE, workflow.SCT, workflow.FINANCE, workflow.NATIONAL} <= set(Role.values)
    for t in workflow.TRANSITIONS:
        assert t.signoffs, t
        for s in t.signoffs:
            action = policy.Action(s.permission)  # a real policy action
            assert Role(s.role) in policy.ACTION_ROLES[action], (t.action, s.role, action)
    assert set(ProjectStatus.values) == set(State)
    assert set(workflow.STATE_LABELS) == set(State)


def test_national_funds_need_the_national_appraisal_local_ones_do_not():
    def path(fund: str) -> list[str]:
        state, seen = State.DRAFT.value, [State.DRAFT.value]
        while True:
            forward = [t for t in workflow.available(state, fund) if t.forward]
            if not forward:
                return seen
            state = forward[0].target
            seen.append(state)

    assert path(KCQG) == [
        "nhap", "da-trinh", "tham-dinh-tinh", "tham-dinh-tw", "phe-duyet", "hop-dong",
        "trien-khai", "nghiem-thu", "quyet-toan", "dong",
    ]  # fmt: skip
    assert State.APPRAISED_NATIONAL not in path(KCDP)
    approve_kcdp = workflow.find(State.APPRAISED_PROVINCE, Step.APPROVE, KCDP)
    assert approve_kcdp.all_required
    assert approve_kcdp.roles == {workflow.SCT, workflow.FINANCE}
    approve_kcqg = workflow.find(State.APPRAISED_NATIONAL, Step.APPROVE, KCQG)
    assert approve_kcqg.roles == {workflow.NATIONAL}
    appraise = workflow.find(State.SUBMITTED, Step.APPRAISE_PROVINCE, KCDP)
    assert appraise.all_required
    assert appraise.roles == {workflow.SCT, workflow.FINANCE}


def test_cancel_from_every_state_before_settlement_only():
    for state in State:
        for fund in FUNDS:
            allowed = (state.value, Step.CANCEL.value, fund) in ROWS
            assert allowed == (
                state not in (State.SETTLED, State.CLOSED, State.CANCELLED, State.REJECTED)
            ), state


@pytest.mark.parametrize(("state", "action", "fund"), MISSING)
def test_steps_the_table_lacks_are_refused_purely(state, action, fund):
    with pytest.raises(workflow.TransitionError) as info:
        workflow.find(state, action, fund)
    assert "Đề án đang ở trạng thái" in str(info.value)


# ------------------------------------------------------------------- every step × every role
def _expected_refusal(actor: Any, project: Any, t: workflow.Transition) -> str | None:
    """The policy's reason when the role holds none of the step's actions, else ``None``."""
    decisions = [policy.can(actor, policy.Action(s.permission), project) for s in t.signoffs]
    return None if any(decisions) else decisions[0].reason


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("state", "action", "fund"), ROWS)
def test_every_step_by_every_role(state, action, fund, role, user_for, make_project):
    project = make_project(fund=fund, state=state)
    t = workflow.find(state, action, fund)
    actor = user_for(role)
    logged = ProjectTransition.objects.filter(project=project).count()
    signoff = t.signoff_for(role)
    comment = "Lý do thử nghiệm" if t.reason_required else ""
    if signoff is not None:
        outcome = services.transition(
            actor=actor,
            project=project,
            action=action,
            expected_version=project.version,
            comment=comment,
            **valid_payload(signoff, project),
        )
        project.refresh_from_db()
        last = ProjectTransition.objects.filter(project=project).last()
        assert (last.actor, last.from_state, last.action, last.role) == (actor, state, action, role)
        assert project.version == 2
        if t.all_required:  # one department of several: recorded, the state waits
            assert not outcome.advanced
            assert project.status == state
            assert {s.role for s in outcome.pending} == t.roles - {role}
            assert ProjectSignOff.objects.filter(project=project, role=role).exists()
        else:
            assert outcome.advanced
            assert project.status == t.target
            assert last.to_state == t.target
    else:
        with pytest.raises(PermissionDenied) as info:
            services.transition(
                actor=actor,
                project=project,
                action=action,
                expected_version=project.version,
                comment=comment or "Thử",
            )
        reason = str(info.value)
        expected = _expected_refusal(actor, project, t)
        if expected is not None:
            assert reason == expected  # the policy's own sentence
            assert "không được phép" in reason
        else:  # the role holds the action, but this fund's step is another department's
            assert "thực hiện" in reason
            assert str(t.label) in reason
        project.refresh_from_db()
        assert project.status == state
        assert project.version == 1
        assert ProjectTransition.objects.filter(project=project).count() == logged


@pytest.mark.parametrize("fund", FUNDS)
@pytest.mark.parametrize("state", list(State))
def test_steps_the_state_does_not_allow_are_refused_for_every_role(
    state, fund, user_for, make_project
):
    """For each state: every action the table lacks, tried by every role, is refused."""
    project = make_project(fund=fund, state=state)
    actors = {role: user_for(role) for role in Role}
    missing = [a for s, a, f in MISSING if (s, f) == (state, fund)]
    assert missing
    for action, role in itertools.product(missing, Role):
        with pytest.raises(services.ProjectError) as info:
            services.transition(
                actor=actors[role],
                project=project,
                action=action,
                expected_version=project.version,
                comment="Thử",
            )
        assert "Đề án đang ở trạng thái" in str(info.value), (action, role)
    project.refresh_from_db()
    assert (project.status, project.version) == (state, 1)
    assert not ProjectTransition.objects.filter(project=project).exists()


def test_out_of_scope_officers_are_refused_with_the_scope_reason(user_for, make_project):
    project = make_project(fund=KCDP, state=State.SUBMITTED)
    kh_sct = user_for(Role.PROVINCE_SCT, "56")
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        services.transition(
            actor=kh_sct,
            project=project,
            action=Step.APPRAISE_PROVINCE,
            expected_version=project.version,
            **valid_payload(
                workflow.find(State.SUBMITTED, Step.APPRAISE_PROVINCE, KCDP).signoffs[0], project
            ),
        )
