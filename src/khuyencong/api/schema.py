"""Pieces of the OpenAPI schema shared by the views."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='ETag đọc được lần cuối (phiên bản, ví dụ "3"): thiếu → 428, cũ → 412.',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Khóa chống lặp: gửi lại cùng khóa và cùng nội dung thì nhận lại kết quả cũ.",
)
