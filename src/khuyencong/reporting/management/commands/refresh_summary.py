"""``manage.py refresh_summary --period 2026-H1`` — làm mới bảng tổng hợp of a period (run
nightly by cron, or the task ``reporting.tasks.refresh_summary_task``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.reporting.periods import Period, PeriodError
from khuyencong.reporting.summary import refresh_period


class Command(BaseCommand):
    help = "Làm mới bảng tổng hợp (theo báo cáo và theo dữ liệu hệ thống) của một kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", action="append", required=True, help="2026-H1, 2026 …")

    def handle(self, *args: Any, **options: Any) -> None:
        for text in options["period"]:
            try:
                period = Period.parse(text)
            except PeriodError as exc:
                raise CommandError(str(exc)) from None
            rows = refresh_period(period)
            self.stdout.write(f"{period.code}: {rows} dòng tổng hợp")
