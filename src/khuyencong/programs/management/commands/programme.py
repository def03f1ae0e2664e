"""Batch use by provincial IT staff: export, import and check a programme's appendix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.norms import selectors as norms_selectors
from khuyencong.programs import consistency, excel, selectors, services
from khuyencong.programs.conversion import programme_to_data
from khuyencong.programs.models import Programme
from khuyencong.reporting.target_keys import comparable_keys


class Command(BaseCommand):
    help = (
        "Chương trình khuyến công: 'export CODE --xlsx FILE', 'import FILE --code CODE', "
        "'check CODE [--json]'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Xuất phụ lục ra tệp .xlsx")
        export.add_argument("code")
        export.add_argument("--xlsx", required=True, type=Path)
        imp = sub.add_parser("import", help="Nhập phụ lục từ tệp .xlsx (tất cả hoặc không)")
        imp.add_argument("file", type=Path)
        imp.add_argument("--code", required=True)
        check = sub.add_parser("check", help="Kiểm tra tính thống nhất")
        check.add_argument("code")
        check.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def _programme(self, code: str) -> Programme:
        try:
            return selectors.programme_for_cli(code)
        except Programme.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "export":
            data = programme_to_data(self._programme(options["code"]))
            options["xlsx"].write_bytes(excel.export_appendix(data))
            self.stdout.write(f"Đã xuất {len(data.lines)} dòng ra {options['xlsx']}.")
        elif action == "import":
            self._import(options["file"], options["code"])
        else:
            programme = self._programme(options["code"])
            findings = consistency.check_programme(
                programme_to_data(programme),
                unit_cost_cap=norms_selectors.unit_cost_cap_hook(programme),
                comparable_keys=comparable_keys(),
            )
            if options["json"]:
                self.stdout.write(
                    json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
                )
            else:
                for f in findings:
                    self.stdout.write(f"[{f.severity}] {f.code}: {f.message}")
                self.stdout.write(f"{len(findings)} phát hiện.")

    def _import(self, path: Path, code: str) -> None:
        programme = self._programme(code)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        if path.stat().st_size > excel.MAX_UPLOAD_BYTES:
            raise CommandError(excel.too_large_message())
        try:
            data = excel.import_appendix(
                path.read_bytes(), base=programme_to_data(programme), filename=path.name
            )
        except excel.AppendixImportError as exc:
            for error in exc.errors:
                self.stderr.write(error.message)
            raise CommandError(f"Tệp có {len(exc.errors)} lỗi; không dòng nào được nhập.") from exc
        try:
            services.replace_lines(
                actor=None, programme=programme, data=data, expected_version=None
            )
        except services.ProgrammeError as exc:
            raise CommandError(f"{exc} Không dòng nào được nhập.") from exc
        self.stdout.write(f"Đã nhập {len(data.lines)} dòng vào chương trình {code}.")
