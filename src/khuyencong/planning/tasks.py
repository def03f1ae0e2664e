"""Background tasks (django-tasks): the daily deadline reminders."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .reminders import send_deadline_reminders


@task()
def send_deadline_reminders_task(today: str | None = None) -> int:
    """Nhắc hạn đăng ký; ``today`` as YYYY-MM-DD (default: today in Asia/Ho_Chi_Minh)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    with transaction.atomic():
        return send_deadline_reminders(today=day)
