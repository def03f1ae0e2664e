"""Backup and restore (make backup / make restore): back up, wipe, restore, and find every table
and every export as it was — on SQLite here and on PostgreSQL in CI (.ci/run)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from khuyencong.core.backup import BackupError, backup, read_manifest, restore

pytestmark = pytest.mark.django_db(transaction=True)

# openpyxl and python-docx stamp the time of writing here; every other member must be equal.
TIMESTAMPED = {"docProps/core.xml"}


def _tables() -> dict[str, list[str]]:
    """Every row of every table, as text, sorted (the order of a heap is not data)."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        content = {}
        for name in names:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")
            content[name] = sorted(repr(row) for row in cursor.fetchall())
    return content


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n not in TIMESTAMPED}


def _exports() -> dict[str, object]:
    """The files users download, generated from the database as it is now."""
    from khuyencong.accounts.models import Role, User
    from khuyencong.programs.conversion import programme_to_data
    from khuyencong.programs.documents import appendix_docx
    from khuyencong.programs.excel import export_appendix
    from khuyencong.programs.models import Programme
    from khuyencong.projects import exporting as project_exporting
    from khuyencong.projects import selectors as project_selectors
    from khuyencong.registry import exporting
    from khuyencong.registry.models import Establishment

    establishments = Establishment.objects.select_related("commune__parent").order_by("pk")
    files: dict[str, object] = {
        "co-so.csv": exporting.establishments_csv(establishments, with_names=True),
        "co-so.xlsx": _members(exporting.establishments_xlsx(establishments, with_names=True)),
    }
    for programme in Programme.objects.order_by("code"):
        data = programme_to_data(programme)
        files[f"{programme.code}.xlsx"] = _members(export_appendix(data))
        files[f"{programme.code}.docx"] = _members(appendix_docx(data))
    national = User.objects.filter(assignments__role=Role.NATIONAL_OFFICER).first()
    if national is not None:
        rows = project_selectors.export_rows(national, limit=project_exporting.MAX_ROWS)
        files["de-an.xlsx"] = _members(project_exporting.projects_xlsx(rows))
    return files


def _media(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_wipe_restore_gives_back_every_table_export_and_file(
    units_loaded, settings, tmp_path
):
    from khuyencong.core.demo import seed_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_programmes", verbosity=0)
    seed_demo()
    attachment = Path(settings.MEDIA_ROOT) / "projects" / "1" / "tep.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.7 bi\xean b\xe1n nghi\xeam thu")
    tables, exports, media = _tables(), _exports(), _media(Path(settings.MEDIA_ROOT))
    assert len(tables) > 40
    assert exports["co-so.csv"]

    archive = backup(tmp_path / "backups")
    manifest = read_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert "programs.0001_initial" in manifest["migrations"]
    assert archive.stat().st_mode & 0o077 == 0  # personal data: not readable by others

    call_command("flush", interactive=False, verbosity=0)  # the wipe
    attachment.unlink()
    assert _tables() != tables

    restore(archive)
    assert _tables() == tables
    assert _exports() == exports
    assert _media(Path(settings.MEDIA_ROOT)) == media


def test_restore_refuses_an_archive_that_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match="Không tìm thấy tệp sao lưu"):
        restore(tmp_path / "khong-co.tar.gz")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        body = (
            b'{"format": 1, "engine": "%s", "database": "database.sqlite3", "created": "x"}'
            % connection.vendor.encode()
        )
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        escape = tarfile.TarInfo("../../etc/cron.d/x")
        escape.size = 1
        tar.addfile(escape, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="mục không hợp lệ"):
        restore(evil)


def test_the_commands_refuse_to_restore_without_confirmation(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="chạy lại với --yes"):
        call_command("restore", str(tmp_path / "x.tar.gz"))
