"""Issue, rotate or revoke an API client from the server's shell, as an administrator (the
policy decides as on the web: the administrator's scope, never their own role)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.accounts.models import User
from khuyencong.api import services
from khuyencong.api.models import SCOPES
from khuyencong.api.selectors import clients_for
from khuyencong.geo.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Cấp, đổi mã hoặc thu hồi máy khách API (thay mặt một quản trị hệ thống)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("step", choices=["issue", "rotate", "revoke"])
        parser.add_argument("--actor", required=True, help="Thư điện tử của quản trị hệ thống.")
        parser.add_argument("--name", default="")
        parser.add_argument("--unit", default="", help="Mã đơn vị (tỉnh 14, xã 03985, VN).")
        parser.add_argument("--role", default="trung-tam-khuyen-cong")
        parser.add_argument("--scopes", default="", help=f"Cách nhau bởi dấu phẩy: {SCOPES}")
        parser.add_argument("--client", type=int, help="Số của máy khách (rotate, revoke).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(email=options["actor"].strip().lower()).first()
        if actor is None:
            raise CommandError("Không có tài khoản với thư điện tử này.")
        try:
            self._run(actor, options)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None

    def _run(self, actor: User, options: dict[str, Any]) -> None:
        if options["step"] == "issue":
            unit = AdministrativeUnit.objects.current().filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError("Không có đơn vị với mã này.")
            scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
            issued = services.issue_client(
                actor=actor, name=options["name"], unit=unit, role=options["role"], scopes=scopes
            )
        else:
            client = clients_for(actor).filter(pk=options["client"]).first()
            if client is None:
                raise CommandError("Không có máy khách API này trong phạm vi của bạn.")
            if options["step"] == "revoke":
                services.revoke_client(actor=actor, client=client, expected_version=client.version)
                self.stdout.write(f"Đã thu hồi máy khách {client.pk}.")
                return
            issued = services.rotate_token(
                actor=actor, client=client, expected_version=client.version
            )
        self.stdout.write(
            f"Máy khách {issued.client.pk} — hết hạn {issued.client.expires_at:%Y-%m-%d}"
        )
        self.stdout.write("Mã truy cập (chỉ hiện một lần, hãy lưu ngay):")
        self.stdout.write(issued.token)
