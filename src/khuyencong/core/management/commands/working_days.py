"""``manage.py working_days --from 2026-02-13 --add 15`` prints the date 15 Vietnamese working
days later (ISO, one line): weekends, public holidays (Tết included) and the stored swaps
skipped."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.core import workdays

#: Beyond this many working days the answer is decades away: surely a typing error.
MAX_DAYS = 2_500


class Command(BaseCommand):
    help = "Ngày sau N ngày làm việc (bỏ qua thứ Bảy, Chủ nhật, ngày lễ, Tết và ngày nghỉ bù)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="Ngày bắt đầu YYYY-MM-DD")
        parser.add_argument("--add", dest="days", required=True, help="Số ngày làm việc N ≥ 0")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = datetime.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError(
                f"--from “{options['start']}” không phải ngày hợp lệ: ghi theo dạng YYYY-MM-DD, "
                "ví dụ 2026-02-13."
            ) from None
        text = str(options["days"]).strip()
        if not text.isdigit() or int(text) > MAX_DAYS:
            raise CommandError(
                f"--add “{options['days']}” không hợp lệ: ghi số ngày làm việc là số nguyên từ 0 "
                f"đến {MAX_DAYS}, ví dụ 15."
            )
        self.stdout.write(workdays.add_working_days(start, int(text)).isoformat())
