from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from khuyencong.core.demo import DEMO_PASSWORD, DemoLogin, seed_demo

#: Seeding files demo projects, which notifies demo users; their e-mails are not sent (with the
#: console backend of ``make run`` they buried the logins under ~20 raw messages). The notices
#: stay in the app.
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def login_table(logins: list[DemoLogin]) -> list[str]:
    """The demo logins as aligned columns: account, role, unit."""
    header = ("Tài khoản", "Vai trò", "Đơn vị")
    rows = [(login.email, login.role, login.unit) for login in logins]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(2)]

    def line(cells: tuple[str, str, str]) -> str:
        return f"{cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]}".rstrip()

    rule = ("-" * widths[0], "-" * widths[1], "-" * max(len(row[2]) for row in [header, *rows]))
    return [line(header), line(rule), *(line(row) for row in rows)]


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
        with override_settings(EMAIL_BACKEND=QUIET_MAIL):
            logins = seed_demo()
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD})")
        for row in login_table(logins):
            self.stdout.write(row)
