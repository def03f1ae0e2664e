"""``manage.py certificate show NUMBER [--json]``: one certificate for IT staff (stable output,
documented in README): ``number``, ``level``, ``issued_on``, ``valid_until`` (ISO dates),
``status`` (``con-hieu-luc``, ``het-hieu-luc``, ``bi-thu-hoi``), ``public_url`` (what its QR
code encodes)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.awards.certificate_paper import public_url
from khuyencong.awards.models import Certificate


class Command(BaseCommand):
    help = "Giấy chứng nhận sản phẩm CNNT tiêu biểu."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True, metavar="show")
        show = commands.add_parser("show", help="Một giấy chứng nhận theo số.")
        show.add_argument(
            "number", metavar="NUMBER", help="Số giấy chứng nhận, ví dụ 001/2026/GCN-7."
        )
        show.add_argument("--json", action="store_true", help="In JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options["number"].strip()
        certificate = Certificate.objects.filter(number=text).first()
        if certificate is None:
            raise CommandError(f"Không có giấy chứng nhận số “{text}”.")
        data = {
            "number": certificate.number,
            "level": certificate.level,
            "issued_on": certificate.issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "status": str(certificate.status),
            "public_url": public_url(certificate),
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {value}")
