"""The administrators' page for API clients: list those of their scope, issue one (its token
shown once), rotate its token (the new one shown once), revoke it. Through the same services
as the ``api_client`` command: the policy decides, every step is in the activity log."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core.concurrency import StaleEditError

from . import services
from .models import ApiClient
from .selectors import clients_for
from .web_forms import ClientForm, VersionForm


def _require_admin(request: HttpRequest) -> None:
    decision = policy.can(request.user, policy.Action.MANAGE_USERS)
    if not decision:
        raise PermissionDenied(decision.reason)


def _client(request: HttpRequest, pk: int) -> ApiClient:
    """One client of a unit in the user's scope (404 otherwise), which only an administrator
    manages (403 with the reason)."""
    found = (
        policy.scope_queryset(request.user, ApiClient.objects.select_related("unit"))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    decision = policy.can(request.user, policy.Action.MANAGE_USERS, found)
    if not decision:
        raise PermissionDenied(decision.reason)
    return found


def _token_page(request: HttpRequest, issued: services.IssuedToken) -> HttpResponse:
    response = render(request, "api/client_token.html", {"issued": issued})
    response["Cache-Control"] = "no-store"  # the token is shown once, never kept by a cache
    return response


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """Máy khách API của các đơn vị trong phạm vi."""
    _require_admin(request)
    clients = clients_for(request.user).order_by("revoked_at", "name", "pk")
    return render(request, "api/client_list.html", {"clients": clients, "now": timezone.now()})


@login_required
def client_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ClientForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = data["expires_at"]
        try:
            issued = services.issue_client(
                actor=request.user,
                name=data["name"],
                unit=data["unit"],
                role=data["role"],
                scopes=data["scopes"],
                expires_at=_end_of(expires) if expires else None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _token_page(request, issued)
    return render(request, "api/client_form.html", {"form": form})


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _version(request: HttpRequest) -> int:
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404
    return int(form.cleaned_data["version"])


@login_required
@require_POST
def client_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    try:
        issued = services.rotate_token(
            actor=request.user, client=client, expected_version=_version(request)
        )
    except (StaleEditError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("api_clients:list")
    return _token_page(request, issued)


@login_required
@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    try:
        services.revoke_client(
            actor=request.user, client=client, expected_version=_version(request)
        )
    except StaleEditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã thu hồi máy khách API “%(c)s”.") % {"c": client})
    return redirect("api_clients:list")
