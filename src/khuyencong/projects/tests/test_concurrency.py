"""Two officers approving the same project at the same moment leave one consistent result; the
one who acted on the older version is told someone changed it, whatever the new state is."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from khuyencong.accounts.models import Role
from khuyencong.core.concurrency import StaleEditError
from khuyencong.projects import services
from khuyencong.projects.models import Project, ProjectSignOff, ProjectTransition
from khuyencong.projects.workflow import KCQG, State, Step

from .conftest import D, build_project

APPROVAL = {
    "decision_date": D(2026, 3, 2),
    "approved_kcqg": 300_000_000,
    "approved_kcdp": 0,
}


@pytest.mark.django_db
def test_a_step_on_a_stale_version_is_refused_as_stale_even_when_read_after_the_change(
    make_user: Any, unit: Any
):
    """The race the threaded test below can lose: the second officer's request carries the
    version of the page they saw, but the project is read after the first approval committed.
    The version decides (reload the page), not the step the new state happens to allow."""
    project = build_project(unit, fund=KCQG, state=State.APPRAISED_NATIONAL)
    first, second = (make_user(Role.NATIONAL_OFFICER, "VN") for _ in range(2))
    seen = project.version
    services.transition(
        actor=first,
        project=Project.objects.get(pk=project.pk),
        action=Step.APPROVE,
        expected_version=seen,
        decision_number="100/QĐ-BCT",
        **APPROVAL,
    )
    with pytest.raises(StaleEditError, match="tải lại trang"):
        services.transition(
            actor=second,
            project=Project.objects.get(pk=project.pk),
            action=Step.APPROVE,
            expected_version=seen,
            decision_number="101/QĐ-BCT",
            **APPROVAL,
        )
    project.refresh_from_db()
    assert (project.status, project.decision_number) == (State.APPROVED, "100/QĐ-BCT")


@pytest.mark.django_db
def test_a_stale_step_over_http_says_reload(client: Any, make_user: Any, unit: Any):
    """The step form posted from a page opened before another officer's approval."""
    from django.urls import reverse

    project = build_project(unit, fund=KCQG, state=State.APPRAISED_NATIONAL)
    first, second = (make_user(Role.NATIONAL_OFFICER, "VN") for _ in range(2))
    seen = project.version
    services.transition(
        actor=first,
        project=project,
        action=Step.APPROVE,
        expected_version=seen,
        decision_number="100/QĐ-BCT",
        **APPROVAL,
    )
    client.force_login(second)
    page = client.post(
        reverse("projects:project_transition", args=[project.pk]),
        {
            "action": Step.APPROVE,
            "version": seen,
            "phe-duyet-decision_number": "101/QĐ-BCT",
            "phe-duyet-decision_date": "2/3/2026",
            "phe-duyet-approved_kcqg": "300.000.000",
        },
        follow=True,
    ).content.decode()
    assert "vừa được người khác sửa" in page
    assert "tải lại trang" in page
    assert "chỉ có thể" not in page


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_leave_one_approval(units_loaded: Any, make_user: Any, unit):
    project = build_project(unit, fund=KCQG, state=State.APPRAISED_NATIONAL)
    officers = [make_user(Role.NATIONAL_OFFICER, "VN") for _ in range(2)]
    version = project.version
    barrier = threading.Barrier(2, timeout=30)
    results: dict[int, Any] = {}

    def approve(n: int) -> None:
        try:
            # Each officer's page was read before either approves. (Reading it after the
            # barrier could meet the other writer's lock on SQLite's shared in-memory test
            # database, outside the service's retries.)
            seen = Project.objects.get(pk=project.pk)
            barrier.wait()
            outcome = services.transition(
                actor=officers[n],
                project=seen,
                action=Step.APPROVE,
                expected_version=version,
                decision_number=f"{100 + n}/QĐ-BCT",
                decision_date=D(2026, 3, 2),
                approved_kcqg=project.support_kcqg,
                approved_kcdp=0,
            )
            results[n] = outcome
        except Exception as exc:  # the loser's error is what the test looks at
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2
    won = [n for n, r in results.items() if isinstance(r, services.Outcome)]
    lost = [r for r in results.values() if not isinstance(r, services.Outcome)]
    assert len(won) == 1, results
    assert len(lost) == 1
    assert isinstance(lost[0], StaleEditError), repr(lost[0])
    assert "tải lại trang" in str(lost[0])
    project.refresh_from_db()
    assert project.status == State.APPROVED
    assert project.version == version + 1
    assert project.decision_number == f"{100 + won[0]}/QĐ-BCT"
    approvals = ProjectTransition.objects.filter(project=project, action=Step.APPROVE)
    assert approvals.count() == 1
    assert approvals.get().actor == officers[won[0]]
    assert ProjectSignOff.objects.filter(project=project, action=Step.APPROVE).count() == 1
