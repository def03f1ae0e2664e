"""Xuất danh sách lớn chạy nền: a list export above a row threshold becomes an ``ExportJob``.

A list's export view describes itself as an :class:`ExportPlan` (what it reads, how it writes
the file). Up to ``settings.EXPORT_BACKGROUND_ROWS`` rows the view sends the file at once;
above, :func:`start_export_job` records the job and the task worker (``core.tasks``, as the
registry import runs) writes the file to disk with its progress, within
``settings.EXPORT_JOB_SECONDS``; the job page polls the progress (htmx) and offers the download.
The worker reads the list again from the saved query string with the scope of the role the
export was asked under, so the file holds what the list showed.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from khuyencong.accounts import policy

from .formatting import format_number
from .http import download_written
from .models import ExportJob, ExportJobState

logger = logging.getLogger(__name__)

#: The lists that export in the background: kind → the function that plans the export
#: (``plan(user, query: QueryDict, fmt) -> ExportPlan``), imported when used.
PLANNERS = {
    "co-so": "khuyencong.registry.selectors.export_plan",
    "de-an": "khuyencong.projects.listing.export_plan",
    "bao-cao": "khuyencong.reporting.export_plans.reports_plan",
    "bao-cao-ban-ghi": "khuyencong.reporting.export_plans.records_plan",
}
#: Rows between two progress updates (and time-budget checks) of a running job.
PROGRESS_EVERY = 1000


class ExportRefused(Exception):
    """An export that cannot be made, with the sentence that says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExportPlan:
    """One list export: ``found`` (the scoped, filtered rows, for the count), ``rows`` (reads
    them, lazily), ``write`` (writes the rows into a binary file), the file's name and type."""

    found: QuerySet[Any]
    rows: Callable[[], Iterable[Any]]
    write: Callable[[Iterable[Any], BinaryIO], None]
    filename: str
    content_type: str

    def write_into(
        self, out: BinaryIO, wrap: Callable[[Iterable[Any]], Iterable[Any]] = iter
    ) -> None:
        self.write(wrap(self.rows()), out)

    def exceeds(self, limit: int) -> bool:
        """More than ``limit`` rows? Counts at most ``limit + 1`` of them (never a whole
        national table)."""
        return self.found.order_by()[: limit + 1].count() > limit


def plan_for(kind: str, user: Any, query: QueryDict, fmt: str) -> ExportPlan:
    planner: Callable[[Any, QueryDict, str], ExportPlan] = import_string(PLANNERS[kind])
    return planner(user, query, fmt)


def is_large(plan: ExportPlan) -> bool:
    return plan.exceeds(settings.EXPORT_BACKGROUND_ROWS)


@transaction.atomic
def start_export_job(*, actor: Any, kind: str, query: QueryDict, fmt: str) -> ExportJob:
    """Record the export and hand it to the task worker after the commit."""
    assignment = policy.active_assignment(actor)
    if assignment is None:
        raise PermissionDenied(_("Bạn chưa có vai trò nào đang dùng."))
    plan = plan_for(kind, actor, query, fmt)
    job = ExportJob.objects.create(
        kind=kind,
        query=query.urlencode(),
        format=fmt,
        filename=plan.filename,
        created_by=actor,
        assignment=assignment,
        unit=assignment.unit,
    )
    transaction.on_commit(lambda: enqueue_export_job(job.pk))
    return job


def enqueue_export_job(job_id: int) -> None:
    from .tasks import export_list_job

    result = export_list_job.enqueue(job_id)
    ExportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def export_job_for_view(user: Any, pk: int) -> ExportJob:
    """An export the user may follow and download: one of their own, within their scope."""
    jobs = policy.scope_queryset(user, ExportJob.objects.select_related("unit"))
    job = jobs.filter(pk=pk, created_by=user).first()
    if job is None:
        raise Http404
    return job


def _finish(job: ExportJob, *, state: str, message: str = "") -> ExportJob:
    job.refresh_from_db(fields=["written_rows", "total_rows"])
    job.state = state
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "message", "finished_at"])
    return job


def _progress(
    job: ExportJob, rows: Iterable[Any], *, seconds: float, clock: Callable[[], float]
) -> Iterator[Any]:
    """The rows, counted: every :data:`PROGRESS_EVERY` rows the job's progress is saved and its
    time budget checked."""
    deadline = clock() + seconds
    count = 0
    for count, row in enumerate(rows, start=1):
        yield row
        if count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(written_rows=count)
            if clock() > deadline:
                raise ExportRefused(
                    _(
                        "Việc xuất cần quá %(minutes)s phút nên đã dừng sau %(n)s dòng: hãy lọc "
                        "bớt danh sách (theo năm, địa bàn, trạng thái) rồi xuất lại."
                    )
                    % {"minutes": format_number(int(seconds // 60)), "n": format_number(count)}
                )
    ExportJob.objects.filter(pk=job.pk).update(written_rows=count)


def run_export_job(
    job_id: int, *, seconds: float | None = None, clock: Callable[[], float] = time.monotonic
) -> ExportJob:
    """The task's work: write the job's file with the scope of the role it was asked under."""
    job = ExportJob.objects.select_related("created_by", "assignment").get(pk=job_id)
    if job.state != ExportJobState.QUEUED:
        return job  # already run (a retried task must not write twice)
    job.state = ExportJobState.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["state", "started_at"])
    if not policy.act_through(job.created_by, job.assignment):
        return _finish(
            job,
            state=ExportJobState.FAILED,
            message=_(
                "Vai trò dùng khi yêu cầu xuất không còn hiệu lực nên không xuất được: hãy đăng "
                "nhập với vai trò phù hợp và xuất lại."
            ),
        )
    budget = settings.EXPORT_JOB_SECONDS if seconds is None else seconds
    try:
        plan = plan_for(job.kind, job.created_by, QueryDict(job.query), job.format)
        ExportJob.objects.filter(pk=job.pk).update(total_rows=plan.found.count())
        with tempfile.TemporaryFile() as out:
            plan.write_into(
                out,
                lambda rows: _progress(job, rows, seconds=budget, clock=clock),
            )
            out.seek(0)
            job.file.save(f"{uuid.uuid4().hex}.{job.format}", File(out), save=False)
    except ExportRefused as exc:
        return _finish(job, state=ExportJobState.FAILED, message=exc.message)
    except Exception:
        logger.exception("Export job %s crashed", job.pk)
        _finish(
            job,
            state=ExportJobState.FAILED,
            message=_(
                "Lỗi hệ thống khi xuất danh sách. Hãy thử lại sau; nếu vẫn lỗi, báo quản trị "
                "hệ thống (mã lần xuất %(id)s)."
            )
            % {"id": job.pk},
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(file=job.file.name)
    return _finish(job, state=ExportJobState.DONE)


def list_export(request: HttpRequest, kind: str, fmt: str = "xlsx") -> HttpResponseBase:
    """What a list's export URL answers: the file at once, or, above the row threshold, the
    page of a background job that writes it."""
    plan = plan_for(kind, request.user, request.GET, fmt)
    if is_large(plan):
        job = start_export_job(actor=request.user, kind=kind, query=request.GET, fmt=fmt)
        return redirect("export_job", pk=job.pk)
    return download_written(plan.write_into, plan.filename, plan.content_type)
