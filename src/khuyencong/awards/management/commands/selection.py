"""``manage.py selection rounds [--json]`` and ``manage.py selection result ROUND_CODE [--json]``:
the rounds and a round's results for IT staff (stable output, documented in README).

- ``rounds --json``: one object per round: ``code``, ``level``, ``year``, ``state``;
- ``result CODE --json``: one object per entry, in rank order: ``product``, ``establishment``,
  ``judge_totals`` (numbers), ``mean`` (text, two decimals), ``passed``, ``rank``,
  ``certificate`` (its number or null).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.awards.models import SelectionRound
from khuyencong.awards.selectors.results import round_result_table


def number(value: Decimal) -> int | float:
    """A score as a JSON number: 80, 83.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def mean_text(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


class Command(BaseCommand):
    help = "Kỳ bình chọn sản phẩm CNNT tiêu biểu và kết quả của một kỳ."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True, metavar="rounds|result")
        rounds = commands.add_parser("rounds", help="Danh sách kỳ bình chọn.")
        rounds.add_argument("--json", action="store_true", help="In JSON.")
        result = commands.add_parser("result", help="Kết quả của một kỳ bình chọn.")
        result.add_argument("code", metavar="ROUND_CODE", help="Mã kỳ bình chọn.")
        result.add_argument("--json", action="store_true", help="In JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "rounds":
            self.rounds(as_json=options["json"])
        else:
            self.result(options["code"], as_json=options["json"])

    def rounds(self, *, as_json: bool) -> None:
        rows = [
            {"code": r.code, "level": r.level, "year": r.year, "state": r.status}
            for r in SelectionRound.objects.order_by("-year", "level", "code")
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['code']}\t{row['level']}\t{row['year']}\t{row['state']}")

    def result(self, code: str, *, as_json: bool) -> None:
        round_ = SelectionRound.objects.filter(code=code).first()
        if round_ is None:
            raise CommandError(
                f"Không có kỳ bình chọn mã “{code}”: xem các mã bằng 'manage.py selection rounds'."
            )
        if not round_.has_results:
            raise CommandError(
                f"Kỳ “{code}” chưa có kết quả (trạng thái “{round_.get_status_display()}”): "
                "kết quả có sau khi Chủ tịch hội đồng khóa chấm."
            )
        rows = [
            {
                "product": row.entry.product.name,
                "establishment": row.entry.establishment.name,
                "judge_totals": [number(t) for t in row.totals],
                "mean": mean_text(row.entry.mean),
                "passed": bool(row.entry.passed),
                "rank": row.entry.rank,
                "certificate": row.certificate.number if row.certificate else None,
            }
            for row in round_result_table(round_).rows
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            verdict = "đạt" if row["passed"] else "không đạt"
            self.stdout.write(
                f"{row['rank']}\t{row['mean']}\t{verdict}\t{row['product']}\t"
                f"{row['establishment']}\t{row['certificate'] or ''}"
            )
