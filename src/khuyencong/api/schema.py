"""Pieces of the OpenAPI schema shared by the views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter

from .examples import PROBLEMS

PROBLEM_JSON = "application/problem+json"

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
#: What each error means; an operation documents those it can give (``possible_errors``).
ERRORS = {
    "400": "Dữ liệu hoặc tham số không hợp lệ (errors: lỗi theo từng trường).",
    "401": "Chưa xác thực: thiếu, sai, hết hạn hoặc đã thu hồi mã truy cập.",
    "403": "Không được phép (detail: lý do).",
    "404": "Không có trong phạm vi của bạn (hoặc con trỏ trang không hợp lệ).",
    "406": "Định dạng trả về không được hỗ trợ (Accept).",
    "409": "Quy tắc nghiệp vụ không cho phép ở trạng thái hiện tại.",
    "412": "If-Match đã cũ (current_version: phiên bản hiện tại).",
    "413": "Dữ liệu gửi lên quá lớn.",
    "415": "Nội dung phải là application/json.",
    "422": "Idempotency-Key đã dùng cho một yêu cầu khác.",
    "428": "Thiếu If-Match.",
    "429": "Quá nhiều yêu cầu: thử lại sau Retry-After giây.",
}
#: Every operation: a wrong token, a client without the scope, an unknown Accept, the rate.
ALWAYS = ("401", "403", "406", "429")
#: A body or a query that names another object, looked up in the caller's scope (a round, a
#: unit out of it: 404).
NAMES_AN_OBJECT = frozenset({"registrations_create", "reports_rollup_retrieve"})
#: Writes a rule of the domain may refuse in the object's state (a sheet submitted, its entry's
#: scoring closed: 409), besides the steps of a lifecycle.
STATEFUL_WRITES = frozenset(
    {"awards_sheets_update", "awards_sheets_partial_update", "awards_sheets_reopen_create"}
)


def possible_errors(path: str, operation: dict[str, Any]) -> list[str]:
    """The problem+json statuses this operation can answer, read from what it takes (each has
    a case in ``api/tests/test_status_codes.py``; 405 belongs to no operation: it answers a
    method the path does not have)."""
    params = {p["name"]: p for p in operation.get("parameters", [])}
    content = operation.get("requestBody", {}).get("content", {})
    codes = set(ALWAYS)
    located = any(p["in"] == "path" for p in params.values())
    if located or "cursor" in params or operation.get("operationId") in NAMES_AN_OBJECT:
        codes.add("404")  # an id outside the scope, or a cursor not given by the API
    checked = [p for p in params.values() if p["in"] == "query" and bounded(p)]
    if checked or content or "Idempotency-Key" in params:
        codes.add("400")
    if content:
        codes.add("413")  # longer than the operation accepts (a file: the import page's limit)
    if "application/json" in content:
        codes.add("415")  # (a file is read by its content, whatever its type)
    if "If-Match" in params:
        codes |= {"412", "428"}
    if "Idempotency-Key" in params:
        codes.add("422")
    if "/transitions/" in path or operation.get("operationId") in STATEFUL_WRITES:
        codes.add("409")  # a step the current state does not have
    return sorted(codes)


def bounded(parameter: dict[str, Any]) -> bool:
    schema = parameter.get("schema", {})
    return any(key in schema for key in ("enum", "minimum", "maximum", "maxLength", "pattern"))


def problem_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents the problem+json
    answers it can give (so clients and the schema tests know every status the API may give)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code in possible_errors(path, operation):
                content: dict[str, Any] = {"schema": ref}
                if code in PROBLEMS:
                    content["examples"] = {"vi": {"value": PROBLEMS[code]}}
                operation["responses"].setdefault(
                    code,
                    {"description": ERRORS[code], "content": {PROBLEM_JSON: content}},
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
