"""Background work of the registry (Django tasks API; the ``db_worker`` command runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_establishments_job(job_id: int) -> dict[str, int]:
    """Nhập một tệp lớn danh sách cơ sở (an ``ImportJob``); returns the counts."""
    from .services import run_import_job

    job = run_import_job(job_id)
    return {"imported": job.imported_rows, "errors": job.error_count}
