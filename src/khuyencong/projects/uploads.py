"""What an uploaded file really is (nhận diện tệp tải lên): judged from its content, never its name.

Allowed: PDF, DOCX, XLSX, JPEG, PNG. A DOCX or XLSX is a zip that must hold
``word/document.xml`` or ``xl/workbook.xml``. Executables (``MZ``, ELF, Mach-O, scripts with
``#!``) are refused by name, so the message says what was found. Pure: reads a binary stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import uploads
from khuyencong.core.uploads import UploadRefused, megabytes

LIMITS = uploads.ATTACHMENT
MAX_SIZE = LIMITS.max_bytes


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extension: str


PDF = FileKind("pdf", "PDF", "application/pdf", ".pdf")
DOCX = FileKind(
    "docx",
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
XLSX = FileKind(
    "xlsx",
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
)
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", ".jpg")
PNG = FileKind("png", "PNG", "image/png", ".png")
ALLOWED = (PDF, DOCX, XLSX, JPEG, PNG)
ALLOWED_TEXT = "PDF, DOCX, XLSX, JPEG, PNG"

_EXECUTABLES = (
    (b"MZ", "Windows (EXE/DLL)"),
    (b"\x7fELF", "Linux (ELF)"),
    (b"\xcf\xfa\xed\xfe", "macOS (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "macOS (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "macOS/Java"),
    (b"#!", gettext_lazy("tập lệnh (script)")),
)


__all__ = ["ALLOWED", "DOCX", "JPEG", "PDF", "PNG", "XLSX", "FileKind", "UploadRefused", "detect"]


def detect(stream: BinaryIO, *, name: str, size: int) -> FileKind:
    """The kind of the file in ``stream`` (rewound afterwards), or :class:`UploadRefused`."""
    if size > MAX_SIZE:
        raise UploadRefused(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt giới hạn %(limit)s mỗi tệp.")
            % {"name": name, "size": megabytes(size), "limit": megabytes(MAX_SIZE)}
        )
    if size == 0:
        raise UploadRefused(_("Tệp “%(name)s” rỗng.") % {"name": name})
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    for magic, what in _EXECUTABLES:
        if head.startswith(magic):
            raise UploadRefused(
                _(
                    "Tệp “%(name)s” là chương trình chạy được (%(what)s), không phải tài liệu: "
                    "không được tải lên. Chỉ nhận %(allowed)s."
                )
                % {"name": name, "what": what, "allowed": ALLOWED_TEXT}
            )
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(stream, name)
        if kind is not None:
            return kind
    raise UploadRefused(
        _(
            "Không nhận tệp “%(name)s”: nội dung không phải %(allowed)s (hệ thống kiểm tra nội "
            "dung tệp, không dựa vào phần mở rộng của tên tệp)."
        )
        % {"name": name, "allowed": ALLOWED_TEXT}
    )


def _office_kind(stream: BinaryIO, name: str) -> FileKind | None:
    archive = uploads.read_archive(stream)
    if archive is None:
        return None
    if "word/document.xml" in archive.names:
        kind = DOCX
    elif "xl/workbook.xml" in archive.names:
        kind = XLSX
    else:
        return None
    uploads.check_archive(archive, LIMITS, filename=name)
    return kind
