"""Mức hỗ trợ tối đa from the command line: the number on the first line, then the sentence.

python manage.py support_limit --content may-moc-thiet-bi --fund KCQG --cost 700000000
300000000
Tối đa 300.000.000 đ: 50% chi phí hợp lý 700.000.000 đ là 350.000.000 đ, vượt mức trần …
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.norms import selectors
from khuyencong.programs import programme_data as pd
from khuyencong.programs.models import Fund

FUND_ALIASES = {"KCĐP": Fund.KCDP.value}


class Command(BaseCommand):
    help = (
        "Tính mức hỗ trợ tối đa theo định mức: in số tiền (đồng) ở dòng đầu, rồi câu giải thích "
        "có căn cứ pháp lý."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content", required=True, help="Mã nội dung, ví dụ may-moc-thiet-bi")
        parser.add_argument("--fund", required=True, help="Nguồn: KCQG hoặc KCDP")
        parser.add_argument("--cost", required=True, help="Chi phí hợp lý (đồng), ví dụ 700000000")
        parser.add_argument("--date", help="Ngày áp dụng YYYY-MM-DD (mặc định: hôm nay)")
        parser.add_argument("--province", help="Mã tỉnh, ví dụ 14 (Sơn La)")
        parser.add_argument(
            "--priority", action="store_true", help="Địa bàn, lĩnh vực ưu tiên (nhân mức trần)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        content = options["content"].strip()
        if not selectors.content_exists(content):
            known = ", ".join(selectors.contents().values_list("code", flat=True))
            raise CommandError(f"Không có nội dung hỗ trợ mã “{content}”. Các mã: {known}.")
        fund = FUND_ALIASES.get(options["fund"].strip().upper(), options["fund"].strip().upper())
        if fund not in Fund.values:
            raise CommandError(
                f"Nguồn kinh phí “{options['fund']}” không hợp lệ: dùng {', '.join(Fund.values)}."
            )
        try:
            cost = pd.parse_dong(options["cost"])
        except ValueError as exc:
            raise CommandError(f"Chi phí “{options['cost']}” không phải số đồng: {exc}") from exc
        if cost < 0:
            raise CommandError("Chi phí hợp lý không được âm.")
        on = self._date(options["date"])
        province = self._province(options["province"], on)
        limit = selectors.support_limit(
            content=content,
            fund=fund,
            eligible_cost=cost,
            on=on,
            province=province,
            priority=options["priority"],
        )
        if limit is None:
            where = f" cho {province.name}" if province is not None else ""
            raise CommandError(
                f"Chưa có định mức “{content}” nguồn {fund}{where} có hiệu lực ngày "
                f"{on.day}/{on.month}/{on.year}."
            )
        self.stdout.write(str(limit.maximum))
        self.stdout.write(limit.sentence)

    @staticmethod
    def _date(text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"Ngày “{text}” không hợp lệ: dùng dạng YYYY-MM-DD.") from exc

    @staticmethod
    def _province(code: str | None, on: datetime.date) -> AdministrativeUnit | None:
        if not code:
            return None
        units = AdministrativeUnit.objects.current(on).filter(code=code.strip())
        unit = units.filter(level=UnitLevel.PROVINCE).first() or units.first()
        if unit is None:
            unit = AdministrativeUnit.objects.current().filter(code=code.strip()).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị hành chính mã “{code}”.")
        return unit
