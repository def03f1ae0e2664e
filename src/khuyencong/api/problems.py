"""Errors as RFC 9457 ``application/problem+json``, in Vietnamese, never a 500 for bad input.

``detail`` is the sentence to show; ``errors`` maps each refused field to its messages (as the
web forms put them under the field). Domain errors of the services keep their own sentence:
refused by the policy → 403 with the reason, stale version → 412, a rule of the domain → 409.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from khuyencong.awards.services import SelectionInvalid
from khuyencong.core.bounds import OutOfBounds
from khuyencong.core.concurrency import StaleEditError

PROBLEM_JSON = "application/problem+json"


def _domain_errors() -> tuple[type[Exception], ...]:
    """Errors of the services that a rule of the domain raises (409 Conflict)."""
    from khuyencong.awards.services import SelectionError
    from khuyencong.planning.services import PlanningError
    from khuyencong.planning.workflow import TransitionError as PlanningTransitionError
    from khuyencong.projects.services import ProjectError
    from khuyencong.projects.workflow import TransitionError as ProjectTransitionError

    return (
        PlanningError,
        PlanningTransitionError,
        ProjectError,
        ProjectTransitionError,
        SelectionError,
    )


TITLES = {
    400: "Dữ liệu gửi lên chưa hợp lệ",
    401: "Chưa xác thực",
    403: "Không được phép",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    406: "Định dạng không được hỗ trợ",
    409: "Xung đột với trạng thái hiện tại",
    412: "Phiên bản đã thay đổi",
    413: "Dữ liệu quá lớn",
    415: "Kiểu nội dung không được hỗ trợ",
    428: "Cần tiêu đề If-Match",
    429: "Quá nhiều yêu cầu",
}


class Problem(exceptions.APIException):
    """An error with its own status and sentence (428, 412, 409 …)."""

    def __init__(self, status_code: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.extra = extra


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {}
    return {str(field): _flatten(value) for field, value in detail.items()}


def body(status_code: int, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": TITLES.get(status_code, ""),
        "status": status_code,
        "detail": detail,
        **extra,
    }


def too_large(request: HttpRequest, message: str) -> JsonResponse:
    """413 for a body longer than the view accepts (``core.uploads``' middleware)."""
    return JsonResponse(body(413, message), status=413, content_type=PROBLEM_JSON)


def problem(status_code: int, detail: str, **extra: Any) -> Response:
    return Response(
        body(status_code, detail, **extra), status=status_code, content_type=PROBLEM_JSON
    )


def _translate(exc: Exception) -> Exception:
    """Django's and the domain's errors as DRF exceptions that keep their sentence."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, OutOfBounds):
        return exceptions.ValidationError({"non_field_errors": [str(exc)]})
    if isinstance(exc, DjangoPermissionDenied):
        reason = str(exc) or _("Bạn không được phép thực hiện thao tác này.")
        return exceptions.PermissionDenied(reason)
    if isinstance(exc, Http404):
        return exceptions.NotFound(_("Không tìm thấy đối tượng này trong phạm vi của bạn."))
    if isinstance(exc, SelectionInvalid):  # a SelectionError tied to fields: 400, not 409
        return exceptions.ValidationError(
            {field or "non_field_errors": messages for field, messages in exc.problems.items()}
        )
    if isinstance(exc, StaleEditError):
        return Problem(status.HTTP_412_PRECONDITION_FAILED, str(exc))
    if isinstance(exc, _domain_errors()):
        return Problem(status.HTTP_409_CONFLICT, str(exc))
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    extra: dict[str, Any] = dict(getattr(exc, "extra", {}))
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        messages = _flatten(exc.detail)
        detail = _("Dữ liệu gửi lên chưa hợp lệ: %(first)s") % {"first": messages[0]}
        if errors:
            extra["errors"] = errors
    else:
        detail = " ".join(_flatten(exc.detail))
    result = problem(response.status_code, detail, **extra)
    for header, value in response.items():
        if header.lower() in ("www-authenticate", "retry-after", "allow"):
            result[header] = value
    return result
