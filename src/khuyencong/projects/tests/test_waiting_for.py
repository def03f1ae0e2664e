"""The inbox query (``waiting_for``) against the state table read directly: for every role,
a project waits for it exactly when the table says its state and fund await a forward step of
that role — and, where several departments sign, the role has not signed in this round."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.accounts.models import Role
from khuyencong.projects import cosign, inbox, selectors, workflow
from khuyencong.projects.inbox import SHOWN, project_work
from khuyencong.projects.models import Payment, Project, ProjectSignOff
from khuyencong.projects.workflow import FINANCE, KCDP, KCQG, SCT, State, Step

pytestmark = pytest.mark.django_db
ROLES = [Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.PROVINCE_FINANCE, Role.NATIONAL_OFFICER]


def _expected(role: str, projects, signoffs) -> set[int]:
    waiting = set()
    for p in projects:
        for state, fund, t in workflow.forward_steps_for_role(role):
            if (p.status, p.fund) != (state, fund):
                continue
            signed = (p.pk, state, t.action, p.round, role) in signoffs
            if not (t.all_required and signed):
                waiting.add(p.pk)
    return waiting


def test_every_role_waits_for_exactly_what_the_table_says(make_project, user_for):
    projects = [
        make_project(state=state, fund=fund, title=f"Đề án {state} {fund}")
        for state in State
        for fund in (KCQG, KCDP)
    ]
    signed_by = {
        (State.SUBMITTED, KCQG): SCT,
        (State.SUBMITTED, KCDP): FINANCE,
        (State.APPRAISED_PROVINCE, KCDP): SCT,
    }
    for p in projects:
        role = signed_by.get((p.status, p.fund))
        if role is not None:
            action = Step.APPRAISE_PROVINCE if p.status == State.SUBMITTED else Step.APPROVE
            ProjectSignOff.objects.create(
                project=p, action=action, from_state=p.status, round=p.round, role=role
            )
    signoffs = set(
        ProjectSignOff.objects.values_list("project_id", "from_state", "action", "round", "role")
    )
    for role in ROLES:
        user = user_for(role, "VN" if role == Role.NATIONAL_OFFICER else None)
        found = set(selectors.waiting_for(user).values_list("pk", flat=True))
        assert found == _expected(role, projects, signoffs), role
        assert found  # every role has something waiting in this set
        # The home page's read (in parts, one per state and fund) finds the same projects,
        # in the same order, and counts them.
        first = selectors.first_waiting(user, len(found) + 5, limit=100)
        assert [p.pk for p in first.projects] == list(
            selectors.waiting_for(user).values_list("pk", flat=True)
        ), role
        assert (first.count, first.more) == (len(found), False), role


def test_the_home_page_shows_the_oldest_changes_first_and_caps_the_count(make_project, user_for):
    centre = user_for(Role.PROVINCE_CENTRE)
    # Both funds and two states the centre acts on: the parts are merged in one order.
    made = [
        make_project(state=state, fund=fund, title=f"Đề án {n}")
        for n, (state, fund) in enumerate(
            [(State.DRAFT, KCQG), (State.DRAFT, KCDP), (State.RETURNED, KCQG)] * 3
        )
    ]
    oldest_first = list(reversed(made))
    for n, project in enumerate(oldest_first):  # changed longest ago: the last one made
        Project.objects.filter(pk=project.pk).update(
            updated_at=project.updated_at.replace(year=2020, day=1 + n)
        )
    first = selectors.first_waiting(centre, 4, limit=9)
    assert [p.pk for p in first.projects] == [p.pk for p in oldest_first[:4]]
    assert (first.count, first.more) == (9, False)  # exactly the limit: still exact
    capped = selectors.first_waiting(centre, 4, limit=8)
    assert [p.pk for p in capped.projects] == [p.pk for p in oldest_first[:4]]
    assert (capped.count, capped.more) == (8, True)


def test_the_home_section_says_more_than_the_cap(make_project, user_for, monkeypatch):
    monkeypatch.setattr(inbox, "COUNTED", SHOWN + 1)
    centre = user_for(Role.PROVINCE_CENTRE)
    for n in range(SHOWN + 1):
        make_project(state=State.DRAFT, title=f"Đề án {n}")
    assert project_work(centre).items[-1].title.endswith(f"({SHOWN + 1} đề án chờ bạn)")
    make_project(state=State.DRAFT, title="Đề án thêm")
    assert project_work(centre).items[-1].title.endswith(f"(hơn {SHOWN + 1} đề án chờ bạn)")


def test_a_project_in_a_waiting_state_with_a_payment_to_co_sign_is_counted_once(
    make_project, user_for
):
    finance = user_for(Role.PROVINCE_FINANCE)
    pairs = {
        (state, fund) for state, fund, _t in workflow.forward_steps_for_role(Role.PROVINCE_FINANCE)
    }
    state, fund = sorted(pairs)[0]
    both = make_project(state=state, fund=fund)
    Payment.objects.create(
        project=both,
        fund=fund,
        amount=1_000_000,
        paid_on=both.created_at.date(),
        cosign_status=cosign.PENDING,
    )
    first = selectors.first_waiting(finance, SHOWN, limit=100)
    assert [p.pk for p in first.projects] == [both.pk]
    assert first.count == 1
    assert list(selectors.waiting_for(finance)) == [both]


def test_the_home_section_is_one_query_however_many_wait(make_project, user_for):
    """Regression (issue 11, scale 1.0): the section counted only when more projects waited
    than it shows, so the home page issued a query more at national size."""
    centre = user_for(Role.PROVINCE_CENTRE)
    make_project(state=State.DRAFT)
    project_work(centre)  # the user's assignment is read once per request
    with CaptureQueriesContext(connection) as one:
        section = project_work(centre)
    assert len(section.items) == 1
    for n in range(SHOWN + 2):
        make_project(state=State.DRAFT, title=f"Đề án {n}")
    with CaptureQueriesContext(connection) as many:
        section = project_work(centre)
    assert len(section.items) == SHOWN + 1  # the projects shown and the link to the rest
    assert str(SHOWN + 3) in section.items[-1].title
    assert len(many) == len(one)
