"""``python manage.py check_counts [--fix]`` — kiểm tra số phiếu đã gửi lưu trên mỗi đợt.

Recounts every round's sent registrations and lists the rounds whose kept count
(``RegistrationRound.sent_count``, ``planning.kept_counts``) differs; exits with status 1 when
one does, so a scheduled run alerts. ``--fix`` sets those rounds' counts from their rows.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from khuyencong.planning import kept_counts
from khuyencong.planning.models import RegistrationRound


class Command(BaseCommand):
    help = "Kiểm tra (và với --fix: sửa) số phiếu đã gửi lưu trên mỗi đợt đăng ký."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix", action="store_true", help="Đếm lại và lưu số đúng cho các đợt bị lệch."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            wrong = list(kept_counts.drifted().order_by("pk"))
            for found in wrong:
                self.stdout.write(
                    f"Đợt số {found.pk} “{found.title}”: lưu {found.sent_count} phiếu đã gửi, "
                    f"đếm được {found.counted}."  # type: ignore[attr-defined]
                )
            if not wrong:
                self.stdout.write("Số phiếu đã gửi của mọi đợt đăng ký đều đúng.")
                return
            if not options["fix"]:
                raise CommandError(
                    f"{len(wrong)} đợt đăng ký lưu sai số phiếu đã gửi: "
                    "chạy lại với --fix để đếm lại."
                )
            kept_counts.recompute(RegistrationRound.objects.filter(pk__in=[r.pk for r in wrong]))
        self.stdout.write(f"Đã đếm lại và sửa {len(wrong)} đợt đăng ký.")
