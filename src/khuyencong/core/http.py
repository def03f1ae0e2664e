"""File downloads: one response for every generated or exported file."""

from __future__ import annotations

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """``content`` as an attachment named ``filename`` (ASCII). The data is scoped to the user,
    so no shared cache may keep it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
