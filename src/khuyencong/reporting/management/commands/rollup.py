"""``manage.py rollup --period 2026-H1 [--json]`` (also ``2026-Q3``, ``2026``): per indicator,
the national figure and each province's, from live data at the period's end."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.reporting.periods import Period, PeriodError
from khuyencong.reporting.rollup import national_rollup


class Command(BaseCommand):
    help = "Tổng hợp toàn quốc theo chỉ tiêu từ dữ liệu hệ thống tại cuối kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2026-H1, 2026-Q3 hoặc 2026")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        result = national_rollup(period)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Tổng hợp {period.label} (số liệu đến {period.end:%d/%m/%Y})")
        for row in result["indicators"]:
            total = row["nation"].get("tong")
            shown = total["value"] if isinstance(total, dict) else total
            self.stdout.write(
                f"{row['code']:<28} {shown if shown is not None else '—':>20} {row['unit']}"
                f"  ({len(row['provinces'])} tỉnh có số liệu)"
            )
