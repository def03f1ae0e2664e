"""``manage.py send_holder_report_reminders [--today YYYY-MM-DD]`` — the selection's daily
reminders: opens last year's yearly reports of certified products and reminds their holders,
and reminds the organising units of complaints not decided by their due date (running twice
sends nothing twice)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.awards.services.complaints import send_complaint_reminders
from khuyencong.awards.services.holder_reports import send_holder_report_reminders


class Command(BaseCommand):
    help = (
        "Nhắc cơ sở có sản phẩm được chứng nhận nộp báo cáo hằng năm (trước hạn và quá hạn) và "
        "nhắc đơn vị tổ chức giải quyết khiếu nại đến hạn, quá hạn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Ngày tính nhắc hạn, dạng YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("today")
        try:
            today = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            raise CommandError("--today phải có dạng YYYY-MM-DD, ví dụ 2027-01-20.") from None
        sent = send_holder_report_reminders(today)
        self.stdout.write(f"Đã gửi {sent} thông báo nhắc báo cáo hằng năm.")
        sent = send_complaint_reminders(today)
        self.stdout.write(f"Đã gửi {sent} thông báo nhắc giải quyết khiếu nại.")
