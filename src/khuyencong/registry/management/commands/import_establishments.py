"""``python manage.py import_establishments FILE``: import a list of establishments (IT staff).

All or nothing, like the upload page, but without a user's scope: any current commune. Prints
``imported: N, errors: M`` and then one error per line; exits non-zero (nothing imported) when
there is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.registry import importing, services


class Command(BaseCommand):
    help = "Nhập danh sách cơ sở CNNT từ tệp .xlsx hoặc .csv (tất cả hoặc không)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .xlsx hoặc .csv theo mẫu")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        size = path.stat().st_size
        if size > importing.MAX_UPLOAD_BYTES:
            outcome = services.ImportOutcome(
                errors=[
                    importing.RowError(None, None, importing.too_large_message(size, path.name))
                ]
            )
        else:
            outcome = services.import_establishments(
                actor=None, content=path.read_bytes(), filename=path.name, enforce_scope=False
            )
        self.stdout.write(f"imported: {outcome.imported}, errors: {outcome.error_count}")
        for error in outcome.errors:
            self.stdout.write(error.message)
        if outcome.errors:
            raise CommandError(f"Tệp có {outcome.error_count} lỗi; không cơ sở nào được nhập.")
