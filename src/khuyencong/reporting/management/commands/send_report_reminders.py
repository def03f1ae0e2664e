"""``manage.py send_report_reminders [--today YYYY-MM-DD]`` — nhắc hạn báo cáo (daily)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.reporting.reminders import send_report_reminders


class Command(BaseCommand):
    help = "Gửi thông báo nhắc hạn nộp báo cáo định kỳ (trước hạn và đúng ngày hạn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Ngày tính nhắc hạn, dạng YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("today")
        try:
            today = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD, ví dụ 2026-06-10.") from None
        self.stdout.write(f"Đã gửi {send_report_reminders(today)} thông báo nhắc hạn báo cáo.")
