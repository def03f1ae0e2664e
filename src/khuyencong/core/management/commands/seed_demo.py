from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.core.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu trình diễn (người dùng mẫu cho mỗi vai trò). Chạy lại nhiều lần vẫn an toàn."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy chủ thật) — chỉ dùng khi chắc chắn.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Từ chối nạp dữ liệu mẫu vì DEBUG đang tắt (có thể là máy chủ thật). "
                "Dùng --force nếu bạn chắc chắn."
            )
        logins = seed_demo()
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.email:<38} {login.role} — {login.unit}")
