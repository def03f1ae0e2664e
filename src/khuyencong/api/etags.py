"""ETag from the row's ``version`` and the If-Match rules of writes (optimistic locking over
HTTP): a write without If-Match is refused with 428, a stale one with 412 and the current
version, before the service runs (which checks the version again under the row lock)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .problems import Problem


def etag_of(obj: Any) -> str:
    return f'"{obj.version}"'


def with_etag(response: Response, obj: Any) -> Response:
    if hasattr(obj, "version"):
        response["ETag"] = etag_of(obj)
    return response


def expected_version(request: Request, obj: Any) -> int:
    """The version named by ``If-Match`` (``"3"``, ``W/"3"`` or ``3``), checked against ``obj``."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise Problem(
            428,
            _(
                "Hãy gửi tiêu đề If-Match với ETag của “%(obj)s” (phiên bản %(current)s) đọc "
                "được lần cuối: thay đổi chỉ được lưu khi không ai sửa trước bạn."
            )
            % {"obj": obj, "current": obj.version},
            current_version=obj.version,
        )
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 9 or int(value) != obj.version:
        raise Problem(
            412,
            _(
                "“%(obj)s” đã được sửa (phiên bản hiện tại %(current)s, bạn gửi %(sent)s). Hãy "
                "đọc lại rồi sửa trên phiên bản mới."
            )
            % {"obj": obj, "current": obj.version, "sent": header[:20]},
            current_version=obj.version,
        )
    return int(value)
