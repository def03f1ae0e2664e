"""What the selection pages share: domain errors shown as messages, downloads of stored files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest

from khuyencong.accounts import policy
from khuyencong.core.concurrency import StaleEditError

from ..services import SelectionError, SelectionInvalid

DOMAIN_ERRORS = (SelectionError, StaleEditError)


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
