from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from khuyencong.accounts import policy
from khuyencong.core.counting import ListPaginator

from . import selectors


@login_required
def object_history(request: HttpRequest, model_label: str, pk: str) -> HttpResponse:
    """Lịch sử thay đổi của một đối tượng: its versions and its activity events."""
    obj = selectors.object_with_history(request.user, model_label, pk)
    decision = policy.can(request.user, policy.Action.VIEW_HISTORY, obj)  # type: ignore[arg-type]
    if not decision:
        raise PermissionDenied(decision.reason)
    return render(
        request,
        "audit/object_history.html",
        {
            "obj": obj,
            "page": selectors.history_entries(obj, request.GET.get("trang")),
            "events": selectors.activity_for_object(request.user, obj)[:200],
        },
    )


@login_required
def activity_log(request: HttpRequest) -> HttpResponse:
    """Nhật ký hoạt động trong phạm vi của người dùng."""
    decision = policy.can(request.user, policy.Action.VIEW_HISTORY)
    if not decision:
        raise PermissionDenied(decision.reason)
    events = selectors.activity_for_user(request.user)
    event_type = request.GET.get("loai", "")
    if event_type:
        events = events.filter(event_type=event_type)
    # At national scale the log holds every event of the country: count it bounded, the
    # events themselves (the rows' join to the actor and unit counts nothing).
    found = selectors.event_rows(events, "unit__name", "comment")
    page = ListPaginator.for_request(found, 50, request, counted=events)
    page.object_list = list(page.object_list)
    selectors.label_event_rows(page.object_list)
    query = request.GET.copy()
    query.pop("trang", None)
    from .models import EventType

    return render(
        request,
        "audit/activity_log.html",
        {
            "page": page,
            "query": query.urlencode(),
            "event_types": EventType.choices,
            "event_type": event_type,
        },
    )
