"""Background work of the reporting app (Django tasks API; ``db_worker`` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_summary_task(period: str) -> int:
    """Làm mới bảng tổng hợp of one period (every unit); returns the rows written."""
    from .periods import Period
    from .summary import refresh_period

    return refresh_period(Period.parse(period))


@task()
def report_reminders_task() -> int:
    """Nhắc hạn báo cáo (daily); returns the notices sent."""
    from .reminders import send_report_reminders

    return send_report_reminders()


@task()
def refresh_summary_job(job_id: int) -> int:
    """Làm mới bảng tổng hợp asked on the dashboard (a ``SummaryRefresh``, with progress);
    returns the rows written."""
    from .refreshing import run_refresh

    return run_refresh(job_id).rows_written
