"""``python manage.py send_deadline_reminders [--today YYYY-MM-DD]`` — nhắc hạn đăng ký.

Run daily (cron, or the task ``planning.tasks.send_deadline_reminders_task``); running it
twice on a day sends nothing new.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from khuyencong.planning.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Gửi thông báo nhắc hạn đăng ký (trước 7 ngày và 1 ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="Ngày tính nhắc hạn, dạng YYYY-MM-DD (mặc định: hôm nay)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("today")
        try:
            today = datetime.date.fromisoformat(text) if text else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ngày «{text}» không đúng dạng YYYY-MM-DD.") from None
        with transaction.atomic():
            sent = send_deadline_reminders(today=today)
        self.stdout.write(f"Đã gửi {sent} thông báo nhắc hạn (ngày {today:%d/%m/%Y}).")
