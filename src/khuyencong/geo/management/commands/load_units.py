from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.geo.services import load_units


class Command(BaseCommand):
    help = "Tải cây đơn vị hành chính (34 tỉnh, 3.321 xã) — chạy lại nhiều lần vẫn an toàn."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_units()
        if options["verbosity"]:
            self.stdout.write(
                f"Đơn vị hành chính: thêm {result.created}, cập nhật {result.updated}, "
                f"giữ nguyên {result.unchanged}."
            )
