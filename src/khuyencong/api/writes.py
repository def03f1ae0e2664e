"""The write side of /api/v1/: the web's forms read the body, the apps' services write, the
policy decides — in the order the web pages use (scope 404, If-Match 428/412, role 403, then
the body 400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.accounts import policy
from khuyencong.projects import forms as project_forms
from khuyencong.projects import selectors as project_selectors
from khuyencong.projects import services as project_services
from khuyencong.projects import workflow
from khuyencong.registry import selectors as registry_selectors
from khuyencong.registry import services as registry_services
from khuyencong.registry.models import Artisan, Establishment

from . import forms
from .etags import expected_version, with_etag
from .serializers import ArtisanSerializer, EstablishmentSerializer, ProjectSerializer


def _require(decision: policy.Decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _shown(
    request: Request,
    pk: int,
    read: Callable[[Any, int], Any],
    serializer: type[serializers.BaseSerializer[Any]],
    *,
    created: str = "",
) -> Response:
    """The object as the reader now sees it, with its ETag (``created``: the resource's path,
    for a 201 with its Location)."""
    shown = read(request.user, pk)
    body = serializer(shown, context={"request": request}).data
    if not created:
        return with_etag(Response(body), shown)
    response = with_etag(Response(body, status=status.HTTP_201_CREATED), shown)
    response["Location"] = f"/api/v1/{created}/{pk}"
    return response


def create_establishment(request: Request) -> Response:
    _require(policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT))
    data = {**forms.current_values(), **forms.form_data(request.data)}
    form = forms.establishment_form(request.user, data)
    made = registry_services.create_establishment(actor=request.user, data=forms.valid(form))
    read = registry_selectors.establishment_for_view
    return _shown(request, made.pk, read, EstablishmentSerializer, created="establishments")


def update_establishment(request: Request, establishment: Establishment) -> Response:
    _require(policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT, establishment))
    version = expected_version(request, establishment)
    data = {**forms.current_values(establishment), **forms.form_data(request.data)}
    shown = Establishment.objects.get(pk=establishment.pk)  # the form changes its instance
    form = forms.establishment_form(request.user, data, instance=shown)
    registry_services.update_establishment(
        actor=request.user,
        establishment=establishment,
        expected_version=version,
        data=forms.valid(form),
    )
    read = registry_selectors.establishment_for_view
    return _shown(request, establishment.pk, read, EstablishmentSerializer)


def create_artisan(request: Request) -> Response:
    _require(policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT))
    data = {**forms.current_artisan_values(), **forms.form_data(request.data)}
    form = forms.artisan_form(request.user, data)
    made = registry_services.create_artisan(actor=request.user, data=forms.valid(form))
    read = registry_selectors.artisan_for_view
    return _shown(request, made.pk, read, ArtisanSerializer, created="artisans")


def update_artisan(request: Request, artisan: Artisan) -> Response:
    _require(policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT, artisan))
    version = expected_version(request, artisan)
    data = {**forms.current_artisan_values(artisan), **forms.form_data(request.data)}
    shown = Artisan.objects.get(pk=artisan.pk)  # the form changes its instance
    form = forms.artisan_form(request.user, data, instance=shown)
    registry_services.update_artisan(
        actor=request.user, artisan=artisan, expected_version=version, data=forms.valid(form)
    )
    return _shown(request, artisan.pk, registry_selectors.artisan_for_view, ArtisanSerializer)


def transition_project(request: Request, pk: int, step: str) -> Response:
    """One step of the project's life, as the web's step form takes it. A stale If-Match is
    answered before the step is looked up in the new state (reload, not "not allowed now")."""
    project = project_selectors.project_for_view(request.user, pk)
    steps = [policy.Action(p) for p in sorted(workflow.STEP_PERMISSIONS)]
    _require(policy.can_any(request.user, steps, project))
    if request.headers.get("If-Match"):
        expected_version(request, project)
    t = workflow.find(project.status, step, project.fund)
    assignment = policy.active_assignment(request.user)
    signoff = t.signoff_for(assignment.role) if assignment is not None else None
    if signoff is None:
        raise project_services._refuse_role(request.user, project, t)
    version = expected_version(request, project)
    form = project_forms.step_form(
        signoff, project, step, forms.form_data(request.data, prefix=step)
    )
    forms.valid(form)
    payload = {**form.payload(), "visibility": form.visibility()}
    outcome = project_services.transition(
        actor=request.user,
        project=project,
        action=step,
        expected_version=version,
        comment=form.cleaned_data.get("comment", ""),
        **payload,
    )
    fresh = project_selectors.project_page(request.user, outcome.project.pk)
    body = {
        "advanced": outcome.advanced,
        "pending": [str(s.role_label) for s in outcome.pending],
        "project": ProjectSerializer(fresh, context={"request": request}).data,
    }
    return with_etag(Response(body), fresh)
