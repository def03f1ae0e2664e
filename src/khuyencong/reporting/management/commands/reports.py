"""``manage.py reports status --period 2026-H1 [--json]``: every expected report of the
period — submitted / approved / accepted / returned / missing, on time or late."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.reporting import selectors
from khuyencong.reporting.periods import Period, PeriodError

STATES = {
    "nhap": "draft",
    "da-gui": "submitted",
    "da-duyet": "approved",
    "da-chap-nhan": "accepted",
    "tra-lai": "returned",
}


class Command(BaseCommand):
    help = "Tình hình nộp báo cáo định kỳ của các đơn vị."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        status = commands.add_parser("status", help="tình hình nộp báo cáo của một kỳ")
        status.add_argument("--period", required=True, help="2026-H1, 2026-Q3 hoặc 2026")
        status.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        rows = []
        for row in selectors.status_table(None, period):
            report = row.due.report
            submitted = report is not None and report.submitted_at is not None
            rows.append(
                {
                    "unit": row.due.reporter_label,
                    "code": row.due.unit.code,
                    "schedule": row.due.schedule.code,
                    "status": STATES[report.status] if report else "missing",
                    "timeliness": ("late" if row.late else "on time")
                    if submitted
                    else "not submitted",
                    "due": report.due_on.isoformat() if report else None,
                    "locked_after": report.lock_on.isoformat() if report else None,
                }
            )
        if options["json"]:
            self.stdout.write(
                json.dumps({"period": period.code, "units": rows}, ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write(f"Tình hình nộp báo cáo {period.label}: {len(rows)} báo cáo phải nộp")
        for r in rows:
            self.stdout.write(
                f"{r['unit']:<45} {r['schedule']:<20} {r['status']:<10} {r['timeliness']}"
            )
