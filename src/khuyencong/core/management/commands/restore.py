"""``python manage.py restore FILE --yes``: replace the database and the media files by a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục CSDL và các tệp đính kèm từ một tệp sao lưu (xóa dữ liệu hiện có)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp .tar.gz do lệnh backup tạo")
        parser.add_argument(
            "--yes", action="store_true", help="Xác nhận thay toàn bộ dữ liệu hiện có."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Khôi phục sẽ thay toàn bộ dữ liệu hiện có bằng dữ liệu trong tệp sao lưu: "
                "dừng ứng dụng rồi chạy lại với --yes."
            )
        try:
            manifest = restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Đã khôi phục bản sao lưu lúc {manifest['created']} ({manifest['engine']})."
        )
