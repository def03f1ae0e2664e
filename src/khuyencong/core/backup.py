"""Sao lưu và khôi phục (backup, restore): the database and the uploaded files in one archive.

One ``.tar.gz`` holds ``manifest.json`` (what, when, which engine, which migrations),
``database.sqlite3`` (SQLite's online backup API: a consistent copy while the app runs) or
``database.pgdump`` (``pg_dump --format=custom``), and ``media/`` (attachments, import files).
:func:`restore` puts both back: SQLite through the same backup API into the live database,
PostgreSQL with ``pg_restore --clean --if-exists`` (every table dropped and recreated), the
media directory replaced. ``make backup`` / ``make restore FILE=…`` call the commands.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
SQLITE_NAME = "database.sqlite3"
POSTGRES_NAME = "database.pgdump"


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why, in Vietnamese."""


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"Không tìm thấy {name}: hãy cài gói postgresql-client.")


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} thất bại: {result.stderr.strip()[:500]}")


def _dump_database(target: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = target / SQLITE_NAME
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)  # consistent even while others write
        finally:
            copy.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        path = target / POSTGRES_NAME
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args], env
        )
        return POSTGRES_NAME
    raise BackupError(f"Chưa hỗ trợ sao lưu CSDL {connection.vendor}.")


def _manifest(database: str) -> dict[str, Any]:
    applied = sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )
    return {
        "format": FORMAT,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "database": database,
        "migrations": applied,
    }


def backup(directory: Path) -> Path:
    """Sao lưu: write ``khuyencong-<time>.tar.gz`` into ``directory``; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = directory / f"khuyencong-{stamp}.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        database = _dump_database(workdir)
        (workdir / "manifest.json").write_text(json.dumps(_manifest(database), indent=2))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(workdir / "manifest.json", arcname="manifest.json")
            tar.add(workdir / database, arcname=database)
            if media.is_dir():
                tar.add(media, arcname="media")
        partial.rename(archive)  # never a half-written archive under the final name
    archive.chmod(0o600)  # personal data: readable by the service account only
    return archive


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"Tệp sao lưu có mục không hợp lệ: {member.name}.")
        members.append(member)
    return members


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile("manifest.json")
        if handle is None:
            raise BackupError("Tệp sao lưu thiếu manifest.json.")
        manifest: dict[str, Any] = json.load(handle)
    return manifest


def restore(archive: Path) -> dict[str, Any]:
    """Khôi phục: replace the database and the media files by the archive's; returns the
    manifest. The archive must come from the same engine (SQLite or PostgreSQL)."""
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError("Tệp sao lưu không đúng định dạng của hệ thống này.")
    connection.ensure_connection()
    if manifest.get("engine") != connection.vendor:
        raise BackupError(
            f"Tệp sao lưu là của CSDL {manifest.get('engine')}, hệ thống đang dùng "
            f"{connection.vendor}: khôi phục vào cùng loại CSDL."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        workdir = Path(work)
        tar.extractall(workdir, members=_safe_members(tar))
        database = workdir / manifest["database"]
        if connection.vendor == "sqlite":
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            args, env = _pg_env()
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *args,
                    str(database),
                ],
                env,
            )
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (workdir / "media").is_dir():
            shutil.copytree(workdir / "media", media)
        else:
            media.mkdir(parents=True)
    return manifest
