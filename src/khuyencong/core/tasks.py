"""Background work shared by the apps (Django tasks API; the ``db_worker`` command runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def export_list_job(job_id: int) -> dict[str, int]:
    """Xuất một danh sách lớn (an ``ExportJob``); returns the rows written."""
    from .exports import run_export_job

    job = run_export_job(job_id)
    return {"rows": job.written_rows}
