"""Pieces of the OpenAPI schema shared by the views."""

from __future__ import annotations

from typing import Any

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

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details (application/problem+json), tiếng Việt.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "current_version": {"type": "integer"},
    },
    "required": ["type", "title", "status", "detail"],
}
#: Errors every operation may answer, and those of writes.
COMMON_ERRORS = {
    "400": "Dữ liệu hoặc tham số không hợp lệ (errors: lỗi theo từng trường).",
    "401": "Chưa xác thực: thiếu, sai, hết hạn hoặc đã thu hồi mã truy cập.",
    "403": "Không được phép (detail: lý do).",
    "404": "Không có trong phạm vi của bạn.",
    "405": "Phương thức không được hỗ trợ.",
    "406": "Định dạng trả về không được hỗ trợ.",
    "429": "Quá nhiều yêu cầu: thử lại sau Retry-After giây.",
}
WRITE_ERRORS = {
    "409": "Quy tắc nghiệp vụ không cho phép ở trạng thái hiện tại.",
    "412": "If-Match đã cũ (current_version: phiên bản hiện tại).",
    "415": "Nội dung phải là application/json.",
    "422": "Idempotency-Key đã dùng cho một yêu cầu khác.",
    "428": "Thiếu If-Match.",
}


def problem_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents its problem+json
    answers (so clients and the schema tests know every status the API may give)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(COMMON_ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors |= WRITE_ERRORS
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
    return result


def picked_fields_optional(
    result: dict[str, Any], generator: Any, **_kwargs: Any
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: a GET with ``?fields=`` leaves out any field of a
    :class:`~khuyencong.api.serializers.PickFields` answer, so none of them is ``required`` in
    the answer's schema (request bodies, ``…Request`` components, keep their required list)."""
    from .serializers import PickFields

    schemas = result.get("components", {}).get("schemas", {})
    for component in generator.registry._components.values():
        serializer = component.object
        picked = isinstance(serializer, PickFields) or (
            isinstance(serializer, type) and issubclass(serializer, PickFields)
        )
        if component.type == "schemas" and picked and not component.name.endswith("Request"):
            schemas.get(component.name, {}).pop("required", None)
    return result
