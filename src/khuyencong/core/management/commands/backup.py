"""``python manage.py backup [--output DIR]``: the database and the media files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu CSDL và các tệp đính kèm vào một tệp .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.VAR_DIR) / "backups",
            help="Thư mục ghi tệp sao lưu (mặc định var/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã sao lưu vào {archive}")
