"""The API's JSON parser: the standard one, refusing text no database can store."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON may escape half of a UTF-16 pair ("\\udb5e"); Python decodes it to a lone surrogate
    that cannot be encoded as UTF-8, so the write would fail deep in the database driver."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            raise ParseError(
                _(
                    "Nội dung gửi lên có ký tự không hợp lệ (nửa cặp UTF-16 đứng riêng); "
                    "hãy gửi văn bản UTF-8 đúng chuẩn."
                )
            )
        return data


class SpreadsheetParser(BaseParser):
    """A .csv or .xlsx file sent as the body (the import's upload): its bytes, at most the
    import's size limit (413 beyond it, with the page's sentence). What the file *is* is
    decided from its content by the import, as for the web's upload, never from the type sent
    (text/csv, the .xlsx type, application/octet-stream …)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        from khuyencong.registry import importing

        from .problems import Problem

        content = stream.read(importing.MAX_UPLOAD_BYTES + 1) if stream is not None else b""
        if len(content) > importing.MAX_UPLOAD_BYTES:
            raise Problem(413, importing.too_large_message())
        return {"content": content}
