"""What the selection pages share: domain errors shown as messages, downloads of stored files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest

from khuyencong.accounts import policy
from khuyencong.core.concurrency import StaleEditError

from ..services import SelectionError, SelectionInvalid

DOMAIN_ERRORS = (SelectionError, StaleEditError)
T = TypeVar("T")


def require(request: HttpRequest, action: policy.Action, obj: Any = None) -> None:
    """403 with the policy's reason when the user may not."""
    decision = policy.can(request.user, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def step_actions(transitions: Any) -> list[policy.Action]:
    """The policy actions behind a lifecycle's steps: a step form first asks whether the user
    may take any of them (``policy.can_any``), so that a role taking no part hears 403."""
    return sorted({policy.Action(t.permission) for t in transitions})


def show_errors(request: HttpRequest, form: Any) -> None:
    """A form's errors as messages, each naming its field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def add_problems(form: Any, exc: SelectionInvalid) -> None:
    """A service's field problems onto the form (unknown fields on the form itself)."""
    for name, problems in exc.problems.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def saved(
    request: HttpRequest,
    form: Any,
    write: Callable[[], T],
    success: str | Callable[[T], str],
) -> T | None:
    """Validate ``form`` and call the service ``write`` (it reads ``form.cleaned_data``): its
    result when it wrote, with the success message (``success(result)`` when a function)
    queued; otherwise None, and the service's problems are on the form, by field or at its
    top."""
    if not form.is_valid():
        return None
    try:
        result = write()
    except SelectionInvalid as exc:
        add_problems(form, exc)
    except DOMAIN_ERRORS as exc:
        form.add_error(None, str(exc))
    else:
        messages.success(request, success(result) if callable(success) else success)
        return result
    return None


def stored_file(field: Any, *, filename: str, content_type: str, inline: bool) -> FileResponse:
    """A stored file, served only after the access check (``/media/`` is not served)."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
