"""The background refresh of the summary shows its progress: a job per request, step by step,
polled by the dashboard (htmx) while it runs; only the nation asks for it and sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from khuyencong.reporting import refreshing, summary
from khuyencong.reporting.models import RefreshState, SummaryFigure, SummaryRefresh

from .conftest import H1

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_june")]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATUS = reverse("reporting:refresh_status") + "?ky=2026-H1"


@override_settings(TASKS=IMMEDIATE)
def test_the_nation_asks_and_the_job_runs_through_the_tasks_backend(
    client, officers, make_project, django_capture_on_commit_callbacks
):
    make_project()
    client.force_login(officers["national"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:refresh"), {"ky": "2026-H1"})
    assert response.status_code == 302
    job = SummaryRefresh.objects.get()
    assert job.state == RefreshState.DONE
    assert job.task_id
    assert job.created_by == officers["national"]
    assert job.done_steps == job.total_steps > 2
    assert job.rows_written == SummaryFigure.objects.filter(period="2026-H1").count() > 0
    assert job.percent == 100
    page = client.get(STATUS).content.decode()
    assert "hx-get" not in page  # finished: no more polling
    assert f"Đã ghi {job.rows_written} dòng tổng hợp" in page


def test_each_step_is_told_in_order(make_project):
    make_project()
    told: list[tuple[str, int, int]] = []
    rows = summary.refresh_period(H1, lambda stage, done, total: told.append((stage, done, total)))
    total = told[0][2]
    assert [done for _stage, done, _total in told] == list(range(1, total + 1))
    assert {t for _s, _d, t in told} == {total}
    assert told[0][0].startswith("Cấp tỉnh: ")
    assert told[-1][0] == f"Đã ghi {rows} dòng tổng hợp"


def test_a_waiting_job_is_polled_and_not_asked_twice(client, officers):
    job = refreshing.start_refresh(actor=officers["national"], period=H1)
    assert refreshing.start_refresh(actor=officers["national"], period=H1).pk == job.pk
    client.force_login(officers["national"])
    board = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert 'id="lam-moi-tien-do"' in board
    assert f'hx-get="{STATUS}"' in board.replace("&amp;", "&")
    SummaryRefresh.objects.filter(pk=job.pk).update(
        state=RefreshState.RUNNING,
        stage="Cấp xã: Cơ sở CNNT được hỗ trợ",
        done_steps=3,
        total_steps=12,
    )
    part = client.get(STATUS).content.decode()
    assert 'hx-trigger="every 2s"' in part
    assert "pct-25" in part
    assert "Bước 3/12" in part
    assert "Cấp xã: Cơ sở CNNT được hỗ trợ" in part


def test_a_failed_refresh_says_so_and_keeps_the_old_summary(officers, monkeypatch, make_project):
    make_project()
    summary.refresh_period(H1)
    before = SummaryFigure.objects.filter(period="2026-H1").count()
    job = refreshing.start_refresh(actor=officers["national"], period=H1)

    def broken(period: Any, progress: Any = None) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(summary, "refresh_period", broken)
    job = refreshing.run_refresh(job.pk)
    assert job.state == RefreshState.FAILED
    assert f"mã lần làm mới {job.pk}" in job.stage
    assert SummaryFigure.objects.filter(period="2026-H1").count() == before
    assert refreshing.run_refresh(job.pk).state == RefreshState.FAILED  # never run twice


@pytest.mark.parametrize("who", ["sct", "commune", "centre"])
def test_only_the_nation_sees_the_refresh(client, officers, who):
    refreshing.start_refresh(actor=officers["national"], period=H1)
    client.force_login(officers[who])
    assert client.get(STATUS).status_code == 403
    board = client.get(reverse("reporting:dashboard") + "?ky=2026-H1").content.decode()
    assert "lam-moi-tien-do" not in board
