"""Làm mới bảng tổng hợp chạy nền: a national officer asks, the task worker recomputes the
period's summary (``summary.refresh_period``) and records its progress on a ``SummaryRefresh``
that the dashboard polls (htmx), as the registry's background import does."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import policy

from . import summary
from .models import RefreshState, SummaryRefresh
from .periods import Period

logger = logging.getLogger(__name__)


@transaction.atomic
def start_refresh(*, actor: Any, period: Period) -> SummaryRefresh:
    """Record the job and hand it to the task worker after the commit; a job of the same
    period still waiting or running is returned instead of a second one."""
    decision = policy.can(actor, policy.Action.REFRESH_SUMMARY)
    if not decision:
        raise PermissionDenied(decision.reason)
    pending = SummaryRefresh.objects.filter(
        period=period.code, state__in=[RefreshState.QUEUED, RefreshState.RUNNING]
    ).first()
    if pending is not None:
        return pending
    job = SummaryRefresh.objects.create(
        period=period.code, created_by=actor, stage=_("Đang chờ đến lượt xử lý")
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    from .tasks import refresh_summary_job

    result = refresh_summary_job.enqueue(job_id)
    SummaryRefresh.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def run_refresh(job_id: int) -> SummaryRefresh:
    """The task's work: refresh the period, telling the job each step done."""
    job = SummaryRefresh.objects.get(pk=job_id)
    if job.state != RefreshState.QUEUED:
        return job  # already run (a retried task must not run twice)
    job.state = RefreshState.RUNNING
    job.started_at = timezone.now()
    job.stage = _("Đang tính số liệu")
    job.save(update_fields=["state", "started_at", "stage"])

    def progress(stage: str, done: int, total: int) -> None:
        SummaryRefresh.objects.filter(pk=job.pk).update(
            stage=stage[:200], done_steps=done, total_steps=total
        )

    try:
        rows = summary.refresh_period(Period.parse(job.period), progress)
    except Exception:
        logger.exception("Summary refresh %s crashed", job.pk)
        state, stage, rows = (
            RefreshState.FAILED,
            _(
                "Lỗi hệ thống khi làm mới, bảng tổng hợp giữ số liệu cũ. Hãy thử lại sau; nếu "
                "vẫn lỗi, báo quản trị hệ thống (mã lần làm mới %(id)s)."
            )
            % {"id": job.pk},
            0,
        )
    else:
        state, stage = RefreshState.DONE, _("Đã làm mới bảng tổng hợp")
    SummaryRefresh.objects.filter(pk=job.pk).update(
        state=state, stage=stage, rows_written=rows, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def latest(period: str) -> SummaryRefresh | None:
    return SummaryRefresh.objects.filter(period=period).order_by("-created_at", "-pk").first()
