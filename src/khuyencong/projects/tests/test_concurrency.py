"""Two officers approving the same project at the same moment leave one consistent result."""

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


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_leave_one_approval(units_loaded: Any, make_user: Any, unit):
    project = build_project(unit, fund=KCQG, state=State.APPRAISED_NATIONAL)
    officers = [make_user(Role.NATIONAL_OFFICER, "VN") for _ in range(2)]
    version = project.version
    barrier = threading.Barrier(2, timeout=30)
    results: dict[int, Any] = {}

    def approve(n: int) -> None:
        try:
            barrier.wait()
            outcome = services.transition(
                actor=officers[n],
                project=Project.objects.get(pk=project.pk),
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
    assert isinstance(lost[0], StaleEditError | services.ProjectError), repr(lost[0])
    assert "tải lại trang" in str(lost[0])
    project.refresh_from_db()
    assert project.status == State.APPROVED
    assert project.version == version + 1
    assert project.decision_number == f"{100 + won[0]}/QĐ-BCT"
    approvals = ProjectTransition.objects.filter(project=project, action=Step.APPROVE)
    assert approvals.count() == 1
    assert approvals.get().actor == officers[won[0]]
    assert ProjectSignOff.objects.filter(project=project, action=Step.APPROVE).count() == 1
