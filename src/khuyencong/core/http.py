"""File downloads: one response for every generated or exported file."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def safe_filename(name: str) -> str:
    """A file name without control or format characters: the right-to-left override (U+202E)
    and the other bidi controls would show ``hoa-don\u202efdp.exe`` as "hoa-donexe.pdf";
    zero-width characters hide in names. Path separators become "-"."""
    kept = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"})
    kept = kept.replace("/", "-").replace("\\", "-").strip(" .")
    return kept or "tep"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """``content`` as an attachment named ``filename`` (made safe: :func:`safe_filename`). The
    data is scoped to the user, so no shared cache may keep it."""
    response = HttpResponse(content, content_type=content_type)
    disposition = content_disposition_header(as_attachment=True, filename=safe_filename(filename))
    response["Content-Disposition"] = disposition or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def download_written(
    write: Callable[[BinaryIO], None], filename: str, content_type: str
) -> FileResponse:
    """A file that ``write`` writes into a temporary file, streamed out in blocks: a large
    export never sits whole in memory. Same headers as :func:`download`."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    write(file)
    file.seek(0)
    response = FileResponse(
        file, as_attachment=True, filename=safe_filename(filename), content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def stream(chunks: Iterable[bytes], filename: str, content_type: str) -> StreamingHttpResponse:
    """Text produced row by row (CSV) sent as it is produced: constant memory."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    disposition = content_disposition_header(as_attachment=True, filename=safe_filename(filename))
    response["Content-Disposition"] = disposition or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file(field_file: Any, filename: str, content_type: str) -> FileResponse:
    """An uploaded file, already access-checked by the caller, as an attachment: 404 when the
    storage lost it; its type as checked at upload, never sniffed by the browser."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=safe_filename(filename), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
