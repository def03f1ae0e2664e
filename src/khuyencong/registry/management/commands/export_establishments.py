"""``python manage.py export_establishments --csv FILE``: the whole registry in the template's
columns (UTF-8 with BOM, so Excel shows Vietnamese correctly), or ``--xlsx FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.registry import exporting, selectors


class Command(BaseCommand):
    help = "Xuất toàn bộ danh sách cơ sở CNNT theo các cột của tệp mẫu nhập."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--csv", type=Path, help="Ghi ra tệp .csv (UTF-8 có BOM)")
        target.add_argument("--xlsx", type=Path, help="Ghi ra tệp .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        establishments = list(selectors.all_establishments())
        if options["csv"] is not None:
            path: Path = options["csv"]
            content = exporting.establishments_csv(establishments)
        else:
            path = options["xlsx"]
            content = exporting.establishments_xlsx(establishments)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc}") from exc
        self.stdout.write(f"exported: {len(establishments)} -> {path}")
