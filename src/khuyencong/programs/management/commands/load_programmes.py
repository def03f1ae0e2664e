from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from khuyencong.programs.services import load_seed_programmes


class Command(BaseCommand):
    help = (
        "Nạp bốn chương trình khuyến công từ văn bản gốc (quốc gia, Sơn La, Đắk Lắk, Khánh Hòa). "
        "Chương trình đã có được giữ nguyên, trừ khi dùng --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace", action="store_true", help="Nạp lại, thay thế dữ liệu đã có."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for result in load_seed_programmes(replace=options["replace"]):
            state = "đã nạp" if result.created else "đã có, giữ nguyên"
            if options["verbosity"]:
                self.stdout.write(f"Chương trình {result.code}: {state}.")
